/**
 * `trustgap scan --table` and the live handler on the same CloudTrail events, in either order: every event is
 * counted exactly once (by eventID, and by sharedEventID for the two copies of a cross-account call), each
 * fingerprint's count is its number of distinct events, the scan notifies nothing, and `trustgap findings --table
 * --problems` and `trustgap report --table` show those counts. The live handler is the real LambdaRuntime over
 * dynalite with IAM and SNS on the loopback emulator; the scan is the real CLI, reading IAM live from the same
 * emulator (AWS_ENDPOINT_URL_IAM/STS), so both diagnose alike — except in the test that gives the scan a snapshot.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { runCli } from '../../src/cli/cli';
import { FUNCTION_ACCESS_KEY } from '../fixtures/iam-api/iam-api-emulator';
import {
  aliceAssumesDeployProd,
  crossAccountCopies,
  githubPullRequestAssumes,
} from '../pipeline/support/denied-events';
import { lambdaContext, type PipelineHarness, usePipelineHarness } from '../pipeline/support/pipeline-harness';

const currentHarness = usePipelineHarness();
let h: PipelineHarness;
let dir: string;
const savedEnv = { ...process.env };

/** Recent times (the findings walk looks back 90 days from today), one storm spread over three buckets. */
const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const envelopes = [
  ...['s1', 's2', 's3', 's4', 's5'].map((eventId, i) =>
    aliceAssumesDeployProd({ eventId, eventTime: at([0, 1, 2, 15, 40][i]) }),
  ),
  githubPullRequestAssumes({ eventId: 'g1', eventTime: at(5) }),
  githubPullRequestAssumes({ eventId: 'g2', eventTime: at(65) }),
  ...crossAccountCopies('shared-1', ['copy-caller', 'copy-owner']).map((e) => ({
    ...e,
    detail: { ...(e.detail as object), eventTime: at(30) },
  })),
] as Array<{ detail: Record<string, unknown> }>;
const ids = (names: string[]) => envelopes.filter((e) => names.includes(String(e.detail.eventID)));

