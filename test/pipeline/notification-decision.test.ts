import type { AggregateItem } from '../../src/adapters/history/items';
import { decideNotification } from '../../src/pipeline/notification-decision';

const HOUR = 60 * 60_000;
const now = Date.parse('2026-05-01T13:00:00Z');
const aggregate = (extra: Partial<AggregateItem>): AggregateItem =>
  ({ fingerprint: 'fp', count: 5, firstSeen: 't', ...extra }) as AggregateItem;

test('a fingerprint never notified is new', () => {
  expect(decideNotification(aggregate({}), 'e', now, HOUR)).toEqual({ action: 'notify', kind: 'new' });
});

test('inside the quiet window nothing is sent; at its end a reminder is due', () => {
  expect(decideNotification(aggregate({ lastNotifiedAt: '2026-05-01T12:00:01Z' }), 'e', now, HOUR)).toEqual({
    action: 'skip',
  });
  expect(decideNotification(aggregate({ lastNotifiedAt: '2026-05-01T12:00:00Z' }), 'e', now, HOUR)).toEqual({
    action: 'notify',
    kind: 'reminder',
  });
});

test('a retry of the event that holds the claim resumes it, with the values to roll back to', () => {
  const decision = decideNotification(
    aggregate({
      lastNotifiedAt: '2026-05-01T12:59:00Z',
      notifiedByEventId: 'e',
      countAtLastNotification: 5,
      previousNotifiedAt: '2026-05-01T11:00:00Z',
      previousCountAtNotification: 2,
    }),
    'e',
    now,
    HOUR,
  );
  expect(decision).toEqual({
    action: 'resume',
    claim: {
      fingerprint: 'fp',
      eventId: 'e',
      claimedAt: '2026-05-01T12:59:00Z',
      countAtClaim: 5,
      previousNotifiedAt: '2026-05-01T11:00:00Z',
      previousCount: 2,
    },
  });
});
