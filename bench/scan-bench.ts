/**
 * npm run bench:scan — records read/s (gzip decode and filtering included), denied calls diagnosed/s and peak
 * memory of `trustgap scan` over a generated ~200,000-record AWSLogs/ tree; goals printed with PASS/MISS.
 */

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../src/cli/cli';
import { EXAMPLE_SNAPSHOT_FLAGS } from '../test/support/example-snapshots';
import type { TreeStats } from './trail-generator';

const GOAL_RECORDS_PER_S = 50_000;
const GOAL_PEAK_MB = 512;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-bench-scan-'));
  try {
    // Generated in a child process: this one then holds only what a `trustgap scan` process would.
    const generator = path.join(__dirname, 'generate-trail-tree.ts');
    const tree = JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', generator, dir, '200000'], { encoding: 'utf8' }),
    ) as TreeStats;
    let json = '';
    // Other work on the machine takes cores from the scan's two threads: the 1-minute load average says how much.
    const loadBefore = os.loadavg()[0];
    const rssBefore = process.memoryUsage().rss;
    const code = await runCli(
      ['scan', path.join(dir, 'AWSLogs'), ...EXAMPLE_SNAPSHOT_FLAGS, '--store', path.join(dir, 'bench.db'), '--json'],
      {
        stdout: (s) => {
          json += s;
        },
        stderr: (s) => process.stderr.write(s),
      },
    );
    if (code !== 0) process.exit(code);
    const s = JSON.parse(json) as {
      records: number;
      denied: number;
      findings: number;
      diagnosed: number;
      seconds: number;
    };
    const peakMb = process.resourceUsage().maxRSS / 1024;
    const rate = s.records / s.seconds;
    const line = (name: string, value: string, goal: string, pass: boolean) =>
      console.log(`${name.padEnd(34)}${value.padStart(14)}   goal ${goal.padEnd(12)} ${pass ? 'PASS' : 'MISS'}`);
    console.log(
      `tree: ${tree.files} files, ${tree.records} records, ${tree.denied} denied, ${(tree.bytes / 1e6).toFixed(1)} MB gzipped; scan ${s.seconds.toFixed(2)} s, ${s.findings} distinct problems, ${s.diagnosed} diagnoses`,
    );
    line(
      'records read and filtered /s',
      Math.round(rate).toLocaleString('en-US'),
      `>= ${GOAL_RECORDS_PER_S.toLocaleString('en-US')}`,
      rate >= GOAL_RECORDS_PER_S,
    );
    line(
      'denied calls diagnosed+recorded /s',
      Math.round(s.denied / s.seconds).toLocaleString('en-US'),
      '(info)',
      true,
    );
    line('peak RSS (MB)', peakMb.toFixed(0), `<= ${GOAL_PEAK_MB}`, peakMb <= GOAL_PEAK_MB);
    console.log(`(RSS before the scan: ${(rssBefore / 1048576).toFixed(0)} MB: node, tsx and the CLI's modules)`);
    const parsing =
      process.env.TRUSTGAP_SCAN_THREAD === 'off'
        ? 'main thread (TRUSTGAP_SCAN_THREAD=off)'
        : os.availableParallelism() > 1
          ? 'parser thread'
          : 'main thread (one core)';
    console.log(
      `${os.availableParallelism()} cores, log files parsed on the ${parsing}; 1-minute load average ${loadBefore.toFixed(2)} before the scan, ${os.loadavg()[0].toFixed(2)} after`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
