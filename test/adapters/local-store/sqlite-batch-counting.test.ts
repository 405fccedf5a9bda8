import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  SqliteFindingsStore,
  type StoredOccurrence,
  type StoreEntry,
} from '../../../src/adapters/local-store/sqlite-findings-store';

/**
 * The store counts a batch's events per fingerprint in memory and writes each aggregate once per batch. These cases
 * pin that it still counts exactly as one write per event would: out-of-order times within a batch, duplicates in
 * and across batches, and the newest event's finding kept, whichever batch brought it.
 */
const identity = {
  caller: 'arn:aws:iam::111111111111:user/ci',
  role: 'arn:aws:iam::222222222222:role/deploy',
  cause: 'IDENTITY_NO_ALLOW',
  conditionKey: '',
};

function entry(eventId: string, eventTime: string, fingerprint = 'fp-1'): StoreEntry {
  const occurrence = {
    eventId,
    eventTime,
    eventDay: eventTime.slice(0, 10),
    roleArn: identity.role,
    callerArn: identity.caller,
    cause: identity.cause,
    fingerprint,
    summary: `summary of ${eventId}`,
    severity: 'medium',
    expiresAt: 1_900_000_000,
  } as unknown as StoredOccurrence;
  return { occurrence, identity, latestFinding: { eventId } };
}

let dir: string;
let store: SqliteFindingsStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-store-'));
  store = SqliteFindingsStore.open(path.join(dir, 'findings.db'));
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a batch with out-of-order times and a repeated event counts each event once, newest last', async () => {
  const result = store.record([
    entry('e2', '2026-11-02T10:00:00Z'),
    entry('e3', '2026-11-03T10:00:00Z'),
    entry('e1', '2026-11-01T10:00:00Z'),
    entry('e3', '2026-11-03T10:00:00Z'),
    entry('x1', '2026-11-01T12:00:00Z', 'fp-2'),
  ]);
  expect(result).toEqual({ recorded: 4, duplicates: 1, linkedCopies: 0 });
  const fp1 = await store.loadFingerprint('fp-1');
  expect(fp1.totals).toMatchObject({
    count: 3,
    firstSeen: '2026-11-01T10:00:00Z',
    lastSeen: '2026-11-03T10:00:00Z',
    latestEventId: 'e3',
  });
  expect(fp1.latestFinding).toEqual({ eventId: 'e3' });
  expect(fp1.aggregate).toMatchObject({ summary: 'summary of e3' });
  expect((await store.loadFingerprint('fp-2')).totals).toMatchObject({ count: 1, latestEventId: 'x1' });
});

test('a later batch of older events adds to the count and keeps the newest finding from the earlier batch', async () => {
  store.record([entry('e5', '2026-11-05T10:00:00Z')]);
  const result = store.record([entry('e4', '2026-11-04T10:00:00Z'), entry('e5', '2026-11-05T10:00:00Z')]);
  expect(result).toEqual({ recorded: 1, duplicates: 1, linkedCopies: 0 });
  const fp = await store.loadFingerprint('fp-1');
  expect(fp.totals).toMatchObject({ count: 2, firstSeen: '2026-11-04T10:00:00Z', latestEventId: 'e5' });
  expect(fp.latestFinding).toEqual({ eventId: 'e5' });
});
