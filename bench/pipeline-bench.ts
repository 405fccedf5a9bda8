/**
 * npm run bench:pipeline [-- --events N --containers C]
 *
 * 10,000 denied role assumptions with realistic repetition — three storms (a CI job retrying, a pull-request
 * workflow, a user retrying by hand) and a long tail of distinct problems, with 1% EventBridge redeliveries —
 * through the real handler code (LambdaRuntime: normalize → diagnose → record → notify) against dynalite (the
 * findings table created from the stack's schema), IAM and SNS served over their real wire protocol by the loopback
 * AWS emulator (IAM from the real-shaped fixtures, with 20–50 ms of simulated latency per call). C containers (the stack's reserved concurrency, 5) each keep their own
 * IAM cache, as Lambda containers do. Prints events/s, IAM calls per event (overall, cold and warm), notifications
 * sent, DynamoDB writes per event against the goal of issue 11 (≤ 1.5), write units, and the items written.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { IAMClient } from '@aws-sdk/client-iam';
import { SNSClient } from '@aws-sdk/client-sns';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { LambdaRuntime } from '../src/pipeline/lambda-runtime';
import { FUNCTION_ACCESS_KEY, startIamApi } from '../test/fixtures/iam-api/iam-api-emulator';
import {
  ACCOUNT,
  aliceAssumesDeployProd,
  ciRunnerAssumes,
  githubPullRequestAssumes,
} from '../test/pipeline/support/denied-events';
import { lambdaContext, SNS_ATTEMPTS, snsRecorder, TOPIC_ARN } from '../test/pipeline/support/pipeline-harness';
import { credentialsFor } from '../test/support/aws-emulator';
import { type LocalDynamo, startDynalite } from '../test/support/dynalite';
import { runOrgScaleBench } from './org-scale-bench';
import { seededRandom } from './seeded-random';

process.env.POWERTOOLS_METRICS_DISABLED = 'true';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const TOTAL = option('events', 10_000);
/** Issue 11, goal 4: DynamoDB writes per event, averaged over the storm mix. */
const WRITES_PER_EVENT_GOAL = 1.5;
const CONTAINERS = option('containers', 5);

const random = seededRandom(20260501);

/** bob (path /contractors/, permissions boundary without sts:*), an IAM user of the fixture account. */
function contractorAssumes(
  o: { eventId: string; eventTime: string; roleSessionName: string },
  role: string,
): Record<string, unknown> {
  const event = aliceAssumesDeployProd(o, role) as { detail: Record<string, any> };
  event.detail.userIdentity = {
    type: 'IAMUser',
    principalId: 'AIDAQBOBEXAMPLE000001',
    arn: `arn:aws:iam::${ACCOUNT}:user/contractors/bob`,
    accountId: ACCOUNT,
    userName: 'bob',
  };
  return event;
}

function buildMix(total: number): Record<string, unknown>[] {
  const start = Date.parse('2026-05-01T08:00:00Z');
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < total; i += 1) {
    const o = {
      eventId: `bench-${i}`,
      eventTime: new Date(start + i * 360).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      roleSessionName: `run-${i}`,
    };
    const r = random();
    if (r < 0.6)
      events.push(ciRunnerAssumes(o, 'deploy-prod')); // a CI job retrying: boundary has no sts:AssumeRole
    else if (r < 0.8)
      events.push(githubPullRequestAssumes(o)); // pull-request workflows on a main-only role
    else if (r < 0.9)
      events.push(aliceAssumesDeployProd(o)); // a user retrying by hand, not trusted
    else {
      // The long tail: 100 distinct problems — 40 role names that do not exist (typos, deleted roles), 50 other
      // repositories' pull requests on the main-only role, and a contractor on the production role.
      const n = Math.floor(random() * 100);
      if (n < 40) events.push(ciRunnerAssumes(o, `legacy-service-${n}`));
      else if (n < 90) events.push(githubPullRequestAssumes({ ...o, sub: `repo:acme/service-${n}:pull_request` }));
      else events.push(contractorAssumes(o, n % 2 === 0 ? 'deploy-prod' : 'deploy-staging'));
    }
  }
  // 1% redeliveries (EventBridge and Lambda async invocation are at-least-once): a second copy of an event,
  // arriving a little after the first.
  const redeliveries = Math.floor(total / 100);
  for (let i = 0; i < redeliveries; i += 1) {
    const original = Math.floor(random() * events.length);
    events.splice(Math.min(events.length, original + 1 + Math.floor(random() * 50)), 0, events[original]);
  }
  return events;
}

/**
 * Counts write requests (a refused conditional write is billed too, so it counts), and the write units DynamoDB
 * reports for them (dynalite computes ConsumedCapacity from the item size, as DynamoDB does for the table).
 */
function countingDocumentClient(dynamo: LocalDynamo): {
  send: (c: any) => Promise<any>;
  writes: Record<string, number>;
  units: { total: number };
} {
  const writes: Record<string, number> = {};
  const units = { total: 0 };
  return {
    writes,
    units,
    send: async (command: any) => {
      const name = command.constructor.name;
      const isWrite = name === 'PutCommand' || name === 'UpdateCommand';
      if (!isWrite) return dynamo.documentClient.send(command);
      writes[name] = (writes[name] ?? 0) + 1;
      command.input.ReturnConsumedCapacity = 'TOTAL';
      try {
        const out = (await dynamo.documentClient.send(command)) as { ConsumedCapacity?: { CapacityUnits?: number } };
        units.total += out.ConsumedCapacity?.CapacityUnits ?? 0;
        return out;
      } catch (error) {
        units.total += 1; // a refused conditional write still costs (at least) one unit
        throw error;
      }
    },
  };
}

