import type { NormalizedEvent } from '../event/types';
import type { Evidence, Finding, Fix, Gap, Unknown, Warning } from '../finding/types';
import { assumeRootTargetArn } from './assume-root';
import { markCannotClear } from './blame';
import { withCommandAccounts } from './fix/command-accounts';
import type { GapCandidate } from './gap-types';

/** The identifying half of every finding, straight from the event. */
export function findingHeader(
  event: NormalizedEvent,
): Pick<Finding, 'eventId' | 'eventTime' | 'api' | 'errorCode' | 'caller' | 'role'> {
  const rootTarget = event.api === 'AssumeRoot' ? assumeRootTargetArn(event) : undefined;
  return {
    eventId: event.eventId,
    eventTime: event.eventTime,
    api: event.api,
    errorCode: event.errorCode,
    caller: { type: event.caller.type, arn: event.caller.arn ?? null, accountId: event.caller.accountId ?? null },
    role: rootTarget
      ? { arn: rootTarget, accountId: rootTarget.split(':')[4] }
      : { arn: event.role.arn ?? null, accountId: event.role.accountId ?? null },
  };
}

/** At most this many entries are deduplicated by comparing with each kept one; longer lists use a Map or Set. */
const SMALL_LIST = 32;

/** The first unknown of each key, in order. */
export function dedupeUnknowns(list: Unknown[]): Unknown[] {
  if (list.length > SMALL_LIST) {
    const seen = new Map<string, Unknown>();
    for (const u of list) if (!seen.has(u.key)) seen.set(u.key, u);
    return [...seen.values()];
  }
  // A handful of unknowns: comparing keys with the kept ones is cheaper than hashing them (a key is often a string
  // built afresh for this diagnosis). Keys compare as a Map compares them (SameValueZero).
  const kept: Unknown[] = [];
  for (let i = 0; i < list.length; i++) {
    const u = list[i];
    let seen = false;
    for (let j = 0; j < kept.length && !seen; j++) seen = sameValueZero(kept[j].key, u.key);
    if (!seen) kept.push(u);
  }
  return kept;
}

function sameValueZero(a: unknown, b: unknown): boolean {
  // biome-ignore lint/suspicious/noSelfCompare: NaN is the one value not equal to itself (SameValueZero treats it as equal)
  return a === b || (a !== a && b !== b);
}

/** Gaps other than the primary, each once (by cause, action and summary), in order, possible ones marked. */
export function gapsToOther(primary: GapCandidate | undefined, all: GapCandidate[]): Gap[] {
  const out: Gap[] = [];
  if (all.length > SMALL_LIST || !(primary === undefined || plainGap(primary)) || !all.every(plainGap)) {
    const seen = new Set<string>();
    if (primary) seen.add(`${primary.cause}|${primary.action}|${primary.summary}`);
    for (const g of all) {
      const k = `${g.cause}|${g.action}|${g.summary}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(otherGap(g));
    }
    return out;
  }
  // Plain gaps (see plainGap): two have the same "cause|action|summary" key exactly when the three fields are equal,
  // so the kept gaps are compared field by field instead of building and hashing a key string per gap.
  const kept: GapCandidate[] = [];
  for (let i = 0; i < all.length; i++) {
    const g = all[i];
    if (primary && sameGap(primary, g)) continue;
    let seen = false;
    for (let j = 0; j < kept.length && !seen; j++) seen = sameGap(kept[j], g);
    if (seen) continue;
    kept.push(g);
    out.push(otherGap(g));
  }
  return out;
}

/**
 * String fields, with no "|" in the cause or the action: then "cause|action|summary" splits back into the three
 * fields, whatever the summary holds. (Causes are fixed words and actions are sts:<api>, so every gap is plain.)
 */
function plainGap(g: GapCandidate): boolean {
  return (
    typeof g.cause === 'string' &&
    typeof g.action === 'string' &&
    typeof g.summary === 'string' &&
    !g.cause.includes('|') &&
    !g.action.includes('|')
  );
}

function sameGap(a: GapCandidate, b: GapCandidate): boolean {
  return a.cause === b.cause && a.action === b.action && a.summary === b.summary;
}

function otherGap(g: GapCandidate): Gap {
  return {
    cause: g.cause,
    policy: g.policy,
    summary: g.certainty === 'possible' ? `Possibly: ${g.summary}` : g.summary,
  };
}

export interface FindingBody {
  cause: Finding['cause'];
  policy: Finding['policy'];
  summary: string;
  evidence: Evidence[];
  otherGaps: Gap[];
  warnings: Warning[];
  fix: Fix;
  /** Other fixes, best first; none by default. */
  alternatives?: Fix[];
  confidence: Finding['confidence'];
  unknowns: Unknown[];
}

/** Assembles a finding with exactly the contract's fields, in the contract's order. */
export function buildFinding(event: NormalizedEvent, body: FindingBody): Finding {
  const h = findingHeader(event);
  return {
    eventId: h.eventId,
    eventTime: h.eventTime,
    api: h.api,
    errorCode: h.errorCode,
    caller: h.caller,
    role: h.role,
    cause: body.cause,
    policy: body.policy,
    summary: body.summary,
    evidence: body.evidence,
    otherGaps: body.otherGaps,
    warnings: body.warnings,
    fix: withCommandAccounts(body.fix, event),
    alternatives: (body.alternatives ?? []).map((alt) => withCommandAccounts(alt, event)),
    confidence: body.confidence,
    // A high-confidence cause is proven: whatever is unknown cannot clear it, and each unknown says so (blame.ts).
    unknowns:
      body.confidence === 'high' && body.cause !== 'UNEXPLAINED'
        ? markCannotClear(dedupeUnknowns(body.unknowns))
        : dedupeUnknowns(body.unknowns),
  };
}
