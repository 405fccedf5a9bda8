import type { PolicySet } from '../eval/authorization';
import { toArray } from '../iam/policy-document';
import type { NamedPolicy, PolicyStatement } from '../iam/policy-types';

/** An Allow statement of the caller's identity policies that names the role being assumed without its path. */
export interface PathlessRoleReference {
  policy: NamedPolicy;
  index: number;
  statement: PolicyStatement;
  /** The role's ARN as the statement wrote it, `role/NAME`. */
  withoutPath: string;
  /** The role's real ARN, with its path. */
  roleArn: string;
  path: string;
}

/**
 * A role's ARN includes its path (role/team/deploy), so a Resource of role/deploy never matches it. Lint warns about
 * such a statement (ROLE_ARN_WITHOUT_PATH) and the fix corrects it in place: both find it here.
 */
export function pathlessRoleReferences(set: PolicySet): PathlessRoleReference[] {
  const role = set.role;
  if (!role.path || role.path === '/') return [];
  const withoutPath = role.arn.replace(`:role${role.path}`, ':role/');
  const found: PathlessRoleReference[] = [];
  for (const policy of set.identity ?? []) {
    policy.document.Statement.forEach((statement, index) => {
      if (statement.Effect !== 'Allow' || !toArray(statement.Resource).includes(withoutPath)) return;
      if (!toArray(statement.Action).some((a) => a === '*' || a.toLowerCase().startsWith('sts:'))) return;
      found.push({ policy, index, statement, withoutPath, roleArn: role.arn, path: role.path });
    });
  }
  return found;
}
