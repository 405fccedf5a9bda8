import * as fs from 'node:fs';
import * as path from 'node:path';
import { SqliteFindingsStore } from '../adapters/local-store/sqlite-findings-store';
import { type LogFile, localLogFiles } from '../adapters/trail-logs/local-tree';
import type { LookupCursor } from '../adapters/trail-logs/lookup-events';
import { parseS3Url, type S3Location, s3LogFiles } from '../adapters/trail-logs/s3-tree';
import type { TrailFilter } from '../adapters/trail-logs/trail-layout';
import { SnapshotError, SnapshotIamFacts } from '../engine/iam/snapshot/snapshot-iam-facts';
import { ScanRun, type ScanSink } from '../pipeline/scan/scan-run';
import { storeSink } from '../pipeline/scan/store-sink';
import { ArgsError, parseArgs } from './args';
import {
  type CliIo,
  CliUserError,
  describeFsError,
  EXIT_INTERNAL_ERROR,
  EXIT_OK,
  EXIT_USAGE_OR_INPUT,
  oneLine,
} from './cli-io';
import { parseSince } from './findings-command';
import { scanProgress } from './scan-progress';
import { safeText } from './terminal-text';

export const DEFAULT_STORE = 'trustgap-findings.db';

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
  --iam-snapshot FILE   IAM snapshot of an account (repeat per account), as for trustgap diagnose
  --org FILE            organization file (SCPs/RCPs, OU chain), as for trustgap diagnose
  --store FILE          the local store (SQLite), default ./${DEFAULT_STORE}
  --lookup-events       read CloudTrail LookupEvents (last 90 days at most) of each --regions region instead of
                        files, 2 requests/s per region; an interrupted scan resumes from the cursor in the store
  --s3 s3://B/PREFIX    the trail's bucket and prefix (same as giving s3://B/PREFIX as PATH)
  --region R            the bucket's region for S3 (default: the AWS SDK's; AWS_ENDPOINT_URL_S3 is honoured)
  --json                print a JSON summary {records, denied, findings, skipped, ...} and nothing else on stdout
  -h, --help            show this help
