import * as fs from 'node:fs';
import { type LogFile, localLogFiles } from '../adapters/trail-logs/local-tree';
import { LogParser, type LogParserOptions } from '../adapters/trail-logs/log-parser';
import { parseS3Url, type S3Location, s3LogFiles } from '../adapters/trail-logs/s3-tree';
import type { TrailFilter } from '../adapters/trail-logs/trail-layout';
import type { ScanRun } from '../pipeline/scan/scan-run';
import { ArgsError, parseArgs } from './args';
import { type CliIo, CliUserError, describeFsError, EXIT_OK, EXIT_USAGE_OR_INPUT } from './cli-io';
import { parseSince } from './findings-command';
import { FACTS_USAGE } from './iam-facts-options';
import { listFlag, REGION, runScan, SCAN_FLAGS } from './scan-flow';
import type { ScanProgress } from './scan-progress';
import { DEFAULT_STORE } from './scan-target';
import { safeText } from './terminal-text';

export const SCAN_USAGE = `Usage: trustgap scan PATH... [options]
       trustgap scan s3://bucket/prefix [options]        (or --s3 s3://bucket/prefix)
       trustgap scan --lookup-events [--regions R,...] [options]

Reads denied AssumeRole* calls in bulk from CloudTrail log files (the AWSLogs/ layout, *.json or *.json.gz),
diagnoses each distinct call once, and records every occurrence, counted once per event ID, in the local store
(or the deployed findings table with --table). Then: trustgap findings --store FILE, trustgap report --store FILE.

  --since WHEN          30m, 24h, 30d or an ISO date; only calls at or after it (log folders before it are not read).
                        Default: no lower bound for files and S3; 90d for --lookup-events.
  --accounts ID,...     only these accounts' AWSLogs/ folders (repeatable)
  --regions R,...       only these regions' folders; for --lookup-events, the regions to query (repeatable)
${FACTS_USAGE}  --store FILE          the local store (SQLite), default ./${DEFAULT_STORE} (with --table: only LookupEvents cursors)
  --table NAME          write to the deployed findings table instead (the TrustGap stack output FindingsTableName),
                        through the Lambda's exactly-once code: an event the live monitor counted is not counted
                        again, and vice versa; nothing is notified. AWS_ENDPOINT_URL_DYNAMODB is honoured.
  --ttl-days N          with --table: the stack's OCCURRENCE_TTL_DAYS (default 90)
  --lookup-events       read CloudTrail LookupEvents (last 90 days at most) of each --regions region instead of
                        files, 2 requests/s per region; an interrupted scan resumes from the cursor in the store
  --s3 s3://B/PREFIX    the trail's bucket and prefix (same as giving s3://B/PREFIX as PATH)
  --region R            the region of the S3 bucket and of --table (default: the AWS SDK's; AWS_ENDPOINT_URL_S3 is
                        honoured)
  --json                print a JSON summary {records, denied, findings, skipped, ...} and nothing else on stdout
  -h, --help            show this help
`;

/** Files read ahead of the one being recorded (read, gunzipped and parsed on the parser thread meanwhile). */
const READ_AHEAD_FILES = 3;

export async function runScanCommand(argv: string[], io: CliIo): Promise<number> {
  try {
    return await scan(argv, io);
  } catch (err) {
    if (err instanceof ArgsError || err instanceof CliUserError) {
      io.stderr(`trustgap scan: ${safeText(err.message)} (see trustgap scan --help)\n`);
      return EXIT_USAGE_OR_INPUT;
    }
    throw err;
  }
}

