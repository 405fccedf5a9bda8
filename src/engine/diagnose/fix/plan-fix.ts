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

const notAllowed = (a: { allowed: unknown }): boolean => a.allowed !== true;

/** Object.keys(o).length > 0, without the array. */
function hasKeys(o: object | undefined): boolean {
  if (o) for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
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
  // The policies as patched so far: the set the last re-evaluation ran on is the one the next step builds on (with
  // nothing patched yet, the policies as they are), and it lends the next one the policies a step did not change
  // again (applyPatch). The request context is rebuilt only when a step changes the request: otherwise the same
  // context object is re-evaluated, so the evaluator's results for it (kept per context and policy object) answer
  // the policies the latest step left alone.
  let set: PolicySet = base.set;
  let request = ctx;
  let gap: GapCandidate | undefined = primary;
  for (let i = 0; i < 5 && gap; i++) {
    // Builders only read their context: before anything is patched it is `base` itself.
    const step = stepFor(gap, set === base.set ? base : Object.assign({}, base, { set }));
    if (!step) break;
    steps.push(step);
    if (step.outsideScope) break;
    patch = mergePatches(patch, step.patch);
    set = applyPatch(base.set, patch, set);
    if (hasKeys(step.patch.context)) request = withOverrides(ctx, patch.context);
    const after = evaluateCall(set, base.caller, request, base.actions, base.roleArn);
    // after.allowed is exactly "no authorization is other than allowed".
    const failing = after.auths.find(notAllowed);
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
  const caller = base.caller;
  const callerValue = caller.principalArn ?? caller.serviceName ?? caller.federatedPrincipal;
  // One pass over the steps (at most five) for what the fix reports; each value as the first step that has it.
  let document: FixStep['document'];
  let outside: string | undefined;
  let weakens: string | undefined;
  let policySteps = 0;
  let changesRequest = false;
  const admits = new Set<string>();
  const summaries: string[] = [];
  const commands: string[] = [];
  const invalid: string[] = [];
  for (const s of steps) {
    if (!document && s.document) document = s.document;
    if (s.kind !== 'caller') {
      policySteps++;
      if (s.admits) for (const a of s.admits) admits.add(a);
      else if (callerValue) admits.add(callerValue);
    }
    if (!outside && s.outsideScope) outside = s.outsideScope;
    if (!weakens && s.weakens) weakens = s.weakens;
    if (s.invalidDocument) for (const r of s.invalidDocument) invalid.push(r);
    if (!changesRequest && hasKeys(s.patch.context)) changesRequest = true;
    summaries.push(s.summary);
    for (const c of s.commands) commands.push(c);
  }
  const accounts = commandAccounts(steps, base);
  const fix: Fix = { kind: policySteps > 0 ? 'policy' : 'caller', summary: summaries.join(' Then: ') } as Fix;
  if (document) fix.policyDocument = document;
  fix.commands = commands;
  if (accounts) fix.commandAccounts = accounts;
  // A refusal (outside the trust's scope) is never a verified recommendation, nor a document IAM would reject.
  fix.verified = verified && !outside && invalid.length === 0;
  fix.admits = [...admits];
  const planned: PlannedFix = { fix } as PlannedFix;
  if (outside) planned.outsideScope = outside;
  if (weakens) planned.weakens = weakens;
  if (invalid.length) planned.invalidDocument = invalid;
  planned.changesRequest = changesRequest;
  return planned;
}
