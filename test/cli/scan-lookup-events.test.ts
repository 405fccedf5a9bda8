import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/cli';
import { type AwsEmulator, credentialsFor, type EmulatedCloudTrail, startAwsEmulator } from '../support/aws-emulator';

const SNAPSHOTS = [
  '--iam-snapshot',
  'examples/snapshot/account-111111111111.json',
  '--iam-snapshot',
  'examples/snapshot/account-222222222222.json',
];
const saved = { ...process.env };
let dir: string;

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

/** 120 denied calls from the example events over the last 3 days, plus 20 successful STS calls. */
function events(): Array<Record<string, unknown>> {
  const templates = fs
    .readdirSync('examples/events')
    .filter((f) => f.endsWith('.json') && !f.includes('eventbridge'))
    .flatMap((f) => {
      const v = JSON.parse(fs.readFileSync(path.join('examples/events', f), 'utf8'));
      return (v.Records ?? [v]) as Array<Record<string, unknown>>;
    })
    .filter((r) => r.errorCode);
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 140; i++) {
    const r = structuredClone(templates[i % templates.length]);
    r.eventID = `lookup-${i}`;
    r.eventTime = new Date(Date.now() - (i + 1) * 1_800_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    delete r.sharedEventID;
    if (i >= 120) delete r.errorCode;
    out.push(r);
  }
  return out;
}

/** The shared loopback emulator's CloudTrail module (LookupEvents in awsJson1_1), signed as a user of 111111111111. */
const ACCESS_KEY = 'AKIASCANLOOKUPEVENTS';
let emulator: AwsEmulator;
let ct: EmulatedCloudTrail;

beforeEach(async () => {
  emulator = await startAwsEmulator({
    principals: {
      [ACCESS_KEY]: { accountId: '111111111111', arn: 'arn:aws:iam::111111111111:user/auditor', userId: 'AIDAAUDITOR' },
    },
    cloudTrail: { events: events() },
  });
  ct = emulator.cloudTrail;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-lookup-'));
  const credentials = credentialsFor(ACCESS_KEY);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_CLOUDTRAIL: emulator.env().AWS_ENDPOINT_URL_CLOUDTRAIL,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  });
});

afterEach(async () => {
  process.env = { ...saved };
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('LookupEvents: pages through the window at ≤ 2 requests/s, waits out throttling, records each call once', async () => {
  ct.ratePerSecond = 1;
  const store = path.join(dir, 'lookup.db');
  const out = await run('scan', '--lookup-events', '--regions', 'eu-west-1', ...SNAPSHOTS, '--store', store, '--json');
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  expect(JSON.parse(out.stdout)).toMatchObject({ files: 3, records: 140, denied: 120, recorded: 120 });
  expect(ct.throttled).toBeGreaterThan(0);
  expect(ct.tokens[0]).toBeUndefined();
}, 60_000);

test('an interrupted LookupEvents scan resumes from the cursor in the store, counting nothing twice', async () => {
  const store = path.join(dir, 'resume.db');
  ct.failAfter = 1;
  const first = await run(
    'scan',
    '--lookup-events',
    '--regions',
    'eu-west-1',
    ...SNAPSHOTS,
    '--store',
    store,
    '--json',
  );
  expect(first.code).toBe(1);
  expect(first.stderr).toMatch(/run the same command again to resume/);
  const pages = ct.tokens.length;
  ct.failAfter = undefined;
  const second = await run(
    'scan',
    '--lookup-events',
    '--regions',
    'eu-west-1',
    ...SNAPSHOTS,
    '--store',
    store,
    '--json',
  );
  expect(second.code).toBe(0);
  // The resumed run starts at the saved NextToken, not at the first page.
  expect(ct.tokens[pages]).toBeDefined();
  const s = JSON.parse(second.stdout);
  expect(s.records).toBe(90);
  const problems = JSON.parse(
    (await run('findings', '--store', store, '--problems', '--json', '--limit', '1000')).stdout,
  );
  expect(problems.problems.reduce((n: number, p: { count: number }) => n + p.count, 0)).toBe(120);
}, 60_000);

test('--lookup-events refuses more than 90 days', async () => {
  const out = await run('scan', '--lookup-events', '--regions', 'eu-west-1', '--since', '120d', ...SNAPSHOTS);
  expect(out.code).toBe(2);
  expect(out.stderr).toMatch(/90 days at most/);
});
