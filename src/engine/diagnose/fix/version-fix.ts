import { CURRENT_POLICY_VERSION, recognisesPolicyVariables } from '../../iam/policy-document';
import type { NamedPolicy, PolicyDocument, PolicyStatement } from '../../iam/policy-types';
import type { GapCandidate } from '../gap-types';
import { type FixContext, updateTrustCommand } from './fix-context';
import type { FixStep } from './fix-types';
import { isAwsManaged, replacePolicyCommands } from './policy-commands';

/**
 * A policy written with `${…}` but without "Version": "2012-10-17" compares the variable as literal text ("variables
 * such as ${aws:username} aren't recognized as variables and are instead treated as literal strings", IAM JSON policy
 * elements: Version). The author's intent is the variable, so the narrowest fix is the document with the Version
 * set: every statement and condition stays as written. planFix re-evaluates it like any other step, so the fix is
 * verified only if the variables, now resolved, let the call through.
 */
export function versionFix(gap: GapCandidate, ctx: FixContext): FixStep | undefined {
  const t = gap.target;
  // Only when a failed clause compared literal `${…}` text: otherwise the version is not why the call was denied.
  const literalFailed = t?.kind === 'trust-statement' && t.failedClauses?.some((c) => c.expected.some(isVariable));
  if (t?.kind === 'trust-statement' && literalFailed) {
    const trust = ctx.set.trust;
    if (recognisesPolicyVariables(trust.document)) return undefined;
    const doc = withCurrentVersion(trust.document);
    return {
      summary: versionSummary(`The trust policy of ${ctx.roleArn}`, trust.document.Version),
      document: doc,
      commands: [updateTrustCommand(ctx.roleArn, doc)],
      patch: { trust: doc },
    };
  }
  if (t?.kind === 'identity-allow' && !t.misspeltAction) {
    const policy = ctx.set.identity?.find((p) => isVersionLessAllowWithVariables(p, gap.action));
    if (!policy) return undefined;
    const doc = withCurrentVersion(policy.document);
    const commands = replacePolicyCommands(policy, doc);
    if (!commands) return undefined;
    return {
      summary: versionSummary(`The identity policy (${policy.source})`, policy.document.Version),
      document: doc,
      commands,
      patch: { replace: [{ layer: 'identity', source: policy.source, document: doc }] },
    };
  }
  return undefined;
}

/** The same document in the current language version, keys in the usual order (Version, Id, Statement). */
function withCurrentVersion(doc: PolicyDocument): PolicyDocument {
  return { Version: CURRENT_POLICY_VERSION, ...(doc.Id !== undefined ? { Id: doc.Id } : {}), Statement: doc.Statement };
}

function versionSummary(where: string, version: string | undefined): string {
  const written = version === undefined ? 'has no Version element' : `declares "Version": "${version}"`;
  return `${where} ${written}, so IAM reads its \${…} policy variables as literal text. Set "Version": "${CURRENT_POLICY_VERSION}" (nothing else changes) so the variables are resolved as the policy intends.`;
}

const isVariable = (value: string) => value.includes('${');

function writesVariables(st: PolicyStatement): boolean {
  return JSON.stringify([st.Resource, st.NotResource, st.Condition]).includes('${');
}

/** An editable identity policy whose Allow for this action is written with variables the version ignores. */
function isVersionLessAllowWithVariables(policy: NamedPolicy, action: string): boolean {
  if (recognisesPolicyVariables(policy.document) || isAwsManaged(policy)) return false;
  const service = action.slice(0, action.indexOf(':') + 1).toLowerCase();
  return policy.document.Statement.some(
    (st) =>
      st.Effect === 'Allow' &&
      writesVariables(st) &&
      JSON.stringify(st.Action ?? st.NotAction ?? '')
        .toLowerCase()
        .includes(service),
  );
}