`;

const FLAGS = {
  since: { type: 'string' },
  accounts: { type: 'string', multiple: true },
  regions: { type: 'string', multiple: true },
  'iam-snapshot': { type: 'string', multiple: true },
  org: { type: 'string' },
  store: { type: 'string' },
  s3: { type: 'string' },
  'lookup-events': { type: 'boolean' },
  region: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function listFlag(values: string[] | undefined, pattern: RegExp, flag: string): Set<string> | undefined {
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

function loadFacts(snapshots: string[] | undefined, org: string | undefined): SnapshotIamFacts {
  if (!snapshots?.length) throw new CliUserError('missing --iam-snapshot (one per account involved)');
  for (const file of [...snapshots, ...(org ? [org] : [])]) {
    try {
      fs.accessSync(file, fs.constants.R_OK);
    } catch (err) {
      throw new CliUserError(`${file}: ${describeFsError(err)}`);
    }
  }
  try {
    return SnapshotIamFacts.fromFiles(snapshots, org);
  } catch (err) {
    if (err instanceof SnapshotError) throw new CliUserError(oneLine(err.message));
    throw err;
  }
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

type ScanFlags = ReturnType<typeof parseArgs<typeof FLAGS>>['flags'];

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
    regions: listFlag(flags.regions, /^[a-z]{2}(-[a-z]+)+-\d$/, '--regions'),
  };
  for (const p of localPaths) {
    if (!fs.existsSync(p)) throw new CliUserError(`${p}: no such file or directory`);
  }
  const facts = loadFacts(flags['iam-snapshot'], flags.org);
  const storeFile = path.resolve(flags.store ?? DEFAULT_STORE);
  const store = SqliteFindingsStore.open(storeFile);
  try {
    const files =
      s3Locations.length > 0 ? s3Files(s3Locations, filter, flags.region) : localLogFiles(localPaths, filter);
    const summary = await scanFiles(files, storeSink(store), facts, since, io);
    summary.store = storeFile;
    writeSummary(io, summary, flags.json === true);
    return EXIT_OK;
  } finally {
    store.close();
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

async function scanFiles(
  files: AsyncIterable<LogFile>,
  sink: ScanSink,
  facts: SnapshotIamFacts,
  since: string | undefined,
  io: CliIo,
): Promise<ScanSummary> {
  const started = Date.now();
  const run = new ScanRun({ facts, sink, since });
  const progress = scanProgress(io.stderrIsTTY === true, 'files');
  try {
    // One file is read (and gunzipped, off the main thread) ahead while the previous one is parsed.
    const iterator = files[Symbol.asyncIterator]();
    const readNext = async () => {
      const next = await iterator.next();
      if (next.done) return undefined;
      const file = next.value;
      return { file, data: await file.read().catch((err: unknown) => err as Error) };
    };
    let pending = readNext();
    for (let current = await pending; current; current = await pending) {
      pending = readNext();
      if (!Buffer.isBuffer(current.data)) {
        run.skipBatch();
        io.stderr(
          `trustgap scan: skipped ${safeText(current.file.name)}: ${safeText(describeFsError(current.data))}\n`,
        );
        continue;
      }
      await run.addFile(current.data, current.file.name);
      progress.update(run.totals, run.totals.batches);
    }
  } finally {
    progress.stop();
  }
  return summaryOf(run, started);
}

function summaryOf(run: ScanRun, started: number): ScanSummary {
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
  };
}

function writeSummary(io: CliIo, s: ScanSummary, json: boolean): void {
  if (json) {
    io.stdout(`${JSON.stringify(s)}\n`);
    return;
  }
  const n = (x: number) => x.toLocaleString('en-US');
  io.stdout(
    `Scanned ${n(s.files)} files, ${n(s.records)} records in ${s.seconds.toFixed(1)}s: ${n(s.denied)} denied role assumptions, ` +
      `${n(s.findings)} distinct problems (${n(s.diagnosed)} diagnoses), ${n(s.recorded)} new occurrences recorded, ` +
      `${n(s.duplicates)} already recorded, ${n(s.skipped)} skipped.\n` +
      (s.store ? `Store: ${safeText(s.store)}\nNext: trustgap findings --problems --store ${safeText(s.store)}\n` : ''),
  );
}

const MAX_LOOKUP_DAYS = 90;

async function scanLookupEvents(flags: ScanFlags, io: CliIo): Promise<number> {
  const { lookupClient, lookupPages } =
    require('../adapters/trail-logs/lookup-events') as typeof import('../adapters/trail-logs/lookup-events');
  const now = Date.now();
  let since: string;
  try {
    since = parseSince(flags.since ?? '90d', now);
  } catch (err) {
    throw new CliUserError((err as Error).message);
  }
  if (Date.parse(since) < now - MAX_LOOKUP_DAYS * 86_400_000 - 60_000)
    throw new CliUserError('--lookup-events reaches back 90 days at most (CloudTrail event history)');
  const regions = [...(listFlag(flags.regions, /^[a-z]{2}(-[a-z]+)+-\d$/, '--regions') ?? [])];
  if (regions.length === 0 && process.env.AWS_REGION) regions.push(process.env.AWS_REGION);
  if (regions.length === 0) throw new CliUserError('--lookup-events needs --regions (or AWS_REGION)');
  const facts = loadFacts(flags['iam-snapshot'], flags.org);
  const storeFile = path.resolve(flags.store ?? DEFAULT_STORE);
  const store = SqliteFindingsStore.open(storeFile);
  const started = Date.now();
  const run = new ScanRun({ facts, sink: storeSink(store), since });
  const progress = scanProgress(io.stderrIsTTY === true, 'pages');
  try {
    for (const region of regions) {
      const name = `lookup-events:${region}`;
      const saved = store.getCursor(name);
      const cursor = saved
        ? (JSON.parse(saved) as LookupCursor)
        : { region, startTime: since, endTime: new Date(now).toISOString() };
      if (saved && !flags.json)
        io.stderr(
          `trustgap scan: resuming ${region} from the saved cursor (${cursor.startTime} to ${cursor.endTime})\n`,
        );
      const client = lookupClient(region);
      try {
        const pages = lookupPages({ client, cursor, saveCursor: (c) => store.setCursor(name, c && JSON.stringify(c)) });
        for await (const records of pages) {
          await run.addRecords(records);
          progress.update(run.totals, run.totals.batches);
        }
      } finally {
        client.destroy();
      }
    }
  } catch (err) {
    progress.stop();
    const message = oneLine(err instanceof Error ? err.message : String(err));
    io.stderr(
      `trustgap scan: LookupEvents failed (${safeText((err as Error)?.name ?? 'Error')}: ${safeText(message)}); run the same command again to resume\n`,
    );
    store.close();
    return EXIT_INTERNAL_ERROR;
  }
  progress.stop();
  store.close();
  writeSummary(io, { ...summaryOf(run, started), store: storeFile }, flags.json === true);
  return EXIT_OK;
}
