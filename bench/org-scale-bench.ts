/**
 * Organization scale, part of `npm run bench:pipeline` (or alone: npx tsx bench/org-scale-bench.ts): 1,000 member
 * accounts behind reader roles, served by the loopback emulator with 20–50 ms of latency on every STS and IAM call,
 * read through the organization deployment's reader (createOrganizationFacts, the code the central function runs).
 * A CI role in the tools account is denied on roles across the organization: half of the events go to 20 hot
 * accounts, half anywhere. Prints the cold cross-account diagnosis, AWS calls per event by service, memory per cached
 * account, and the LRU bound, with goals marked PASS or MISS.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { ASSUMED_BYTES_PER_CACHED_ACCOUNT, accountsForMemory } from '../src/adapters/org-iam';
import { diagnoseEvent, normalizeInput } from '../src/engine';
import { createOrganizationFacts } from '../src/pipeline/organization-facts';
import { startAwsEmulator } from '../test/support/aws-emulator';
import {
  CENTRAL,
  deniedCrossAccount,
  EXAMPLE_ORGANIZATION,
  exampleOrganization,
  ORG_ID,
  READER,
  TOOLS,
} from '../test/support/org-fixture/example-organization';
import type { LoopbackAccount } from '../test/support/org-fixture/model';
import { CENTRAL_ACCESS_KEY, toEmulatorOptions } from '../test/support/org-fixture/to-emulator';
import { seededRandom } from './seeded-random';

const ACCOUNTS = 1000;
const EVENTS = 6000;
const IN_FLIGHT = 16;
const OUS = 10;

const memberId = (i: number) => String(500000000000 + i);

function gc(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');

export async function runOrgScaleBench(): Promise<string[]> {
  const random = seededRandom(20261202);
  const base = exampleOrganization();
  const members: LoopbackAccount[] = Array.from({ length: ACCOUNTS }, (_, i) => ({
    id: memberId(i),
    roles: [
      {
        name: 'deploy',
        trust: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TOOLS}:role/release-bot` }, Action: 'sts:AssumeRole' },
          ],
        },
      },
    ],
  }));
  const parents: Record<string, string> = { ...EXAMPLE_ORGANIZATION.parents };
  for (let o = 0; o < OUS; o += 1) parents[`ou-apps-${String(o).padStart(8, '0')}`] = 'r-root';
  members.forEach((m, i) => {
    parents[m.id] = `ou-apps-${String(i % OUS).padStart(8, '0')}`;
  });
  const allTargets = Object.keys(parents).concat('r-root');
  const organization = {
    ...EXAMPLE_ORGANIZATION,
    parents,
    policies: EXAMPLE_ORGANIZATION.policies.map((p) => (p.awsManaged ? { ...p, targets: allTargets } : p)),
  };
  const emulator = await startAwsEmulator(
    toEmulatorOptions({ ...base, accounts: [...base.accounts, ...members], organization }),
  );
  const latency = () => 20 + random() * 30;
  emulator.server.setLatency('sts', latency);
  emulator.server.setLatency('iam', latency);
  const saved = { ...process.env };
  Object.assign(process.env, emulator.env(), {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: CENTRAL_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: 'emulated-secret',
  });
  const bound = accountsForMemory(1024);
  const facts = createOrganizationFacts({
    config: { organizationId: ORG_ID, readerRoleName: READER, organizationsAccess: 'management-reader' },
    partition: 'aws',
    maxCachedAccounts: bound,
  });
  const ci = { type: 'role', account: TOOLS, name: 'ci-runner' } as const;
  const diagnose = async (account: string, id: string) => {
    const [event] = normalizeInput(deniedCrossAccount(ci, `arn:aws:iam::${account}:role/deploy`, id)).events;
    const scope = facts.scope({ callerRoleArn: event.caller.issuerArn });
    await diagnoseEvent(event, scope);
    return scope.calls;
  };
  const byService = () => ({
    sts: emulator.count({ service: 'sts' }),
    iam: emulator.count({ service: 'iam' }),
    organizations: emulator.count({ service: 'organizations' }),
  });

  try {
    // 1. One cold cross-account diagnosis in the 1,000-account organization, then a warm repeat.
    let t = performance.now();
    await diagnose(memberId(0), 'cold');
    const coldMs = performance.now() - t;
    const cold = byService();
    t = performance.now();
    const warm = await diagnose(memberId(0), 'warm');
    const warmMs = performance.now() - t;

    // 2. The mix across the organization, IN_FLIGHT diagnoses at a time.
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const before = byService();
    let next = 0;
    t = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < EVENTS) {
          const i = next++;
          const hot = random() < 0.5;
          const account = memberId(hot ? Math.floor(random() * 20) : Math.floor(random() * ACCOUNTS));
          await diagnose(account, `mix-${i}`);
        }
      }),
    );
    const seconds = (performance.now() - t) / 1000;
    const after = byService();
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    const mixCalls = {
      sts: after.sts - before.sts,
      iam: after.iam - before.iam,
      organizations: after.organizations - before.organizations,
    };
    const total = mixCalls.sts + mixCalls.iam + mixCalls.organizations;
    const perAccount = Math.max(0, heapAfter - heapBefore) / Math.max(1, facts.cachedAccounts);

    const coldStsIam = cold.sts + cold.iam;
    return [
      `trustgap organization scale — ${ACCOUNTS} member accounts in ${OUS} OUs, STS and IAM latency 20–50 ms/call, ${EVENTS} events (${IN_FLIGHT} in flight), central ${CENTRAL}`,
      `  cold cross-account diagnosis: ${coldStsIam} STS+IAM calls (goal ≤ 16: ${mark(coldStsIam <= 16)}), ${cold.organizations} Organizations calls incl. the organization's policies for all ${ACCOUNTS} accounts (goal ≤ 16: ${mark(cold.organizations <= 16)}), ${coldMs.toFixed(0)} ms`,
      `  warm repeat:                  ${warm.total} calls (goal 0: ${mark(warm.total === 0)}), ${warmMs.toFixed(1)} ms`,
      `  mix:                          ${total} AWS calls for ${EVENTS} events = ${(total / EVENTS).toFixed(3)} per event (sts ${mixCalls.sts}, iam ${mixCalls.iam}, organizations ${mixCalls.organizations}); ${(EVENTS / seconds).toFixed(0)} diagnoses/s`,
      `  first sight of an account:    ≈ ${((mixCalls.sts + mixCalls.iam) / Math.max(1, mixCalls.sts)).toFixed(1)} STS+IAM calls (one reader session, the role) + ListParents`,
      `  memory per cached account:    ${(perAccount / 1024).toFixed(0)} KiB (goal ≤ ${ASSUMED_BYTES_PER_CACHED_ACCOUNT / 1024} KiB, the LRU sizing assumption: ${mark(perAccount <= ASSUMED_BYTES_PER_CACHED_ACCOUNT)})`,
      `  LRU bound:                    ${facts.cachedAccounts} accounts cached of ${ACCOUNTS} seen (bound ${bound} for 1024 MB: ${mark(facts.cachedAccounts <= bound)}), ${facts.evictions} evictions`,
    ];
  } finally {
    process.env = saved;
    await emulator.close();
  }
}

if (require.main === module) {
  runOrgScaleBench().then(
    (lines) => process.stdout.write(`${lines.join('\n')}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
