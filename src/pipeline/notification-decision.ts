import type { NotificationClaim } from '../adapters/history/findings-history';
import type { AggregateItem } from '../adapters/history/items';

export type NotificationDecision =
  | { action: 'skip' }
  | { action: 'notify'; kind: 'new' | 'reminder' }
  /** A previous attempt of this same event claimed the slot and did not finish: publish under that claim. */
  | { action: 'resume'; claim: NotificationClaim };

/**
 * Notify once per new fingerprint, then again only when the quiet window has passed since the last notification
 * (the reminder then says how many more occurrences there were since). Times are wall-clock: the window is about
 * how often people are interrupted, not about when the calls happened.
 */
export function decideNotification(
  aggregate: AggregateItem,
  eventId: string,
  nowMs: number,
  quietWindowMs: number,
): NotificationDecision {
  if (aggregate.notifiedByEventId === eventId && aggregate.lastNotifiedAt !== undefined) {
    return {
      action: 'resume',
      claim: {
        fingerprint: aggregate.fingerprint,
        eventId,
        claimedAt: aggregate.lastNotifiedAt,
        countAtClaim: aggregate.countAtLastNotification ?? aggregate.count,
        previousNotifiedAt: aggregate.previousNotifiedAt,
        previousCount: aggregate.previousCountAtNotification,
      },
    };
  }
  if (aggregate.lastNotifiedAt === undefined) return { action: 'notify', kind: 'new' };
  const last = Date.parse(aggregate.lastNotifiedAt);
  if (Number.isNaN(last) || nowMs - last >= quietWindowMs) return { action: 'notify', kind: 'reminder' };
  return { action: 'skip' };
}
