import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from '../../errors';
import { getAggregate } from './bucket-writes';
import type { HistoryTable } from './history-table';
import { type AggregateItem, aggregateKey, type FingerprintIdentity } from './items';

export interface NotificationClaim {
  fingerprint: string;
  eventId: string;
  claimedAt: string;
  /** Epoch ms until which the claim is ours; after it, anyone may take it over. */
  claimUntil: number;
  countAtClaim: number;
  /** What the aggregate said before the claim (undefined: never notified). */
  previousNotifiedAt?: string;
  previousCount?: number;
  /** Publishes under this claim whose outcome is unknown (timed out). */
  uncertainPublishes: number;
}

/** new: never notified. reminder: the quiet window passed since a sent one. takeover: a claim whose lease expired. */
export type ClaimMode = 'new' | 'reminder' | 'takeover';

export interface ClaimRequest {
  mode: ClaimMode;
  /** The aggregate as read (absent for a brand-new fingerprint). */
  observed?: AggregateItem;
  fingerprint: string;
  eventId: string;
  /** The claiming invocation (Lambda request id; a retry of the same invocation keeps it). */
  owner: string;
  claimedAt: string;
  claimUntil: number;
  count: number;
  windowCutoff: string;
  identity: FingerprintIdentity;
  firstSeen: string;
  summary: string;
  severity: string;
  expiresAt: number;
}

/**
 * Claims the right to notify for this fingerprint, BEFORE publishing, as a lease: the update succeeds only if the
 * aggregate's notification state is still what we observed, so of concurrent events exactly one wins. A claim that
 * is never confirmed (its publisher crashed, or SNS kept failing and the event dead-lettered) expires at
 * `claimUntil`, and the next event of the fingerprint — or any retry — takes it over: a problem is never left
 * claimed-but-unsent. Returns the claim, or undefined if someone else holds or used the slot.
 */
