import type { PolicySet } from '../eval/authorization';
import { oidcProviderHost } from '../eval/caller-profile';
import { parseConditionOperator } from '../eval/condition-operators';
import { statementLabel } from '../eval/policy-evaluator';
import { listPrincipals } from '../eval/principal-matcher';
import type { Warning } from '../finding/types';
import { toArray } from '../iam/policy-document';
import type { ConditionValue, PolicyKind, PolicyStatement } from '../iam/policy-types';
import { repairFixDocument } from './fix/validate-fix-document';
import { conditionKeyVerdict, OIDC_DEFAULT_CLAIMS } from './lint-catalog';
import { BUILT_IN_PROVIDERS, hasWildcard, withoutVariables } from './policy-grammar';
import { pathlessRoleReferences } from './role-path-references';

/**
 * Trust-policy mistakes users actually make, each reported with the corrected form: a wildcard under an operator
 * that treats it literally, a partial wildcard in Principal, an OIDC condition on a claim CloudTrail never shows or
 * IAM does not support for that provider, a claim key spelled for another provider (and, in lint-involved.ts, a role
 * ARN written without its path). Conditions that can never be true are in lint-unsatisfiable.ts.
 */
export interface LintNote {
  code: Warning['code'];
  message: string;
}

/**
 * "StringEquals … Exact matching" vs "StringLike … can include a multi-character match wildcard (*) and a
 * single-character match wildcard (?)" (IAM JSON policy elements: Condition operators). ArnEquals is not on this list:
 * "The ArnEquals and ArnLike condition operators behave identically".
 */
const LITERAL_OPERATORS: Record<string, string> = {
  StringEquals: 'StringLike',
  StringNotEquals: 'StringNotLike',
  StringEqualsIgnoreCase: 'StringLike',
  StringNotEqualsIgnoreCase: 'StringNotLike',
};

function literalWildcards(st: PolicyStatement): LintNote[] {
  const notes: LintNote[] = [];
  for (const [operator, block] of Object.entries(st.Condition ?? {})) {
    const parsed = parseConditionOperator(operator);
    const like = parsed && LITERAL_OPERATORS[parsed.base.name];
    if (!parsed || !like) continue;
    for (const [key, raw] of Object.entries(block)) {
      const values = toArray(raw).map(String);
      if (!values.some((v) => hasWildcard(withoutVariables(v)))) continue;
      const corrected = `${parsed.setQualifier ? `${parsed.setQualifier}:` : ''}${like}${parsed.ifExists ? 'IfExists' : ''}`;
      const caseNote = parsed.base.name.includes('IgnoreCase') ? ' (StringLike compares case-sensitively)' : '';
      notes.push({
        code: 'LITERAL_WILDCARD',
        message: `${operator} compares ${key} exactly, so "*" and "?" in ${JSON.stringify(raw)} are literal characters and match only a value that contains them. Corrected form${caseNote}: ${JSON.stringify({ [corrected]: { [key]: raw } })}`,
      });
    }
  }
  return notes;
}

function partialWildcardPrincipals(st: PolicyStatement): LintNote[] {
  const patterns = listPrincipals(st.Principal).filter(([, v]) => v !== '*' && hasWildcard(v));
  if (patterns.length === 0) return [];
  const aws = patterns.filter(([t]) => t === 'AWS').map(([, v]) => v);
  const repairable = aws.length === patterns.length && !hasWildcardAccount(aws);
  const repaired = repairable ? repairFixDocument({ Version: '2012-10-17', Statement: [st] }).document.Statement : [];
  return [
    {
      code: 'PARTIAL_WILDCARD_PRINCIPAL',
      message:
        `Principal ${patterns.map(([t, v]) => `${t} ${JSON.stringify(v)}`).join(', ')} has a partial wildcard; IAM accepts "*" alone in Principal, never inside a principal name, and matches nothing else by pattern. ` +
        (repaired.length > 0
          ? `Corrected form (the account, narrowed by the pattern on aws:PrincipalArn): ${JSON.stringify(repaired.length === 1 ? repaired[0] : repaired)}`
          : 'Name each principal exactly.'),
    },
  ];
}

function hasWildcardAccount(values: string[]): boolean {
  return values.some((v) => hasWildcard(v.split(':')[4] ?? '*'));
}

/** The condition-key prefix of each OIDC provider the statement trusts (the issuer host and path). */
function oidcHosts(st: PolicyStatement): string[] {
  return listPrincipals(st.Principal)
    .filter(([t, v]) => t === 'Federated' && (v.includes(':oidc-provider/') || BUILT_IN_PROVIDERS.has(v)))
    .map(([, v]) => oidcProviderHost(v));
}

