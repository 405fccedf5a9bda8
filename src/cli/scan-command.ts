import * as fs from 'node:fs';
import { type LogFile, localLogFiles } from '../adapters/trail-logs/local-tree';
import { LogParser, type LogParserOptions, type ParsedLogFile } from '../adapters/trail-logs/log-parser';
import { parseS3Url, type S3Location, s3LogFiles } from '../adapters/trail-logs/s3-tree';
import type { TrailFilter } from '../adapters/trail-logs/trail-layout';
import { ScanRun } from '../pipeline/scan/scan-run';
import { ArgsError, parseArgs } from './args';
import { type CliIo, CliUserError, describeFsError, EXIT_INTERNAL_ERROR, EXIT_OK, EXIT_USAGE_OR_INPUT } from './cli-io';
import { parseSince } from './findings-command';
import { type CliFacts, FACTS_FLAGS, FACTS_USAGE, loadFacts } from './iam-facts-options';
import { scanProgress } from './scan-progress';
import { DEFAULT_STORE, openScanTarget, type ScanTarget, TableWriteError } from './scan-target';
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

const FLAGS = {
  since: { type: 'string' },
  accounts: { type: 'string', multiple: true },
  regions: { type: 'string', multiple: true },
  ...FACTS_FLAGS,
  store: { type: 'string' },
  table: { type: 'string' },
  'ttl-days': { type: 'string' },
  s3: { type: 'string' },
  'lookup-events': { type: 'boolean' },
  region: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** An AWS region name (eu-west-1, us-gov-west-1). */
/** Files read ahead of the one being parsed. */
const READ_AHEAD_FILES = 3;

export const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export function listFlag(values: string[] | undefined, pattern: RegExp, flag: string): Set<string> | undefined {
  if (!values) return undefined;
  const set = new Set(
    values
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean),
  );
  for (const v of set) if (!pattern.test(v)) throw new CliUserError(`${flag}: '${safeText(v)}' is not valid`);
  return set;
}

export interface ScanSummary {
  records: number;
  denied: number;
  findings: number;
  skipped: number;
  files: number;
  recorded: number;
  duplicates: number;
  linkedCopies: number;
  diagnosed: number;
  seconds: number;
  store?: string;
  table?: string;
  /** Where the IAM facts came from (snapshots, live IAM of an account, reader roles). */
  facts?: string;
}

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

export type ScanFlags = ReturnType<typeof parseArgs<typeof FLAGS>>['flags'];

async function scan(argv: string[], io: CliIo): Promise<number> {
  const { flags, positionals } = parseArgs(argv, FLAGS);
  if (flags.help) {
    io.stdout(SCAN_USAGE);
    return EXIT_OK;
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
  const target = openScanTarget(flags);
  try {
    const facts = await loadFacts(flags);
    try {
      const files =
        s3Locations.length > 0 ? s3Files(s3Locations, filter, flags.region) : localLogFiles(localPaths, filter);
      const summary = await scanFiles(files, target, facts, since, io);
      writeSummary(io, summary, flags.json === true);
      return EXIT_OK;
    } catch (err) {
      if (!(err instanceof TableWriteError)) throw err;
      io.stderr(`trustgap scan: ${safeText(err.message)}\n`);
      return EXIT_INTERNAL_ERROR;
    } finally {
      facts.close();
    }
  } finally {
    target.close();
  }
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

/** The scan loop's set-up shared by the file and LookupEvents sources. */
export function newScanRun(target: ScanTarget, facts: CliFacts, since: string | undefined): ScanRun {
  return new ScanRun({ facts, sink: target.sink, since, occurrenceTtlDays: target.occurrenceTtlDays });
}

/** TRUSTGAP_SCAN_THREAD=off parses log files on the main thread (the parser thread is the default on 2+ cores). */
export function scanParserOptions(env: NodeJS.ProcessEnv = process.env): LogParserOptions {
  return env.TRUSTGAP_SCAN_THREAD === 'off' ? { thread: false } : {};
}

async function scanFiles(
  files: AsyncIterable<LogFile>,
  target: ScanTarget,
  facts: CliFacts,
  since: string | undefined,
  io: CliIo,
): Promise<ScanSummary> {
  const started = Date.now();
  const run = newScanRun(target, facts, since);
  const progress = scanProgress(io.stderrIsTTY === true, 'files');
  const parser = new LogParser(scanParserOptions());
  let ahead: Array<Promise<{ file: LogFile; parsed: ParsedLogFile } | undefined>> = [];
  try {
    // A few files are read, gunzipped and parsed (off the main thread) ahead of the one being recorded. An async
    // generator queues next() calls, so files still come in order while their reads overlap.
    const iterator = files[Symbol.asyncIterator]();
    const readNext = async () => {
      const next = await iterator.next();
      if (next.done) return undefined;
      return { file: next.value, parsed: await parser.parse(next.value) };
    };
    ahead = Array.from({ length: READ_AHEAD_FILES }, readNext);
    for (let current = await ahead.shift(); current; current = await ahead.shift()) {
      ahead.push(readNext());
      const { file, parsed } = current;
      if (parsed.kind === 'unreadable') {
        run.skipBatch();
        io.stderr(`trustgap scan: skipped ${safeText(file.name)}: ${safeText(describeFsError(parsed.error))}\n`);
        continue;
      }
      if (parsed.kind === 'malformed') run.skipBatch();
      else await run.addBatch(parsed.batch);
      progress.update(run.totals, run.totals.batches);
    }
  } finally {
    // A listing that failed rejects every read queued behind it: the first rejection is the scan's error, the rest
    // are the same failure and must not surface as unhandled rejections.
    for (const pending of ahead) pending.catch(() => undefined);
    progress.stop();
    await parser.close();
  }
  return summaryOf(run, started, target, facts);
}

export function summaryOf(run: ScanRun, started: number, target: ScanTarget, facts: CliFacts): ScanSummary {
  const t = run.totals;
  return {
    records: t.records,
    denied: t.denied,
    findings: t.fingerprints.size,
    skipped: t.skipped,
    files: t.batches,
    recorded: t.recorded,
    duplicates: t.duplicates,
    linkedCopies: t.linkedCopies,
    diagnosed: t.diagnosed,
    seconds: (Date.now() - started) / 1000,
    store: target.store,
    table: target.table,
    facts: facts.description,
  };
}

export function writeSummary(io: CliIo, s: ScanSummary, json: boolean): void {
  if (json) {
    io.stdout(`${JSON.stringify(s)}\n`);
    return;
  }
  const n = (x: number) => x.toLocaleString('en-US');
  io.stdout(
    `Scanned ${n(s.files)} files, ${n(s.records)} records in ${s.seconds.toFixed(1)}s: ${n(s.denied)} denied role assumptions, ` +
      `${n(s.findings)} distinct problems (${n(s.diagnosed)} diagnoses), ${n(s.recorded)} new occurrences recorded, ` +
      `${n(s.duplicates)} already recorded, ${n(s.skipped)} skipped.\n` +
      (s.facts ? `Facts: ${safeText(s.facts)}\n` : '') +
      (s.store
        ? `Store: ${safeText(s.store)}\nNext: trustgap findings --problems --store ${safeText(s.store)}\n`
        : '') +
      (s.table ? `Table: ${safeText(s.table)}\nNext: trustgap findings --problems --table ${safeText(s.table)}\n` : ''),
  );
}
