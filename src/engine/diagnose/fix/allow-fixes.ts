import { statementLabel } from '../../eval/policy-evaluator';
import type { NamedPolicy, PolicyDocument, PolicyStatement } from '../../iam/policy-types';
import type { GapCandidate } from '../gap-types';
import { pathlessRoleReferences } from '../role-path-references';
import type { FixContext } from './fix-context';
import type { FixStep } from './fix-types';
import { isAwsManaged, replacePolicyCommands } from './policy-commands';
import { cloneDocument, policyArg, roleNameOf, shellQuote, sidFrom } from './shell';

/** The one resource this call needs: the role, or for AssumeRoot the member account's root. */
function resourceFor(ctx: FixContext): string {
  if (ctx.event.api === 'AssumeRoot' && ctx.event.request.targetPrincipal)
    return `arn:aws:iam::${ctx.event.request.targetPrincipal}:root`;
  return ctx.roleArn;
}

function allowStatement(ctx: FixContext): PolicyStatement {
  const st: PolicyStatement = {
    Sid: sidFrom('TrustGapAllow', roleNameOf(resourceFor(ctx))),
    Effect: 'Allow',
    Action: [...ctx.actions],
    Resource: resourceFor(ctx),
  };
  // AssumeRoot: scope the grant to the one privileged task the caller asked for, as AWS recommends.
  const task = ctx.event.api === 'AssumeRoot' ? ctx.event.request.taskPolicyArn : undefined;
  if (task) st.Condition = { StringEquals: { 'sts:TaskPolicyArn': task } };
  return st;
}

/** A new inline policy on the calling user or role that allows exactly the needed actions on exactly this role. */
export function identityAllowFix(gap: GapCandidate, ctx: FixContext): FixStep | undefined {
  const corrected = correctMisspeltAction(gap, ctx) ?? correctPathlessRoleArn(ctx);
  if (corrected) return corrected;
  const c = ctx.caller;
  if (c.type !== 'IAMUser' && c.type !== 'AssumedRole') return undefined;
  if (!c.principalArn) return undefined;
  const ownerType = c.type === 'IAMUser' ? 'user' : 'role';
  const ownerName = roleNameOf(c.principalArn);
  const policyName = sidFrom('TrustGapAssume', roleNameOf(resourceFor(ctx)));
  const doc: PolicyDocument = { Version: '2012-10-17', Statement: [allowStatement(ctx)] };
  const policy: NamedPolicy = {
    kind: 'identity',
    source: `inline policy ${policyName} on ${ownerType} ${ownerName}`,
    name: policyName,
    document: doc,
    // Built for this diagnosis only: the evaluator keeps its compiled form with the diagnosis (NamedPolicy.transient).
    transient: true,
  };
  return {
    summary: `Give ${ownerType} ${ownerName} an identity policy that allows ${ctx.actions.join(', ')} on ${resourceFor(ctx)} only`,
    document: doc,
    commands: [
      `aws iam put-${ownerType}-policy --${ownerType}-name ${shellQuote(ownerName)} --policy-name ${shellQuote(policyName)} --policy-document ${policyArg(doc)}`,
    ],
    patch: { addIdentity: policy },
  };
}

/** Adds the needed allow to the caller's (customer-managed) permissions boundary. */
export function boundaryAllowFix(_gap: GapCandidate, ctx: FixContext): FixStep | undefined {
  const boundary = ctx.set.boundary;
  if (!boundary || isAwsManaged(boundary)) return undefined;
  const doc = cloneDocument(boundary.document);
  doc.Statement.push(allowStatement(ctx));
  const commands = replacePolicyCommands(boundary, doc);
  if (!commands) return undefined;
  return {
    summary: `Allow ${ctx.actions.join(', ')} on ${resourceFor(ctx)} in the permissions boundary ${boundary.arn ?? boundary.name} (it applies to every principal that uses this boundary)`,
    document: doc,
    commands,
    patch: { replace: [{ layer: 'boundary', source: boundary.source, document: doc }] },
  };
}

