import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../../errors';
import type { HistoryTable } from './history-table';
import { type OccurrenceItem, sharedCountKey, sharedLinkKey } from './items';

/**
 * Step 2 (records with a sharedEventID only): links this copy under its sharedEventID and decides which copy of
 * the logical call counts. The first copy to claim "SHARED#<sid> / COUNTED" counts and may notify; a later copy
 * (the other account's record of the same call, seen when one table collects several accounts) is a linked
 * copy, recorded but not counted. Re-running it for the same eventId gives the same answer.
 */
export async function linkSharedCopy(
  table: HistoryTable,
  occurrence: OccurrenceItem,
): Promise<{ decision: 'count' } | { decision: 'linked-copy'; countedEventId: string }> {
  const sid = occurrence.sharedEventId;
  if (sid === undefined) return { decision: 'count' };
  await table.db.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        ...sharedLinkKey(sid, occurrence.eventId),
        type: 'shared-link',
        sharedEventId: sid,
        eventId: occurrence.eventId,
        recipientAccountId: occurrence.recipientAccountId,
        fingerprint: occurrence.fingerprint,
        expiresAt: occurrence.expiresAt,
      },
    }),
  );
  try {
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...sharedCountKey(sid),
          type: 'shared-count',
          countedEventId: occurrence.eventId,
          fingerprint: occurrence.fingerprint,
          expiresAt: occurrence.expiresAt,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR countedEventId = :me',
        ExpressionAttributeValues: { ':me': occurrence.eventId },
      }),
    );
    return { decision: 'count' };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
  const out = await table.db.send(
    new GetCommand({ TableName: table.tableName, Key: sharedCountKey(sid), ConsistentRead: true }),
  );
  return { decision: 'linked-copy', countedEventId: String(out.Item?.countedEventId ?? 'unknown') };
}
