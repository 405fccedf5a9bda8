import { createHash } from 'node:crypto';

/**
 * Item shapes of the findings table (single-table design; key schema in lib/findings-table-schema.ts).
 *
 *   pk                         sk          what
 *   OCC#<eventId>              OCC         occurrence: one per CloudTrail record; carries the GSI attributes
 *   FP#<fingerprint>           AGG         aggregate: count, firstSeen/lastSeen, notification state (small)
 *   FP#<fingerprint>           FINDING     the latest full finding of that fingerprint (fitted to a byte budget)
 *   SHARED#<sharedEventID>     OCC#<id>    link: one per copy of a cross-account call (caller side, owner side)
 *   SHARED#<sharedEventID>     COUNTED     count claim: which copy of the logical call was counted
 *
 * Only occurrences carry roleArn/callerArn/cause/eventDay together with eventTime, so only they appear in the
 * byRole/byCaller/byCause/byDay indexes; aggregate attributes are named differently on purpose. An occurrence
 * keeps those four in `indexAttributes` while it is being processed and gets them as top-level attributes in its
 * DONE write: queries never show half-processed occurrences, and the four GSI replications are paid once per
 * occurrence, not once per state change.
 */
export const OCCURRENCE_SK = 'OCC';
export const AGGREGATE_SK = 'AGG';
export const FINDING_SK = 'FINDING';

/** Key parts come from the event; a hostile or absurd value is hashed instead of breaking the 2 KB key limit. */
export function keyPart(value: string): string {
  return Buffer.byteLength(value, 'utf8') <= 512 ? value : `sha256:${createHash('sha256').update(value).digest('hex')}`;
}

export const occurrenceKey = (eventId: string) => ({ pk: `OCC#${keyPart(eventId)}`, sk: OCCURRENCE_SK });
export const aggregateKey = (fingerprint: string) => ({ pk: `FP#${fingerprint}`, sk: AGGREGATE_SK });
export const findingKey = (fingerprint: string) => ({ pk: `FP#${fingerprint}`, sk: FINDING_SK });
export const sharedLinkKey = (sharedEventId: string, eventId: string) => ({
  pk: `SHARED#${keyPart(sharedEventId)}`,
  sk: `OCC#${keyPart(eventId)}`,
});
export const sharedCountKey = (sharedEventId: string) => ({ pk: `SHARED#${keyPart(sharedEventId)}`, sk: 'COUNTED' });

/**
 * Occurrence state machine (see docs/pipeline.md, "Exactly-once"):
 *   COUNTING  written by the first conditional put; the aggregate may or may not include it yet
 *   COUNTED   the aggregate includes it; a notification decision is pending
 *   DONE      nothing left to do; a redelivery is acknowledged as a duplicate
 */
export type OccurrenceState = 'COUNTING' | 'COUNTED' | 'DONE';
/** counted: added to its aggregate. linked-copy: the other account's copy of the same call was counted instead. */
export type OccurrenceOutcome = 'counted' | 'linked-copy';

export interface OccurrenceItem {
  pk: string;
  sk: string;
  type: 'occurrence';
  eventId: string;
  eventTime: string;
  /** Set by the DONE write (from indexAttributes): the GSI partition keys. */
  eventDay?: string;
  roleArn?: string;
  callerArn?: string;
  cause?: string;
  /** The GSI partition keys while the occurrence is not DONE yet (removed by the DONE write). */
  indexAttributes?: IndexAttributes;
  fingerprint: string;
  sharedEventId?: string;
  summary: string;
  api: string;
  errorCode: string;
  callerType: string;
  /** The ARN CloudTrail logged for the caller (for a role session: the session ARN). */
  callerSessionArn?: string;
  roleAccountId?: string;
  recipientAccountId?: string;
  awsRegion?: string;
  severity: string;
  confidence: string;
  policy: string;
  fixSummary: string;
  fixVerified: boolean;
  receivedAt: string;
  expiresAt: number;
  state: OccurrenceState;
  /** The invocation working on it, and until when (epoch ms) its claim holds. Removed when DONE. */
  owner?: string;
  leaseUntil?: number;
  outcome?: OccurrenceOutcome;
  /** linked-copy: the eventID of the copy that was counted. */
  linkedTo?: string;
  notified?: boolean;
}

/** The occurrence's keys in the byRole/byCaller/byCause/byDay indexes (all share eventTime as sort key). */
export interface IndexAttributes {
  eventDay: string;
  roleArn?: string;
  callerArn?: string;
  cause: string;
}

export interface FingerprintIdentity {
  caller: string;
  role: string;
  cause: string;
  conditionKey: string;
}

export interface AggregateItem {
  pk: string;
  sk: string;
  type: 'aggregate';
  fingerprint: string;
  identity: FingerprintIdentity;
  count: number;
  firstSeen: string;
  lastSeen: string;
  latestEventId: string;
  summary: string;
  severity: string;
  /** Hash of the latest finding's content (without event id/time): the FINDING item is rewritten only when it changes. */
  findingHash?: string;
  /** Event ids counted but whose occurrence is not yet marked COUNTED: the idempotency guard of the ADD. */
  pendingIds?: Set<string>;
  lastNotifiedAt?: string;
  countAtLastNotification?: number;
  notifiedByEventId?: string;
  /** Values before the current claim, restored if its publish fails. */
  previousNotifiedAt?: string;
  previousCountAtNotification?: number;
  notificationCount?: number;
  expiresAt: number;
}

/**
 * The one timestamp format stored in eventTime/firstSeen/lastSeen: YYYY-MM-DDTHH:MM:SSZ, CloudTrail's own. The
 * GSI sort keys and the lastSeen conditions compare these as strings, which is only correct for one format
 * ("…:00Z" sorts after "…:00.000Z").
 */
export function canonicalTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** YYYY-MM-DD (UTC) of an ISO timestamp, the byDay partition. */
export function eventDayOf(eventTime: string, fallback: Date): string {
  const t = Date.parse(eventTime);
  return (Number.isNaN(t) ? fallback : new Date(t)).toISOString().slice(0, 10);
}
