import type { FindingsHistory, NotificationClaim } from '../adapters/history/findings-history';
import type { AggregateItem, FingerprintIdentity, OccurrenceRecord } from '../adapters/history/items';
import type { NotificationContext } from '../adapters/notify/message-view';
import type { Notifier } from '../adapters/notify/sns-notifier';
import type { NormalizedEvent } from '../engine/event/types';
import type { Finding } from '../engine/finding/types';
import { ClaimHeldError } from '../errors';
import { LEASE_MARGIN_MS } from './leases';
import { decideNotification } from './notification-decision';

export interface NotifyDeps {
  history: FindingsHistory;
  notifier: Notifier;
  quietWindowMs: number;
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Per container: fingerprints this container saw confirmed as sent, with when, and their finding hash. */
  sentCache?: Map<string, { sentAt: number; findingHash: string }>;
}

export interface NotifyInput {
  record: OccurrenceRecord;
  identity: FingerprintIdentity;
  event: NormalizedEvent;
  finding: Finding;
  findingHash: string;
  /** False for a duplicate: it finishes what is owed (a first message, a claim), but never starts a reminder. */
  countedNow: boolean;
  invocationId: string;
  deadline: number;
}

/** sent: published. uncertain: the last publish allowed timed out too (see publishOnce). */
export type NotifyResult = { notification: 'sent' | 'suppressed' | 'uncertain'; count?: number };

const POLL_INTERVAL_MS = 250;
/** The sent cache is a shortcut, not a record: past this many fingerprints it starts over. */
const SENT_CACHE_MAX = 10_000;

function remember(deps: NotifyDeps, fingerprint: string, sentAt: number, findingHash: string): void {
  if (!deps.sentCache) return;
  if (deps.sentCache.size >= SENT_CACHE_MAX) deps.sentCache.clear();
  deps.sentCache.set(fingerprint, { sentAt, findingHash });
}
/** Stop waiting for another invocation's claim this long before our own deadline, to throw cleanly. */
const WAIT_RESERVE_MS = 3_000;

/**
 * A publish whose outcome is unknown: no HTTP response came back, and the connection had been made (a request
 * timeout, a reset after sending). SNS may have delivered it. Refused connections and HTTP errors are definite.
 */
export function isUncertainPublishFailure(error: unknown): boolean {
  const e = error as { code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.$metadata?.httpStatusCode !== undefined) return false;
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(e?.code ?? '')) return false;
  if (/did not establish a connection/.test(e?.message ?? '')) return false;
  return true;
}

/**
 * Makes sure the fingerprint of a counted event is notified when it is due, exactly once: saves the latest finding
 * if it changed, then claims (or waits for, or takes over, or resumes) the notification and publishes. Runs for
 * duplicates too, so that a retry after a crash finishes what the crashed attempt owed.
 */
export async function notifyIfDue(deps: NotifyDeps, input: NotifyInput): Promise<NotifyResult> {
  const fingerprint = input.record.fingerprint;
  const cached = deps.sentCache?.get(fingerprint);
  // Confirmed sends are never rolled back: inside the window, this container needs no read at all.
  if (cached && cached.findingHash === input.findingHash && deps.clock() - cached.sentAt < deps.quietWindowMs)
    return { notification: 'suppressed' };
  let findingSaved = false;
  for (let round = 0; round < 1000; round += 1) {
    const aggregate = await deps.history.getAggregate(fingerprint);
    if (!findingSaved && aggregate?.findingHash !== input.findingHash) {
      await deps.history.saveLatestFinding(
        fingerprint,
        input.finding,
        input.findingHash,
        input.record.eventTime,
        input.record.expiresAt,
      );
      findingSaved = true;
    }
    const now = deps.clock();
    const decision = decideNotification(aggregate, {
      invocationId: input.invocationId,
      nowMs: now,
      quietWindowMs: deps.quietWindowMs,
    });
    const reminderForNothingNew = decision.action === 'claim' && decision.mode === 'reminder' && !input.countedNow;
    if (decision.action === 'skip' || reminderForNothingNew) {
      if (aggregate?.notifyState !== 'claimed' && aggregate?.lastNotifiedAt !== undefined)
        remember(deps, fingerprint, Date.parse(aggregate.lastNotifiedAt), input.findingHash);
      return { notification: 'suppressed' };
    }
    if (decision.action === 'wait') {
      if (now + POLL_INTERVAL_MS > input.deadline - WAIT_RESERVE_MS)
        throw new ClaimHeldError(`the notification of ${fingerprint}`, decision.claimUntil);
      await deps.sleep(Math.max(1, Math.min(POLL_INTERVAL_MS, decision.claimUntil - now + 1)));
      continue;
    }
    let claim: NotificationClaim | undefined;
    if (decision.action === 'resume') claim = decision.claim;
    else {
      const totals = await deps.history.totals(fingerprint);
      claim = await deps.history.claimNotification({
        mode: decision.mode,
        observed: aggregate,
        fingerprint,
        eventId: input.record.eventId,
        owner: input.invocationId,
        claimedAt: new Date(now).toISOString(),
        claimUntil: input.deadline + LEASE_MARGIN_MS,
        count: totals.count,
        windowCutoff: new Date(now - deps.quietWindowMs).toISOString(),
        identity: input.identity,
        firstSeen: totals.firstSeen ?? input.record.eventTime,
        summary: input.record.summary,
        severity: input.record.severity,
        expiresAt: input.record.expiresAt,
      });
    }
    if (!claim) continue; // someone else changed the slot first: look again
    const notification = await publishOnce(deps, input, claim, aggregate);
    if (notification === 'sent') remember(deps, fingerprint, Date.parse(claim.claimedAt), input.findingHash);
    return { notification, count: claim.countAtClaim };
  }
  throw new ClaimHeldError(`the notification of ${fingerprint}`, deps.clock());
}

/**
 * Publishes under a claim. SNS accepted → confirm. SNS refused (an HTTP error, a refused connection) → give the
 * claim back and throw, so the event is retried. No answer (a request timeout: it may have been delivered) → keep
 * the claim, count the uncertain publish and throw; the next attempt publishes once more and, if that too goes
 * unanswered, confirms anyway: a standard SNS topic has no idempotency key, so a publish that was delivered but
 * never answered yields at most one repeat message, never an endless series.
 */
async function publishOnce(
  deps: NotifyDeps,
  input: NotifyInput,
  claim: NotificationClaim,
  aggregate: AggregateItem | undefined,
): Promise<'sent' | 'uncertain'> {
  const context: NotificationContext = {
    finding: input.finding,
    event: input.event,
    fingerprint: claim.fingerprint,
    kind: claim.previousNotifiedAt === undefined ? 'new' : 'reminder',
    count: claim.countAtClaim,
    firstSeen: aggregate?.firstSeen ?? input.record.eventTime,
    moreSince:
      claim.previousNotifiedAt === undefined
        ? undefined
        : { count: claim.countAtClaim - (claim.previousCount ?? 0), since: claim.previousNotifiedAt },
  };
  try {
    await deps.notifier.publish(context);
  } catch (error) {
    if (!isUncertainPublishFailure(error)) {
      await deps.history.rollbackNotification(claim);
      throw error;
    }
    if (claim.uncertainPublishes >= 1) {
      await deps.history.confirmNotification(claim);
      return 'uncertain';
    }
    await deps.history.recordUncertainPublish(claim);
    throw error;
  }
  await deps.history.confirmNotification(claim);
  return 'sent';
}
