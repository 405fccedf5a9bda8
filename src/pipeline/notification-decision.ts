import type { NotificationClaim } from '../adapters/history/findings-history';
import type { AggregateItem } from '../adapters/history/items';

export type NotificationDecision =
  | { action: 'skip' }
  /** Claim the slot: a new fingerprint, a reminder after the quiet window, or a claim whose lease expired. */
  | { action: 'claim'; mode: 'new' | 'reminder' | 'takeover' }
  /** Another invocation holds a live claim and has not confirmed it: wait for it (or retry later), never skip it. */
  | { action: 'wait'; claimUntil: number }
  /** An earlier attempt of this same invocation (a retry keeps its request id) claimed and did not finish. */
  | { action: 'resume'; claim: NotificationClaim };

export interface DecisionContext {
  invocationId: string;
  nowMs: number;
  quietWindowMs: number;
}

/**
 * Notify once per new fingerprint, then again only when the quiet window has passed since the last notification
 * (the reminder then says how many more occurrences there were since). Times are wall-clock: the window is about
 * how often people are interrupted, not about when the calls happened. A claim that is not confirmed as sent is
 * an obligation, not a notification: an event that finds it waits for it, or takes it over once its lease ran out
 * — so a publisher that keeps failing cannot silence the problem.
 */
export function decideNotification(
  aggregate: AggregateItem | undefined,
  context: DecisionContext,
): NotificationDecision {
  if (aggregate?.lastNotifiedAt === undefined) return { action: 'claim', mode: 'new' };
  if (aggregate.notifyState === 'claimed') {
    const claimUntil = aggregate.claimUntil ?? 0;
    if (aggregate.claimOwner === context.invocationId && aggregate.notifiedByEventId !== undefined) {
      return {
        action: 'resume',
        claim: {
          fingerprint: aggregate.fingerprint,
          eventId: aggregate.notifiedByEventId,
          claimedAt: aggregate.lastNotifiedAt,
          claimUntil,
          countAtClaim: aggregate.countAtLastNotification ?? 0,
          previousNotifiedAt: aggregate.previousNotifiedAt,
          previousCount: aggregate.previousCountAtNotification,
          uncertainPublishes: aggregate.uncertainPublishes ?? 0,
        },
      };
    }
    if (claimUntil > context.nowMs) return { action: 'wait', claimUntil };
    return { action: 'claim', mode: 'takeover' };
  }
  const last = Date.parse(aggregate.lastNotifiedAt);
  if (Number.isNaN(last) || context.nowMs - last >= context.quietWindowMs) return { action: 'claim', mode: 'reminder' };
  return { action: 'skip' };
}
