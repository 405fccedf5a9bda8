import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Finding } from '../../engine/finding/types';
import { isConditionalCheckFailed, TransientError } from '../../errors';
import { type CountInput, clearPending, countInAggregate, getAggregate, saveLatestFinding } from './aggregate-writes';
import type { DocumentSender, HistoryTable } from './history-table';
import {
  type AggregateItem,
  type IndexAttributes,
  type OccurrenceItem,
  type OccurrenceOutcome,
  type OccurrenceState,
  occurrenceKey,
} from './items';
import { claimNotification, type NotificationClaim, rollbackNotification } from './notification-claims';
import { linkSharedCopy } from './shared-links';
import { DEFAULT_FINDING_BUDGET_BYTES } from './truncate';

export type { CountInput } from './aggregate-writes';
export { LAST_SEEN_TOLERANCE_MS } from './aggregate-writes';
export type { DocumentSender } from './history-table';
export type { NotificationClaim } from './notification-claims';

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

/**
 * The DynamoDB side of the pipeline: every write is conditional or idempotent, so that the orchestration in
 * src/pipeline/record-and-notify.ts can be retried from any point (crash-point analysis in docs/pipeline.md).
 * Uses only GetItem, PutItem and UpdateItem (no transactions: dynalite has none, and none are needed).
 * Occurrence writes are here; the aggregate's (aggregate-writes.ts), the notification claim's
 * (notification-claims.ts) and the cross-account links' (shared-links.ts) are in their own modules.
 */
export class FindingsHistory {
  private readonly db: DocumentSender;
  readonly tableName: string;
  private readonly table: HistoryTable;
  private readonly findingBudgetBytes: number;

  constructor(options: FindingsHistoryOptions) {
    this.db = options.documentClient;
    this.tableName = options.tableName;
    this.table = { db: options.documentClient, tableName: options.tableName };
    this.findingBudgetBytes = options.findingBudgetBytes ?? DEFAULT_FINDING_BUDGET_BYTES;
  }

  /** Step 1: the conditional put. Exactly one delivery of an eventID creates its occurrence. */
  async claimOccurrence(item: OccurrenceItem, lease: Lease, now: number): Promise<OccurrenceClaim> {
    const fresh: OccurrenceItem = { ...item, state: 'COUNTING', owner: lease.owner, leaseUntil: lease.leaseUntil };
    try {
      await this.db.send(
        new PutCommand({ TableName: this.tableName, Item: fresh, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
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
      if (await this.takeOver(existing, lease))
        return { status: 'claimed', item: { ...existing, owner: lease.owner, leaseUntil: lease.leaseUntil } };
    }
    throw new Error(`could not claim occurrence ${item.eventId}: its owner kept changing`);
  }

  /** Takes over an unfinished occurrence whose previous owner's lease expired (or that we owned). */
  private async takeOver(existing: OccurrenceItem, lease: Lease): Promise<boolean> {
    const values: Record<string, unknown> = {
      ':me': lease.owner,
      ':until': lease.leaseUntil,
      ':state': existing.state,
    };
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
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: occurrenceKey(eventId), ConsistentRead: true }),
    );
    return out.Item as OccurrenceItem | undefined;
  }

  getAggregate(fingerprint: string): Promise<AggregateItem | undefined> {
    return getAggregate(this.table, fingerprint);
  }

  /** Step 2, records with a sharedEventID only: see shared-links.ts. */
  linkSharedCopy(occurrence: OccurrenceItem): ReturnType<typeof linkSharedCopy> {
    return linkSharedCopy(this.table, occurrence);
  }

  /** Step 3, the guarded ADD: see aggregate-writes.ts. */
  countInAggregate(input: CountInput): Promise<{ aggregate: AggregateItem; countedNow: boolean }> {
    return countInAggregate(this.table, input);
  }

  saveLatestFinding(fingerprint: string, finding: Finding, contentHash: string, eventTime: string): Promise<void> {
    return saveLatestFinding(this.table, fingerprint, finding, contentHash, eventTime, this.findingBudgetBytes);
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

  clearPending(fingerprint: string, eventId: string): Promise<void> {
    return clearPending(this.table, fingerprint, eventId);
  }

  /** Step 6, claim before publish: see notification-claims.ts. */
  claimNotification(
    aggregate: AggregateItem,
    eventId: string,
    claimedAt: string,
    windowCutoff: string,
  ): Promise<NotificationClaim | undefined> {
    return claimNotification(this.table, aggregate, eventId, claimedAt, windowCutoff);
  }

  rollbackNotification(claim: NotificationClaim): Promise<void> {
    return rollbackNotification(this.table, claim);
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
