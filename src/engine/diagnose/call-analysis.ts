import type { PolicySet } from '../eval/authorization';
import type { CallerProfile } from '../eval/caller-profile';
import { listPrincipals, UNIQUE_ID } from '../eval/principal-matcher';
import { EventRequestContext } from '../eval/request-context';
import type { NormalizedEvent } from '../event/types';
import type { Finding, Warning } from '../finding/types';
import type { IamFacts, Lookup } from '../iam/iam-facts';
import { allOf, andThen, lookUp, type MaybePromise } from '../iam/look-up';
import type { PolicyStatement } from '../iam/policy-types';
import { checkSessionDuration } from './duration-check';
import { type CallEvaluation, evaluateCall, requiredActions } from './evaluate-call';
import { buildFinding, gapsToOther } from './finding-builder';
import type { GapCandidate } from './gap-types';
import { contextFactsOf, type GatheredFacts } from './gather-facts';
import { checkIdentityProvider, type IdentityProviderBlocker } from './identity-provider-check';
import { collectGaps } from './layer-gaps';
import { lintInvolvedPolicies } from './lint-involved';
import { externalIdSecrets, redactSecrets } from './redact-secrets';

/** Everything the evaluation step learned about one call; the finding steps only read it. */
export interface CallAnalysis {
  event: NormalizedEvent;
  caller: CallerProfile;
  facts: IamFacts;
  gathered: GatheredFacts;
  set: PolicySet;
  ctx: EventRequestContext;
  actions: string[];
  warnings: Warning[];
  evaluation: CallEvaluation;
  /** Gaps of every denied authorization, definite ones first. */
  gaps: GapCandidate[];
  uniqueIds: Map<string, Lookup<string>>;
  /** A blocker outside the policies: the session is too long, or the identity provider rejects the token. */
  blocking?: ReturnType<typeof checkSessionDuration> | IdentityProviderBlocker;
}

/**
 * Lints the policies involved, evaluates every authorization AWS would make, and collects the gaps. Returns the
 * analysis now when the lookups it needs (identity provider, unique IDs) are known to the facts, else a promise.
 */
export function analyseCall(
  event: NormalizedEvent,
  caller: CallerProfile,
  facts: IamFacts,
  gathered: GatheredFacts,
  set: PolicySet,
): MaybePromise<CallAnalysis> {
  const ctx = new EventRequestContext(event, caller, contextFactsOf(gathered, caller));
  const actions = requiredActions(event);
  const lint = lintInvolvedPolicies(set);
  const duration = checkSessionDuration(event, set.role);
  const idp = checkIdentityProvider(event, caller, facts);
  return andThen(allOf([lint, idp] as const), ([warnings, idpBlocker]) => {
    const roleArn = set.role.arn;
    const evaluation = evaluateCall(set, caller, ctx, actions, roleArn);
    // Unique-ID principals only matter when the trust policy is the gap (deleted-and-recreated principals); resolving
    // them can cost an IAM listing in the live adapter, so it is done only then.
    const trustIsAGap = evaluation.auths.some((a) => a.layers.trust.allow !== true);
    const uniqueIds = trustIsAGap
      ? resolveUniqueIds(uniqueIdPrincipalsOf(set.trust.document.Statement), facts)
      : new Map<string, Lookup<string>>();
    return andThen(uniqueIds, (ids): CallAnalysis => {
      const gaps = evaluation.auths.flatMap((a) => (a.allowed === true ? [] : collectGaps(a, caller, roleArn, ids)));
      gaps.sort((a, b) => (a.certainty === b.certainty ? 0 : a.certainty === 'definite' ? -1 : 1));
      return {
        event,
        caller,
        facts,
        gathered,
        set,
        ctx,
        actions,
        warnings,
        evaluation,
        gaps,
        uniqueIds: ids,
        blocking: duration ?? idpBlocker,
      };
    });
  });
}

/** A blocker outside the policies is the cause; the policy gaps, if any, are listed as other gaps. */
export function findingBeforeEvaluation(a: CallAnalysis): Finding | undefined {
  if (!a.blocking) return undefined;
  const finding = buildFinding(a.event, {
    ...a.blocking,
    otherGaps: gapsToOther(undefined, a.gaps),
    warnings: a.warnings,
    unknowns: [...a.gathered.unknowns, ...a.ctx.unknownKeysConsulted],
  });
  return redactSecrets(finding, externalIdSecrets(a.set.trust.document));
}

/** The unique-ID principals a trust names, read once per parsed trust document (documents are immutable). */
const uniqueIdPrincipals = new WeakMap<readonly PolicyStatement[], readonly string[]>();

function uniqueIdPrincipalsOf(statements: readonly PolicyStatement[]): readonly string[] {
  let ids = uniqueIdPrincipals.get(statements);
  if (!ids) {
    const values = statements.flatMap((s) => listPrincipals(s.Principal)).map(([, v]) => v);
    ids = [...new Set(values.filter((v) => UNIQUE_ID.test(v)))];
    uniqueIdPrincipals.set(statements, ids);
  }
  return ids;
}

function resolveUniqueIds(ids: readonly string[], facts: IamFacts): MaybePromise<Map<string, Lookup<string>>> {
  return andThen(
    allOf(ids.map((id) => lookUp(facts, 'findPrincipalByUniqueId', id))),
    (results) => new Map(ids.map((id, i) => [id, results[i]])),
  );
}
