import type { AggregateItem } from '../../src/adapters/history/items';
import { decideNotification } from '../../src/pipeline/notification-decision';

const HOUR = 60 * 60_000;
const now = Date.parse('2026-05-01T13:00:00Z');
const context = { invocationId: 'req-1', nowMs: now, quietWindowMs: HOUR };
const aggregate = (extra: Partial<AggregateItem>): AggregateItem =>
  ({ fingerprint: 'fp', firstSeen: 't', ...extra }) as AggregateItem;

test('a fingerprint never notified (or never seen) is new', () => {
  expect(decideNotification(undefined, context)).toEqual({ action: 'claim', mode: 'new' });
  expect(decideNotification(aggregate({}), context)).toEqual({ action: 'claim', mode: 'new' });
});

test('inside the quiet window nothing is sent; at its end a reminder is due', () => {
  const sent = { notifyState: 'sent' as const };
  expect(decideNotification(aggregate({ ...sent, lastNotifiedAt: '2026-05-01T12:00:01Z' }), context)).toEqual({
    action: 'skip',
  });
  expect(decideNotification(aggregate({ ...sent, lastNotifiedAt: '2026-05-01T12:00:00Z' }), context)).toEqual({
    action: 'claim',
    mode: 'reminder',
  });
});

test('a live claim of another invocation is waited for, never skipped; an expired one is taken over', () => {
  const claimed = {
    notifyState: 'claimed' as const,
    lastNotifiedAt: '2026-05-01T12:59:00Z',
    notifiedByEventId: 'other-event',
    claimOwner: 'req-other',
  };
  expect(decideNotification(aggregate({ ...claimed, claimUntil: now + 1 }), context)).toEqual({
    action: 'wait',
    claimUntil: now + 1,
  });
  expect(decideNotification(aggregate({ ...claimed, claimUntil: now }), context)).toEqual({
    action: 'claim',
    mode: 'takeover',
  });
});

test('a retry of the invocation that holds the claim resumes it, with the values to roll back to', () => {
  const decision = decideNotification(
    aggregate({
      notifyState: 'claimed',
      claimOwner: 'req-1',
      claimUntil: now + 30_000,
      lastNotifiedAt: '2026-05-01T12:59:00Z',
      notifiedByEventId: 'e',
      countAtLastNotification: 5,
      previousNotifiedAt: '2026-05-01T11:00:00Z',
      previousCountAtNotification: 2,
      uncertainPublishes: 1,
    }),
    context,
  );
  expect(decision).toEqual({
    action: 'resume',
    claim: {
      fingerprint: 'fp',
      eventId: 'e',
      claimedAt: '2026-05-01T12:59:00Z',
      claimUntil: now + 30_000,
      countAtClaim: 5,
      previousNotifiedAt: '2026-05-01T11:00:00Z',
      previousCount: 2,
      uncertainPublishes: 1,
    },
  });
});