beforeEach(() => {
  h = currentHarness();
  h.now = Date.now();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-scan-table-'));
  Object.assign(process.env, h.iam.emulator.env(), {
    AWS_ENDPOINT_URL_DYNAMODB: h.dynamo.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: FUNCTION_ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: 'emulated-secret',
  });
});
afterEach(() => {
  process.env = { ...savedEnv };
  fs.rmSync(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

/** A trail log file of the events' records (plus any repeats), scanned into the table. */
async function scan(records: Array<{ detail: Record<string, unknown> }>, ...extra: string[]) {
  const file = path.join(dir, `trail-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify({ Records: records.map((e) => e.detail) }));
  const out = await cli('scan', file, '--table', h.tableName, '--json', ...extra);
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  return JSON.parse(out.stdout);
}

async function live(records: Array<{ detail: Record<string, unknown> }>) {
  const runtime = h.runtime();
  const results = [];
  for (const [i, e] of records.entries()) results.push(await runtime.handle(e, lambdaContext(`live-${i}`)));
  return results;
}

/** count per fingerprint, from the table's buckets, keyed by the first event id of each fingerprint. */
async function countsOf(eventIds: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const id of eventIds) counts[id] = (await h.aggregate(await h.fingerprintOf(id)))?.count ?? 0;
  return counts;
}

const EXPECTED = { s1: 5, g1: 2, 'copy-caller': 1 };

async function problems(): Promise<Array<{ count: number; role: string; caller: string; cause: string }>> {
  const out = await cli('findings', '--table', h.tableName, '--problems', '--json', '--since', '1d');
  expect(out.code).toBe(0);
  return JSON.parse(out.stdout).problems;
}

test('live handler first, then scan --table: the scan counts only what the monitor did not, and notifies nothing', async () => {
  await live(ids(['s1', 's2', 's4', 'g1', 'copy-caller']));
  const published = h.sns.published.length;
  expect(published).toBe(3);

  // s1 twice in the trail (a duplicated delivery), everything else once. `findings` counts the fingerprints the
  // scan diagnosed: the owner copy (an AWSAccount caller) has its own, though it is linked, not counted.
  const summary = await scan([...envelopes, ...ids(['s1'])]);
  expect(summary).toMatchObject({ denied: 10, recorded: 3, duplicates: 6, linkedCopies: 1, findings: 4 });
  expect(h.sns.published).toHaveLength(published);
  expect(await countsOf(Object.keys(EXPECTED))).toEqual(EXPECTED);

  const rows = await problems();
  expect(rows.map((r) => r.count).sort()).toEqual([1, 2, 5]);
  expect(rows.find((r) => r.count === 5)).toMatchObject({ role: expect.stringContaining(':role/deploy-prod') });

  // Scanning again adds nothing.
  expect(await scan(envelopes)).toMatchObject({ recorded: 0, duplicates: 8, linkedCopies: 1 });
  expect(await countsOf(Object.keys(EXPECTED))).toEqual(EXPECTED);
});

test('scan --table first, then the live handler: the monitor finds every event counted, and still owes the first alert', async () => {
  const summary = await scan(envelopes);
  expect(summary).toMatchObject({ denied: 9, recorded: 8, duplicates: 0, linkedCopies: 1, findings: 4 });
  expect(h.sns.published).toHaveLength(0);
  // The aggregates the scan described carry what --problems and the report show, before any notification.
  const rows = await problems();
  expect(rows.map((r) => r.count).sort()).toEqual([1, 2, 5]);
  for (const r of rows) expect(r.cause).not.toBe('-');

  const results = await live(envelopes);
  expect(results.reduce((n, r) => n + r.recorded, 0)).toBe(0);
  expect(await countsOf(Object.keys(EXPECTED))).toEqual(EXPECTED);
  // Counting nothing new, the monitor still sends each fingerprint's first notification: the scan sent none.
  expect(h.sns.published).toHaveLength(3);
  expect((await problems()).map((r) => r.count).sort()).toEqual([1, 2, 5]);
});

test('interleaved: half of the events live, all scanned, the rest live; counts are the distinct events', async () => {
  await live(ids(['s1', 's3', 'g2', 'copy-owner']));
  await scan(envelopes);
  await live(ids(['s2', 's4', 's5', 'g1', 'copy-caller']));
  // copy-owner was counted live first: the caller copy is the linked one now.
  expect(await countsOf(['s1', 'g1', 'copy-owner'])).toEqual({ s1: 5, g1: 2, 'copy-owner': 1 });
  expect(await h.bucketOf('copy-caller')).toBeUndefined();
});

test('a scan that diagnoses differently (a snapshot without the role) does not count the monitor’s events again', async () => {
  await live(envelopes);
  const snapshot = ['--iam-snapshot', 'examples/snapshot/account-111111111111.json'];
  // Into a table of its own, the snapshot's diagnosis puts the storm under another fingerprint.
  const liveFingerprint = await h.fingerprintOf('s1');
  const other = await h.dynamo.createFindingsTable('drift');
  const file = path.join(dir, 'drift.json');
  fs.writeFileSync(file, JSON.stringify({ Records: envelopes.map((e) => e.detail) }));
  expect((await cli('scan', file, '--table', other, ...snapshot)).code).toBe(0);
  const theirs = await h.dynamo.documentClient.send(
    new QueryCommand({
      TableName: other,
      IndexName: 'byRole',
      KeyConditionExpression: 'roleArn = :r',
      ExpressionAttributeValues: { ':r': 'arn:aws:iam::111111111111:role/deploy-prod' },
    }),
  );
  const fingerprints = new Set((theirs.Items ?? []).map((i) => i.fingerprint));
  expect(fingerprints.size).toBeGreaterThan(0);
  expect(fingerprints.has(liveFingerprint)).toBe(false);

  const summary = await scan(envelopes, ...snapshot);
  expect(summary).toMatchObject({ recorded: 0, duplicates: 8, linkedCopies: 1 });
  expect(await countsOf(Object.keys(EXPECTED))).toEqual(EXPECTED);
  expect((await problems()).map((r) => r.count).sort()).toEqual([1, 2, 5]);
});

test('trustgap report --table writes the report from the table scan --table filled', async () => {
  await scan(envelopes);
  const out = path.join(dir, 'report.html');
  const csv = path.join(dir, 'problems.csv');
  const result = await cli('report', '--table', h.tableName, '--out', out, '--csv', csv, '--since', '1d');
  expect(result).toMatchObject({ code: 0, stderr: '' });
  expect(result.stdout).toContain('3 distinct problems, 8 denials');
  const html = fs.readFileSync(out, 'utf8');
  expect(html).toContain('deploy-prod');
  expect(fs.readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(4);
});

test('scan --table refuses a bad table name or TTL with a one-line usage error', async () => {
  const file = path.join(dir, 'empty.json');
  fs.writeFileSync(file, '{"Records":[]}');
  const bad = await cli('scan', file, '--table', 'x', '--json');
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/--table 'x' is not a DynamoDB table name/);
  const ttl = await cli('scan', file, '--table', h.tableName, '--ttl-days', '0');
  expect(ttl.code).toBe(2);
  expect(ttl.stderr).toMatch(/--ttl-days must be a positive whole number/);
});

test('a table that cannot be written: one line on stderr naming it, exit 1', async () => {
  const missing = await cli('scan', path.join(dir), '--table', 'no-such-table', '--json');
  expect(missing.code).toBe(0); // an empty directory: nothing to write, nothing fails
  const file = path.join(dir, 'some.json');
  fs.writeFileSync(file, JSON.stringify({ Records: envelopes.map((e) => e.detail) }));
  const out = await cli('scan', file, '--table', 'no-such-table');
  expect(out.code).toBe(1);
  expect(out.stderr.trim().split('\n')).toHaveLength(1);
  expect(out.stderr).toMatch(
    /writing to table no-such-table failed \(ResourceNotFoundException: .*run the same command again/,
  );
});

test('scan --lookup-events --table: CloudTrail event history into the table, the monitor’s events not counted again', async () => {
  await live(ids(['s1', 'g1', 'copy-caller']));
  const trail = h.iam.emulator.cloudTrail;
  trail.events = envelopes.map((e) => e.detail);
  trail.ratePerSecond = 1000;
  const store = path.join(dir, 'cursors.db');
  const argv = ['scan', '--lookup-events', '--regions', 'us-east-1', '--since', '1d', '--table', h.tableName];
  const out = await cli(...argv, '--store', store, '--json');
  expect(out).toMatchObject({ code: 0, stderr: '' });
  expect(JSON.parse(out.stdout)).toMatchObject({ denied: 9, recorded: 5, duplicates: 3, linkedCopies: 1 });
  expect(await countsOf(Object.keys(EXPECTED))).toEqual(EXPECTED);
  // The store file only kept the cursor: no occurrence went there.
  const local = await cli('findings', '--store', store, '--problems', '--json', '--since', '1d');
  expect(JSON.parse(local.stdout).problems).toEqual([]);
});
