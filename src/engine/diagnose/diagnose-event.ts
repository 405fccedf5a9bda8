import { buildCallerProfile } from '../eval/caller-profile';
import { WorkBudgetExceeded } from '../eval/work-budget';
import type { NormalizedEvent } from '../event/types';
import type { Finding } from '../finding/types';
import type { IamFacts } from '../iam/iam-facts';
import { analyseCall, findingBeforeEvaluation } from './call-analysis';
import { gatherFacts } from './gather-facts';
import { missingRoleFinding, withErrorTextUnknowns } from './incomplete-input';
import { diagnoseMalformedRoleArn, diagnoseMissingRole } from './missing-role';
import { preflightCause, preflightFinding } from './preflight';
import { primaryGapFinding } from './primary-gap-finding';
import { intendedRoleArn, requestValidationCause } from './request-validation';
import { tooExpensiveFinding } from './too-expensive';
import { roleUnknownFinding, unexplainedFinding } from './unexplained';

/**
 * Diagnoses one denied role assumption, as a sequence of steps that each may settle the finding:
 *  1. the request alone explains it (region disabled, root caller, invalid duration, bare role name…);
 *  2. the role's facts are gathered: a role that does not exist, or cannot be read, is its own finding;
 *  3. every policy AWS would consult is evaluated and the gaps are collected;
 *  4. a blocker outside the policies (session duration, identity provider) outranks the gaps;
 *  5. otherwise the primary gap (explicit denies outrank missing allows) names the cause and gets a fix that is
 *     re-evaluated before it is reported as verified.
 */
export async function diagnoseEvent(event: NormalizedEvent, facts: IamFacts): Promise<Finding> {
  try {
    const finding = await diagnoseSteps(event, facts);
    return event.origin === 'error-text' ? withErrorTextUnknowns(finding, event) : finding;
  } catch (error) {
    // A policy shaped to be expensive is reported by name; every other error still propagates.
    if (error instanceof WorkBudgetExceeded) return tooExpensiveFinding(event, error);
    throw error;
  }
}

async function diagnoseSteps(event: NormalizedEvent, facts: IamFacts): Promise<Finding> {
  const caller = buildCallerProfile(event);
  const early = preflightCause(event, caller) ?? requestValidationCause(event);
  if (early) return preflightFinding(event, early);
  const intended = intendedRoleArn(event, caller);
  if (intended) return diagnoseMalformedRoleArn(event, intended, facts, diagnoseSteps);
  if (event.api !== 'AssumeRoot' && event.role.arn === undefined) return missingRoleFinding(event);

  // Each step returns its answer now when the facts were at hand, and is awaited only when it returns a promise.
  const gatheredNow = gatherFacts(event, caller, facts);
  const gathered = gatheredNow instanceof Promise ? await gatheredNow : gatheredNow;
  if (gathered.role.status === 'not-found') return diagnoseMissingRole(event, caller, facts, gathered);
  if (!gathered.policySet) return roleUnknownFinding(event, caller, gathered);

  const analysisNow = analyseCall(event, caller, facts, gathered, gathered.policySet);
  const analysis = analysisNow instanceof Promise ? await analysisNow : analysisNow;
  const blocked = findingBeforeEvaluation(analysis);
  if (blocked) return blocked;
  if (analysis.evaluation.allowed || analysis.gaps.length === 0) {
    return unexplainedFinding(event, gathered, analysis.ctx, analysis.warnings, analysis.evaluation.allowed);
  }
  return primaryGapFinding(analysis);
}
