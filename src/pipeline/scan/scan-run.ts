import type { FingerprintIdentity } from '../../adapters/history/items';
import type { StoredOccurrence } from '../../adapters/local-store/sqlite-findings-store';
import { filterRecords, type LogBatch } from '../../adapters/trail-logs/log-records';
import { normalizeRecord } from '../../engine/event/record';
import type { NormalizedEvent } from '../../engine/event/types';
import type { Finding } from '../../engine/finding/types';
import { fingerprintOf, fingerprintParts } from '../fingerprint';
import { buildOccurrence } from '../record-and-notify';
import { DiagnosisCache, type DiagnosisFacts } from './diagnosis-cache';

/**
 * The scan loop, whatever the source: log files (local tree, S3) or LookupEvents pages each come in as a batch of
 * raw CloudTrail records; the denied AssumeRole* calls among them are normalized, diagnosed (once per distinct
 * call: diagnosis-cache.ts), fingerprinted as the Lambda does, and handed to the sink a batch at a time.
 */
export interface ScanEntry {
  event: NormalizedEvent;
  finding: Finding;
  fingerprint: string;
  identity: FingerprintIdentity;
  /** The occurrence as the table's DONE write leaves it (index attributes at top level). */
  occurrence: StoredOccurrence;
}

export interface SinkOutcome {
  recorded: number;
  duplicates: number;
  linkedCopies: number;
}

export interface ScanSink {
  record(entries: ScanEntry[]): Promise<SinkOutcome>;
}

export interface ScanTotals {
  /** Batches read: files or pages. */
  batches: number;
  records: number;
  /** Denied AssumeRole* calls found (after --since). */
  denied: number;
  /** Occurrences newly recorded (each eventID at most once, across runs). */
  recorded: number;
  duplicates: number;
  linkedCopies: number;
  /** Records too broken to use, and files that could not be read. */
  skipped: number;
  diagnosed: number;
  fingerprints: Set<string>;
}

export interface ScanOptions {
  facts: DiagnosisFacts;
  sink: ScanSink;
  /** ISO time: denied calls before it are ignored. */
  since?: string;
  occurrenceTtlDays?: number;
  clock?: () => number;
}

/** Entries held across batches before one write (a few MB at most: they share their diagnosis's objects). */
export const HELD_ENTRIES = 1000;

export class ScanRun {
  readonly totals: ScanTotals = {
    batches: 0,
    records: 0,
    denied: 0,
    recorded: 0,
    duplicates: 0,
    linkedCopies: 0,
    skipped: 0,
    diagnosed: 0,
    fingerprints: new Set(),
  };
  private readonly cache: DiagnosisCache;
  /** Entries of held batches not yet handed to the sink (at most HELD_ENTRIES). */
  private held: ScanEntry[] = [];

  constructor(private readonly options: ScanOptions) {
    this.cache = new DiagnosisCache(options.facts);
  }

  /** A file that could not be read at all, or is not JSON. */
  skipBatch(): void {
    this.totals.batches += 1;
    this.totals.skipped += 1;
  }

  /** A batch of raw records (a LookupEvents page). */
  addRecords(records: readonly unknown[]): Promise<void> {
    return this.addBatch(filterRecords(records));
  }

  /**
   * A batch already filtered (log-records.js, on the parser thread for log files): only its candidates are read.
   * `hold`: its entries may wait for later batches' (up to HELD_ENTRIES), so the sink writes one transaction for many
   * small files; the caller must flush() at the end. Never for a source with a cursor: what the cursor has passed
   * must already be written.
   */
  async addBatch(batch: LogBatch, hold = false): Promise<void> {
    const t = this.totals;
    t.batches += 1;
    t.records += batch.records;
    t.skipped += batch.skipped;
    for (const { index, record } of batch.candidates) {
      const outcome = normalizeRecord(record, index);
      if (!('event' in outcome)) {
        if (typeof record.eventName === 'string' && record.eventName.startsWith('AssumeRo')) t.skipped += 1;
        continue;
      }
      const event = outcome.event;
      if (this.options.since && event.eventTime < this.options.since) continue;
      t.denied += 1;
      this.held.push(await this.entryFor(event));
    }
    if (!hold || this.held.length >= HELD_ENTRIES) await this.flush();
  }

  /** Hands the held entries to the sink. */
  async flush(): Promise<void> {
    const t = this.totals;
    const entries = this.held;
    if (entries.length === 0) return;
    this.held = [];
    const result = await this.options.sink.record(entries);
    t.recorded += result.recorded;
    t.duplicates += result.duplicates;
    t.linkedCopies += result.linkedCopies;
    t.diagnosed = this.cache.diagnosed;
  }

  private async entryFor(event: NormalizedEvent): Promise<ScanEntry> {
    const finding = await this.cache.diagnose(event);
    const parts = fingerprintParts(event, finding);
    const fingerprint = fingerprintOf(parts);
    this.totals.fingerprints.add(fingerprint);
    const now = (this.options.clock ?? Date.now)();
    const built = buildOccurrence(event, finding, parts, fingerprint, now, this.options.occurrenceTtlDays ?? 90);
    const occurrence: StoredOccurrence = { ...built, outcome: 'counted' };
    return { event, finding, fingerprint, identity: { ...parts }, occurrence };
  }
}