function scan(argv: string[], io: CliIo): Promise<number> {
  const { flags, positionals } = parseArgs(argv, SCAN_FLAGS);
  if (flags.help) {
    io.stdout(SCAN_USAGE);
    return Promise.resolve(EXIT_OK);
  }
  const s3Urls = [...positionals.filter((p) => p.startsWith('s3://')), ...(flags.s3 ? [flags.s3] : [])];
  const localPaths = positionals.filter((p) => !p.startsWith('s3://'));
  if (flags['lookup-events']) {
    if (s3Urls.length + localPaths.length > 0)
      throw new CliUserError('--lookup-events reads the API, not files: drop the paths');
    const { scanLookupEvents } = require('./scan-lookup-events') as typeof import('./scan-lookup-events');
    return scanLookupEvents(flags, io);
  }
  if (s3Urls.length + localPaths.length === 0) throw new CliUserError('name at least one PATH or s3:// URL to scan');
  if (s3Urls.length > 0 && localPaths.length > 0) throw new CliUserError('scan local paths or S3, not both at once');
  const s3Locations = s3Urls.map((url) => {
    const where = parseS3Url(url);
    if (!where) throw new CliUserError(`'${url}' is not an s3://bucket/prefix URL`);
    return where;
  });
  let since: string | undefined;
  try {
    since = flags.since ? parseSince(flags.since, Date.now()) : undefined;
  } catch (err) {
    throw new CliUserError((err as Error).message);
  }
  const filter: TrailFilter = {
    sinceDay: since?.slice(0, 10),
    accounts: listFlag(flags.accounts, /^\d{12}$/, '--accounts'),
    regions: listFlag(flags.regions, REGION, '--regions'),
  };
  for (const p of localPaths) {
    if (!fs.existsSync(p)) throw new CliUserError(`${p}: no such file or directory`);
  }
  // The parser thread starts now, while the facts load.
  const parser = new LogParser(scanParserOptions());
  const files = s3Locations.length > 0 ? s3Files(s3Locations, filter, flags.region) : localLogFiles(localPaths, filter);
  return runScan(flags, io, since, {
    unit: 'files',
    read: (run, progress) => readFiles(files, parser, run, progress, io),
    close: () => parser.close(),
  });
}

async function* s3Files(
  locations: S3Location[],
  filter: TrailFilter,
  region: string | undefined,
): AsyncGenerator<LogFile> {
  const { S3Client } = require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
  const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  // A loopback or other S3-compatible endpoint serves buckets by path, not by virtual host.
  const client = new S3Client({
    region: region ?? process.env.AWS_REGION ?? 'us-east-1',
    forcePathStyle: endpoint !== undefined,
  });
  try {
    for (const where of locations) yield* s3LogFiles(client, where, filter);
  } finally {
    client.destroy();
  }
}

/** TRUSTGAP_SCAN_THREAD=off parses log files on the main thread (the parser thread is the default on 2+ cores). */
export function scanParserOptions(env: NodeJS.ProcessEnv = process.env): LogParserOptions {
  return env.TRUSTGAP_SCAN_THREAD === 'off' ? { thread: false } : {};
}

async function readFiles(
  files: AsyncIterable<LogFile>,
  parser: LogParser,
  run: ScanRun,
  progress: ScanProgress,
  io: CliIo,
): Promise<void> {
  try {
    // A few files are read, gunzipped and parsed (off the main thread) ahead of the one being recorded. An async
    // generator queues next() calls, so files still come in order while their reads overlap.
    const iterator = files[Symbol.asyncIterator]();
    const readAhead = async () => {
      const next = await iterator.next();
      if (next.done) return undefined;
      return { file: next.value, parsed: await parser.parse(next.value) };
    };
    // A listing that fails rejects every read queued behind it, which nobody awaits yet: each is marked handled at
    // once (and still awaited in turn), or node would end the process before the held entries are written.
    const readNext = () => {
      const pending = readAhead();
      pending.catch(() => undefined);
      return pending;
    };
    const ahead = Array.from({ length: READ_AHEAD_FILES }, readNext);
    for (let current = await ahead.shift(); current; current = await ahead.shift()) {
      ahead.push(readNext());
      const { file, parsed } = current;
      if (parsed.kind === 'unreadable') {
        run.skipBatch();
        io.stderr(`trustgap scan: skipped ${safeText(file.name)}: ${safeText(describeFsError(parsed.error))}\n`);
        continue;
      }
      if (parsed.kind === 'malformed') run.skipBatch();
      else await run.addBatch(parsed.batch, true);
      progress.update(run.totals, run.totals.batches);
    }
    await run.flush();
  } catch (err) {
    // What was read before a listing failed is recorded all the same (after a failed write nothing is held).
    await run.flush().catch(() => undefined);
    throw err;
  }
}
