/**
 * npm run demo:scan — generates a realistic AWSLogs/ tree (3 accounts × 3 regions × 30 days, ~200,000 records,
 * ~2% denied AssumeRole* calls in storms and a long tail), scans it against the example snapshots into a local
 * store, and writes the HTML report and CSV export. Output in ./demo-scan/ (or the directory given as argument).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../src/cli/cli';
import { generateTrailTree } from './trail-generator';

const out = path.resolve(process.argv[2] ?? 'demo-scan');
const io = {
  stdout: (s: string) => process.stdout.write(s),
  stderr: (s: string) => process.stderr.write(s),
  stderrIsTTY: process.stderr.isTTY === true,
};

async function main(): Promise<void> {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const tree = generateTrailTree({ root: out, records: 200_000 });
  console.log(
    `Generated ${out}/AWSLogs: ${tree.files} files, ${tree.records} records, ${tree.denied} denied (${(tree.bytes / 1e6).toFixed(1)} MB gzipped)`,
  );
  const store = path.join(out, 'trustgap-findings.db');
  const snapshots = ['account-111111111111.json', 'account-222222222222.json'].flatMap((f) => [
    '--iam-snapshot',
    path.join('examples', 'snapshot', f),
  ]);
  let code = await runCli(
    ['scan', path.join(out, 'AWSLogs'), ...snapshots, '--org', 'examples/snapshot/organization.json', '--store', store],
    io,
  );
  if (code !== 0) process.exit(code);
  code = await runCli(['findings', '--problems', '--store', store, '--limit', '5'], io);
  code ||= await runCli(
    [
      'report',
      '--store',
      store,
      '--out',
      path.join(out, 'report.html'),
      '--csv',
      path.join(out, 'problems.csv'),
      '--json',
      path.join(out, 'problems.json'),
    ],
    io,
  );
  process.exitCode = code;
}

void main();
