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

export function dedupeUnknowns(list: Unknown[]): Unknown[] {
  const seen = new Map<string, Unknown>();
  for (const u of list) if (!seen.has(u.key)) seen.set(u.key, u);
  return [...seen.values()];
}

export function gapsToOther(primary: GapCandidate | undefined, all: GapCandidate[]): Gap[] {
  const out: Gap[] = [];
  const seen = new Set<string>();
  if (primary) seen.add(`${primary.cause}|${primary.action}|${primary.summary}`);
  for (const g of all) {
    const k = `${g.cause}|${g.action}|${g.summary}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({
      cause: g.cause,
      policy: g.policy,
      summary: g.certainty === 'possible' ? `Possibly: ${g.summary}` : g.summary,
    });
  }
  return out;
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