/** Adds an allow for exactly this role to an SCP/RCP at the organization level that has none. */
export function orgAllowFix(gap: GapCandidate, ctx: FixContext): FixStep | undefined {
  if (gap.target?.kind !== 'org-allow') return undefined;
  const layer = gap.target.layer;
  const chain = layer === 'scp' ? ctx.set.scps : ctx.set.rcps;
  const level = chain?.levels.find((l) => l.target === (gap.target as { target: string }).target);
  const policy =
    level && (layer === 'scp' ? level.scps : level.rcps).find((p) => !isAwsManaged(p) && !/FullAWSAccess/.test(p.name));
  if (!policy) return undefined;
  const doc = cloneDocument(policy.document);
  const st = allowStatement(ctx);
  if (layer === 'rcp') st.Principal = '*';
  doc.Statement.push(st);
  const commands = replacePolicyCommands(policy, doc);
  if (!commands) return undefined;
  return {
    summary: `Allow ${ctx.actions.join(', ')} on ${resourceFor(ctx)} in ${policy.source}`,
    document: doc,
    commands,
    patch: { replace: [{ layer, source: policy.source, document: doc }] },
  };
}

/** A near miss in the caller's own policy (sts:AsumeRole): correct the statement in place rather than add another. */
function correctMisspeltAction(gap: GapCandidate, ctx: FixContext): FixStep | undefined {
  const t = gap.target;
  if (t?.kind !== 'identity-allow' || !t.misspeltAction || t.index === undefined) return undefined;
  const policy = ctx.set.identity?.find((p) => p.source === t.statementSource);
  if (!policy || isAwsManaged(policy)) return undefined;
  const doc = cloneDocument(policy.document, t.index);
  const st = doc.Statement[t.index];
  const actions = (Array.isArray(st.Action) ? st.Action : [st.Action ?? '']).map((a) =>
    a === t.misspeltAction ? gap.action : a,
  );
  st.Action = actions.length === 1 ? actions[0] : actions;
  const commands = replacePolicyCommands(policy, doc);
  if (!commands) return undefined;
  return {
    summary: `Correct the misspelt action ${t.misspeltAction} to ${gap.action} in ${policy.source}, statement ${statementLabel(st, t.index)}`,
    document: doc,
    commands,
    patch: { replace: [{ layer: 'identity', source: policy.source, document: doc }] },
  };
}

/**
 * The caller's policy names the role without its path (role/deploy for role/team/deploy, lint ROLE_ARN_WITHOUT_PATH):
 * correct that Resource in place rather than add another policy next to the one that was meant.
 */
function correctPathlessRoleArn(ctx: FixContext): FixStep | undefined {
  if (ctx.roleArn !== ctx.set.role.arn) return undefined;
  const corrected = new Set<NamedPolicy>();
  for (const { policy, index, withoutPath, roleArn, path } of pathlessRoleReferences(ctx.set)) {
    // One statement per policy (the first), and never an AWS managed policy (it cannot be edited).
    if (isAwsManaged(policy) || corrected.has(policy)) continue;
    corrected.add(policy);
    const doc = cloneDocument(policy.document, index);
    const st = doc.Statement[index];
    st.Resource = Array.isArray(st.Resource) ? st.Resource.map((r) => (r === withoutPath ? roleArn : r)) : roleArn;
    const commands = replacePolicyCommands(policy, doc);
    if (!commands) continue;
    return {
      summary: `Correct the Resource ${withoutPath} to ${roleArn} in ${policy.source}, statement ${statementLabel(st, index)}: a role's ARN includes its path (${path})`,
      document: doc,
      commands,
      patch: { replace: [{ layer: 'identity', source: policy.source, document: doc }] },
    };
  }
  return undefined;
}
