import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runFindingsCommand } from '../../src/cli/findings-command';
import { type IamApi, startIamApi } from '../fixtures/iam-api/iam-api-emulator';
import {
  ACCOUNT,
  aliceAssumesDeployProd,
  ciRunnerAssumes,
  githubPullRequestAssumes,
} from '../pipeline/support/denied-events';
import { lambdaContext, PipelineHarness } from '../pipeline/support/pipeline-harness';
import { LOCAL_CREDENTIALS, type LocalDynamo, startDynalite } from '../support/dynalite';

let dynamo: LocalDynamo;
let table: string;
let iam: IamApi;
const savedEnv = { ...process.env };
const now = Date.now();
const ago = (ms: number) => new Date(now - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PROD = `arn:aws:iam::${ACCOUNT}:role/deploy-prod`;
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;

/** What the pipeline recorded: 7 occurrences over 12 days, 4 fingerprints. */
const EVENTS = [
  aliceAssumesDeployProd({ eventId: 'alice-prod-1', eventTime: ago(12 * DAY) }),
  aliceAssumesDeployProd({ eventId: 'alice-prod-2', eventTime: ago(3 * DAY) }),
  aliceAssumesDeployProd({ eventId: 'alice-prod-3', eventTime: ago(2 * HOUR) }),
  ciRunnerAssumes({ eventId: 'ci-staging-1', eventTime: ago(5 * DAY) }, 'deploy-staging'),
  ciRunnerAssumes({ eventId: 'ci-prod-1', eventTime: ago(1 * HOUR) }, 'deploy-prod'),
  githubPullRequestAssumes({
    eventId: 'gh-1',
    eventTime: ago(30 * 60_000),
    sub: 'repo:acme/app:pull_request\u001b[2J\u202E',
  }),
  aliceAssumesDeployProd({ eventId: 'alice-typo-1', eventTime: ago(26 * HOUR) }, 'deploy-prd'),
];

beforeAll(async () => {
  [dynamo, iam] = await Promise.all([startDynalite(), startIamApi()]);
  table = await dynamo.createFindingsTable('cli');
  const h = new PipelineHarness(dynamo, table, iam);
  const runtime = h.runtime();
  for (const [i, event] of EVENTS.entries()) await runtime.handle(event, lambdaContext(`req-${i}`));
  h.restore();
  await iam.close();
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
  });
}, 60_000);

afterAll(async () => {
  process.env = savedEnv;
  await dynamo.stop();
});

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runFindingsCommand([...args, '--table', table, '--endpoint', dynamo.endpoint], {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
  });
  return { code, out, err };
}

async function eventIds(...args: string[]): Promise<string[]> {
  const { code, out, err } = await run(...args, '--json');
  expect(err).toBe('');
  expect(code).toBe(0);
  return JSON.parse(out).findings.map((f: { eventId: string }) => f.eventId);
}

test('no filter: the byDay index, walked back from today, newest first', async () => {
  expect(await eventIds()).toEqual([
    'gh-1',
    'ci-prod-1',
    'alice-prod-3',
    'alice-typo-1',
    'alice-prod-2',
    'ci-staging-1',
    'alice-prod-1',
  ]);
  const { code, out } = await run();
  expect(code).toBe(0);
  expect(out.split('\n')[0]).toMatch(/^TIME \(UTC\)\s+CAUSE\s+SEVERITY\s+CALLER\s+ROLE\s+EVENT ID$/);
  expect(out).toMatch(/TRUST_PRINCIPAL_MISSING\s+medium\s+user\/alice\s+role\/deploy-prod\s+alice-prod-3/);
  expect(out).toContain('7 findings, newest first (index byDay;');
});

test('--role uses byRole; --caller uses byCaller; --cause uses byCause', async () => {
  expect(await eventIds('--role', PROD)).toEqual(['ci-prod-1', 'alice-prod-3', 'alice-prod-2', 'alice-prod-1']);
  expect(await eventIds('--caller', ALICE)).toEqual(['alice-prod-3', 'alice-typo-1', 'alice-prod-2', 'alice-prod-1']);
  expect(await eventIds('--caller', `arn:aws:iam::${ACCOUNT}:role/ci/ci-runner`)).toEqual([
    'ci-prod-1',
    'ci-staging-1',
  ]);
  expect(await eventIds('--cause', 'role_not_found')).toEqual(['alice-typo-1']);
  expect(await eventIds('--cause', 'BOUNDARY_NO_ALLOW')).toEqual(['ci-prod-1', 'ci-staging-1']);
  const { out } = await run('--role', PROD);
  expect(out).toContain('(index byRole; 1 query, 4 items read)');
});

test('--since bounds the sort key on every index (relative or ISO); --limit keeps the newest', async () => {
  expect(await eventIds('--since', '24h')).toEqual(['gh-1', 'ci-prod-1', 'alice-prod-3']);
  expect(await eventIds('--since', '4d', '--role', PROD)).toEqual(['ci-prod-1', 'alice-prod-3', 'alice-prod-2']);
  expect(await eventIds('--since', ago(6 * DAY).slice(0, 10))).toContain('ci-staging-1');
  expect(await eventIds('--since', '90m', '--cause', 'TRUST_CONDITION_FAILED')).toEqual(['gh-1']);
  expect(await eventIds('--limit', '2')).toEqual(['gh-1', 'ci-prod-1']);
  expect(await eventIds('--limit', '1', '--caller', ALICE)).toEqual(['alice-prod-3']);
});

