import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Finding } from '../../engine/finding/types';
import { TransientError, isConditionalCheckFailed } from '../../pipeline/errors';
import {
  type AggregateItem,
  type FingerprintIdentity,
  type IndexAttributes,
  type OccurrenceItem,
  type OccurrenceOutcome,
  type OccurrenceState,
  aggregateKey,
  canonicalTime,
  findingKey,
  occurrenceKey,
  sharedCountKey,
  sharedLinkKey,
} from './items';
import { DEFAULT_FINDING_BUDGET_BYTES, truncateFindingForStorage } from './truncate';

export type DocumentSender = Pick<DynamoDBDocumentClient, 'send'>;

/** How much older than the aggregate's lastSeen an event may be and still move lastSeen (see countInAggregate). */
export const LAST_SEEN_TOLERANCE_MS = 60_000;

export interface FindingsHistoryOptions {
  documentClient: DocumentSender;
  tableName: string;
  findingBudgetBytes?: number;
}

/** Who is working on an occurrence, and until when (epoch ms) that claim holds. */
export interface Lease {
  owner: string;
  leaseUntil: number;
}

export type OccurrenceClaim =
  | { status: 'claimed'; item: OccurrenceItem }
  | { status: 'done'; item: OccurrenceItem }
  | { status: 'busy'; item: OccurrenceItem };

/**
 * Our claim on an occurrence was taken over (our lease had expired). Another invocation finishes the work; thrown
 * as transient so that this attempt ends and a retry finds the occurrence DONE (a duplicate) or resumes it.
 */
export class LeaseLostError extends TransientError {
  constructor(eventId: string) {
    super(`lost the claim on occurrence ${eventId} to another invocation`);
    this.name = 'LeaseLostError';
  }
}

export interface CountInput {
  occurrence: OccurrenceItem;
  identity: FingerprintIdentity;
  expiresAt: number;
}

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
 * The DynamoDB side of the pipeline: every write is conditional or idempotent, so that the orchestration in
 * src/pipeline/record-and-notify.ts can be retried from any point (crash-point analysis in docs/pipeline.md).
 * Uses only GetItem, PutItem and UpdateItem (no transactions: dynalite has none, and none are needed).
 */
export class FindingsHistory {
  private readonly db: DocumentSender;
  readonly tableName: string;
  private readonly findingBudgetBytes: number;

  constructor(options: FindingsHistoryOptions) {
    this.db = options.documentClient;
    this.tableName = options.tableName;
    this.findingBudgetBytes = options.findingBudgetBytes ?? DEFAULT_FINDING_BUDGET_BYTES;
  }

