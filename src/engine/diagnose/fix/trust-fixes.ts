import type { PolicyStatement, PrincipalBlock } from '../../iam/policy-types';
import type { GapCandidate } from '../gap-types';
import { suggestActionName } from '../lint';
import { conditionFix } from './condition-fixes';
import { callerPrincipalValue, type FixContext, trustStatementForCaller, updateTrustCommand } from './fix-context';
import type { FixStep } from './fix-types';
import { cloneDocument } from './shell';

function replaceInPrincipal(
  principal: PrincipalBlock | undefined,
  from: string,
  to: string,
): PrincipalBlock | undefined {
  if (principal === undefined || principal === '*') return principal;
  const out: Record<string, string | string[]> = {};
  for (const [type, raw] of Object.entries(principal)) {
    const list = (Array.isArray(raw) ? raw : [raw]).map((v) => (v === from ? to : v));
    const unique = [...new Set(list)];
    out[type] = unique.length === 1 ? unique[0] : unique;
  }
  // A Service/Federated value replaced by an AWS ARN (or vice versa) must move to the right principal type.
  return movePrincipalType(out, to);
}

function movePrincipalType(block: Record<string, string | string[]>, value: string): Record<string, string | string[]> {
  const wantType =
    value.endsWith('.amazonaws.com') && !value.startsWith('arn:')
      ? 'Service'
      : /:(oidc|saml)-provider\//.test(value) || !value.startsWith('arn:')
        ? 'Federated'
        : 'AWS';
  for (const [type, raw] of Object.entries(block)) {
    const list = Array.isArray(raw) ? raw : [raw];
    if (type !== wantType && list.includes(value)) {
      const rest = list.filter((v) => v !== value);
      if (rest.length) block[type] = rest.length === 1 ? rest[0] : rest;
      else delete block[type];
      const existing = block[wantType];
      const merged = [...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]), value];
      block[wantType] = merged.length === 1 ? merged[0] : merged;
    }
  }
  return block;
}

function addAction(st: PolicyStatement, action: string): void {
  const current = st.Action === undefined ? [] : Array.isArray(st.Action) ? st.Action : [st.Action];
  // Correct a misspelt action in place rather than keeping the typo next to the fix.
  const typo = current.find((a) => suggestActionName(a)?.toLowerCase() === action.toLowerCase());
  const next = typo ? current.map((a) => (a === typo ? action : a)) : [...current, action];
  st.Action = next.length === 1 ? next[0] : next;
}

/** Builds the trust-policy fix for a trust gap, or undefined when no narrow policy change can help. */
export function trustFix(gap: GapCandidate, ctx: FixContext): FixStep | undefined {
  const target = gap.target;
  const doc = cloneDocument(ctx.set.trust.document);
  if (!target) return undefined;
  if (target.kind === 'trust-statement') {
    const st = doc.Statement[target.index];
    if (target.failedClauses) return conditionFix(gap, ctx, st, doc, target.failedClauses);
    if (target.missingAction) {
      addAction(st, target.missingAction);
      return trustStep(
        `Allow ${target.missingAction} in trust statement ${gap.evidence[0]?.statement ?? ''}`.trim(),
        doc,
        ctx,
      );
    }
    if (target.replacePrincipal) {
      const value = callerPrincipalValue(ctx);
      if (!value) return undefined;
      st.Principal = replaceInPrincipal(st.Principal, target.replacePrincipal, value);
      return trustStep(
        `Replace the deleted principal ${target.replacePrincipal} with ${value} in the trust policy`,
        doc,
        ctx,
      );
    }
    return undefined;
  }
  if (target.kind === 'trust-add-principal') {
    const value = callerPrincipalValue(ctx);
    if (target.nearMissIndex !== undefined && target.nearMissValue && value) {
      const st = doc.Statement[target.nearMissIndex];
      st.Principal = replaceInPrincipal(st.Principal, target.nearMissValue, value);
      return trustStep(`Correct ${target.nearMissValue} to ${value} in the trust policy`, doc, ctx);
    }
    const statement = trustStatementForCaller(ctx);
    if (!statement) return undefined;
    doc.Statement.push(statement);
    return trustStep(`Add a trust statement naming exactly ${value ?? 'the caller'}`, doc, ctx);
  }
  return undefined;
}

export function trustStep(summary: string, doc: FixStep['document'] & object, ctx: FixContext): FixStep {
  return { summary, document: doc, commands: [updateTrustCommand(ctx.roleArn, doc)], patch: { trust: doc } };
}
