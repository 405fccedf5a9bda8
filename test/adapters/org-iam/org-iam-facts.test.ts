/**
 * The organization reader against the loopback STS / IAM / Organizations server (real SDK clients, real wire
 * protocols, credentials chosen per account by the reader session): both sides of a cross-account denial are read
 * in their own accounts, SCPs and RCPs come from Organizations, and the call counts stay within budget.
 */

import { STSClient } from '@aws-sdk/client-sts';
import type { OrgIamFacts } from '../../../src/adapters/org-iam';
import { diagnoseEvent } from '../../../src/engine/diagnose/diagnose-event';
import { normalizeInput } from '../../../src/engine/event/normalize';
import type { Finding } from '../../../src/engine/finding/types';
import { TransientError } from '../../../src/errors';
import { createOrganizationFacts } from '../../../src/pipeline/organization-facts';
import { type AwsEmulator, startAwsEmulator } from '../../support/aws-emulator';
import {
  deniedCrossAccount,
  exampleOrganization,
  LEGACY,
  ORG_ID,
  PROD,
  READER,
  TOOLS,
} from '../../support/org-fixture/example-organization';
import { CENTRAL_ACCESS_KEY, toEmulatorOptions } from '../../support/org-fixture/to-emulator';

const savedEnv = { ...process.env };
let emulator: AwsEmulator;

async function start(): Promise<void> {
  emulator = await startAwsEmulator(toEmulatorOptions(exampleOrganization()));
  Object.assign(process.env, emulator.env(), {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: CENTRAL_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: 'emulated-secret',
  });
}

/** Calls the emulator answered, by service, API and signing account. */
function count(filter: { service?: string; api?: string; account?: string } = {}): number {
  return emulator.count({ service: filter.service, action: filter.api, accountId: filter.account });
}

function orgFacts(clock?: () => number, sts?: STSClient): OrgIamFacts {
  return createOrganizationFacts({
    sts,
    config: { organizationId: ORG_ID, readerRoleName: READER, organizationsAccess: 'management-reader' },
    partition: 'aws',
    clock,
  });
}

async function diagnose(
  facts: OrgIamFacts,
  event: Record<string, unknown>,
): Promise<{ finding: Finding; calls: number }> {
  const [normalized] = normalizeInput(event).events;
  const scope = facts.scope({ callerRoleArn: normalized.caller.issuerArn });
  const finding = await diagnoseEvent(normalized, scope);
  return { finding, calls: scope.calls.total };
}

const ci = { type: 'role', account: TOOLS, name: 'ci-runner' } as const;
const alice = { type: 'user', account: TOOLS, name: 'alice' } as const;
const role = (name: string, account = PROD) => `arn:aws:iam::${account}:role/${name}`;

afterEach(async () => {
  process.env = { ...savedEnv };
  await emulator?.close();
});

describe('cross-account denials, both sides read through reader roles', () => {
  beforeEach(() => start());

  it('blames the trust side (role account) for a role caller, and the fix runs in the role owner account', async () => {
    const { finding } = await diagnose(orgFacts(), deniedCrossAccount(ci, role('release'), 'e-trust'));
    expect(finding.cause).toBe('TRUST_PRINCIPAL_MISSING');
    expect(finding.unknowns.filter((u) => !/session/i.test(u.key))).toEqual([]);
    expect(finding.fix.verified).toBe(true);
    expect(finding.fix.commands[0]).toMatch(/update-assume-role-policy --role-name 'release'/);
    expect(finding.fix.commandAccounts?.[0]).toEqual({ accountId: PROD, owner: 'role' });
    expect(count({ service: 'iam', api: 'GetRole', account: PROD })).toBe(1);
    expect(count({ service: 'iam', account: TOOLS })).toBeGreaterThan(0);
  });

  it("blames the caller's identity side (caller account) for a user, and the fix runs in the caller account", async () => {
    const { finding } = await diagnose(orgFacts(), deniedCrossAccount(alice, role('deploy'), 'e-identity'));
    expect(finding.cause).toBe('IDENTITY_NO_ALLOW');
    expect(finding.unknowns).toEqual([]);
    expect(finding.fix.verified).toBe(true);
    expect(finding.fix.commands[0]).toMatch(/put-user-policy --user-name 'alice'/);
    expect(finding.fix.commandAccounts?.[0]).toEqual({ accountId: TOOLS, owner: 'caller' });
  });

  it('finds the SCP on the caller account', async () => {
    const { finding } = await diagnose(orgFacts(), deniedCrossAccount(ci, role('scp-guarded'), 'e-scp'));
    expect(finding.cause).toBe('SCP_DENY');
    expect(JSON.stringify(finding.evidence)).toContain('p-scpguard01');
    const i = finding.fix.commands.findIndex((c) => c.startsWith('aws organizations update-policy'));
    expect(finding.fix.commandAccounts?.[i]).toEqual({ accountId: '999999999999', owner: 'organization' });
  });

  it('finds the RCP on the role account', async () => {
    const { finding } = await diagnose(orgFacts(), deniedCrossAccount(ci, role('rcp-guarded'), 'e-rcp'));
    expect(finding.cause).toBe('RCP_DENY');
    expect(JSON.stringify(finding.evidence)).toContain('p-rcpguard01');
  });
});

