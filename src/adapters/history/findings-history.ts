import type { Finding } from '../../engine/finding/types';
import { countInBucket, fingerprintTotals, getAggregate, isCounted, saveLatestFinding } from './bucket-writes';
import { type CountedEvents, countedEvents } from './counted-events';
import { describeFingerprint, type FingerprintDescription, latestFindingEventTime } from './fingerprint-description';
import type { DocumentSender, HistoryTable } from './history-table';
import type { AggregateItem, FingerprintTotals, OccurrenceRecord } from './items';
import {
  type ClaimRequest,
  claimNotification,
  confirmNotification,
  type NotificationClaim,
  recordUncertainPublish,
  rollbackNotification,
} from './notification-claims';
import { confirmSharedCount, linkSharedCopy, type SharedCopyDecision } from './shared-links';
import { DEFAULT_FINDING_BUDGET_BYTES } from './truncate';

export type { CountedEvents } from './counted-events';
export type { FingerprintDescription } from './fingerprint-description';
export type { DocumentSender } from './history-table';
export type { ClaimMode, ClaimRequest, NotificationClaim } from './notification-claims';
export type { SharedCopyDecision } from './shared-links';

export interface FindingsHistoryOptions {
  documentClient: DocumentSender;
  tableName: string;
  findingBudgetBytes?: number;
}

/**
 * The DynamoDB side of the pipeline, usable on its own (the Lambda, `trustgap findings`, `trustgap scan --table`):
 * every write is conditional or idempotent, so that the orchestration in src/pipeline/record-and-notify.ts can be
 * retried from any point (crash-point analysis in docs/pipeline.md). Uses only GetItem, PutItem, UpdateItem and
 * Query (no transactions: dynalite has none, and none are needed). A storm event costs one write, its bucket's;
 * the aggregate is written only to claim, confirm or give back a notification.
 */
export class FindingsHistory {
  readonly tableName: string;
  private readonly table: HistoryTable;
  private readonly findingBudgetBytes: number;

  constructor(options: FindingsHistoryOptions) {
    this.tableName = options.tableName;
    this.table = { db: options.documentClient, tableName: options.tableName };
    this.findingBudgetBytes = options.findingBudgetBytes ?? DEFAULT_FINDING_BUDGET_BYTES;
  }

  /** Counts one event in its bucket, exactly once: false when it already was (redelivery, retry, duplicate). */
  countEvent(record: OccurrenceRecord): Promise<boolean> {
    return countInBucket(this.table, record);
  }

  isCounted(fingerprint: string, eventId: string, eventTime: string): Promise<boolean> {
    return isCounted(this.table, fingerprint, eventId, eventTime);
  }

  /** count, firstSeen, lastSeen of a fingerprint, from its buckets (one paged Query). */
  totals(fingerprint: string): Promise<FingerprintTotals> {
    return fingerprintTotals(this.table, fingerprint);
  }

  getAggregate(fingerprint: string): Promise<AggregateItem | undefined> {
    return getAggregate(this.table, fingerprint);
  }

  /** Records with a sharedEventID only: see shared-links.ts. */
  linkSharedCopy(record: OccurrenceRecord, claimUntil: number, now: number): Promise<SharedCopyDecision> {
    return linkSharedCopy(this.table, record, claimUntil, now);
  }

  confirmSharedCount(sharedEventId: string, eventId: string): Promise<void> {
    return confirmSharedCount(this.table, sharedEventId, eventId);
  }

  saveLatestFinding(
    fingerprint: string,
    finding: Finding,
    contentHash: string,
    eventTime: string,
    expiresAt: number,
  ): Promise<void> {
    return saveLatestFinding(
      this.table,
      fingerprint,
      finding,
      contentHash,
      eventTime,
      this.findingBudgetBytes,
      expiresAt,
    );
  }

  /** Which of these events' slices hold which counted events, under any fingerprint (counted-events.ts). */
  countedEvents(eventTimes: readonly string[]): Promise<CountedEvents> {
    return countedEvents(this.table, eventTimes);
  }

  /** Identity, summary and severity on the aggregate when no notification claim set them (the scan). */
  describeFingerprint(fingerprint: string, description: FingerprintDescription): Promise<void> {
    return describeFingerprint(this.table, fingerprint, description);
  }

  latestFindingEventTime(fingerprint: string): Promise<string | undefined> {
    return latestFindingEventTime(this.table, fingerprint);
  }

  /** Claim before publish, as a lease: see notification-claims.ts. */
  claimNotification(request: ClaimRequest): Promise<NotificationClaim | undefined> {
    return claimNotification(this.table, request);
  }

  confirmNotification(claim: NotificationClaim): Promise<boolean> {
    return confirmNotification(this.table, claim);
  }

  recordUncertainPublish(claim: NotificationClaim): Promise<boolean> {
    return recordUncertainPublish(this.table, claim);
  }

  rollbackNotification(claim: NotificationClaim): Promise<void> {
    return rollbackNotification(this.table, claim);
  }
}
