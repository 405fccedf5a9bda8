import { canonicalContentHash, derivedEventId } from '../../../src/engine/event/event-id';
import { normalizeInput } from '../../../src/engine/event/normalize';

describe('derived event ids (records without eventID)', () => {
  it('depend on the content only, not on key order, and change with any value', () => {
    const a = { eventName: 'AssumeRole', errorCode: 'AccessDenied', tags: [{ key: 'k', value: 'v' }] };
    const b = { tags: [{ value: 'v', key: 'k' }], errorCode: 'AccessDenied', eventName: 'AssumeRole' };
    expect(derivedEventId(a)).toBe(derivedEventId(b));
    expect(derivedEventId({ ...a, errorCode: 'AccessDenied ' })).not.toBe(derivedEventId(a));
    // Array order is content: two tags swapped are another request.
    expect(canonicalContentHash([1, 2])).not.toBe(canonicalContentHash([2, 1]));
    // Canonical JSON, not a lossy rendering: a string "1" and a number 1 differ, as do {} and [].
    expect(canonicalContentHash({ x: '1' })).not.toBe(canonicalContentHash({ x: 1 }));
    expect(canonicalContentHash({})).not.toBe(canonicalContentHash([]));
  });

  it('never overflow the stack on a hostile, deeply nested record', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 200_000; i++) deep = i % 2 === 0 ? [deep] : { d: deep };
    const record = { eventName: 'AssumeRole', errorCode: 'AccessDenied', requestParameters: { x: deep } };
    const { events, skipped } = normalizeInput(record);
    expect(skipped).toEqual([]);
    expect(events[0].eventId).toMatch(/^derived-[0-9a-f]{32}$/);
  });
});