  /** Step 1: the conditional put. Exactly one delivery of an eventID creates its occurrence. */
  async claimOccurrence(item: OccurrenceItem, lease: Lease, now: number): Promise<OccurrenceClaim> {
    const fresh: OccurrenceItem = { ...item, state: 'COUNTING', owner: lease.owner, leaseUntil: lease.leaseUntil };
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: fresh, ConditionExpression: 'attribute_not_exists(pk)' }));
      return { status: 'claimed', item: fresh };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const existing = await this.getOccurrence(item.eventId);
      if (!existing) throw new Error(`occurrence ${item.eventId} exists but could not be read back`);
      if (existing.state === 'DONE') return { status: 'done', item: existing };
      const held = existing.owner !== undefined && existing.owner !== lease.owner && (existing.leaseUntil ?? 0) > now;
      if (held) return { status: 'busy', item: existing };
      if (await this.takeOver(existing, lease)) return { status: 'claimed', item: { ...existing, owner: lease.owner, leaseUntil: lease.leaseUntil } };
    }
    throw new Error(`could not claim occurrence ${item.eventId}: its owner kept changing`);
  }

  /** Takes over an unfinished occurrence whose previous owner's lease expired (or that we owned). */
  private async takeOver(existing: OccurrenceItem, lease: Lease): Promise<boolean> {
    const values: Record<string, unknown> = { ':me': lease.owner, ':until': lease.leaseUntil, ':state': existing.state };
    let condition = '#state = :state AND ';
    if (existing.owner === undefined) condition += 'attribute_not_exists(#owner)';
    else {
      condition += '#owner = :prevOwner AND leaseUntil = :prevUntil';
      values[':prevOwner'] = existing.owner;
      values[':prevUntil'] = existing.leaseUntil ?? 0;
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: occurrenceKey(existing.eventId),
          UpdateExpression: 'SET #owner = :me, leaseUntil = :until',
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#owner': 'owner', '#state': 'state' },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async getOccurrence(eventId: string): Promise<OccurrenceItem | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: occurrenceKey(eventId), ConsistentRead: true }));
    return out.Item as OccurrenceItem | undefined;
  }

  async getAggregate(fingerprint: string): Promise<AggregateItem | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: aggregateKey(fingerprint), ConsistentRead: true }));
    return out.Item as AggregateItem | undefined;
  }

  /**
   * Step 2 (records with a sharedEventID only): links this copy under its sharedEventID and decides which copy of
   * the logical call counts. The first copy to claim "SHARED#<sid> / COUNTED" counts and may notify; a later copy
   * (the other account's record of the same call, seen when one table collects several accounts) is a linked
   * copy, recorded but not counted. Re-running it for the same eventId gives the same answer.
   */
  async linkSharedCopy(occurrence: OccurrenceItem): Promise<{ decision: 'count' } | { decision: 'linked-copy'; countedEventId: string }> {
    const sid = occurrence.sharedEventId;
    if (sid === undefined) return { decision: 'count' };
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
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
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...sharedCountKey(sid), type: 'shared-count', countedEventId: occurrence.eventId, fingerprint: occurrence.fingerprint, expiresAt: occurrence.expiresAt },
          ConditionExpression: 'attribute_not_exists(pk) OR countedEventId = :me',
          ExpressionAttributeValues: { ':me': occurrence.eventId },
        }),
      );
      return { decision: 'count' };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: sharedCountKey(sid), ConsistentRead: true }));
    return { decision: 'linked-copy', countedEventId: String(out.Item?.countedEventId ?? 'unknown') };
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
  async countInAggregate(input: CountInput): Promise<{ aggregate: AggregateItem; countedNow: boolean }> {
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
    const common = 'ADD #count :one, pendingIds :ids SET #type = :aggType, #fp = :fp, #identity = if_not_exists(#identity, :identity), expiresAt = :exp';
    const eventMs = Date.parse(occ.eventTime);
    const tolerated = Number.isNaN(eventMs) ? occ.eventTime : canonicalTime(eventMs + LAST_SEEN_TOLERANCE_MS);
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: aggregateKey(occ.fingerprint),
          UpdateExpression: `${common}, firstSeen = if_not_exists(firstSeen, :t), lastSeen = :t, latestEventId = :id, #summary = :summary, #severity = :severity`,
          ConditionExpression: 'NOT contains(pendingIds, :id) AND (attribute_not_exists(lastSeen) OR lastSeen <= :tolerated)',
          ExpressionAttributeNames: { ...guardNames, '#summary': 'summary', '#severity': 'severity' },
          ExpressionAttributeValues: { ...guard, ':t': occ.eventTime, ':tolerated': tolerated, ':summary': occ.summary, ':severity': occ.severity },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { aggregate: out.Attributes as AggregateItem, countedNow: true };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    // Either already counted (a retry), or much older than lastSeen: count it if the guard allows.
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
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
        await this.moveFirstSeenBack(occ.fingerprint, occ.eventTime);
        aggregate.firstSeen = occ.eventTime;
      }
      return { aggregate, countedNow: true };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const counted = await this.getAggregate(occ.fingerprint);
    if (!counted) throw new Error(`aggregate ${occ.fingerprint} vanished while counting ${occ.eventId}`);
    return { aggregate: counted, countedNow: false };
  }

  private async moveFirstSeenBack(fingerprint: string, eventTime: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
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
  async saveLatestFinding(fingerprint: string, finding: Finding, contentHash: string, eventTime: string): Promise<void> {
    const stored = truncateFindingForStorage(finding, this.findingBudgetBytes);
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...findingKey(fingerprint), type: 'finding', fingerprint, findingHash: contentHash, findingEventTime: eventTime, latestFinding: stored },
      }),
    );
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: aggregateKey(fingerprint),
        UpdateExpression: 'SET findingHash = :h',
        ExpressionAttributeValues: { ':h': contentHash },
      }),
    );
  }

  /** Moves an occurrence we own from one state to the next; DONE also releases the claim. */
  async advanceOccurrence(
    eventId: string,
    owner: string,
    from: OccurrenceState,
    to: OccurrenceState,
    extra: { outcome?: OccurrenceOutcome; notified?: boolean; linkedTo?: string; index?: IndexAttributes } = {},
  ): Promise<void> {
    const sets = ['#state = :to'];
    const names: Record<string, string> = { '#state': 'state', '#owner': 'owner' };
    const values: Record<string, unknown> = { ':to': to, ':from': from, ':me': owner };
    const removes = to === 'DONE' ? ['#owner', 'leaseUntil'] : [];
    if (to === 'DONE' && extra.index !== undefined) {
      // Entering the indexes: only now does the occurrence become visible to byRole/byCaller/byCause/byDay.
      for (const [attribute, value] of Object.entries(extra.index)) {
        if (value === undefined) continue;
        names[`#${attribute}`] = attribute;
        values[`:${attribute}`] = value;
        sets.push(`#${attribute} = :${attribute}`);
      }
      removes.push('indexAttributes');
    }
    if (extra.outcome !== undefined) {
      sets.push('outcome = :outcome');
      values[':outcome'] = extra.outcome;
    }
    if (extra.linkedTo !== undefined) {
      sets.push('linkedTo = :linkedTo');
      values[':linkedTo'] = extra.linkedTo;
    }
    if (extra.notified !== undefined) {
      sets.push('notified = :notified');
      values[':notified'] = extra.notified;
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: occurrenceKey(eventId),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: '#owner = :me AND #state = :from',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new LeaseLostError(eventId);
      throw error;
    }
  }

  /** Takes the event id out of the aggregate's guard set. Idempotent (DELETE of an absent element is a no-op). */
  async clearPending(fingerprint: string, eventId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: aggregateKey(fingerprint),
        UpdateExpression: 'DELETE pendingIds :ids',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':ids': new Set([eventId]) },
      }),
    ).catch((error) => {
      if (!isConditionalCheckFailed(error)) throw error;
    });
  }

  /**
   * Claims the right to notify for this fingerprint, BEFORE publishing: the update succeeds only if the aggregate's
   * notification state is still what we observed and the quiet window has passed (or it never notified), so of
   * concurrent deliveries exactly one wins. Returns the claim, or undefined if someone else notified.
   */
  async claimNotification(aggregate: AggregateItem, eventId: string, claimedAt: string, windowCutoff: string): Promise<NotificationClaim | undefined> {
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
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
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
  async rollbackNotification(claim: NotificationClaim): Promise<void> {
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
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
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

  /** Best effort, on the way out of a failed attempt: lets the retry start at once instead of waiting out the lease. */
  async releaseLease(eventId: string, owner: string): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: occurrenceKey(eventId),
          UpdateExpression: 'REMOVE #owner, leaseUntil',
          ConditionExpression: '#owner = :me',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':me': owner },
        }),
      )
      .catch((error) => {
        if (!isConditionalCheckFailed(error)) throw error;
      });
  }
}
