import type { CallerProfile } from '../eval/caller-profile';
import { parseStatedReason, type StatedReason } from '../event/aws-stated-reason';
import type { Evidence, Finding, Unknown, Warning } from '../finding/types';
import type { MissingPolicy } from '../iam/iam-facts';
import { andThen, type MaybePromise } from '../iam/look-up';
import { assignBlame, STATED_EVIDENCE, whatWouldChangeIt } from './blame';
import type { CallAnalysis } from './call-analysis';
import { buildFinding, dedupeUnknowns, gapsToOther } from './finding-builder';
import type { FixContext } from './fix/fix-context';
import { absentProvidersOf, recommendFix } from './fix/recommend-fix';
import type { GapCandidate } from './gap-types';
import { suggestActionName } from './lint';
import { externalIdSecrets, redactSecrets } from './redact-secrets';

/** The finding for the primary gap: its cause, evidence, the other gaps, the fix, and a confidence that agrees with
 * the unknowns it lists (blame.ts). */
export function primaryGapFinding(a: CallAnalysis): MaybePromise<Finding> {
  const { event, caller, set, ctx, gathered, gaps } = a;
  // Every unknown key some applicable statement asked about, taken before fix verification consults the context again.
  const listed = (primary: GapCandidate): Unknown[] =>
    dedupeUnknowns([
      ...primary.unknowns,
      ...ctx.unknownKeysConsulted,
      ...gathered.unknowns.filter((u) => u.key !== 'session policy'),
    ]);
  // Unknowns that could clear the cause: the gap's own, and a policy of its layer that could not be read (a managed
  // policy missing from the snapshot could hold the very allow whose absence is the cause).
  const bearing = (primary: GapCandidate): Unknown[] => [
    ...primary.unknowns,
    ...gathered.missingPolicies
      .filter((m) => weakensLayer(m, primary.policy))
      .map((m) => ({ key: m.ref, reason: m.reason })),
  ];
  const stated = parseStatedReason(event.errorMessage);
  const blame = assignBlame(gaps, stated, bearing, listed);
  const fixContext: FixContext = { event, caller, set, actions: a.actions, roleArn: set.role.arn, requestContext: ctx };
  return andThen(absentProvidersOf(fixContext, a.facts), (absent) => {
    fixContext.absentProviders = absent;
    return findingWithFix(a, blame, stated, fixContext);
  });
}

/** The finding, once the facts the fix needs are in its context. */
function findingWithFix(
  a: CallAnalysis,
  blame: ReturnType<typeof assignBlame>,
  stated: StatedReason | undefined,
  fixContext: FixContext,
): Finding {
  const { event, caller, set, ctx, gaps } = a;
  const { primary } = blame;
  const { fix, alternatives, warnings: scopeWarnings } = recommendFix(primary, fixContext, ctx, a.uniqueIds);
  const warnings = [...a.warnings, ...scopeWarnings];
  const nearMiss = nearMissWarning(primary, set.trust.source, caller);
  if (nearMiss) warnings.push(nearMiss);
  const finding = buildFinding(event, {
    cause: primary.cause,
    policy: primary.policy,
    summary: primary.summary + whatWouldChangeIt(blame) + awsStatement(stated, primary.policy, blame.statedByAws),
    evidence: blame.statedByAws && stated ? [...primary.evidence, statedEvidence(stated)] : primary.evidence,
    otherGaps: gapsToOther(primary, gaps),
    warnings,
    fix,
    alternatives,
    confidence: blame.confidence,
    unknowns: blame.unknowns,
  });
  return redactSecrets(finding, externalIdSecrets(set.trust.document));
}

/** A policy the facts could not provide weakens a "no allow" verdict about the layer it belongs to. */
function weakensLayer(m: MissingPolicy, policy: string): boolean {
  return (
    (policy === 'identity' && m.kind !== 'permissions-boundary') ||
    (policy === 'boundary' && m.kind === 'permissions-boundary')
  );
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
    const typo = written.find((a) => suggestActionName(a)?.toLowerCase() === t.missingAction?.toLowerCase());
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

/** AWS's own errorMessage: agreement is stated as evidence, a disagreement is said in the summary, never hidden. */
function awsStatement(stated: StatedReason | undefined, policy: string, agrees: boolean): string {
  if (!stated) return '';
  if (agrees) return ` AWS's error message confirms the ${policy} side (${stated.text.slice(0, 300)}).`;
  if (stated.layer === policy)
    return ` Note: AWS's error message names the ${policy} policy but another kind of denial (${stated.text.slice(0, 300)}); check that policy for both.`;
  return ` Note: AWS's error message names another policy type (${stated.text.slice(0, 300)}); trustgap's evaluation of the policies in view places the cause in the ${policy} policy. Check both.`;
}

function statedEvidence(stated: StatedReason): Evidence {
  return {
    policy: stated.layer,
    source: stated.policyArn ?? 'errorMessage of the CloudTrail event',
    statement: STATED_EVIDENCE,
    actual: stated.text,
  };
}