test('combined filters: the most selective index, the others as a filter on the same Query', async () => {
  expect(await eventIds('--role', PROD, '--caller', ALICE)).toEqual(['alice-prod-3', 'alice-prod-2', 'alice-prod-1']);
  expect(await eventIds('--role', PROD, '--cause', 'BOUNDARY_NO_ALLOW')).toEqual(['ci-prod-1']);
  expect(await eventIds('--caller', ALICE, '--cause', 'ROLE_NOT_FOUND', '--since', '7d')).toEqual(['alice-typo-1']);
  const { out } = await run('--role', PROD, '--caller', ALICE, '--json');
  expect(JSON.parse(out).query).toMatchObject({ index: 'byRole', roleArn: PROD, callerArn: ALICE });
});

test('a role session ARN is looked up under its role, with a note', async () => {
  const { code, out, err } = await run('--caller', `arn:aws:sts::${ACCOUNT}:assumed-role/ci-runner/i-0abc`, '--json');
  expect(code).toBe(0);
  expect(err).toContain(`querying arn:aws:iam::${ACCOUNT}:role/ci-runner (a role with a path needs its full ARN)`);
  expect(JSON.parse(out).findings).toEqual([]);
});

test('--json carries each fingerprint: count, notification state and the latest full finding', async () => {
  const { out } = await run('--role', PROD, '--caller', ALICE, '--json');
  const json = JSON.parse(out);
  const fp = json.findings[0].fingerprint;
  expect(json.findings.every((f: { fingerprint: string }) => f.fingerprint === fp)).toBe(true);
  expect(json.fingerprints[fp]).toMatchObject({
    count: 3,
    notificationCount: 1,
    identity: { caller: ALICE, role: PROD, cause: 'TRUST_PRINCIPAL_MISSING' },
  });
  expect(json.fingerprints[fp].latestFinding.fix.commands[0]).toMatch(/^aws iam /);
  expect(json.findings[0]).not.toHaveProperty('pk');
  expect(json.findings[0]).not.toHaveProperty('owner');
});

test('only Query reaches DynamoDB (never Scan)', async () => {
  const sent: string[] = [];
  const original = DynamoDBDocumentClient.prototype.send;
  const spy = jest.spyOn(DynamoDBDocumentClient.prototype, 'send').mockImplementation(function (
    this: DynamoDBDocumentClient,
    command: any,
  ) {
    sent.push(command.constructor.name);
    return (original as (c: unknown) => Promise<unknown>).call(this, command) as never;
  });
  try {
    await run('--json');
    await run('--role', PROD, '--cause', 'TRUST_PRINCIPAL_MISSING', '--json');
  } finally {
    spy.mockRestore();
  }
  expect(sent.length).toBeGreaterThan(2);
  expect(new Set(sent)).toEqual(new Set(['QueryCommand']));
});

test('caller-controlled text is printed inert (no escape sequence or bidi override reaches the terminal)', async () => {
  const { out } = await run('--cause', 'TRUST_CONDITION_FAILED');
  expect(out).not.toMatch(/[\u001b\u202e]/);
  const json = (await run('--cause', 'TRUST_CONDITION_FAILED', '--json')).out;
  expect(json).not.toMatch(/[\u001b\u202e]/);
  expect(json).toContain('\\u202e');
});

test('a missing table, missing credentials or a bad flag: one clear line, exit 2', async () => {
  const missing = await runFindingsCommand(['--table', 'no-such-table', '--endpoint', dynamo.endpoint], {
    stdout: () => undefined,
    stderr: (s) =>
      expect(s).toMatch(
        /^trustgap findings: table 'no-such-table' not found in us-east-1: pass --table\/--region .*FindingsTableName\)\n$/,
      ),
  });
  expect(missing).toBe(2);

  const env = { ...process.env };
  delete process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_SECRET_ACCESS_KEY;
  delete process.env.AWS_PROFILE;
  Object.assign(process.env, {
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  let err = '';
  try {
    expect(
      await runFindingsCommand(['--table', table, '--endpoint', dynamo.endpoint], {
        stdout: () => undefined,
        stderr: (s) => (err += s),
      }),
    ).toBe(2);
  } finally {
    process.env = env;
  }
  expect(err).toBe(
    'trustgap findings: no AWS credentials found: set AWS_PROFILE (and run aws sso login if it is an SSO profile) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY\n',
  );

  for (const [args, message] of [
    [['--cause', 'NOPE'], /^trustgap findings: --cause must be one of ROLE_NOT_FOUND, /],
    [['--since', 'yesterday'], /^trustgap findings: --since must be like 30m, 24h, 7d or an ISO date/],
    [['--limit', '0'], /^trustgap findings: --limit must be an integer from 1 to 1000/],
    [['--role', 'deploy-prod'], /^trustgap findings: --role takes a role ARN/],
    [['--bogus'], /^trustgap findings: unknown flag --bogus/],
  ] as [string[], RegExp][]) {
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
  }
});

test('without --table and FINDINGS_TABLE_NAME it says where to find the table name', async () => {
  const saved = process.env.FINDINGS_TABLE_NAME;
  delete process.env.FINDINGS_TABLE_NAME;
  let err = '';
  const code = await runFindingsCommand([], { stdout: () => undefined, stderr: (s) => (err += s) });
  if (saved !== undefined) process.env.FINDINGS_TABLE_NAME = saved;
  expect(code).toBe(2);
  expect(err).toContain(
    'aws cloudformation describe-stacks --stack-name TrustGap --query "Stacks[0].Outputs[?OutputKey==\'FindingsTableName\'].OutputValue" --output text',
  );
});
