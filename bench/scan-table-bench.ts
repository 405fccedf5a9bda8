/**
 * npm run bench:scan-table — `trustgap scan --table` into a local DynamoDB (dynalite, in-process): denied events
 * counted per second through the Lambda's exactly-once steps, and the same tree scanned again (every event a
 * duplicate). dynalite answers in-process, so this measures the scan's own work per event (one conditional write,
 * plus one byDay query per batch), not DynamoDB's latency.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../src/cli/cli';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynalite } from '../test/support/dynalite';
import { generateTrailTree } from './trail-generator';

async function scanInto(tree: string, table: string): Promise<Record<string, number>> {
  let json = '';
  const code = await runCli(
    [
      'scan',
      tree,
      '--iam-snapshot',
      'examples/snapshot/account-111111111111.json',
      '--iam-snapshot',
      'examples/snapshot/account-222222222222.json',
      '--org',
      'examples/snapshot/organization.json',
      '--table',
      table,
      '--json',
    ],
    { stdout: (s) => (json += s), stderr: (s) => process.stderr.write(s) },
  );
  if (code !== 0) throw new Error(`scan exited ${code}`);
  return JSON.parse(json);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-bench-scan-table-'));
  const dynamo = await startDynalite();
  try {
    generateTrailTree({ root: dir, records: 50_000 });
    const table = await dynamo.createFindingsTable('bench');
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    });
    const tree = path.join(dir, 'AWSLogs');
    const first = await scanInto(tree, table);
    const again = await scanInto(tree, table);
    const rate = (s: Record<string, number>) => (s.denied / s.seconds).toFixed(0);
    console.log(
      `scan --table (dynalite): ${first.records} records, ${first.denied} denied, ${first.findings} problems; ` +
        `first scan ${first.seconds.toFixed(1)} s (${rate(first)} denied events/s, ${first.recorded} counted); ` +
        `again ${again.seconds.toFixed(1)} s (${rate(again)} events/s, ${again.recorded} counted, ${again.duplicates} duplicates)`,
    );
  } finally {
    await dynamo.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
