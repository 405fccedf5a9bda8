import { type ConditionClauseResult, evaluateConditionBlock } from '../../eval/conditions';
import { recognisesPolicyVariables } from '../../iam/policy-document';
import type { NamedPolicy, PolicyStatement } from '../../iam/policy-types';
import type { GapCandidate } from '../gap-types';
import { type FixContext, updateTrustCommand } from './fix-context';
import type { FixStep } from './fix-types';
import { liftDenyFromCallerSide } from './lift-deny';
import { isAwsManaged, replacePolicyCommands } from './policy-commands';
import { cloneDocument, shellQuote } from './shell';

/** The condition clauses that made a Deny statement apply (re-evaluated against the request context). */
function denyStatementClauses(
  ctx: FixContext,
  layer: string,
  source: string,
  index: number,
): ConditionClauseResult[] | undefined {
  const policy = layer === 'trust' ? ctx.set.trust : findPolicy(ctx, layer, source);
  const st = policy?.document.Statement[index];
  if (!st?.Condition || !ctx.requestContext) return undefined;
  return evaluateConditionBlock(
    st.Condition,
    ctx.requestContext,
    recognisesPolicyVariables(policy?.document ?? {}),
  ).clauses.filter((c) => c.result === true);
}

function asList(v: unknown): string[] {
  return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String);
}

/**
 * Exempts exactly this caller from a Deny in a policy that guards many principals (trust, SCP, RCP), the way AWS
 * recommends writing exceptions: an ArnNotEquals on aws:PrincipalArn (or the token subject for web identities).
 */
function exemptCaller(st: PolicyStatement, ctx: FixContext): string | undefined {
  const c = ctx.caller;
  let op: string;
  let key: string;
  let value: string;
  if (c.principalArn && c.type !== 'Root') {
    [op, key, value] = ['ArnNotEquals', 'aws:PrincipalArn', c.principalArn];
  } else if (c.type === 'WebIdentityUser' && c.claimKeyPrefix && ctx.event.caller.webIdentity?.sub !== undefined) {
    [op, key, value] = ['StringNotEquals', `${c.claimKeyPrefix}:sub`, ctx.event.caller.webIdentity.sub];
  } else {
    return undefined;
  }
  st.Condition = st.Condition ?? {};
  const block = st.Condition[op] ?? {};
  st.Condition[op] = block;
  const existingKey = Object.keys(block).find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
  const next = [...new Set([...asList(block[existingKey]), value])];
  block[existingKey] = next.length === 1 ? next[0] : next;
  return `exempt ${value} from it with ${op} ${key}`;
}

/**
 * Narrows a Deny in the caller's own policy (identity or boundary) so it no longer covers this one role: exempting
 * the caller would lift the deny everywhere, so the role is carved out of the statement's resources instead.
 */
function carveOutResource(st: PolicyStatement, resource: string): string | undefined {
  if (st.Resource === undefined && st.NotResource !== undefined) {
    st.NotResource = [...new Set([...asList(st.NotResource), resource])];
    return `add ${resource} to its NotResource`;
  }
  const resources = asList(st.Resource);
  if (resources.length === 1 && resources[0] === '*') {
    delete st.Resource;
    st.NotResource = [resource];
    return `change Resource "*" to NotResource ${resource}`;
  }
  if (resources.includes(resource)) {
    const rest = resources.filter((r) => r !== resource);
    if (rest.length === 0) return undefined;
    st.Resource = rest.length === 1 ? rest[0] : rest;
    return `remove ${resource} from its Resource`;
  }
  return undefined;
}

function findPolicy(ctx: FixContext, layer: string, source: string): NamedPolicy | undefined {
  if (layer === 'identity') return ctx.set.identity?.find((p) => p.source === source);
  if (layer === 'boundary')
    return ctx.set.boundary && ctx.set.boundary.source === source ? ctx.set.boundary : undefined;
  const chain = layer === 'scp' ? ctx.set.scps : ctx.set.rcps;
  return chain?.levels.flatMap((l) => (layer === 'scp' ? l.scps : l.rcps)).find((p) => p.source === source);
}

