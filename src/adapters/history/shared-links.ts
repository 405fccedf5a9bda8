import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../../errors';
import { isCounted } from './bucket-writes';
import type { HistoryTable } from './history-table';
import { type OccurrenceRecord, sharedCountKey, sharedLinkKey } from './items';

export type SharedCopyDecision =
  | { decision: 'count' }
  | { decision: 'linked-copy'; countedEventId: string }
  /** Another copy holds a live claim to count the call: wait for it, or retry later. */
  | { decision: 'wait'; claimUntil: number };

interface SharedCountItem {
  countedEventId: string;
  state?: 'claimed' | 'counted';
  claimUntil?: number;
  fingerprint: string;
  eventTime: string;
}

/**
 * Step 1 (records with a sharedEventID only): links this copy under its sharedEventID and decides which copy of
 * the logical call counts. The first copy to claim "SHARED#<sid> / COUNTED" holds it as a lease until its
 * invocation's deadline plus the lease margin, counts, then confirms (state counted). A later copy (the other
 * account's record of the same call, seen when one table collects several accounts) is a linked copy — unless the
 * claim was never confirmed and its lease expired (the first copy dead-lettered): then, if the first copy's bucket
 * does not hold it, this copy takes the claim over and is counted instead. Re-running it for the same eventId
 * gives the same answer.
 */
export async function linkSharedCopy(
  table: HistoryTable,
  record: OccurrenceRecord,
  claimUntil: number,
  now: number,
): Promise<SharedCopyDecision> {
  const sid = record.sharedEventId;
  if (sid === undefined) return { decision: 'count' };
  await table.db.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        ...sharedLinkKey(sid, record.eventId),
        type: 'shared-link',
        sharedEventId: sid,
        eventId: record.eventId,
        recipientAccountId: record.recipientAccountId,
        fingerprint: record.fingerprint,
        expiresAt: record.expiresAt,
      },
    }),
  );
  const mine = {
    countedEventId: record.eventId,
    state: 'claimed',
    claimUntil,
    fingerprint: record.fingerprint,
    eventTime: record.eventTime,
  };
  try {
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...sharedCountKey(sid), type: 'shared-count', ...mine, expiresAt: record.expiresAt },
        ConditionExpression: 'attribute_not_exists(pk) OR countedEventId = :me',
        ExpressionAttributeValues: { ':me': record.eventId },
      }),
    );
    return { decision: 'count' };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const out = await table.db.send(
      new GetCommand({ TableName: table.tableName, Key: sharedCountKey(sid), ConsistentRead: true }),
    );
    const claim = out.Item as SharedCountItem | undefined;
    if (!claim) throw new Error(`shared count claim ${sid} vanished`);
    if (claim.countedEventId === record.eventId) return { decision: 'count' };
    if (claim.state !== 'claimed') return { decision: 'linked-copy', countedEventId: claim.countedEventId };
    if ((claim.claimUntil ?? 0) > now) return { decision: 'wait', claimUntil: claim.claimUntil ?? now };
    // The first copy's invocation is over (its lease expired) without confirming. If it counted before dying, the
    // call is counted: confirm for it. Otherwise this copy takes the claim over.
    if (await isCounted(table, claim.fingerprint, claim.countedEventId, claim.eventTime)) {
      await confirmSharedCount(table, sid, claim.countedEventId);
      return { decision: 'linked-copy', countedEventId: claim.countedEventId };
    }
    try {
      await table.db.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: sharedCountKey(sid),
          UpdateExpression:
            'SET countedEventId = :me, #state = :claimed, claimUntil = :until, fingerprint = :fp, eventTime = :t',
          ConditionExpression: 'countedEventId = :prev AND claimUntil = :prevUntil',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':me': record.eventId,
            ':claimed': 'claimed',
            ':until': claimUntil,
            ':fp': record.fingerprint,
            ':t': record.eventTime,
            ':prev': claim.countedEventId,
            ':prevUntil': claim.claimUntil ?? 0,
          },
        }),
      );
      return { decision: 'count' };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
  throw new Error(`could not settle the count claim of shared event ${sid}: it kept changing`);
}

/** The copy that holds the claim is counted: later copies are linked to it. Idempotent. */
export async function confirmSharedCount(table: HistoryTable, sharedEventId: string, eventId: string): Promise<void> {
  await table.db
    .send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: sharedCountKey(sharedEventId),
        UpdateExpression: 'SET #state = :counted REMOVE claimUntil',
        ConditionExpression: 'countedEventId = :me',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':counted': 'counted', ':me': eventId },
      }),
    )
    .catch((error) => {
      if (!isConditionalCheckFailed(error)) throw error;
    });
}
