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

function stepFor(gap: GapCandidate, ctx: FixContext): FixStep | undefined {
  switch (gap.target?.kind) {
    case 'trust-statement':
    case 'trust-add-principal':
      return trustFix(gap, ctx);
    case 'deny-statement':
      return denyFix(gap, ctx);
    case 'identity-allow':
      return identityAllowFix(gap, ctx);
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
 * is `verified` only if the final re-evaluation allows the call.
 */
export function planFix(
  primary: GapCandidate,
  base: FixContext,
  ctx: RequestContext,
  uniqueIds: ReadonlyMap<string, Lookup<string>>,
): Fix {
  const steps: FixStep[] = [];
  let patch: FixPatch = {};
  let gap: GapCandidate | undefined = primary;
  for (let i = 0; i < 5 && gap; i++) {
    const set: PolicySet = applyPatch(base.set, patch);
    const step = stepFor(gap, Object.assign({}, base, { set }));
    if (!step) break;
    steps.push(step);
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

function toFix(steps: FixStep[], verified: boolean, base: FixContext): Fix {
  if (steps.length === 0)
    return {
      summary: 'No narrow policy change can be proposed automatically; see the summary.',
      commands: [],
      verified: false,
    };
  const withDoc = steps.find((s) => s.document);
  const accounts = commandAccounts(steps, base);
  return {
    summary: steps.map((s) => s.summary).join(' Then: '),
    ...(withDoc ? { policyDocument: withDoc.document } : {}),
    commands: steps.flatMap((s) => s.commands),
    ...(accounts ? { commandAccounts: accounts } : {}),
    verified,
  };
}
