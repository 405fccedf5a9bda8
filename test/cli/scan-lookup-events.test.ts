import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/cli';
import { type LocalCloudTrail, startCloudTrail } from '../support/cloudtrail-emulator';

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

let ct: LocalCloudTrail;

beforeEach(async () => {
  ct = await startCloudTrail(events());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-lookup-'));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_CLOUDTRAIL: ct.endpoint,
    AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
    AWS_SECRET_ACCESS_KEY: 'local-test-secret',
  });
});

afterEach(async () => {
  process.env = { ...saved };
  await ct.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('LookupEvents: pages through the window at ≤ 2 requests/s, waits out throttling, records each call once', async () => {
  ct.state.ratePerSecond = 1;
  const store = path.join(dir, 'lookup.db');
  const out = await run('scan', '--lookup-events', '--regions', 'eu-west-1', ...SNAPSHOTS, '--store', store, '--json');
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  expect(JSON.parse(out.stdout)).toMatchObject({ files: 3, records: 140, denied: 120, recorded: 120 });
  expect(ct.state.throttled).toBeGreaterThan(0);
  expect(ct.state.tokens[0]).toBeUndefined();
}, 60_000);

test('an interrupted LookupEvents scan resumes from the cursor in the store, counting nothing twice', async () => {
  const store = path.join(dir, 'resume.db');
  ct.state.failAfter = 1;
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
  const pages = ct.state.tokens.length;
  ct.state.failAfter = undefined;
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
  expect(ct.state.tokens[pages]).toBeDefined();
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