async function main(): Promise<void> {
  const dynamo = await startDynalite();
  const tableName = await dynamo.createFindingsTable('bench');
  const iam = await startIamApi({ latencyMs: () => 20 + random() * 30 });
  const sns = snsRecorder(iam.emulator);
  const db = countingDocumentClient(dynamo);
  const aws = {
    endpoint: iam.emulator.endpoint,
    region: 'us-east-1',
    credentials: credentialsFor(FUNCTION_ACCESS_KEY),
  };
  const runtime = () =>
    new LambdaRuntime({
      config: { tableName, topicArn: TOPIC_ARN, quietWindowMs: 60 * 60_000, occurrenceTtlDays: 90 },
      iam: new IAMClient(aws),
      sns: new SNSClient({ ...aws, maxAttempts: SNS_ATTEMPTS }),
      documentClient: db,
      logger: new Logger({ serviceName: 'trustgap', logLevel: 'SILENT' }),
      metrics: new Metrics({ namespace: 'TrustGap', serviceName: 'trustgap' }),
    });

  // 1. One cold same-account IAM-user diagnosis, then the same problem again in the warm container.
  const probe = runtime();
  const context = lambdaContext('probe');
  let t = performance.now();
  await probe.handle(aliceAssumesDeployProd({ eventId: 'probe-cold', eventTime: '2026-05-01T07:00:00Z' }), context);
  const coldMs = performance.now() - t;
  const coldCalls = probe.iamFacts(context).containerCalls.total;
  t = performance.now();
  await probe.handle(
    aliceAssumesDeployProd({ eventId: 'probe-warm', eventTime: '2026-05-01T07:00:01Z' }),
    lambdaContext('probe-2'),
  );
  const warmMs = performance.now() - t;
  const warmCalls = probe.iamFacts(context).containerCalls.total - coldCalls;

  // 2. The storm mix through C containers, each taking the next event when it is free.
  const events = buildMix(TOTAL);
  const containers = Array.from({ length: CONTAINERS }, runtime);
  const iamBefore = iam.totalCalls();
  const snsBefore = sns.published.length;
  const writesBefore = { ...db.writes };
  const unitsBefore = db.units.total;
  let next = 0;
  let duplicates = 0;
  t = performance.now();
  await Promise.all(
    containers.map(async (container, c) => {
      while (next < events.length) {
        const i = next++;
        const result = await container.handle(events[i], lambdaContext(`c${c}-${i}`));
        duplicates += result.duplicates;
      }
    }),
  );
  const seconds = (performance.now() - t) / 1000;
  const iamCalls = iam.totalCalls() - iamBefore;
  const writes =
    (db.writes.PutCommand ?? 0) +
    (db.writes.UpdateCommand ?? 0) -
    (writesBefore.PutCommand ?? 0) -
    (writesBefore.UpdateCommand ?? 0);

  const writeUnits = db.units.total - unitsBefore;
  const items: Record<string, number> = {};
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.documentClient.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start })); // bench bookkeeping only
    for (const item of page.Items ?? []) items[String(item.type)] = (items[String(item.type)] ?? 0) + 1;
    start = page.LastEvaluatedKey;
  } while (start);

  const lines = [
    `trustgap pipeline bench — ${events.length} events (${TOTAL} distinct + ${events.length - TOTAL} redeliveries), ${CONTAINERS} containers, IAM latency 20–50 ms/call, dynalite and the AWS emulator on loopback`,
    `  throughput:               ${(events.length / seconds).toFixed(1)} events/s (${seconds.toFixed(1)} s)`,
    `  IAM calls, storm mix:     ${iamCalls} for ${events.length} events = ${(iamCalls / events.length).toFixed(4)} per event (goal < 0.05)`,
    `  IAM calls, cold IAM user: ${coldCalls} (goal ≤ 12), ${coldMs.toFixed(0)} ms end to end`,
    `  IAM calls, warm repeat:   ${warmCalls}, ${warmMs.toFixed(0)} ms end to end`,
    `  notifications sent:       ${sns.published.length - snsBefore} (distinct fingerprints in the mix; 1-hour quiet window)`,
    `  duplicates acknowledged:  ${duplicates}`,
    `  DynamoDB writes:          ${writes} = ${(writes / events.length).toFixed(3)} per event (goal ≤ ${WRITES_PER_EVENT_GOAL}) ${writes / events.length <= WRITES_PER_EVENT_GOAL ? 'PASS' : 'MISS'}`,
    `  write units (item size):  ${writeUnits.toFixed(0)} = ${(writeUnits / events.length).toFixed(3)} per event, table only (each bucket update also refreshes its GSI entries)`,
    `  items in the table:       ${Object.entries(items)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')} (account ${ACCOUNT})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await Promise.all([iam.close(), dynamo.stop()]);
  // The organization deployment: cross-account call counts at 1,000 accounts (bench/org-scale-bench.ts).
  process.stdout.write(`${(await runOrgScaleBench()).join('\n')}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