/** GitHub claims that `sub` also carries ("repo:OWNER/REPO:environment:NAME", "…:ref:refs/heads/main"). */
const GITHUB_SUB_FORMS: Record<string, (repo: string, value: string) => string> = {
  environment: (repo, v) => `repo:${repo}:environment:${v}`,
  // sub names the ref only for a job without an environment.
  ref: (repo, v) => `repo:${repo}:ref:${v}`,
  repository: (_repo, v) => `repo:${v}:*`,
};

/** The repository a GitHub statement is about, from its repository or sub condition, else a placeholder. */
function githubRepository(st: PolicyStatement, host: string): string {
  for (const block of Object.values(st.Condition ?? {})) {
    for (const [key, raw] of Object.entries(block)) {
      const k = key.toLowerCase();
      const first = String(toArray(raw)[0] ?? '');
      if (k === `${host}:repository` && first) return first;
      if (k === `${host}:sub` && first.startsWith('repo:')) {
        const repo = first.slice(5).split(':')[0];
        if (repo && !hasWildcard(repo)) return repo;
      }
    }
  }
  return 'OWNER/REPO';
}

function subForm(st: PolicyStatement, host: string, claim: string, raw: ConditionValue | ConditionValue[]): string {
  const form = host === 'token.actions.githubusercontent.com' ? GITHUB_SUB_FORMS[claim] : undefined;
  if (!form) return '';
  const repo = githubRepository(st, host);
  const values = toArray(raw).map((v) => form(repo, String(v)));
  return ` Where the check must be visible in the event, state it on sub instead: ${JSON.stringify({ StringLike: { [`${host}:sub`]: values.length === 1 ? values[0] : values } })}`;
}

function oidcClaims(st: PolicyStatement): LintNote[] {
  const hosts = oidcHosts(st);
  if (hosts.length === 0) return [];
  const notes: LintNote[] = [];
  for (const block of Object.values(st.Condition ?? {})) {
    for (const [key, raw] of Object.entries(block)) {
      const colon = key.indexOf(':');
      const prefix = key.slice(0, colon).toLowerCase();
      const claim = key.slice(colon + 1);
      if (colon <= 0 || !(prefix.includes('.') || prefix.includes('/'))) continue;
      if (!hosts.some((h) => h.toLowerCase() === prefix)) {
        const corrected =
          hosts.length === 1 ? `; for this provider the key is ${JSON.stringify(`${hosts[0]}:${claim}`)}` : '';
        notes.push({
          code: 'WRONG_PROVIDER_KEY',
          message: `${key} is spelled for the issuer ${prefix}, but the statement trusts ${hosts.join(', ')}: a token from that provider never carries this key, so the condition never matches${corrected}`,
        });
        continue;
      }
      const lowerClaim = claim.toLowerCase();
      if (lowerClaim === 'aud' || lowerClaim === 'sub') continue;
      if (!OIDC_DEFAULT_CLAIMS.has(lowerClaim) && conditionKeyVerdict(key) === 'absent') {
        notes.push({
          code: 'UNSUPPORTED_TOKEN_CLAIM',
          message: `IAM has no condition key ${key}: it supports only documented claims for ${prefix} ("Available keys for AWS OIDC federation"), so this key is never in the request.${subForm(st, prefix, lowerClaim, raw) || ' Match the value through the sub claim instead.'}`,
        });
        continue;
      }
      // Only where sub carries the same fact: other documented claims (Cognito's amr, GitHub's job_workflow_ref) are
      // the way AWS recommends writing those checks, and the diagnosis lists them under unknowns anyway.
      const form = subForm(st, prefix, lowerClaim, raw);
      if (form)
        notes.push({
          code: 'UNLOGGED_TOKEN_CLAIM',
          message: `${key} is a token claim CloudTrail never shows (a denied AssumeRoleWithWebIdentity event carries only aud and sub), so a denial that rests on it cannot be explained from the event; trustgap lists it under unknowns.${form}`,
        });
    }
  }
  return notes;
}

/** The mistakes of one statement of a policy of this kind. */
export function statementMistakes(kind: PolicyKind, st: PolicyStatement): LintNote[] {
  const notes = literalWildcards(st);
  if (kind === 'trust') notes.push(...partialWildcardPrincipals(st), ...oidcClaims(st));
  return notes;
}

/**
 * An identity policy that names the role being assumed as "role/NAME" while the role has a path ("/team/"): the
 * ARN of a role includes its path, so the statement does not match it. The role's real ARN comes from the facts.
 */
export function rolePathWarnings(set: PolicySet): Warning[] {
  return pathlessRoleReferences(set).map(({ policy, index, statement, withoutPath, roleArn, path }) => ({
    code: 'ROLE_ARN_WITHOUT_PATH',
    policy: 'identity',
    source: policy.source,
    statement: statementLabel(statement, index),
    message: `Resource ${withoutPath} leaves out the role's path ${path}: the role's ARN is ${roleArn}, and a Resource without the path never matches it. Corrected form: "Resource": ${JSON.stringify(toArray(statement.Resource).map((r) => (r === withoutPath ? roleArn : r)))}`,
  }));
}
