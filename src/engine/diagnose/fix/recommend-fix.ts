import type { RequestContext } from '../../eval/context-types';
import { listPrincipals } from '../../eval/principal-matcher';
import type { Fix, Warning } from '../../finding/types';
import type { IamFacts, Lookup } from '../../iam/iam-facts';
import { allOf, andThen, lookUp, type MaybePromise } from '../../iam/look-up';
import type { GapCandidate } from '../gap-types';
import type { FixContext } from './fix-context';
import { planFix } from './plan-fix';

export interface Recommendation {
  fix: Fix;
  alternatives: Fix[];
  warnings: Warning[];
}

/** OIDC providers the trust names that do not exist in the role's account (a recreated issuer leaves one behind). */
export function absentProvidersOf(ctx: FixContext, facts: IamFacts): MaybePromise<Set<string>> {
  if (ctx.caller.type !== 'WebIdentityUser') return new Set();
  const named = ctx.set.trust.document.Statement.flatMap((st) => listPrincipals(st.Principal))
    .filter(([type, v]) => type === 'Federated' && v.startsWith('arn:') && v.includes(':oidc-provider/'))
    .map(([, v]) => v);
  const unique = [...new Set(named)].filter((v) => v !== ctx.caller.federatedPrincipal);
  return andThen(
    allOf(unique.map((v) => lookUp(facts, 'getIdentityProvider', v))),
    (found) => new Set(unique.filter((_, i) => found[i].status === 'not-found')),
  );
}

/**
 * The recommended fix keeps the guardrail: a deliberate narrowing is fixed on the caller's side, and an identity
 * outside the statement's scope gets no policy change at all (OUTSIDE_TRUST_SCOPE). The policy change such a fix
 * avoids is offered as an alternative that says what it gives away, and is never a verified recommendation.
 */
export function recommendFix(
  primary: GapCandidate,
  base: FixContext,
  ctx: RequestContext,
  uniqueIds: ReadonlyMap<string, Lookup<string>>,
): Recommendation {
  const planned = planFix(primary, base, ctx, uniqueIds);
  const warnings: Warning[] = [];
  if (planned.outsideScope)
    warnings.push({
      code: 'OUTSIDE_TRUST_SCOPE',
      policy: 'trust',
      source: base.set.trust.source,
      message: `The denied identity is outside everything the trust policy admits: ${planned.outsideScope}. This may be an attempt to use the role, not a misconfiguration; no policy change is recommended.`,
    });
  if (planned.invalidDocument) warnings.push(invalidDocumentWarning('The recommended fix', planned.invalidDocument));
  if (!planned.outsideScope && !planned.changesRequest) return { fix: planned.fix, alternatives: [], warnings };
  // Object.assign, not a spread followed by more properties: that form is many times slower on Node 20 (a76e50d).
  const widenedPlan = planFix(primary, Object.assign({}, base, { widenGuardrails: true }), ctx, uniqueIds);
  const widened = widenedPlan.fix;
  if (widened.kind !== 'policy' || widened.commands.length === 0)
    return { fix: planned.fix, alternatives: [], warnings };
  if (widenedPlan.invalidDocument)
    warnings.push(invalidDocumentWarning('The alternative fix', widenedPlan.invalidDocument));
  const alternative: Fix = planned.outsideScope
    ? Object.assign({}, widened, {
        summary: `Alternative, only if you have confirmed that this identity is yours (it widens trust to an identity outside what the policy admits today): ${widened.summary}`,
        verified: false,
      })
    : Object.assign({}, widened, {
        summary: widened.summary.startsWith('This weakens')
          ? `Alternative: ${widened.summary}`
          : `Alternative (weakens the guardrail): ${widened.summary}`,
      });
  return { fix: planned.fix, alternatives: [alternative], warnings };
}

/** FIX_DOCUMENT_INVALID: the fix is not verified because IAM would reject a document it writes. */
function invalidDocumentWarning(which: string, reasons: string[]): Warning {
  return {
    code: 'FIX_DOCUMENT_INVALID',
    message: `${which} is not verified: IAM would reject its policy document (${reasons.join('; ')}).`,
  };
}
