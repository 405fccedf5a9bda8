import { ScanRun } from '../pipeline/scan/scan-run';
import type { parseArgs } from './args';
import { type CliIo, CliUserError, EXIT_INTERNAL_ERROR, EXIT_OK } from './cli-io';
import { type CliFacts, FACTS_FLAGS, loadFacts } from './iam-facts-options';
import { type ScanProgress, scanProgress } from './scan-progress';
import { openScanTarget, type ScanTarget, TableWriteError } from './scan-target';
import { safeText } from './terminal-text';

/**
 * The flow every `trustgap scan` source shares (log files: scan-command.ts; LookupEvents: scan-lookup-events.ts):
 * open the target, load the facts, read the source's batches into one ScanRun with a progress line, then close
 * everything and print the summary. A failed write to --table, or a source's own failure, ends it with a message.
 */
export const SCAN_FLAGS = {
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

export type ScanFlags = ReturnType<typeof parseArgs<typeof SCAN_FLAGS>>['flags'];

/** An AWS region name (eu-west-1, us-gov-west-1). */
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

/** Where a scan's batches come from. */
export interface ScanSource {
  unit: 'files' | 'pages';
  /** Reads every batch into the run, updating the progress line after each. */
  read(run: ScanRun, progress: ScanProgress, target: ScanTarget): Promise<void>;
  /** The line to print when the source fails on its own (undefined: not handled, the error propagates). */
  failure?(error: unknown): string | undefined;
  /** Called once at the end, whatever happened. */
  close?(): Promise<void>;
}

export async function runScan(flags: ScanFlags, io: CliIo, since: string | undefined, source: ScanSource) {
  try {
    const target = openScanTarget(flags);
    try {
      const facts = await loadFacts(flags);
      try {
        const started = Date.now();
        const run = new ScanRun({ facts, sink: target.sink, since, occurrenceTtlDays: target.occurrenceTtlDays });
        const progress = scanProgress(io.stderrIsTTY === true, source.unit);
        try {
          await source.read(run, progress, target);
        } finally {
          progress.stop();
        }
        writeSummary(io, summaryOf(run, started, target, facts), flags.json === true);
        return EXIT_OK;
      } catch (err) {
        const line = err instanceof TableWriteError ? safeText(err.message) : source.failure?.(err);
        if (line === undefined) throw err;
        io.stderr(`trustgap scan: ${line}\n`);
        return EXIT_INTERNAL_ERROR;
      } finally {
        facts.close();
      }
    } finally {
      target.close();
    }
  } finally {
    await source.close?.();
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
  table?: string;
  /** Where the IAM facts came from (snapshots, live IAM of an account, reader roles). */
  facts?: string;
}

function summaryOf(run: ScanRun, started: number, target: ScanTarget, facts: CliFacts): ScanSummary {
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
      (s.facts ? `Facts: ${safeText(s.facts)}\n` : '') +
      (s.store
        ? `Store: ${safeText(s.store)}\nNext: trustgap findings --problems --store ${safeText(s.store)}\n`
        : '') +
      (s.table ? `Table: ${safeText(s.table)}\nNext: trustgap findings --problems --table ${safeText(s.table)}\n` : ''),
  );
}
