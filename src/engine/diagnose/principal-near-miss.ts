import type { CallerProfile } from '../eval/caller-profile';
import type { StatementResult } from '../eval/policy-evaluator';
import { listPrincipals } from '../eval/principal-matcher';
import { editDistance } from '../text/edit-distance';

export interface PrincipalNearMiss {
  st: StatementResult;
  value: string;
  why: string;
}

const IAM_ARN = /^arn:(aws[\w-]*):(iam|sts)::(\d{12}):(user|role|assumed-role|federated-user)\/(.+)$/;

interface ParsedPrincipalArn {
  account: string;
  type: string;
  /** Last path segment (the name), or role/session for assumed-role ARNs. */
  name: string;
}

function parse(arn: string | undefined): ParsedPrincipalArn | undefined {
  const m = arn ? IAM_ARN.exec(arn) : null;
  if (!m) return undefined;
  const rest = m[5];
  const name = m[4] === 'assumed-role' ? rest.split('/')[0] : rest.slice(rest.lastIndexOf('/') + 1);
  return { account: m[3], type: m[4], name };
}

/** Why `value` (from a trust policy) looks like a mistaken way of naming the caller, or undefined if it doesn't. */
function explainNearMiss(value: string, caller: CallerProfile): string | undefined {
  if (caller.type === 'AWSService' && caller.serviceName) {
    const d = editDistance(value.toLowerCase(), caller.serviceName.toLowerCase(), 3);
    return d > 0 && d <= 3 ? `a misspelling of ${caller.serviceName}` : undefined;
  }
  if (caller.federatedPrincipal && (caller.type === 'WebIdentityUser' || caller.type === 'SAMLUser')) {
    if (value === caller.federatedPrincipal) return undefined;
    const a = value.replace(/^arn:[^:]+:iam::\d{12}:/, '');
    const b = caller.federatedPrincipal.replace(/^arn:[^:]+:iam::\d{12}:/, '');
    if (a === b) return 'the same identity provider in another account';
    return editDistance(a, b, 4) <= 4 ? `a different spelling of the provider ${caller.federatedPrincipal}` : undefined;
  }
  const want = parse(caller.principalArn);
  const got = parse(value);
  if (!want || !got) return undefined;
  if (
    caller.type === 'AssumedRole' &&
    got.type === 'assumed-role' &&
    got.name === want.name &&
    got.account === want.account
  ) {
    return 'a role-session ARN for another session; name the role ARN so every session of the role is trusted';
  }
  const sameName = got.name === want.name;
  if (sameName && got.account === want.account && got.type !== want.type)
    return `it names a ${got.type} where the caller is a ${want.type}`;
  if (sameName && got.type === want.type && got.account !== want.account)
    return `it names account ${got.account} where the caller is in ${want.account}`;
  if (got.type === want.type && got.account === want.account) {
    if (got.name.toLowerCase() === want.name.toLowerCase()) return 'the name differs only in letter case';
    if (editDistance(got.name, want.name, 2) <= 2) return `a misspelling of ${want.name}`;
    if (value !== caller.principalArn && sameName) return 'the same name under a different path';
  }
  return undefined;
}

/** The trust statement entry that would name the caller but for one typo or ARN mismatch. */
export function findPrincipalNearMiss(allows: StatementResult[], caller: CallerProfile): PrincipalNearMiss | undefined {
  for (const st of allows) {
    if (!st.actionMatches) continue;
    for (const [, value] of listPrincipals(st.statement.Principal)) {
      const why = explainNearMiss(value, caller);
      if (why) return { st, value, why };
    }
  }
  return undefined;
}
