import { globMatch } from '../../eval/glob';
import { statementLabel } from '../../eval/policy-evaluator';
import { listPrincipals } from '../../eval/principal-matcher';
import type { PolicyStatement, PrincipalBlock } from '../../iam/policy-types';
import type { GapCandidate } from '../gap-types';
import { suggestActionName } from '../lint';
import { conditionFix, outsideScopeStep } from './condition-fixes';
import { callerPrincipalValue, type FixContext, trustStatementForCaller, updateTrustCommand } from './fix-context';
import type { FixStep } from './fix-types';
import { cloneDocument } from './shell';
import { repairFixDocument } from './validate-fix-document';

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
  const trust = ctx.set.trust.document;
  if (!target) return undefined;
  if (target.kind === 'trust-statement') {
    const doc = cloneDocument(trust, target.index);
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
    const recreated = recreatedIssuer(ctx);
    const outside = recreated ? undefined : federatedOutsideScope(ctx);
    if (outside && !ctx.widenGuardrails) return outsideScopeStep(outside);
    const pattern = patternPrincipalStep(ctx);
    if (pattern) return pattern;
    if (recreated && target.nearMissIndex === undefined && value) {
      const doc = cloneDocument(trust, recreated.index);
      const st = doc.Statement[recreated.index];
      st.Principal = replaceInPrincipal(st.Principal, recreated.absent, value);
      st.Condition = renameConditionKeys(st.Condition, hostOf(recreated.absent), hostOf(value));
      return {
        ...trustStep(
          `Swap the OIDC provider ${recreated.absent}, which no longer exists in the account (a recreated issuer, e.g. a rebuilt EKS cluster), for ${value} in trust statement ${statementLabel(st, recreated.index)}, keeping its conditions on the new issuer's keys`,
          doc,
          ctx,
        ),
        admits: [value],
      };
    }
    if (target.nearMissIndex !== undefined && target.nearMissValue && value) {
      const doc = cloneDocument(trust, target.nearMissIndex);
      const st = doc.Statement[target.nearMissIndex];
      st.Principal = replaceInPrincipal(st.Principal, target.nearMissValue, value);
      return trustStep(`Correct ${target.nearMissValue} to ${value} in the trust policy`, doc, ctx);
    }
    const statement = trustStatementForCaller(ctx);
    if (!statement) return undefined;
    const doc = cloneDocument(trust);
    doc.Statement.push(statement);
    return trustStep(`Add a trust statement naming exactly ${value ?? 'the caller'}`, doc, ctx);
  }
  return undefined;
}

export function trustStep(summary: string, doc: FixStep['document'] & object, ctx: FixContext): FixStep {
  return { summary, document: doc, commands: [updateTrustCommand(ctx.roleArn, doc)], patch: { trust: doc } };
}

function hostOf(providerArn: string): string {
  return providerArn.slice(providerArn.indexOf('provider/') + 'provider/'.length);
}

function federatedIn(ctx: FixContext): Array<{ index: number; value: string }> {
  return ctx.set.trust.document.Statement.flatMap((st, index) =>
    st.Effect === 'Allow'
      ? listPrincipals(st.Principal)
          .filter(([type]) => type === 'Federated')
          .map(([, value]) => ({ index, value }))
      : [],
  );
}

/**
 * A federated caller whose provider the trust does not name, while the trust names other providers of the same kind
 * (another SAML IdP, another OIDC issuer such as another EKS cluster): the caller is outside the trust's scope.
 */
function federatedOutsideScope(ctx: FixContext): string | undefined {
  const mine = ctx.caller.federatedPrincipal;
  if ((ctx.caller.type !== 'WebIdentityUser' && ctx.caller.type !== 'SAMLUser') || !mine) return undefined;
  const kind = mine.includes(':saml-provider/') ? ':saml-provider/' : ':oidc-provider/';
  const others = federatedIn(ctx)
    .map((f) => f.value)
    .filter((v) => v.includes(kind) && v !== mine);
  if (others.length === 0) return undefined;
  return `the call comes through identity provider ${mine}, and the trust admits only ${[...new Set(others)].join(', ')}`;
}

/** The trust names an OIDC provider that no longer exists in the account while the caller's provider does. */
function recreatedIssuer(ctx: FixContext): { index: number; absent: string } | undefined {
  const mine = ctx.caller.federatedPrincipal;
  if (ctx.caller.type !== 'WebIdentityUser' || !mine?.includes(':oidc-provider/')) return undefined;
  const absent = federatedIn(ctx).find(
    (f) => f.value.includes(':oidc-provider/') && f.value !== mine && ctx.absentProviders?.has(f.value),
  );
  return absent ? { index: absent.index, absent: absent.value } : undefined;
}

function renameConditionKeys(
  condition: PolicyStatement['Condition'],
  fromHost: string,
  toHost: string,
): PolicyStatement['Condition'] {
  if (!condition) return condition;
  const prefix = `${fromHost.toLowerCase()}:`;
  return Object.fromEntries(
    Object.entries(condition).map(([op, block]) => [
      op,
      Object.fromEntries(
        Object.entries(block).map(([k, v]) => [
          k.toLowerCase().startsWith(prefix) ? `${toHost}:${k.slice(prefix.length)}` : k,
          v,
        ]),
      ),
    ]),
  );
}

/**
 * The trust names the caller by a pattern ("arn:aws:iam::111122223333:role/ci-*"). IAM never matches a Principal
 * by pattern (and rejects such a document when it is written): the statement is rewritten in the form AWS documents
 * for it, the account as Principal and the pattern as an ArnLike aws:PrincipalArn condition. It then admits what its
 * author meant, the principals the pattern describes, and nothing more.
 */
function patternPrincipalStep(ctx: FixContext): FixStep | undefined {
  const arn = ctx.caller.principalArn;
  if (!arn) return undefined;
  const doc = ctx.set.trust.document;
  const hit = doc.Statement.flatMap((st, index) =>
    st.Effect === 'Allow'
      ? listPrincipals(st.Principal)
          .filter(
            ([type, v]) => type === 'AWS' && v !== '*' && (v.includes('*') || v.includes('?')) && globMatch(v, arn),
          )
          .map(([, v]) => ({ index, pattern: v, sid: st.Sid }))
      : [],
  )[0];
  if (!hit) return undefined;
  const { document } = repairFixDocument(cloneDocument(doc));
  return {
    ...trustStep(
      `Trust statement ${hit.sid ?? `#${hit.index + 1}`} names ${hit.pattern}, a pattern in Principal: IAM matches principals only exactly (and rejects a partial wildcard in Principal when the policy is written). Write it as the account principal with an ArnLike aws:PrincipalArn condition on the same pattern, which admits the principals it describes, ${arn} among them`,
      document,
      ctx,
    ),
    admits: [hit.pattern],
  };
}
