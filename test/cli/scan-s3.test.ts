import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { generateTrailTree } from '../../bench/trail-generator';
import { s3LogFiles } from '../../src/adapters/trail-logs/s3-tree';
import { runCli } from '../../src/cli/cli';
import { type LocalS3, startS3 } from '../support/s3-server';

const BUCKET = 'acme-trail';
const SNAPSHOTS = [
  '--iam-snapshot',
  'examples/snapshot/account-111111111111.json',
  '--iam-snapshot',
  'examples/snapshot/account-222222222222.json',
];
let s3: LocalS3;
let client: S3Client;
let dir: string;
let local: { records: number; denied: number };
const saved = { ...process.env };

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

function filesUnder(root: string): string[] {
  return fs.readdirSync(root, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(root, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

beforeAll(async () => {
  s3 = await startS3([BUCKET]);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
  });
  client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-scan-s3-'));
  local = generateTrailTree({ root: dir, records: 2700, days: 3, recordsPerFile: 300, seed: 11 });
  for (const file of filesUnder(dir)) {
    const key = `trail/${path.relative(dir, file).split(path.sep).join('/')}`;
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: fs.readFileSync(file) }));
  }
}, 60_000);

afterAll(async () => {
  process.env = saved;
  client.destroy();
  await s3.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('scan s3://bucket/prefix reads the same records as the local tree, and records each once', async () => {
  const store = path.join(dir, 's3.db');
  const first = await run('scan', `s3://${BUCKET}/trail`, ...SNAPSHOTS, '--store', store, '--json');
  expect(first.stderr).toBe('');
  const s = JSON.parse(first.stdout);
  expect(s).toMatchObject({ records: local.records, denied: local.denied, recorded: local.denied, skipped: 0 });
  const again = JSON.parse(
    (await run('scan', '--s3', `s3://${BUCKET}/trail/`, ...SNAPSHOTS, '--store', store, '--json')).stdout,
  );
  expect(again).toMatchObject({ recorded: 0, duplicates: local.denied });
});

test('--accounts, --regions and --since choose the prefixes listed: never the whole bucket', async () => {
  const stats = { listed: [] as string[] };
  const today = new Date().toISOString().slice(0, 10);
  const files = [];
  for await (const f of s3LogFiles(
    client,
    { bucket: BUCKET, prefix: 'trail/' },
    { accounts: new Set(['222222222222']), regions: new Set(['eu-west-1']), sinceDay: today },
    stats,
  ))
    files.push(f.name);
  expect(files.length).toBeGreaterThan(0);
  expect(files.every((f) => f.includes('/AWSLogs/222222222222/CloudTrail/eu-west-1/'))).toBe(true);
  expect(files.every((f) => f.includes(`/${today.replace(/-/g, '/')}/`))).toBe(true);
  // Only the path down to one day of one region of one account (plus the year/month levels), no sibling listed.
  expect(stats.listed.some((p) => p.includes('111111111111') || p.includes('us-east-1'))).toBe(false);
  expect(stats.listed.length).toBeLessThanOrEqual(8);
});

test('a listing refused part-way through the tree fails the scan, and what was read before it stays recorded', async () => {
  const store = path.join(dir, 'cut.db');
  const before = s3.listed.length;
  const count = path.join(dir, 'count.db');
  const full = JSON.parse((await run('scan', `s3://${BUCKET}/trail`, ...SNAPSHOTS, '--store', count, '--json')).stdout);
  const listings = s3.listed.length - before;
  expect(full.recorded).toBe(local.denied);
  // The last listing of the walk is refused: every file listed before it has been handed to the reader.
  s3.failListingsAfter = s3.listed.length + listings - 1;
  try {
    // runCli rejects with the listing's error; bin/trustgap-cli.ts prints it as one line with a non-zero exit code.
    await expect(run('scan', `s3://${BUCKET}/trail`, ...SNAPSHOTS, '--store', store, '--json')).rejects.toThrow(
      /AccessDenied/,
    );
  } finally {
    s3.failListingsAfter = undefined;
  }
  // Scanning again without the failure records only what the cut scan had not: the rest were kept.
  const rest = JSON.parse((await run('scan', `s3://${BUCKET}/trail`, ...SNAPSHOTS, '--store', store, '--json')).stdout);
  expect(rest.duplicates).toBeGreaterThan(0);
  expect(rest.recorded + rest.duplicates).toBe(local.denied);
  expect(rest.recorded).toBeGreaterThan(0);
});
