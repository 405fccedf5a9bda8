import { buildCallerProfile } from '../eval/caller-profile';
import { EventRequestContext } from '../eval/request-context';
import type { NormalizedEvent } from '../event/types';
import type { IamFacts } from '../iam/iam-facts';
import { evaluateCall, requiredActions } from './evaluate-call';
import type { GapCandidate } from './gap-types';
import { contextFactsOf, gatherFacts } from './gather-facts';
import { collectGaps } from './layer-gaps';

export interface CallCheck {
  allowed: boolean;
  /** When denied: the gap that would block it (explicit denies first), for a one-line explanation. */
  blocker?: GapCandidate;
}

/**
 * Would the policies as they stand allow this call, and if not, what blocks it? The cheap part of a diagnosis
 * (facts, evaluation, gap classification; no lint, no fix), used to verify request-side fixes such as "call the
 * role that exists".
 */
export async function checkCall(event: NormalizedEvent, facts: IamFacts): Promise<CallCheck> {
  const caller = buildCallerProfile(event);
  const gatheredNow = gatherFacts(event, caller, facts);
  const gathered = gatheredNow instanceof Promise ? await gatheredNow : gatheredNow;
  const set = gathered.policySet;
  if (!set) return { allowed: false };
  const ctx = new EventRequestContext(event, caller, contextFactsOf(gathered, caller));
  const evaluation = evaluateCall(set, caller, ctx, requiredActions(event), set.role.arn);
  if (evaluation.allowed) return { allowed: true };
  const failing = evaluation.auths.find((a) => a.allowed !== true);
  const gaps = failing ? collectGaps(failing, caller, set.role.arn, new Map()) : [];
  return { allowed: false, blocker: gaps[0] };
}
