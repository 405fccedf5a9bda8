import type { ConditionClauseResult } from '../../eval/conditions';
import { matchesWildcard } from '../../eval/wildcard';

/**
 * Whether a denied token claim lies inside what the trust statement admits. A claim value has a scope (the GitHub
 * owner/repository, the GitLab project, the EKS namespace, the Cognito identity pool) and, inside it, a narrowing
 * (the ref, environment or event type). Widening the policy to a value in another scope hands the role to someone
 * the statement never meant to trust; widening it inside the scope removes a guardrail the statement put there.
 */
export type ClaimScope =
  | { kind: 'outside'; reason: string }
  | { kind: 'narrowing'; passing: string; guardrail: string; request: string }
  | undefined;

interface ClaimShape {
  /** The part of the value that identifies whose token it is, or undefined if the value has no recognizable shape. */
  scopeOf(value: string): string | undefined;
  what: string;
}

const GITHUB: ClaimShape = {
  // repo:OWNER/REPO:environment:NAME | repo:OWNER/REPO:ref:refs/heads/BRANCH | repo:OWNER/REPO:pull_request …
  scopeOf: (v) => (v.startsWith('repo:') ? v.slice(5).split(':')[0] : undefined),
  what: 'GitHub repository',
};
const GITLAB: ClaimShape = {
  // project_path:GROUP/PROJECT:ref_type:branch:ref:main
  scopeOf: (v) => (v.startsWith('project_path:') ? v.slice('project_path:'.length).split(':')[0] : undefined),
  what: 'GitLab project',
};
const EKS: ClaimShape = {
  // system:serviceaccount:NAMESPACE:NAME
  scopeOf: (v) => (v.startsWith('system:serviceaccount:') ? v.split(':')[2] : undefined),
  what: 'Kubernetes namespace',
};

function shapeFor(key: string): ClaimShape | undefined {
  const k = key.toLowerCase();
  if (!k.endsWith(':sub')) return undefined;
  if (k.startsWith('token.actions.githubusercontent.com')) return GITHUB;
  if (k.includes('gitlab')) return GITLAB;
  if (/^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com\/id\//.test(k)) return EKS;
  return undefined;
}

/** A pattern from the policy may hold wildcards in its scope part (repo:acme-corp/*:…): compare as IAM would. */
function scopeMatches(patternScope: string, actualScope: string, like: boolean): boolean {
  return like ? matchesWildcard(patternScope, actualScope, false) : patternScope === actualScope;
}

/** Describes what a GitHub sub requires, as the request that would pass. */
function githubRequest(pattern: string): { request: string; guardrail: string } {
  const rest = pattern.split(':').slice(2).join(':');
  if (rest.startsWith('environment:')) {
    const env = rest.slice('environment:'.length);
    return {
      request: `Run the job in the GitHub environment ${env} (declare \`environment: ${env}\` on the job in the workflow)`,
      guardrail: `the ${env} environment's protection rules (required reviewers, branch rules, wait timers)`,
    };
  }
  if (rest.startsWith('ref:refs/heads/')) {
    const branch = rest.slice('ref:refs/heads/'.length);
    return {
      request: `Run the workflow from branch ${branch}`,
      guardrail: `the restriction to branch ${branch} (any branch or pull request could then deploy)`,
    };
  }
  if (rest.startsWith('ref:refs/tags/')) {
    const tag = rest.slice('ref:refs/tags/'.length);
    return { request: `Run the workflow from tag ${tag}`, guardrail: `the restriction to tag ${tag}` };
  }
  if (rest === 'pull_request')
    return { request: 'Run the job from a pull_request event', guardrail: 'the restriction to pull-request jobs' };
  return { request: `Make the job's token carry sub ${pattern}`, guardrail: `the restriction of sub to ${pattern}` };
}

/** A concrete value that satisfies `pattern`, for re-evaluating the changed request (wildcards become NAME). */
function concreteValue(pattern: string): string {
  return pattern.replace(/\*/g, 'NAME').replace(/\?/g, 'X');
}

/**
 * Classifies the failed claim clause. Cognito's aud names the identity pool: another pool is always outside.
 * Negated operators and unrecognized claim shapes are not classified (the ordinary fix applies).
 */
export function claimScope(clause: ConditionClauseResult): ClaimScope {
  const actual = clause.actual?.[0];
  if (actual === undefined || /Not/.test(clause.operator)) return undefined;
  const key = clause.key.toLowerCase();
  if (key === 'cognito-identity.amazonaws.com:aud')
    return {
      kind: 'outside',
      reason: `the token comes from Cognito identity pool ${actual}, and the trust admits only ${clause.expected.join(', ')}`,
    };
  const shape = shapeFor(key);
  if (!shape) return undefined;
  const actualScope = shape.scopeOf(actual);
  if (actualScope === undefined) return undefined;
  const like = /Like/.test(clause.operator);
  const sameScope = clause.expected.filter((p) => {
    const s = shape.scopeOf(p);
    return s !== undefined && scopeMatches(s, actualScope, like);
  });
  if (sameScope.length === 0)
    return {
      kind: 'outside',
      reason: `the token's ${shape.what} ${actualScope} is not one the trust admits (${clause.expected.join(', ')})`,
    };
  const pattern = sameScope[0];
  if (shape === GITHUB)
    return { kind: 'narrowing', passing: like ? concreteValue(pattern) : pattern, ...githubRequest(pattern) };
  return {
    kind: 'narrowing',
    passing: like ? concreteValue(pattern) : pattern,
    request: `Make the token's sub match ${pattern}`,
    guardrail: `the restriction of sub to ${pattern}`,
  };
}

/**
 * Whether a pattern names its scope (owner/repository, project, namespace) exactly, so that reading it as a pattern
 * cannot reach into someone else's: "repo:acme-corp/storefront:*" does, "repo:*" does not. Only the token claims whose
 * scope is known qualify: for any other key (aws:PrincipalArn "arn:aws:iam::*:role/deploy", sts:ExternalId "abc*")
 * nothing tells which part of the value is the guardrail, so making its wildcard live is never recommended.
 */
export function patternKeepsScope(key: string, pattern: string): boolean {
  const shape = shapeFor(key);
  if (!shape) return false;
  const scope = shape.scopeOf(pattern);
  return scope !== undefined && scope.length > 0 && !scope.includes('*') && !scope.includes('?');
}
