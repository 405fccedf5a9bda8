import type { NormalizedEvent } from '../event/types';
import { buildCallerProfile, type CallerProfile } from '../eval/caller-profile';
import { listPrincipals, UNIQUE_ID } from '../eval/principal-matcher';
import { EventRequestContext } from '../eval/request-context';
import type { IamFacts, Lookup, MissingPolicy } from '../iam/iam-facts';
import type { Finding, Unknown, Warning } from '../finding/types';
import { diagnoseMissingRole } from './missing-role';
import { evaluateCall, requiredActions } from './evaluate-call';
import { buildFinding, confidenceOf, gapsToOther } from './finding-builder';
import type { FixContext } from './fix/fix-context';
import { planFix } from './fix/plan-fix';
import { contextFactsOf, gatherFacts } from './gather-facts';
import { collectGaps } from './layer-gaps';
import { lintInvolvedPolicies } from './lint-involved';
import { suggestActionName } from './lint';
import type { GapCandidate } from './gap-types';
import { preflightCause, preflightFinding } from './preflight';
import { intendedRoleArn, requestValidationCause } from './request-validation';
import { diagnoseMalformedRoleArn } from './missing-role';
import { checkIdentityProvider } from './identity-provider-check';
import { checkSessionDuration } from './duration-check';
import { unexplainedFinding, roleUnknownFinding } from './unexplained';

/**
 * Diagnoses one denied role assumption: gathers the IAM facts, evaluates every policy AWS would, names the primary
 * gap (explicit denies outrank missing allows), lists the others, and builds a fix that is re-evaluated before it
 * is reported as verified.
 */
export async function diagnoseEvent(event: NormalizedEvent, facts: IamFacts): Promise<Finding> {
  const caller = buildCallerProfile(event);
  const early = preflightCause(event, caller) ?? requestValidationCause(event);
  if (early) return preflightFinding(event, early);
  const intended = intendedRoleArn(event, caller);
  if (intended) return diagnoseMalformedRoleArn(event, intended, facts, diagnoseEvent);

  const gathered = await gatherFacts(event, caller, facts);
  if (gathered.role.status === 'not-found') return diagnoseMissingRole(event, caller, facts, gathered);
  if (!gathered.policySet) return roleUnknownFinding(event, caller, gathered);

  const set = gathered.policySet;
  const roleArn = set.role.arn;
  const ctx = new EventRequestContext(event, caller, contextFactsOf(gathered, caller));
  const actions = requiredActions(event);
  const warnings: Warning[] = await lintInvolvedPolicies(set);

  const duration = checkSessionDuration(event, set.role);
  const idp = await checkIdentityProvider(event, caller, facts);
  const evaluation = evaluateCall(set, caller, ctx, actions, roleArn);
  // Unique-ID principals only matter when the trust policy is the gap (deleted-and-recreated principals); resolving
  // them can cost an IAM listing in the live adapter, so it is done only then.
  const trustIsAGap = evaluation.auths.some((a) => a.layers.trust.allow !== true);
  const uniqueIds = trustIsAGap
    ? await resolveUniqueIds(
        set.trust.document.Statement.flatMap((s) => listPrincipals(s.Principal)).map(([, v]) => v),
        facts,
      )
    : new Map<string, Lookup<string>>();
  const gaps = evaluation.auths.flatMap((a) => (a.allowed === true ? [] : collectGaps(a, caller, roleArn, uniqueIds)));
  gaps.sort((a, b) => (a.certainty === b.certainty ? 0 : a.certainty === 'definite' ? -1 : 1));

  const fixContext: FixContext = { event, caller, set, actions, roleArn, requestContext: ctx };
  const blocking = duration ?? idp;
  if (blocking) {
    return buildFinding(event, {
      ...blocking,
      otherGaps: gapsToOther(undefined, gaps),
      warnings,
      unknowns: [...gathered.unknowns, ...ctx.unknownKeysConsulted],
    });
  }
  if (evaluation.allowed || gaps.length === 0)
    return unexplainedFinding(event, gathered, ctx, warnings, evaluation.allowed);

  const primary = gaps[0];
  // Every unknown key some applicable statement asked about, taken before fix verification consults the context again.
  const unknowns: Unknown[] = [
    ...primary.unknowns,
    ...ctx.unknownKeysConsulted,
    ...gathered.unknowns.filter((u) => u.key !== 'session policy'),
  ];
  // Confidence drops only for unknowns that could overturn the primary cause: an invisible SCP cannot make a
  // trust policy that omits the caller any less wrong, but a managed policy missing from the snapshot could hold
  // the very allow whose absence is the cause.
  const weakening = [
    ...primary.unknowns,
    ...gathered.missingPolicies
      .filter((m) => weakensLayer(m, primary.policy))
      .map((m) => ({ key: m.ref, reason: m.reason })),
  ];
  const fix = planFix(primary, fixContext, ctx, uniqueIds);
  const nearMiss = nearMissWarning(primary, set.trust.source, caller);
  if (nearMiss) warnings.push(nearMiss);
  return buildFinding(event, {
    cause: primary.cause,
    policy: primary.policy,
    summary: primary.summary,
    evidence: primary.evidence,
    otherGaps: gapsToOther(primary, gaps),
    warnings,
    fix,
    confidence: confidenceOf(primary.certainty, weakening),
    unknowns,
  });
}

/** A policy the facts could not provide weakens a "no allow" verdict about the layer it belongs to. */
function weakensLayer(m: MissingPolicy, policy: string): boolean {
  return (
    (policy === 'identity' && m.kind !== 'permissions-boundary') ||
    (policy === 'boundary' && m.kind === 'permissions-boundary')
  );
}

async function resolveUniqueIds(values: string[], facts: IamFacts): Promise<Map<string, Lookup<string>>> {
  const ids = [...new Set(values.filter((v) => UNIQUE_ID.test(v)))];
  const results = await Promise.all(ids.map((id) => facts.findPrincipalByUniqueId(id)));
  return new Map(ids.map((id, i) => [id, results[i]]));
}

/** A statement that would allow the call but for one typo or ARN mismatch: the fix corrects it in place. */
function nearMissWarning(gap: GapCandidate, trustSource: string, caller: CallerProfile): Warning | undefined {
  const t = gap.target;
  if (t?.kind === 'trust-add-principal' && t.nearMissValue) {
    return {
      code: 'NEAR_MISS',
      policy: 'trust',
      source: trustSource,
      message: `The trust policy names ${t.nearMissValue}, which would allow this call if it named ${caller.principalArn ?? caller.serviceName ?? caller.federatedPrincipal}.`,
    };
  }
  if (t?.kind === 'identity-allow' && t.misspeltAction) {
    return {
      code: 'NEAR_MISS',
      policy: 'identity',
      source: t.statementSource,
      message: `${t.statementSource} would allow this call but names ${t.misspeltAction} instead of ${gap.action}.`,
    };
  }
  if (t?.kind === 'trust-statement' && t.missingAction && gap.evidence[0]?.actual) {
    const written = ([] as unknown[]).concat(gap.evidence[0].actual).map(String);
    const typo = written.find((a) => suggestActionName(a)?.toLowerCase() === t.missingAction!.toLowerCase());
    if (typo)
      return {
        code: 'NEAR_MISS',
        policy: 'trust',
        source: trustSource,
        statement: gap.evidence[0].statement,
        message: `Trust statement ${gap.evidence[0].statement} would allow this call but names ${typo} instead of ${t.missingAction}.`,
      };
  }
  return undefined;
}