describe('call budget', () => {
  beforeEach(() => start());

  it('a cold cross-account diagnosis makes ≤ 16 STS + IAM calls and ≤ 16 Organizations calls; warm makes none', async () => {
    const facts = orgFacts();
    const cold = await diagnose(facts, deniedCrossAccount(alice, role('deploy'), 'e-cold'));
    expect(cold.finding.cause).toBe('IDENTITY_NO_ALLOW');
    const stsIam = count({ service: 'sts' }) + count({ service: 'iam' });
    const organizations = count({ service: 'organizations' });
    expect(stsIam).toBeLessThanOrEqual(16);
    expect(organizations).toBeLessThanOrEqual(16);
    expect(cold.calls).toBe(stsIam + organizations);
    expect(count({ service: 'sts' })).toBe(3); // tools, prod, management: one session each
    emulator.resetCalls();
    const warm = await diagnose(facts, deniedCrossAccount(alice, role('deploy'), 'e-warm'));
    expect(warm.calls).toBe(0);
    expect(count()).toBe(0);
  });

  it('reads the tree and the policies once per TTL for all events and accounts', async () => {
    let now = Date.parse('2026-05-01T12:00:00Z');
    const facts = orgFacts(() => now);
    await diagnose(facts, deniedCrossAccount(ci, role('deploy'), 'e-1'));
    const policyReads = () => count({ service: 'organizations', api: 'ListPolicies' });
    expect(policyReads()).toBe(2);
    await diagnose(facts, deniedCrossAccount(alice, role('rcp-guarded'), 'e-2'));
    await diagnose(facts, deniedCrossAccount(ci, role('old-ci', LEGACY), 'e-3'));
    expect(policyReads()).toBe(2);
    // LEGACY shares its OU with PROD: one more ListParents (the account), none for the OU.
    expect(count({ service: 'organizations', api: 'ListParents', account: '999999999999' })).toBe(5);
    now += 16 * 60_000;
    await diagnose(facts, deniedCrossAccount(ci, role('deploy'), 'e-4'));
    expect(policyReads()).toBe(4);
  });
});

describe('missing reader role and throttled STS', () => {
  it("reports the caller's side unknown, naming the account and the missing reader role, without an error", async () => {
    await start();
    const event = deniedCrossAccount({ type: 'role', account: LEGACY, name: 'old-ci' }, role('deploy'), 'e-legacy');
    const facts = orgFacts();
    const { finding } = await diagnose(facts, event);
    const reason = finding.unknowns.find((u) => u.key === 'caller identity policies')?.reason;
    expect(reason).toContain(`account ${LEGACY}`);
    expect(reason).toContain(`arn:aws:iam::${LEGACY}:role/${READER}`);
    expect(finding.cause).toBe('TRUST_PRINCIPAL_MISSING'); // the trust side, read in PROD, still decides
    // The missing reader is remembered: a storm of such events does not ask STS again.
    const before = count({ service: 'sts', account: '333333333333' });
    await diagnose(
      facts,
      deniedCrossAccount({ type: 'role', account: LEGACY, name: 'old-ci' }, role('deploy'), 'e-legacy-2'),
    );
    expect(count({ service: 'sts', account: '333333333333' })).toBe(before);
  });

  it('throws TransientError when STS stays throttled, and caches nothing', async () => {
    await start();
    emulator.setFault({ service: 'sts', action: 'AssumeRole', kind: 'throttle' });
    // Two attempts with the standard retry strategy keep the test fast; the runtime uses adaptive retry, 4 attempts.
    const facts = orgFacts(undefined, new STSClient({ retryMode: 'standard', maxAttempts: 2 }));
    await expect(diagnose(facts, deniedCrossAccount(ci, role('release'), 'e-throttle'))).rejects.toBeInstanceOf(
      TransientError,
    );
    expect(count({ service: 'sts' })).toBeGreaterThanOrEqual(2); // retried before giving up
    // The other accounts' sessions were requested in parallel; let their retries finish throttled before clearing.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    emulator.clearFaults();
    const { finding } = await diagnose(facts, deniedCrossAccount(ci, role('release'), 'e-throttle'));
    expect(finding.cause).toBe('TRUST_PRINCIPAL_MISSING');
  });
});
