import * as fs from 'node:fs';
import { filterRecords } from '../../src/adapters/trail-logs/log-records';
import { loadSnapshotFacts } from '../../src/cli/iam-facts-options';
import { HELD_ENTRIES, type ScanEntry, ScanRun, type ScanSink } from '../../src/pipeline/scan/scan-run';

/**
 * Held batches (log files) reach the sink in one write of up to HELD_ENTRIES entries, and only at flush() for
 * the rest; unheld ones (LookupEvents pages, whose cursor moves on after each) are written before addBatch returns.
 */
const template = JSON.parse(fs.readFileSync('examples/events/09-new-ci-role-not-in-trust-policy.json', 'utf8'));
const snapshot = loadSnapshotFacts(
  ['examples/snapshot/account-111111111111.json', 'examples/snapshot/account-222222222222.json'],
  'examples/snapshot/organization.json',
);
const facts = { scope: () => snapshot };

function batch(from: number, count: number) {
  return filterRecords(Array.from({ length: count }, (_, i) => ({ ...template, eventID: `e-${from + i}` })));
}

function recordingSink(writes: ScanEntry[][]): ScanSink {
  return {
    record(entries) {
      writes.push(entries);
      return Promise.resolve({ recorded: entries.length, duplicates: 0, linkedCopies: 0 });
    },
  };
}

test('held batches are written together, at HELD_ENTRIES and at flush()', async () => {
  const writes: ScanEntry[][] = [];
  const run = new ScanRun({ facts, sink: recordingSink(writes) });
  const perBatch = 300;
  const batches = Math.ceil(HELD_ENTRIES / perBatch) + 1;
  for (let b = 0; b < batches; b++) await run.addBatch(batch(b * perBatch, perBatch), true);
  expect(writes.map((w) => w.length)).toEqual([Math.ceil(HELD_ENTRIES / perBatch) * perBatch]);
  await run.flush();
  expect(writes.map((w) => w.length)).toEqual([Math.ceil(HELD_ENTRIES / perBatch) * perBatch, perBatch]);
  expect(writes.flat().map((e) => e.event.eventId)).toEqual(
    Array.from({ length: batches * perBatch }, (_, i) => `e-${i}`),
  );
  expect(run.totals).toMatchObject({
    batches,
    records: batches * perBatch,
    denied: batches * perBatch,
    recorded: batches * perBatch,
  });
  await run.flush();
  expect(writes).toHaveLength(2);
});

test('unheld batches (LookupEvents pages) are written before addRecords returns', async () => {
  const writes: ScanEntry[][] = [];
  const run = new ScanRun({ facts, sink: recordingSink(writes) });
  await run.addRecords([{ ...template, eventID: 'p-1' }, null]);
  expect(writes.map((w) => w.map((e) => e.event.eventId))).toEqual([['p-1']]);
  expect(run.totals).toMatchObject({ batches: 1, records: 2, skipped: 1, recorded: 1 });
});
