import type { FindingsHistory } from '../adapters/history/findings-history';
import type { OccurrenceRecord } from '../adapters/history/items';
import { ClaimHeldError } from '../errors';

export type CountStatus = 'recorded' | 'duplicate' | 'linked-copy';

export interface CountAttempt {
  /** Epoch ms when the attempt must stop waiting (the Lambda's deadline; the scan's per-event budget). */
  deadline: number;
  /** Epoch ms until which a shared-count claim made by this attempt is held (deadline + LEASE_MARGIN_MS). */
  claimUntil: number;
}

export interface CountDeps {
  history: FindingsHistory;
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
}

const POLL_INTERVAL_MS = 250;
/** Stop waiting for another copy's count claim this long before our own deadline, to throw cleanly. */
const WAIT_RESERVE_MS = 3_000;

/**
 * Steps 1-3 of the exactly-once recording (docs/pipeline.md), shared by the Lambda (record-and-notify.ts) and
 * `trustgap scan --table` (scan/table-sink.ts), so a scan and the live monitor count an event under the same rules:
 *   1. records with a sharedEventID: link the copy; claim (as a lease) the count of the logical call, or find the
 *      other copy counted (→ linked copy, done), or wait for / take over a claim whose copy never finished;
 *   2. count the event in its bucket — one conditional write, refused if the event is already there;
 *   3. the shared claim is confirmed (counted).
 */
export async function countOnce(
  deps: CountDeps,
  record: OccurrenceRecord,
  attempt: CountAttempt,
): Promise<CountStatus> {
  const { history, clock } = deps;
  if (record.sharedEventId !== undefined) {
    for (;;) {
      const link = await history.linkSharedCopy(record, attempt.claimUntil, clock());
      if (link.decision === 'count') break;
      if (link.decision === 'linked-copy') return 'linked-copy';
      // The other copy holds a live claim: wait for it to be counted or to expire, within our own deadline.
      const now = clock();
      if (now + POLL_INTERVAL_MS > attempt.deadline - WAIT_RESERVE_MS)
        throw new ClaimHeldError(`the count of shared event ${record.sharedEventId}`, link.claimUntil);
      await deps.sleep(Math.max(1, Math.min(POLL_INTERVAL_MS, link.claimUntil - now + 1)));
    }
  }
  const countedNow = await history.countEvent(record);
  if (record.sharedEventId !== undefined) await history.confirmSharedCount(record.sharedEventId, record.eventId);
  return countedNow ? 'recorded' : 'duplicate';
}
