import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../../errors';
import type { HistoryTable } from './history-table';
import { type AggregateItem, aggregateKey } from './items';

export interface NotificationClaim {
  fingerprint: string;
  eventId: string;
  claimedAt: string;
  countAtClaim: number;
  /** What the aggregate said before the claim (undefined: never notified). */
  previousNotifiedAt?: string;
  previousCount?: number;
}

/**
 * Claims the right to notify for this fingerprint, BEFORE publishing: the update succeeds only if the aggregate's
 * notification state is still what we observed and the quiet window has passed (or it never notified), so of
 * concurrent deliveries exactly one wins. Returns the claim, or undefined if someone else notified.
 */
export async function claimNotification(
  table: HistoryTable,
  aggregate: AggregateItem,
  eventId: string,
  claimedAt: string,
  windowCutoff: string,
): Promise<NotificationClaim | undefined> {
  const values: Record<string, unknown> = { ':now': claimedAt, ':count': aggregate.count, ':id': eventId, ':one': 1 };
  const sets = ['lastNotifiedAt = :now', 'countAtLastNotification = :count', 'notifiedByEventId = :id'];
  const removes: string[] = [];
  let condition: string;
  if (aggregate.lastNotifiedAt === undefined) {
    condition = 'attribute_not_exists(lastNotifiedAt)';
    removes.push('previousNotifiedAt', 'previousCountAtNotification');
  } else {
    condition = 'lastNotifiedAt = :observed AND lastNotifiedAt <= :cutoff';
    values[':observed'] = aggregate.lastNotifiedAt;
    values[':cutoff'] = windowCutoff;
    values[':prevAt'] = aggregate.lastNotifiedAt;
    values[':prevCount'] = aggregate.countAtLastNotification ?? 0;
    sets.push('previousNotifiedAt = :prevAt', 'previousCountAtNotification = :prevCount');
  }
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: aggregateKey(aggregate.fingerprint),
        UpdateExpression: `SET ${sets.join(', ')} ADD notificationCount :one${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: condition,
        ExpressionAttributeValues: values,
      }),
    );
  } catch (error) {
    if (isConditionalCheckFailed(error)) return undefined;
    throw error;
  }
  return {
    fingerprint: aggregate.fingerprint,
    eventId,
    claimedAt,
    countAtClaim: aggregate.count,
    previousNotifiedAt: aggregate.lastNotifiedAt,
    previousCount: aggregate.lastNotifiedAt === undefined ? undefined : (aggregate.countAtLastNotification ?? 0),
  };
}

/** Gives a claim back after a failed publish, so the retry (or the next occurrence) can notify. */
export async function rollbackNotification(table: HistoryTable, claim: NotificationClaim): Promise<void> {
  const values: Record<string, unknown> = { ':id': claim.eventId, ':claimedAt': claim.claimedAt, ':minusOne': -1 };
  const sets: string[] = [];
  const removes = ['notifiedByEventId', 'previousNotifiedAt', 'previousCountAtNotification'];
  if (claim.previousNotifiedAt === undefined) removes.push('lastNotifiedAt', 'countAtLastNotification');
  else {
    sets.push('lastNotifiedAt = :prevAt', 'countAtLastNotification = :prevCount');
    values[':prevAt'] = claim.previousNotifiedAt;
    values[':prevCount'] = claim.previousCount ?? 0;
  }
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: aggregateKey(claim.fingerprint),
        UpdateExpression: `${sets.length ? `SET ${sets.join(', ')} ` : ''}REMOVE ${removes.join(', ')} ADD notificationCount :minusOne`,
        ConditionExpression: 'notifiedByEventId = :id AND lastNotifiedAt = :claimedAt',
        ExpressionAttributeValues: values,
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}
