import type { PolicySet } from '../../eval/authorization';
import type { ContextLookup, RequestContext } from '../../eval/context-types';
import type { Fix } from '../../finding/types';
import type { Lookup } from '../../iam/iam-facts';
import { evaluateCall } from '../evaluate-call';
import type { GapCandidate } from '../gap-types';
import { collectGaps } from '../layer-gaps';
import { boundaryAllowFix, identityAllowFix, orgAllowFix } from './allow-fixes';
import { applyPatch } from './apply-patch';
import { commandAccounts } from './command-accounts';
import { denyFix } from './deny-fixes';
import type { FixContext } from './fix-context';
import { type FixPatch, type FixStep, mergePatches } from './fix-types';
import { trustFix } from './trust-fixes';
import { checkFixStep } from './validate-fix-document';
import { versionFix } from './version-fix';

/** The step for a gap, with its document in a form IAM accepts (or marked as one IAM would reject). */
function stepFor(gap: GapCandidate, ctx: FixContext): FixStep | undefined {
  const step = buildStep(gap, ctx);
  return step && checkFixStep(step, ctx);
}

function buildStep(gap: GapCandidate, ctx: FixContext): FixStep | undefined {
  switch (gap.target?.kind) {
    case 'trust-statement':
      return versionFix(gap, ctx) ?? trustFix(gap, ctx);
    case 'trust-add-principal':
      return trustFix(gap, ctx);
    case 'deny-statement':
      return denyFix(gap, ctx);
    case 'identity-allow':
      return versionFix(gap, ctx) ?? identityAllowFix(gap, ctx);
    case 'boundary-allow':
      return boundaryAllowFix(gap, ctx);
    case 'org-allow':
      return orgAllowFix(gap, ctx);
    default:
      return undefined;
  }
}

function withOverrides(ctx: RequestContext, overrides: Record<string, ContextLookup> | undefined): RequestContext {
  if (!overrides || Object.keys(overrides).length === 0) return ctx;
  return { lookup: (key: string) => overrides[key.toLowerCase()] ?? ctx.lookup(key) };
}

/**
 * Builds the fix one gap at a time: fix the primary gap, re-evaluate with the fix applied, and if the call is still
 * denied fix the next gap (cross-account calls often need both the trust and the caller's policy changed). The fix
 * is `verified` only if the final re-evaluation allows the call and IAM would accept every document it writes.
 */
export function planFix(
  primary: GapCandidate,
  base: FixContext,
  ctx: RequestContext,
  uniqueIds: ReadonlyMap<string, Lookup<string>>,
): PlannedFix {
  const steps: FixStep[] = [];
  let patch: FixPatch = {};
  let gap: GapCandidate | undefined = primary;
  for (let i = 0; i < 5 && gap; i++) {
    const set: PolicySet = applyPatch(base.set, patch);
    const step = stepFor(gap, Object.assign({}, base, { set }));
    if (!step) break;
    steps.push(step);
    if (step.outsideScope) break;
    patch = mergePatches(patch, step.patch);
    const after = evaluateCall(
      applyPatch(base.set, patch),
      base.caller,
      withOverrides(ctx, patch.context),
      base.actions,
      base.roleArn,
    );
    // after.allowed is exactly "no authorization is other than allowed".
    const failing = after.auths.find((a) => a.allowed !== true);
    if (!failing) return toFix(steps, true, base);
    const next = collectGaps(failing, base.caller, base.roleArn, uniqueIds)[0];
    gap = next && !(next.cause === gap.cause && next.summary === gap.summary) ? next : undefined;
  }
  return toFix(steps, false, base);
}

/** The fix, and what the steps found about the trust's scope (which decides what is recommended). */
export interface PlannedFix {
  fix: Fix;
  outsideScope?: string;
  weakens?: string;
  /** Some step changed the request (a caller-side change). */
  changesRequest: boolean;
  /** Why IAM would reject a document of the fix (FIX_DOCUMENT_INVALID); absent when every document is valid. */
  invalidDocument?: string[];
}

function toFix(steps: FixStep[], verified: boolean, base: FixContext): PlannedFix {
  const caller = base.caller;
  if (steps.length === 0)
    return {
      fix: {
        kind: 'policy',
        summary: 'No narrow policy change can be proposed automatically; see the summary.',
        commands: [],
        verified: false,
        admits: [],
      },
      changesRequest: false,
    };
  const withDoc = steps.find((s) => s.document);
  const policySteps = steps.filter((s) => s.kind !== 'caller');
  const callerValue = caller.principalArn ?? caller.serviceName ?? caller.federatedPrincipal;
  const admits = policySteps.flatMap((s) => s.admits ?? (callerValue ? [callerValue] : []));
  const outside = steps.find((s) => s.outsideScope)?.outsideScope;
  const weakens = steps.find((s) => s.weakens)?.weakens;
  const accounts = commandAccounts(steps, base);
  const invalid = steps.flatMap((s) => s.invalidDocument ?? []);
  return {
    fix: {
      kind: policySteps.length > 0 ? 'policy' : 'caller',
      summary: steps.map((s) => s.summary).join(' Then: '),
      ...(withDoc ? { policyDocument: withDoc.document } : {}),
      commands: steps.flatMap((s) => s.commands),
      ...(accounts ? { commandAccounts: accounts } : {}),
      // A refusal (outside the trust's scope) is never a verified recommendation, nor a document IAM would reject.
      verified: verified && !outside && invalid.length === 0,
      admits: [...new Set(admits)],
    },
    ...(outside ? { outsideScope: outside } : {}),
    ...(weakens ? { weakens } : {}),
    ...(invalid.length ? { invalidDocument: invalid } : {}),
    changesRequest: steps.some((s) => s.patch.context && Object.keys(s.patch.context).length > 0),
  };
}
