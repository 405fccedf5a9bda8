import { createHash } from 'node:crypto';
import type { FindingsHistory } from '../adapters/history/findings-history';
import { canonicalTime, eventDayOf, keyPart, type OccurrenceRecord } from '../adapters/history/items';
import { severityOf } from '../adapters/notify/severity';
import type { Notifier } from '../adapters/notify/sns-notifier';
import type { NormalizedEvent } from '../engine/event/types';
import type { Finding } from '../engine/finding/types';
import { countOnce } from './count-once';
import { type FingerprintParts, fingerprintOf, fingerprintParts } from './fingerprint';
import { LEASE_MARGIN_MS } from './leases';
import { notifyIfDue } from './notify-once';

export interface RecordAndNotifyDeps {
  history: FindingsHistory;
  notifier: Notifier;
  quietWindowMs: number;
  occurrenceTtlDays: number;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Per container (LambdaRuntime): fingerprints seen confirmed as sent, so a storm needs no read per event. */
  sentCache?: Map<string, { sentAt: number; findingHash: string }>;
}

/** One attempt at processing an event: who is trying, and when the Lambda runtime will stop it (epoch ms). */
export interface Attempt {
  invocationId: string;
  deadline: number;
}

export interface RecordOutcome {
  /** recorded: counted by this call; duplicate: it already was; linked-copy: the call's other copy counts. */
  status: 'recorded' | 'duplicate' | 'linked-copy';
  fingerprint: string;
  /** The fingerprint's count when this event claimed its notification (undefined otherwise). */
  count?: number;
  notification: 'sent' | 'suppressed' | 'uncertain' | 'none';
}

const MAX_TEXT = 2048;
/**
 * Bucket items are rewritten by every event of a storm, and DynamoDB bills a write per KB of the item: they keep
 * the first 160 characters of the summary (what `trustgap findings` prints); the whole finding, fix included, is
 * in the FINDING item.
 */
const MAX_BUCKET_TEXT = 160;
const MAX_KEY_BYTES = 1024;

function cap(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** GSI key attributes: at most 1 KB (DynamoDB allows 2 KB for partition, 1 KB for sort keys); absent if empty. */
function indexKey(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  return Buffer.byteLength(value, 'utf8') <= MAX_KEY_BYTES ? value : keyPart(value);
}

/**
 * Hash of what a finding says, without the per-event identifiers (event id, time, and the caller's session ARN,
 * which changes on every CI run while the caller's identity is already in the fingerprint). Equal hashes → the
 * stored latest finding says the same thing, and a storm does not rewrite it on every event.
 */
export function findingContentHash(finding: Finding): string {
  const { eventId: _id, eventTime: _time, caller, ...content } = finding;
  const stable = { ...content, caller: { type: caller.type, accountId: caller.accountId } };
  return createHash('sha256').update(JSON.stringify(stable)).digest('hex').slice(0, 32);
}

export function buildOccurrence(
  event: NormalizedEvent,
  finding: Finding,
  parts: FingerprintParts,
  fingerprint: string,
  nowMs: number,
  ttlDays: number,
): OccurrenceRecord {
  const now = new Date(nowMs);
  const parsed = Date.parse(finding.eventTime);
  const eventTime = canonicalTime(Number.isNaN(parsed) ? nowMs : parsed);
  const item: OccurrenceRecord = {
    eventId: finding.eventId,
    eventTime,
    eventDay: eventDayOf(eventTime, now),
    roleArn: indexKey(parts.role === 'none' ? undefined : parts.role),
    callerArn: indexKey(parts.caller),
    cause: finding.cause,
    fingerprint,
    sharedEventId: event.sharedEventId ? cap(event.sharedEventId, 256) : undefined,
    summary: cap(finding.summary, MAX_BUCKET_TEXT),
    api: finding.api,
    errorCode: cap(finding.errorCode, 128),
    callerType: finding.caller.type,
    callerSessionArn: finding.caller.arn ? cap(finding.caller.arn, 512) : undefined,
    roleAccountId: finding.role.accountId ?? undefined,
    recipientAccountId: event.recipientAccountId,
    awsRegion: event.awsRegion,
    severity: severityOf(finding.cause),
    confidence: finding.confidence,
    policy: finding.policy,
    fixVerified: finding.fix.verified,
    receivedAt: now.toISOString(),
    expiresAt: Math.floor(nowMs / 1000) + ttlDays * 86_400,
  };
  return withoutUndefined(item);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Records one diagnosed event and notifies when its fingerprint calls for it, exactly once per eventID whatever
 * the retries and duplicate deliveries. The steps, each conditional or idempotent (crash points: docs/pipeline.md):
 *   1-3. countOnce (count-once.ts, shared with `trustgap scan --table`): link a shared copy, count the event in its
 *      bucket, confirm the shared claim;
 *   4. refresh the stored latest finding if what it says changed; if a notification is due, claim it (a lease),
 *      publish, confirm — also for a duplicate, which finishes what a crashed attempt owed.
 */
export async function recordAndNotify(
  deps: RecordAndNotifyDeps,
  event: NormalizedEvent,
  finding: Finding,
  attempt: Attempt,
): Promise<RecordOutcome> {
  const clock = deps.clock ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const { history } = deps;
  const parts = fingerprintParts(event, finding);
  const fingerprint = fingerprintOf(parts);
  const record = buildOccurrence(event, finding, parts, fingerprint, clock(), deps.occurrenceTtlDays);
  const claimUntil = attempt.deadline + LEASE_MARGIN_MS;

  const status = await countOnce({ history, clock, sleep }, record, { deadline: attempt.deadline, claimUntil });
  if (status === 'linked-copy') return { status, fingerprint, notification: 'none' };
  const countedNow = status === 'recorded';

  const identity = { caller: parts.caller, role: parts.role, cause: parts.cause, conditionKey: parts.conditionKey };
  const result = await notifyIfDue(
    { history, notifier: deps.notifier, quietWindowMs: deps.quietWindowMs, clock, sleep, sentCache: deps.sentCache },
    {
      record,
      identity,
      event,
      finding,
      findingHash: findingContentHash(finding),
      countedNow,
      invocationId: attempt.invocationId,
      deadline: attempt.deadline,
    },
  );
  return { status, fingerprint, ...result };
}
