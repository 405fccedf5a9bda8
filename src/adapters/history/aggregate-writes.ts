import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Finding } from '../../engine/finding/types';
import { isConditionalCheckFailed } from '../../errors';
import type { HistoryTable } from './history-table';
import {
  type AggregateItem,
  aggregateKey,
  canonicalTime,
  type FingerprintIdentity,
  findingKey,
  type OccurrenceItem,
} from './items';
import { truncateFindingForStorage } from './truncate';

/** How much older than the aggregate's lastSeen an event may be and still move lastSeen (see countInAggregate). */
export const LAST_SEEN_TOLERANCE_MS = 60_000;

export interface CountInput {
  occurrence: OccurrenceItem;
  identity: FingerprintIdentity;
  expiresAt: number;
}

export async function getAggregate(table: HistoryTable, fingerprint: string): Promise<AggregateItem | undefined> {
  const out = await table.db.send(
    new GetCommand({ TableName: table.tableName, Key: aggregateKey(fingerprint), ConsistentRead: true }),
  );
  return out.Item as AggregateItem | undefined;
}

/**
 * Step 3: adds the occurrence to its aggregate exactly once. The ADD is guarded by `pendingIds`: the event id
 * joins the set in the same update that increments the count, and the update is refused if it is already
 * there. The id leaves the set (clearPending) only after the occurrence is durably COUNTED or DONE, so a
 * retry either sees the id in the set or sees the occurrence past COUNTING — never neither.
 *
 * lastSeen/latestEventId move forward only, with a tolerance: concurrent containers finish a storm's events
 * slightly out of order, and refusing every update that is a few seconds older would cost a second write for
 * half of them. An event up to LAST_SEEN_TOLERANCE older than lastSeen still sets it (lastSeen and firstSeen are
 * exact to within that tolerance); an older one (a retry, a redrive) is counted without touching lastSeen and
 * pulls firstSeen back if it is older still.
 * Returns the aggregate after the update and whether this call did the counting.
 */
export async function countInAggregate(
  table: HistoryTable,
  input: CountInput,
): Promise<{ aggregate: AggregateItem; countedNow: boolean }> {
  const occ = input.occurrence;
  const guard = {
    ':one': 1,
    ':ids': new Set([occ.eventId]),
    ':id': occ.eventId,
    ':aggType': 'aggregate',
    ':fp': occ.fingerprint,
    ':identity': input.identity,
    ':exp': input.expiresAt,
  };
  const guardNames = { '#count': 'count', '#type': 'type', '#fp': 'fingerprint', '#identity': 'identity' };
  const common =
    'ADD #count :one, pendingIds :ids SET #type = :aggType, #fp = :fp, #identity = if_not_exists(#identity, :identity), expiresAt = :exp';
  const eventMs = Date.parse(occ.eventTime);
  const tolerated = Number.isNaN(eventMs) ? occ.eventTime : canonicalTime(eventMs + LAST_SEEN_TOLERANCE_MS);
  try {
    const out = await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: aggregateKey(occ.fingerprint),
        UpdateExpression: `${common}, firstSeen = if_not_exists(firstSeen, :t), lastSeen = :t, latestEventId = :id, #summary = :summary, #severity = :severity`,
        ConditionExpression:
          'NOT contains(pendingIds, :id) AND (attribute_not_exists(lastSeen) OR lastSeen <= :tolerated)',
        ExpressionAttributeNames: { ...guardNames, '#summary': 'summary', '#severity': 'severity' },
        ExpressionAttributeValues: {
          ...guard,
          ':t': occ.eventTime,
          ':tolerated': tolerated,
          ':summary': occ.summary,
          ':severity': occ.severity,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { aggregate: out.Attributes as AggregateItem, countedNow: true };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
  // Either already counted (a retry), or much older than lastSeen: count it if the guard allows.
  try {
    const out = await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: aggregateKey(occ.fingerprint),
        UpdateExpression: common,
        ConditionExpression: 'NOT contains(pendingIds, :id)',
        ExpressionAttributeNames: guardNames,
        ExpressionAttributeValues: guard,
        ReturnValues: 'ALL_NEW',
      }),
    );
    const aggregate = out.Attributes as AggregateItem;
    if (aggregate.firstSeen > occ.eventTime) {
      await moveFirstSeenBack(table, occ.fingerprint, occ.eventTime);
      aggregate.firstSeen = occ.eventTime;
    }
    return { aggregate, countedNow: true };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
  const counted = await getAggregate(table, occ.fingerprint);
  if (!counted) throw new Error(`aggregate ${occ.fingerprint} vanished while counting ${occ.eventId}`);
  return { aggregate: counted, countedNow: false };
}

async function moveFirstSeenBack(table: HistoryTable, fingerprint: string, eventTime: string): Promise<void> {
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: aggregateKey(fingerprint),
        UpdateExpression: 'SET firstSeen = :t',
        ConditionExpression: 'firstSeen > :t',
        ExpressionAttributeValues: { ':t': eventTime },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

/**
 * Stores the latest full finding of a fingerprint (FP#<fp> / FINDING), fitted to the byte budget, and records
 * its content hash on the aggregate. Idempotent; called only when the aggregate's hash differs, so a storm of
 * identical findings writes it once while the small aggregate item absorbs the per-event updates.
 */
export async function saveLatestFinding(
  table: HistoryTable,
  fingerprint: string,
  finding: Finding,
  contentHash: string,
  eventTime: string,
  budgetBytes: number,
): Promise<void> {
  const stored = truncateFindingForStorage(finding, budgetBytes);
  await table.db.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        ...findingKey(fingerprint),
        type: 'finding',
        fingerprint,
        findingHash: contentHash,
        findingEventTime: eventTime,
        latestFinding: stored,
      },
    }),
  );
  await table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: aggregateKey(fingerprint),
      UpdateExpression: 'SET findingHash = :h',
      ExpressionAttributeValues: { ':h': contentHash },
    }),
  );
}

/** Takes the event id out of the aggregate's guard set. Idempotent (DELETE of an absent element is a no-op). */
export async function clearPending(table: HistoryTable, fingerprint: string, eventId: string): Promise<void> {
  await table.db
    .send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: aggregateKey(fingerprint),
        UpdateExpression: 'DELETE pendingIds :ids',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':ids': new Set([eventId]) },
      }),
    )
    .catch((error) => {
      if (!isConditionalCheckFailed(error)) throw error;
    });
}
