import { createHash } from 'node:crypto';

/**
 * Item shapes of the findings table (single-table design; key schema in lib/findings-table-schema.ts).
 *
 *   pk                         sk              what
 *   FP#<fingerprint>           B#<time>        bucket: the events of one fingerprint in one BUCKET_SECONDS slice of
 *                                              eventTime — their count and the hashes of their eventIDs (the
 *                                              exactly-once guard); carries the GSI attributes
 *   FP#<fingerprint>           AGG             aggregate: identity, firstSeen, notification state (small)
 *   FP#<fingerprint>           FINDING         the latest full finding of that fingerprint (fitted to a byte budget)
 *   SHARED#<sharedEventID>     OCC#<id>        link: one per copy of a cross-account call (caller side, owner side)
 *   SHARED#<sharedEventID>     COUNTED         count claim: which copy of the logical call counts (with a lease)
 *
 * Only buckets carry roleArn/callerArn/cause/eventDay together with eventTime, so only they appear in the
 * byRole/byCaller/byCause/byDay indexes; aggregate attributes are named differently on purpose.
 */
export const AGGREGATE_SK = 'AGG';
export const FINDING_SK = 'FINDING';
export const BUCKET_SK_PREFIX = 'B#';
/** A storm's events are counted per fingerprint and per this many seconds of eventTime, in one item. */
export const BUCKET_SECONDS = 10;

/** Key parts come from the event; a hostile or absurd value is hashed instead of breaking the 2 KB key limit. */
export function keyPart(value: string): string {
  return Buffer.byteLength(value, 'utf8') <= 512 ? value : `sha256:${createHash('sha256').update(value).digest('hex')}`;
}

export const aggregateKey = (fingerprint: string) => ({ pk: `FP#${fingerprint}`, sk: AGGREGATE_SK });
export const findingKey = (fingerprint: string) => ({ pk: `FP#${fingerprint}`, sk: FINDING_SK });
export const sharedLinkKey = (sharedEventId: string, eventId: string) => ({
  pk: `SHARED#${keyPart(sharedEventId)}`,
  sk: `OCC#${keyPart(eventId)}`,
});
export const sharedCountKey = (sharedEventId: string) => ({ pk: `SHARED#${keyPart(sharedEventId)}`, sk: 'COUNTED' });

/** The start of the bucket an eventTime (canonical, YYYY-MM-DDTHH:MM:SSZ) falls in. */
export function bucketStart(eventTime: string): string {
  const ms = Date.parse(eventTime);
  return canonicalTime(Math.floor(ms / (BUCKET_SECONDS * 1000)) * BUCKET_SECONDS * 1000);
}

export const bucketKey = (fingerprint: string, eventTime: string) => ({
  pk: `FP#${fingerprint}`,
  sk: `${BUCKET_SK_PREFIX}${bucketStart(eventTime)}`,
});

/**
 * What a bucket keeps of an eventID: 64 bits of its SHA-256 (11 base64url characters instead of 36+). Among the
 * events of one bucket, a collision (which would drop one count) has a probability of about n²/2⁶⁵ — 10⁻¹⁴ for
 * 1,000 events in ten seconds.
 */
export function eventIdHash(eventId: string): string {
  return createHash('sha256').update(eventId).digest().subarray(0, 8).toString('base64url');
}

/** counted: added to its bucket. linked-copy: the other account's copy of the same call was counted instead. */
export type OccurrenceOutcome = 'counted' | 'linked-copy';

/**
 * The events of one fingerprint in one bucket. The descriptive attributes are those of the bucket's first event
 * (every write sets the same values, so the item does not grow); `count`, `ids`, `lastEventTime` and
 * `latestEventId` follow the events.
 */
export interface BucketItem {
  pk: string;
  sk: string;
  type: 'bucket';
  /** The bucket's first event (the one shown by `trustgap findings`). */
  eventId: string;
  eventTime: string;
  eventDay: string;
  roleArn?: string;
  callerArn?: string;
  cause: string;
  fingerprint: string;
  count: number;
  /** eventIdHash of every event counted in the bucket: the exactly-once guard. */
  ids: Set<string>;
  lastEventTime: string;
  latestEventId: string;
  sharedEventId?: string;
  summary: string;
  api: string;
  errorCode: string;
  callerType: string;
  callerSessionArn?: string;
  roleAccountId?: string;
  recipientAccountId?: string;
  awsRegion?: string;
  severity: string;
  confidence: string;
  policy: string;
  fixVerified: boolean;
  receivedAt: string;
  expiresAt: number;
}

/** One event as the pipeline records it: the attributes of its bucket, before counting. */
export type OccurrenceRecord = Omit<
  BucketItem,
  'pk' | 'sk' | 'type' | 'count' | 'ids' | 'lastEventTime' | 'latestEventId'
>;

export interface FingerprintIdentity {
  caller: string;
  role: string;
  cause: string;
  conditionKey: string;
}

/**
 * Notification state of a fingerprint, written only when a notification is claimed, confirmed or given back — never
 * per event. `notifyState` claimed: `notifiedByEventId` holds the right to publish until `claimUntil` (epoch ms,
 * its invocation's deadline plus LEASE_MARGIN_MS); after that anyone may take it over. sent: published.
 */
export interface AggregateItem {
  pk: string;
  sk: string;
  type: 'aggregate';
  fingerprint: string;
  /**
   * What the fingerprint stands for, first seen and the latest summary: written with the fingerprint's description,
   * which may not have happened yet for an aggregate that a notification claim or a count created first (and items
   * written by older versions may lack them). Readers fall back to the latest occurrence (fingerprintSummary).
   */
  identity?: FingerprintIdentity;
  firstSeen?: string;
  summary?: string;
  severity?: string;
  /** Hash of the latest finding's content (without event id/time): the FINDING item is rewritten only when it changes. */
  findingHash?: string;
  lastNotifiedAt?: string;
  notifyState?: 'claimed' | 'sent';
  claimUntil?: number;
  claimOwner?: string;
  /** Publishes whose outcome is unknown (timed out) under the current claim: the next one is the last. */
  uncertainPublishes?: number;
  countAtLastNotification?: number;
  notifiedByEventId?: string;
  /** Values before the current claim, restored if its publish fails. */
  previousNotifiedAt?: string;
  previousCountAtNotification?: number;
  notificationCount?: number;
  expiresAt: number;
}

/** What the buckets of a fingerprint add up to (computed by a Query, never stored per event). */
export interface FingerprintTotals {
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  latestEventId?: string;
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