export async function claimNotification(
  table: HistoryTable,
  request: ClaimRequest,
): Promise<NotificationClaim | undefined> {
  const observed = request.observed;
  const names: Record<string, string> = { '#type': 'type', '#identity': 'identity', '#summary': 'summary' };
  const values: Record<string, unknown> = {
    ':now': request.claimedAt,
    ':until': request.claimUntil,
    ':owner': request.owner,
    ':count': request.count,
    ':id': request.eventId,
    ':claimed': 'claimed',
    ':agg': 'aggregate',
    ':fp': request.fingerprint,
    ':identity': request.identity,
    ':first': request.firstSeen,
    ':summary': request.summary,
    ':severity': request.severity,
    ':exp': request.expiresAt,
  };
  const sets = [
    'lastNotifiedAt = :now',
    'countAtLastNotification = :count',
    'notifiedByEventId = :id',
    'notifyState = :claimed',
    'claimUntil = :until',
    'claimOwner = :owner',
    '#type = :agg',
    'fingerprint = :fp',
    '#identity = if_not_exists(#identity, :identity)',
    'firstSeen = if_not_exists(firstSeen, :first)',
    '#summary = :summary',
    'severity = :severity',
    'expiresAt = :exp',
  ];
  const removes: string[] = [];
  let condition: string;
  let previousNotifiedAt: string | undefined;
  let previousCount: number | undefined;
  if (request.mode === 'new') {
    condition = 'attribute_not_exists(lastNotifiedAt)';
    removes.push('previousNotifiedAt', 'previousCountAtNotification', 'uncertainPublishes');
  } else if (request.mode === 'reminder' && observed?.lastNotifiedAt !== undefined) {
    condition =
      'lastNotifiedAt = :observed AND lastNotifiedAt <= :cutoff AND (notifyState = :sent OR attribute_not_exists(notifyState))';
    values[':observed'] = observed.lastNotifiedAt;
    values[':cutoff'] = request.windowCutoff;
    values[':sent'] = 'sent';
    previousNotifiedAt = observed.lastNotifiedAt;
    previousCount = observed.countAtLastNotification ?? 0;
    values[':prevAt'] = previousNotifiedAt;
    values[':prevCount'] = previousCount;
    sets.push('previousNotifiedAt = :prevAt', 'previousCountAtNotification = :prevCount');
    removes.push('uncertainPublishes');
  } else if (request.mode === 'takeover' && observed?.notifiedByEventId !== undefined) {
    // The notification that was claimed is still owed: keep what to roll back to and the uncertain publishes.
    condition = 'notifiedByEventId = :prevId AND claimUntil = :prevUntil AND notifyState = :claimed';
    values[':prevId'] = observed.notifiedByEventId;
    values[':prevUntil'] = observed.claimUntil ?? 0;
    previousNotifiedAt = observed.previousNotifiedAt;
    previousCount = observed.previousCountAtNotification;
  } else return undefined;
  if (request.mode !== 'takeover') values[':one'] = 1;
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: aggregateKey(request.fingerprint),
        UpdateExpression: `SET ${sets.join(', ')}${request.mode === 'takeover' ? '' : ' ADD notificationCount :one'}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    // An SDK retry of a write that did apply is refused by its own condition: check whether the claim is ours.
    const now = await getAggregate(table, request.fingerprint);
    const ours =
      now?.notifiedByEventId === request.eventId &&
      now.claimOwner === request.owner &&
      now.lastNotifiedAt === request.claimedAt;
    if (!ours) return undefined;
  }
  return {
    fingerprint: request.fingerprint,
    eventId: request.eventId,
    claimedAt: request.claimedAt,
    claimUntil: request.claimUntil,
    countAtClaim: request.count,
    previousNotifiedAt,
    previousCount,
    uncertainPublishes: request.mode === 'takeover' ? (observed?.uncertainPublishes ?? 0) : 0,
  };
}

async function updateOwnClaim(
  table: HistoryTable,
  claim: NotificationClaim,
  update: string,
  values: Record<string, unknown> = {},
): Promise<boolean> {
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: aggregateKey(claim.fingerprint),
        UpdateExpression: update,
        ConditionExpression: 'notifiedByEventId = :id AND lastNotifiedAt = :claimedAt',
        ExpressionAttributeValues: { ':id': claim.eventId, ':claimedAt': claim.claimedAt, ...values },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** The publish went out: the claim becomes the fingerprint's last notification. False if it had been taken over. */
export function confirmNotification(table: HistoryTable, claim: NotificationClaim): Promise<boolean> {
  return updateOwnClaim(table, claim, 'SET notifyState = :sent REMOVE claimUntil, claimOwner, uncertainPublishes', {
    ':sent': 'sent',
  });
}

/** The publish timed out (it may or may not have been delivered): keep the claim, count the uncertain attempt. */
export function recordUncertainPublish(table: HistoryTable, claim: NotificationClaim): Promise<boolean> {
  return updateOwnClaim(table, claim, 'ADD uncertainPublishes :one', { ':one': 1 });
}

/** Gives a claim back after a publish SNS refused, so the retry (or the next occurrence) can notify. */
export async function rollbackNotification(table: HistoryTable, claim: NotificationClaim): Promise<void> {
  const values: Record<string, unknown> = { ':minusOne': -1 };
  const sets: string[] = [];
  const removes = [
    'notifiedByEventId',
    'previousNotifiedAt',
    'previousCountAtNotification',
    'claimUntil',
    'claimOwner',
  ];
  if (claim.previousNotifiedAt === undefined) removes.push('lastNotifiedAt', 'countAtLastNotification', 'notifyState');
  else {
    sets.push('lastNotifiedAt = :prevAt', 'countAtLastNotification = :prevCount', 'notifyState = :sent');
    values[':prevAt'] = claim.previousNotifiedAt;
    values[':prevCount'] = claim.previousCount ?? 0;
    values[':sent'] = 'sent';
  }
  await updateOwnClaim(
    table,
    claim,
    `${sets.length ? `SET ${sets.join(', ')} ` : ''}REMOVE ${removes.join(', ')} ADD notificationCount :minusOne`,
    values,
  );
}
