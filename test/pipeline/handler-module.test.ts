/**
 * The deployed entry point, lambda/handler.ts, loaded as Lambda loads it: configured only through the environment
 * the stack sets, DynamoDB, IAM and SNS reached through the SDK's standard endpoint variables (here: dynalite and the
 * loopback AWS emulator, signed with the function's access key). Checks the wiring and the EMF metrics the stack's dashboard reads.
 */
import type { Context } from 'aws-lambda';
import { FINDINGS_METRIC } from '../../lib/monitor/findings-metric';
import { SNS_TIMEOUTS } from '../../src/adapters/aws-clients';
import { FUNCTION_ACCESS_KEY, type IamApi, startIamApi } from '../fixtures/iam-api/iam-api-emulator';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { aliceAssumesDeployProd } from './support/denied-events';
import { lambdaContext, type SnsRecorder, snsRecorder, TOPIC_ARN } from './support/pipeline-harness';

type Handler = (event: unknown, context: Context) => Promise<Record<string, number>>;

let dynamo: LocalDynamo;
let iam: IamApi;
let sns: SnsRecorder;
let handler: Handler;
const savedEnv = { ...process.env };

beforeAll(async () => {
  [dynamo, iam] = await Promise.all([startDynalite(), startIamApi()]);
  sns = snsRecorder(iam.emulator);
  const table = await dynamo.createFindingsTable('handler');
  Object.assign(process.env, {
    FINDINGS_TABLE_NAME: table,
    FINDINGS_TOPIC_ARN: TOPIC_ARN,
    POWERTOOLS_SERVICE_NAME: FINDINGS_METRIC.serviceName,
    POWERTOOLS_METRICS_NAMESPACE: FINDINGS_METRIC.namespace,
    POWERTOOLS_METRICS_DISABLED: 'false',
    NOTIFY_QUIET_WINDOW_MINUTES: '60',
    OCCURRENCE_TTL_DAYS: '30',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: FUNCTION_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: 'local-test-secret',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    ...iam.emulator.env(),
  });
  // Loaded after the environment is set, like the Lambda runtime loads it.
  handler = (jest.requireActual('../../lambda/handler') as { handler: Handler }).handler;
});

afterAll(async () => {
  process.env = savedEnv;
  await Promise.all([dynamo.stop(), iam.close()]);
});

/** Runs `invoke`, capturing what Powertools writes (JSON log lines and EMF metric blobs) on stdout/stderr. */
async function capture<T>(invoke: () => Promise<T>): Promise<{ result?: T; error?: unknown; lines: any[] }> {
  const chunks: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: any) => {
      chunks.push(String(chunk));
      return true;
    }),
  );
  try {
    const result = await invoke();
    return { result, lines: parse(chunks) };
  } catch (error) {
    return { error, lines: parse(chunks) };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

function parse(chunks: string[]): any[] {
  return chunks
    .join('')
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l));
}

function emf(lines: any[], metric: string): any[] {
  return lines.filter((l) =>
    l._aws?.CloudWatchMetrics?.some((m: any) => m.Metrics.some((x: any) => x.Name === metric)),
  );
}

test('a denied call: diagnosed, recorded, published; Findings{cause,service} and IamCalls emitted as EMF', async () => {
  const { result, lines } = await capture(() =>
    handler(aliceAssumesDeployProd({ eventId: 'module-1' }), lambdaContext('req-m1')),
  );
  expect(result).toEqual({ diagnosed: 1, recorded: 1, duplicates: 0, notified: 1, skipped: 0 });
  expect(iam.emulator.count({ service: 'sns', action: 'Publish' })).toBe(1);
  expect(sns.published).toHaveLength(1);

  const [findings] = emf(lines, FINDINGS_METRIC.metricName);
  expect(findings._aws.CloudWatchMetrics[0].Namespace).toBe(FINDINGS_METRIC.namespace);
  expect([...findings._aws.CloudWatchMetrics[0].Dimensions[0]].sort()).toEqual([...FINDINGS_METRIC.dimensions].sort());
  expect(findings).toMatchObject({ cause: 'TRUST_PRINCIPAL_MISSING', service: 'trustgap', Findings: 1 });

  const [calls] = emf(lines, 'IamCalls');
  expect(calls.IamCalls).toBe(11);
  expect(calls.Notifications).toBe(1);

  const log = lines.find((l) => l.message === 'Denied role assumption diagnosed');
  expect(log).toMatchObject({
    level: 'INFO',
    eventId: 'module-1',
    cause: 'TRUST_PRINCIPAL_MISSING',
    iamCalls: 11,
    status: 'recorded',
    notification: 'sent',
  });
  expect(log.iamCallsByApi).toMatchObject({ GetRole: 1, GetUser: 1 });
  expect(log.finding.fix.commands.length).toBeGreaterThan(0);
});

test('the warm container answers a repeat from its IAM cache; the duplicate and skip paths are counted', async () => {
  const warm = await capture(() => handler(aliceAssumesDeployProd({ eventId: 'module-2' }), lambdaContext('req-m2')));
  expect(emf(warm.lines, 'IamCalls')[0].IamCalls).toBe(0);

  const duplicate = await capture(() =>
    handler(aliceAssumesDeployProd({ eventId: 'module-2' }), lambdaContext('req-m3')),
  );
  expect(duplicate.result).toMatchObject({ duplicates: 1 });
  expect(emf(duplicate.lines, 'Duplicates')).toHaveLength(1);
  expect(emf(duplicate.lines, FINDINGS_METRIC.metricName)).toHaveLength(0);

  const skipped = await capture(() =>
    handler({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }, lambdaContext('req-m4')),
  );
  expect(skipped.result).toMatchObject({ skipped: 1, diagnosed: 0 });
  expect(emf(skipped.lines, 'Skipped')[0].Skipped).toBe(1);
  expect(skipped.lines.find((l) => l.level === 'WARN')?.skipped.kind).toBe('irrelevant');

  const malformed = await capture(() =>
    handler(
      {
        'detail-type': 'AWS API Call via CloudTrail',
        detail: { eventName: ['AssumeRole'], errorCode: 'AccessDenied' },
      },
      lambdaContext('req-m5'),
    ),
  );
  expect(malformed.result).toMatchObject({ skipped: 1 });
  expect(emf(malformed.lines, 'Malformed')[0].Malformed).toBe(1);
});

test('an SNS outage is thrown (so Lambda retries), logged as transient and counted', async () => {
  sns.failNext(1, SNS_TIMEOUTS.maxAttempts); // the function's own SNS client: one attempt per publish
  const failed = await capture(() =>
    handler(aliceAssumesDeployProd({ eventId: 'module-3' }, 'deploy-staging'), lambdaContext('req-m6')),
  );
  expect(failed.error).toMatchObject({ name: 'InternalErrorException' });
  expect(failed.lines.find((l) => l.level === 'ERROR')).toMatchObject({
    message: 'Transient failure; the event will be retried',
    transient: true,
  });
  expect(emf(failed.lines, 'TransientFailures')[0].TransientFailures).toBe(1);

  const retried = await capture(() =>
    handler(aliceAssumesDeployProd({ eventId: 'module-3' }, 'deploy-staging'), lambdaContext('req-m6')),
  );
  // The first attempt counted it; the retry is a duplicate count that still sends the message it owed.
  expect(retried.result).toMatchObject({ recorded: 0, duplicates: 1, notified: 1 });
});
