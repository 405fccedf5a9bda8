import { createHash } from 'node:crypto';
import type { FindingsHistory, NotificationClaim, OccurrenceClaim } from '../adapters/history/findings-history';
import { type AggregateItem, canonicalTime, eventDayOf, keyPart, type OccurrenceItem } from '../adapters/history/items';
import type { NotificationContext } from '../adapters/notify/message-view';
import { severityOf } from '../adapters/notify/severity';
import type { Notifier } from '../adapters/notify/sns-notifier';
import type { NormalizedEvent } from '../engine/event/types';
import type { Finding } from '../engine/finding/types';
import { EventInProgressError } from '../errors';
import { type FingerprintParts, fingerprintOf, fingerprintParts } from './fingerprint';
import { decideNotification } from './notification-decision';

export interface RecordAndNotifyDeps {
  history: FindingsHistory;
  notifier: Notifier;
  quietWindowMs: number;
  occurrenceTtlDays: number;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** One attempt at processing an event: who is trying, and when the Lambda runtime will stop it (epoch ms). */
export interface Attempt {
  invocationId: string;
  deadline: number;
}

export interface RecordOutcome {
  /** recorded: first time this eventID was processed to completion by this call; duplicate: it already was. */
  status: 'recorded' | 'duplicate' | 'linked-copy';
  fingerprint: string;
  /** The aggregate count after this event (undefined for duplicates). */
  count?: number;
  notification: 'sent' | 'suppressed' | 'none';
}

/** Past the Lambda deadline, plus clock skew: after this, the owner of a lease is certainly dead. */
const LEASE_MARGIN_MS = 5_000;
const POLL_INTERVAL_MS = 250;
/** Stop waiting for a concurrent duplicate this long before our own deadline, to throw cleanly. */
const WAIT_RESERVE_MS = 3_000;

const MAX_TEXT = 2048;
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
): OccurrenceItem {
  const now = new Date(nowMs);
  const parsed = Date.parse(finding.eventTime);
  const eventTime = canonicalTime(Number.isNaN(parsed) ? nowMs : parsed);
  const item: OccurrenceItem = {
    pk: `OCC#${keyPart(finding.eventId)}`,
    sk: 'OCC',
    type: 'occurrence',
    eventId: finding.eventId,
    eventTime,
    indexAttributes: withoutUndefined({
      eventDay: eventDayOf(eventTime, now),
      roleArn: indexKey(parts.role === 'none' ? undefined : parts.role),
      callerArn: indexKey(parts.caller),
      cause: finding.cause,
    }),
    fingerprint,
    sharedEventId: event.sharedEventId ? cap(event.sharedEventId, 256) : undefined,
    summary: cap(finding.summary),
    api: finding.api,
    errorCode: cap(finding.errorCode, 128),
    callerType: finding.caller.type,
    callerSessionArn: finding.caller.arn ? cap(finding.caller.arn) : undefined,
    roleAccountId: finding.role.accountId ?? undefined,
    recipientAccountId: event.recipientAccountId,
    awsRegion: event.awsRegion,
    severity: severityOf(finding.cause),
    confidence: finding.confidence,
    policy: finding.policy,
    fixSummary: cap(finding.fix.summary),
    fixVerified: finding.fix.verified,
    receivedAt: now.toISOString(),
    expiresAt: Math.floor(nowMs / 1000) + ttlDays * 86_400,
    state: 'COUNTING',
  };
  return withoutUndefined(item);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Records one diagnosed event and notifies when its fingerprint calls for it, exactly once per eventID whatever
 * the retries and duplicate deliveries. The steps, each conditional or idempotent (crash points: docs/pipeline.md):
 *   1. put the occurrence (COUNTING, with our lease) if absent; else resume it, or ack it if DONE;
 *   2. records with a sharedEventID: link the copy; only the first copy of the logical call is counted;
 *   3. ADD to the aggregate, guarded by the event id in `pendingIds`; refresh the stored latest finding;
 *   4. decide: nothing to send → occurrence DONE; else occurrence COUNTED;
 *   5. drop the event id from `pendingIds` (the occurrence now says it was counted);
 *   6. claim the notification slot on the aggregate (conditional), publish, roll the claim back if SNS fails;
 *   7. occurrence DONE.
 */
export async function recordAndNotify(
  deps: RecordAndNotifyDeps,
  event: NormalizedEvent,
  finding: Finding,
  attempt: Attempt,
): Promise<RecordOutcome> {
  const clock = deps.clock ?? Date.now;
  const { history } = deps;
  const parts = fingerprintParts(event, finding);
  const occurrence = buildOccurrence(event, finding, parts, fingerprintOf(parts), clock(), deps.occurrenceTtlDays);
  const lease = { owner: attempt.invocationId, leaseUntil: attempt.deadline + LEASE_MARGIN_MS };

  const claim = await claimOrWait(deps, occurrence, lease, attempt);
  const fingerprint = claim.item.fingerprint;
  if (claim.status === 'done') {
    // A crash between DONE and step 5 can leave the id in pendingIds; removing it again is harmless.
    if (claim.item.outcome !== 'linked-copy') await history.clearPending(fingerprint, occurrence.eventId);
    return { status: 'duplicate', fingerprint, notification: 'none' };
  }

  const eventId = occurrence.eventId;
  const owner = attempt.invocationId;
  // The stored index attributes win over this attempt's: a retry may have diagnosed differently.
  const index = claim.item.indexAttributes ?? occurrence.indexAttributes;
  try {
    let state = claim.item.state;
    let aggregate: AggregateItem | undefined;
    if (state === 'COUNTING') {
      const link = await history.linkSharedCopy(claim.item);
      if (link.decision === 'linked-copy') {
        await history.advanceOccurrence(eventId, owner, 'COUNTING', 'DONE', {
          outcome: 'linked-copy',
          linkedTo: link.countedEventId,
          notified: false,
          index,
        });
        return { status: 'linked-copy', fingerprint, notification: 'none' };
      }
      const identity = { caller: parts.caller, role: parts.role, cause: parts.cause, conditionKey: parts.conditionKey };
      aggregate = (
        await history.countInAggregate({ occurrence: claim.item, identity, expiresAt: occurrence.expiresAt })
      ).aggregate;
      const hash = findingContentHash(finding);
      if (aggregate.findingHash !== hash)
        await history.saveLatestFinding(fingerprint, finding, hash, occurrence.eventTime);

      if (decideNotification(aggregate, eventId, clock(), deps.quietWindowMs).action === 'skip') {
        await history.advanceOccurrence(eventId, owner, 'COUNTING', 'DONE', {
          outcome: 'counted',
          notified: false,
          index,
        });
        await history.clearPending(fingerprint, eventId);
        return { status: 'recorded', fingerprint, count: aggregate.count, notification: 'suppressed' };
      }
      await history.advanceOccurrence(eventId, owner, 'COUNTING', 'COUNTED', { outcome: 'counted' });
      state = 'COUNTED';
    }

    await history.clearPending(fingerprint, eventId);
    if (!aggregate) aggregate = await history.getAggregate(fingerprint);
    if (!aggregate) throw new Error(`aggregate ${fingerprint} missing for counted occurrence ${eventId}`);
    const sent = await notifyIfDue(deps, aggregate, event, finding, eventId, clock);
    await history.advanceOccurrence(eventId, owner, state, 'DONE', { notified: sent, index });
    return { status: 'recorded', fingerprint, count: aggregate.count, notification: sent ? 'sent' : 'suppressed' };
  } catch (error) {
    await history.releaseLease(eventId, owner).catch(() => undefined);
    throw error;
  }
}

async function notifyIfDue(
  deps: RecordAndNotifyDeps,
  aggregate: AggregateItem,
  event: NormalizedEvent,
  finding: Finding,
  eventId: string,
  clock: () => number,
): Promise<boolean> {
  const now = clock();
  const decision = decideNotification(aggregate, eventId, now, deps.quietWindowMs);
  if (decision.action === 'skip') return false;

  let claim: NotificationClaim | undefined;
  if (decision.action === 'resume') claim = decision.claim;
  else {
    const cutoff = new Date(now - deps.quietWindowMs).toISOString();
    claim = await deps.history.claimNotification(aggregate, eventId, new Date(now).toISOString(), cutoff);
  }
  if (!claim) return false;

  const context: NotificationContext = {
    finding,
    event,
    fingerprint: aggregate.fingerprint,
    kind: claim.previousNotifiedAt === undefined ? 'new' : 'reminder',
    count: claim.countAtClaim,
    firstSeen: aggregate.firstSeen,
    moreSince:
      claim.previousNotifiedAt === undefined
        ? undefined
        : { count: claim.countAtClaim - (claim.previousCount ?? 0), since: claim.previousNotifiedAt },
  };
  try {
    await deps.notifier.publish(context);
  } catch (error) {
    await deps.history.rollbackNotification(claim);
    throw error;
  }
  return true;
}

/** Step 1, waiting out a concurrent duplicate delivery that holds a live lease (bounded by our own deadline). */
async function claimOrWait(
  deps: RecordAndNotifyDeps,
  occurrence: OccurrenceItem,
  lease: { owner: string; leaseUntil: number },
  attempt: Attempt,
): Promise<Exclude<OccurrenceClaim, { status: 'busy' }>> {
  const clock = deps.clock ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (;;) {
    const claim = await deps.history.claimOccurrence(occurrence, lease, clock());
    if (claim.status !== 'busy') return claim;
    // Another invocation holds a live lease: wait for it to finish (→ DONE, a duplicate) or for its lease to
    // expire (→ take over), but give up in time to end our own invocation cleanly (→ retried later).
    const now = clock();
    if (now + POLL_INTERVAL_MS > attempt.deadline - WAIT_RESERVE_MS) throw new EventInProgressError(occurrence.eventId);
    await sleep(Math.max(1, Math.min(POLL_INTERVAL_MS, (claim.item.leaseUntil ?? now) - now + 1)));
  }
}
