import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Finding } from '../../engine/finding/types';
import { isConditionalCheckFailed } from '../../errors';
import type { HistoryTable } from './history-table';
import {
  type AggregateItem,
  aggregateKey,
  BUCKET_SK_PREFIX,
  bucketKey,
  eventIdHash,
  type FingerprintTotals,
  findingKey,
  type OccurrenceRecord,
} from './items';
import { truncateFindingForStorage } from './truncate';

export async function getAggregate(table: HistoryTable, fingerprint: string): Promise<AggregateItem | undefined> {
  const out = await table.db.send(
    new GetCommand({ TableName: table.tableName, Key: aggregateKey(fingerprint), ConsistentRead: true }),
  );
  return out.Item as AggregateItem | undefined;
}

/**
 * The one write a storm event costs: counts the event in its bucket (fingerprint × BUCKET_SECONDS of eventTime),
 * exactly once. The update adds the event's id hash to `ids` and 1 to `count` in the same conditional write,
 * refused if the hash is already there — so a redelivery, a retry after a crash, or a concurrent duplicate can
 * never count it twice, and there is no state in between to recover from. The bucket's key comes from the event
 * (its eventTime) and its diagnosis (the fingerprint); its descriptive attributes are the first event's, set by
 * every write to the same values, so the item grows only by 11 bytes per event.
 * Returns false when the event was already counted.
 */
export async function countInBucket(table: HistoryTable, record: OccurrenceRecord): Promise<boolean> {
  const names: Record<string, string> = { '#count': 'count', '#type': 'type' };
  const values: Record<string, unknown> = {
    ':one': 1,
    ':ids': new Set([eventIdHash(record.eventId)]),
    ':hash': eventIdHash(record.eventId),
    ':bucket': 'bucket',
    ':t': record.eventTime,
    ':id': record.eventId,
  };
  const sets = ['#type = :bucket', 'lastEventTime = :t', 'latestEventId = :id'];
  for (const [attribute, value] of Object.entries(record)) {
    if (value === undefined) continue;
    names[`#${attribute}`] = attribute;
    values[`:${attribute}_`] = value;
    // The first event's identity and time stay; later events only move lastEventTime/latestEventId.
    sets.push(
      ['eventId', 'eventTime', 'receivedAt', 'callerSessionArn', 'sharedEventId'].includes(attribute)
        ? `#${attribute} = if_not_exists(#${attribute}, :${attribute}_)`
        : `#${attribute} = :${attribute}_`,
    );
  }
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: bucketKey(record.fingerprint, record.eventTime),
        UpdateExpression: `SET ${sets.join(', ')} ADD #count :one, ids :ids`,
        ConditionExpression: 'NOT contains(ids, :hash)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** Whether an event is counted in the bucket its fingerprint and eventTime name. */
export async function isCounted(
  table: HistoryTable,
  fingerprint: string,
  eventId: string,
  eventTime: string,
): Promise<boolean> {
  const out = await table.db.send(
    new GetCommand({
      TableName: table.tableName,
      Key: bucketKey(fingerprint, eventTime),
      ProjectionExpression: 'ids',
      ConsistentRead: true,
    }),
  );
  const ids = out.Item?.ids as Set<string> | undefined;
  return ids?.has(eventIdHash(eventId)) ?? false;
}

/**
 * Adds up a fingerprint's buckets: one Query on its partition (buckets only), paged. Called when a notification is
 * claimed and by `trustgap findings --json`, never per event.
 */
export async function fingerprintTotals(table: HistoryTable, fingerprint: string): Promise<FingerprintTotals> {
  const totals: FingerprintTotals = { count: 0 };
  let start: Record<string, unknown> | undefined;
  let latest = '';
  do {
    const page = await table.db.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :b)',
        ExpressionAttributeValues: { ':pk': `FP#${fingerprint}`, ':b': BUCKET_SK_PREFIX },
        ExpressionAttributeNames: { '#count': 'count' },
        ProjectionExpression: '#count, eventTime, lastEventTime, latestEventId',
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      totals.count += Number(item.count ?? 0);
      if (totals.firstSeen === undefined || item.eventTime < totals.firstSeen) totals.firstSeen = item.eventTime;
      if (item.lastEventTime > latest) {
        latest = item.lastEventTime;
        totals.latestEventId = item.latestEventId;
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  if (latest) totals.lastSeen = latest;
  return totals;
}

/**
 * Stores the latest full finding of a fingerprint (FP#<fp> / FINDING), fitted to the byte budget, and records
 * its content hash on the aggregate. Idempotent; called only when the aggregate's hash differs, so a storm of
 * identical findings writes it once. Never replaces the finding of a newer event (a Lambda retry, or a scan running
 * beside the live monitor, may bring an older one last): the write is conditional on the stored event time.
 */
export async function saveLatestFinding(
  table: HistoryTable,
  fingerprint: string,
  finding: Finding,
  contentHash: string,
  eventTime: string,
  budgetBytes: number,
  expiresAt: number,
): Promise<void> {
  const stored = truncateFindingForStorage(finding, budgetBytes);
  try {
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
        ConditionExpression: 'attribute_not_exists(findingEventTime) OR findingEventTime <= :t',
        ExpressionAttributeValues: { ':t': eventTime },
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailed(error)) return; // a newer event's finding is stored: keep it, and its hash
    throw error;
  }
  await table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: aggregateKey(fingerprint),
      UpdateExpression: 'SET findingHash = :h, #type = :agg, fingerprint = :fp, expiresAt = :exp',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':h': contentHash, ':agg': 'aggregate', ':fp': fingerprint, ':exp': expiresAt },
    }),
  );
}
