import type { FindingsHistory } from '../../adapters/history/findings-history';
import type { OccurrenceRecord } from '../../adapters/history/items';
import { type CountStatus, countOnce } from '../count-once';
import { LEASE_MARGIN_MS } from '../leases';
import { findingContentHash } from '../record-and-notify';
import type { ScanEntry, ScanSink, SinkOutcome } from './scan-run';

export interface TableSinkOptions {
  history: FindingsHistory;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * How long one event may wait for the count claim of its cross-account call held by another copy (a live
 * invocation counting it right now): a Lambda invocation's timeout. The claim the scan itself takes is held this
 * long plus LEASE_MARGIN_MS, exactly like an invocation's, so a scan that dies mid-event is taken over the same way.
 */
export const SCAN_EVENT_BUDGET_MS = 60_000;

/**
 * The deployed findings table as a scan sink (`trustgap scan --table`): every event goes through countOnce, the
 * Lambda's own exactly-once steps (link a shared copy, count in the bucket, confirm), so the scan and the live monitor
 * never count an eventID twice under one fingerprint, whichever comes first. Before that, one byDay query per run of
 * nearby slices finds events already counted under another fingerprint (a different diagnosis of the same event: see
 * counted-events.ts). That guard is one-way: an event the scan counts first and the Lambda later diagnoses
 * differently (a retry, a redrive) is counted under both fingerprints (docs/scan.md).
 * It never notifies. Per fingerprint, once per run: the aggregate gets its identity and summary if no notification
 * claim gave it one, and the latest finding is stored when none is, or when the scanned event is newer than the one
 * stored and says something else. Memory: one small entry per distinct fingerprint.
 */
export function tableSink(options: TableSinkOptions): ScanSink {
  const { history } = options;
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  /** Per fingerprint: the eventTime and content hash of the latest finding stored. */
  const settled = new Map<string, { eventTime: string; hash: string }>();

  async function keepFingerprint(entry: ScanEntry, record: OccurrenceRecord): Promise<void> {
    const fingerprint = record.fingerprint;
    let stored = settled.get(fingerprint);
    if (!stored) {
      const aggregate = await history.getAggregate(fingerprint);
      if (!aggregate?.identity)
        await history.describeFingerprint(fingerprint, {
          identity: entry.identity,
          firstSeen: record.eventTime,
          summary: record.summary,
          severity: record.severity,
          expiresAt: record.expiresAt,
        });
      const storedTime = aggregate?.findingHash ? await history.latestFindingEventTime(fingerprint) : undefined;
      stored = { eventTime: storedTime ?? '', hash: aggregate?.findingHash ?? '' };
      settled.set(fingerprint, stored);
    }
    const hash = findingContentHash(entry.finding);
    if (hash === stored.hash || record.eventTime < stored.eventTime) return;
    await history.saveLatestFinding(fingerprint, entry.finding, hash, record.eventTime, record.expiresAt);
    stored.hash = hash;
    stored.eventTime = record.eventTime;
  }

  return {
    async record(entries: ScanEntry[]): Promise<SinkOutcome> {
      const outcome: SinkOutcome = { recorded: 0, duplicates: 0, linkedCopies: 0 };
      const counted = await history.countedEvents(entries.map((e) => e.occurrence.eventTime));
      for (const entry of entries) {
        const { outcome: _outcome, linkedTo: _linkedTo, ...record } = entry.occurrence;
        const countedUnder = counted.fingerprintOf(record.eventId, record.eventTime);
        let status: CountStatus = 'duplicate';
        if (countedUnder === undefined) {
          const deadline = clock() + SCAN_EVENT_BUDGET_MS;
          status = await countOnce({ history, clock, sleep }, record, {
            deadline,
            claimUntil: deadline + LEASE_MARGIN_MS,
          });
        }
        if (status === 'recorded') outcome.recorded += 1;
        else if (status === 'duplicate') outcome.duplicates += 1;
        else outcome.linkedCopies += 1;
        // A duplicate under the same fingerprint still settles it: an earlier run may have died right after counting.
        if (status !== 'linked-copy' && (countedUnder === undefined || countedUnder === record.fingerprint))
          await keepFingerprint(entry, record);
      }
      return outcome;
    },
  };
}