export function denyFix(gap: GapCandidate, ctx: FixContext): FixStep | undefined {
  const t = gap.target;
  if (t?.kind !== 'deny-statement') return undefined;
  const deny = denyStatementClauses(ctx, t.layer, t.policySource, t.index);
  // The policy alternative (widenGuardrails) is the exemption that the caller-side step avoids.
  const callerSide =
    deny && !ctx.widenGuardrails && liftDenyFromCallerSide(deny, ctx, gap.evidence[0]?.statement ?? '');
  if (callerSide) return callerSide;
  if (t.layer === 'trust') {
    const doc = cloneDocument(ctx.set.trust.document, t.index);
    const change = exemptCaller(doc.Statement[t.index], ctx);
    if (!change) return undefined;
    return {
      summary: `In trust Deny statement ${gap.evidence[0]?.statement}: ${change}. Confirm the deny was not meant to block this caller.`,
      document: doc,
      commands: [updateTrustCommand(ctx.roleArn, doc)],
      patch: { trust: doc },
    };
  }
  const policy = findPolicy(ctx, t.layer, t.policySource);
  if (!policy || isAwsManaged(policy)) return undefined;
  const doc = cloneDocument(policy.document, t.index);
  const st = doc.Statement[t.index];
  const originalResource = JSON.stringify(st.Resource ?? st.NotResource);
  // Identity/boundary denies: carve the one role out of the statement when IAM can express it; when the statement
  // covers the role through a wildcard (no resource-ARN condition key exists for sts:AssumeRole), the narrowest
  // expressible change exempts this caller, which lifts the deny for it on everything the pattern covers.
  const change =
    t.layer === 'scp' || t.layer === 'rcp'
      ? exemptCaller(st, ctx)
      : (carveOutResource(st, ctx.roleArn) ??
        (() => {
          const c = exemptCaller(st, ctx);
          return c
            ? `${c} (IAM cannot carve one role out of ${originalResource}; this lifts the deny for this caller on every role it covers)`
            : undefined;
        })());
  if (!change) return undefined;
  const commands = replacePolicyCommands(policy, doc);
  if (!commands) return undefined;
  return {
    summary: `In ${policy.source}, Deny statement ${gap.evidence[0]?.statement}: ${change}. Explicit denies are usually deliberate guardrails: confirm with the policy's owner first.${tagAlternative(deny, ctx)}`,
    document: doc,
    commands,
    patch: {
      replace: [{ layer: t.layer as 'identity' | 'boundary' | 'scp' | 'rcp', source: policy.source, document: doc }],
    },
  };
}

/**
 * A guardrail that admits principals by tag (StringNotEquals aws:PrincipalTag/team "security") is meant to be
 * satisfied by tagging, not by exceptions: name that alternative when the caller is an IAM user or role.
 */
function tagAlternative(matched: ConditionClauseResult[] | undefined, ctx: FixContext): string {
  const clause = matched?.find(
    (c) => /^aws:PrincipalTag\//i.test(c.key) && /^StringNotEquals/.test(c.operator) && c.expected.length === 1,
  );
  const c = ctx.caller;
  if (!clause || !c.principalArn || (c.type !== 'IAMUser' && c.type !== 'AssumedRole')) return '';
  const tagKey = clause.key.slice(clause.key.indexOf('/') + 1);
  const kind = c.type === 'IAMUser' ? 'user' : 'role';
  const name = c.principalArn.slice(c.principalArn.lastIndexOf('/') + 1);
  return ` If ${name} does belong to the group the guardrail admits, tag it instead: aws iam tag-${kind} --${kind}-name ${shellQuote(name)} --tags Key=${shellQuote(tagKey)},Value=${shellQuote(clause.expected[0])} (tags can grant other access too).`;
}
