import * as path from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { FindingsHistory } from '../../../src/adapters/history/findings-history';
import { findingKey } from '../../../src/adapters/history/items';
import { diagnoseEvent } from '../../../src/engine/diagnose/diagnose-event';
import { normalizeInput } from '../../../src/engine/event/normalize';
import type { Finding } from '../../../src/engine/finding/types';
import { SnapshotIamFacts } from '../../../src/engine/iam/snapshot/snapshot-iam-facts';
import { loadScenarios } from '../../fixtures/scenarios/scenario-corpus';
import { type LocalDynamo, startDynalite } from '../../support/dynalite';

/**
 * The stored latest finding is the newest event's, whatever order the writes come in: a Lambda retry, or a scan
 * beside the live monitor, may bring an older event's finding last. Against dynalite, the real DynamoDB protocol.
 */
let dynamo: LocalDynamo;
let history: FindingsHistory;
let tableName: string;
let finding: Finding;

beforeAll(async () => {
  dynamo = await startDynalite();
  const s = loadScenarios(path.join(__dirname, '../../fixtures/scenarios')).find((x) => x.name.startsWith('01-'));
  if (!s) throw new Error('scenario 01 is missing');
  finding = await diagnoseEvent(normalizeInput(s.event).events[0], SnapshotIamFacts.fromFiles(s.snapshotPaths));
});
afterAll(() => dynamo.stop());
beforeEach(async () => {
  tableName = await dynamo.createFindingsTable();
  history = new FindingsHistory({ tableName, documentClient: dynamo.documentClient });
});

async function stored(fingerprint: string): Promise<Record<string, unknown> | undefined> {
  const out = await dynamo.documentClient.send(new GetCommand({ TableName: tableName, Key: findingKey(fingerprint) }));
  return out.Item;
}

test("an older event's finding written last does not replace the newer one", async () => {
  await history.saveLatestFinding('fp', { ...finding, summary: 'newer' }, 'hash-new', '2026-12-02T10:00:00Z', 1e10);
  await history.saveLatestFinding('fp', { ...finding, summary: 'older' }, 'hash-old', '2026-12-01T10:00:00Z', 1e10);
  expect(await stored('fp')).toMatchObject({ findingHash: 'hash-new', findingEventTime: '2026-12-02T10:00:00Z' });
  expect((await history.getAggregate('fp'))?.findingHash).toBe('hash-new');
});

test('a newer or same-time event replaces it', async () => {
  await history.saveLatestFinding('fp', finding, 'h1', '2026-12-01T10:00:00Z', 1e10);
  await history.saveLatestFinding('fp', finding, 'h2', '2026-12-01T10:00:00Z', 1e10);
  expect(await stored('fp')).toMatchObject({ findingHash: 'h2' });
  await history.saveLatestFinding('fp', finding, 'h3', '2026-12-03T10:00:00Z', 1e10);
  expect(await stored('fp')).toMatchObject({ findingHash: 'h3', findingEventTime: '2026-12-03T10:00:00Z' });
  expect((await history.getAggregate('fp'))?.findingHash).toBe('h3');
});
