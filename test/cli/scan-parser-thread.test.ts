import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateTrailTree } from '../../bench/trail-generator';
import { runCli } from '../../src/cli/cli';
import { EXAMPLE_SNAPSHOT_FLAGS } from '../support/example-snapshots';

/**
 * `trustgap scan` parses log files on a worker thread by default (2+ cores) and on the main thread with
 * TRUSTGAP_SCAN_THREAD=off: the summary, the messages and what lands in the store are the same either way,
 * broken and hostile files included.
 */
const SNAPSHOTS = EXAMPLE_SNAPSHOT_FLAGS;

let dir: string;
let tree: ReturnType<typeof generateTrailTree>;

async function scan(
  thread: 'on' | 'off',
): Promise<{ summary: Record<string, unknown>; stderr: string; problems: unknown }> {
  const saved = process.env.TRUSTGAP_SCAN_THREAD;
  if (thread === 'off') process.env.TRUSTGAP_SCAN_THREAD = 'off';
  else delete process.env.TRUSTGAP_SCAN_THREAD;
  let stdout = '';
  let stderr = '';
  const io = { stdout: (s: string) => (stdout += s), stderr: (s: string) => (stderr += s) };
  const store = path.join(dir, `${thread}.db`);
  try {
    const code = await runCli(
      ['scan', path.join(dir, 'AWSLogs'), path.join(dir, 'odd'), ...SNAPSHOTS, '--store', store, '--json'],
      io,
    );
    expect(code).toBe(0);
  } finally {
    if (saved === undefined) delete process.env.TRUSTGAP_SCAN_THREAD;
    else process.env.TRUSTGAP_SCAN_THREAD = saved;
  }
  const { seconds: _seconds, store: _store, ...summary } = JSON.parse(stdout);
  stdout = '';
  await runCli(['findings', '--store', store, '--problems', '--json', '--limit', '1000'], io);
  const problems = JSON.parse(stdout).problems.map(
    ({ fingerprint, count, firstSeen, lastSeen, cause }: Record<string, unknown>) => ({
      fingerprint,
      count,
      firstSeen,
      lastSeen,
      cause,
    }),
  );
  // Under jest, node's own errors (zlib's) come from another realm than the test's Error, so the message printed
  // for them gains an "Error: " prefix that the CLI does not print; the thread's errors are made in this realm.
  return { summary, stderr: stderr.replaceAll(dir, 'DIR').replaceAll(': Error: ', ': '), problems };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-scan-thread-'));
  tree = generateTrailTree({ root: dir, records: 5000, days: 2, recordsPerFile: 250, seed: 3 });
  const denied = JSON.parse(fs.readFileSync('examples/events/09-new-ci-role-not-in-trust-policy.json', 'utf8'));
  const odd = path.join(dir, 'odd');
  fs.mkdirSync(odd);
  fs.writeFileSync(path.join(odd, 'a-broken.json'), '{"Records": [');
  fs.writeFileSync(path.join(odd, 'b-not-gzip.json.gz'), 'not gzip at all');
  fs.writeFileSync(
    path.join(odd, 'c-odd-records.json.gz'),
    gzipSync(
      JSON.stringify({
        Records: [null, 7, { ...denied, eventID: 'odd-1' }, { ...denied, eventName: 'AssumeRoleX', userIdentity: 3 }],
      }),
    ),
  );
  const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
  const text = JSON.stringify({ ...denied, eventID: 'deep-1', requestParameters: 'DEEP' }).replace('"DEEP"', deep);
  fs.writeFileSync(path.join(odd, 'd-deep.json'), `{"Records":[${text}]}`);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the parser thread and the main thread give the same scan, broken and hostile files included', async () => {
  const threaded = await scan('on');
  const inProcess = await scan('off');
  expect(threaded).toEqual(inProcess);
  expect(threaded.summary).toMatchObject({ files: tree.files + 4, records: tree.records + 4 + 1 });
  expect(threaded.summary.denied).toBeGreaterThanOrEqual(tree.denied + 1);
  expect(threaded.stderr).toContain('skipped DIR/odd/b-not-gzip.json.gz: incorrect header check');
});
