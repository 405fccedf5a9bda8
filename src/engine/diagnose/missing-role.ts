import type { CallerProfile } from '../eval/caller-profile';
import type { NormalizedEvent } from '../event/types';
import type { Finding } from '../finding/types';
import type { IamFacts } from '../iam/iam-facts';
import { lookUp } from '../iam/look-up';
import { findClosestRoleNames } from './closest-role-name';
import { buildFinding } from './finding-builder';
import { stsCommand } from './fix/request-fixes';
import type { GatheredFacts } from './gather-facts';
import { checkCall } from './would-allow';

/**
 * STS answers a missing role with the same AccessDenied as a trust denial, so the only way to tell is to look the
 * role up. Role names are case-sensitive in AssumeRole, so a case-only difference is the likeliest typo.
 */
export async function diagnoseMissingRole(
  event: NormalizedEvent,
  _caller: CallerProfile,
  facts: IamFacts,
  gathered: GatheredFacts,
): Promise<Finding> {
  const roleArn = event.role.arn;
  // Only reached after the role ARN was looked up and not found, so the event always names one.
  if (roleArn === undefined) throw new Error('diagnoseMissingRole: the event names no role ARN');
  const name = event.role.name ?? roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const namesNow = event.role.accountId
    ? lookUp(facts, 'listRoleNames', event.role.accountId)
    : { status: 'unknown' as const, reason: 'no account in the role ARN' };
  const names = namesNow instanceof Promise ? await namesNow : namesNow;
  const closest = names.status === 'found' ? closestNamesCached(name, names.value) : [];
  const caseOnly = closest.find((c) => c.toLowerCase() === name.toLowerCase() && c !== name);
  const suggestedArn = (n: string) => suggestedArnOf(roleArn, n);
  const summary =
    `Role ${name} does not exist in account ${event.role.accountId ?? '?'} (STS reports a missing role as AccessDenied, exactly like a trust denial).` +
    (caseOnly
      ? ` Role names are case-sensitive in AssumeRole: the role is called ${caseOnly}.`
      : closest.length
        ? ` Closest existing role names: ${closest.join(', ')}.`
        : '');
  const warnings = caseOnly
    ? [
        {
          code: 'ROLE_NAME_CASE' as const,
          message: `The call asked for ${name}; the role is named ${caseOnly}. AssumeRole matches role names case-sensitively.`,
        },
      ]
    : [];
  const best = caseOnly ?? closest[0];
  // Verify the suggestion the only honest way: diagnose the same call against the role that exists. If the policies
  // allow it there, the fix is verified; if not, say what would still block it.
  const corrected: NormalizedEvent | undefined = best
    ? Object.assign({}, event, {
        role: Object.assign({}, event.role, { arn: suggestedArnOf(roleArn, best), name: best }),
      })
    : undefined;
  const check = corrected ? await checkCall(corrected, facts) : undefined;
  const retryAllowed = check?.allowed === true;
  const retry = check?.blocker;
  return buildFinding(event, {
    cause: 'ROLE_NOT_FOUND',
    policy: 'request',
    summary,
    evidence: [
      {
        policy: 'request',
        source: `IAM roles of account ${event.role.accountId ?? '?'}`,
        statement: 'role lookup',
        expected: closest,
        actual: name,
      },
    ],
    otherGaps: [],
    warnings,
    fix: {
      kind: 'caller',
      summary: best
        ? `Call the role that exists: ${suggestedArn(best)} (check the ARN in the caller's configuration).` +
          (retry ? ` That role would still deny this caller: ${retry.cause}: ${retry.summary}` : '')
        : `Create the role or correct the role ARN in the caller's configuration.`,
      commands: best ? [stsCommand({ event, roleArn: suggestedArn(best) }, '')] : [],
      verified: retryAllowed,
      admits: [],
    },
    confidence: names.status === 'found' ? 'high' : 'medium',
    unknowns: [
      ...gathered.unknowns,
      ...(names.status === 'unknown' ? [{ key: 'role names', reason: names.reason }] : []),
    ],
  });
}

/** The ARN of another role in the same account (role names are unique per account, whatever the path). */
function suggestedArnOf(roleArn: string, name: string): string {
  return `${roleArn.slice(0, roleArn.indexOf(':role/') + ':role/'.length)}${name}`;
}

/**
 * A retrying job asks for the same missing role again and again: remember the suggestions per role-name list
 * (the facts adapters return the same list object until it changes) and per requested name.
 */
const closestCache = new WeakMap<readonly string[], Map<string, string[]>>();

function closestNamesCached(name: string, candidates: readonly string[]): string[] {
  let perList = closestCache.get(candidates);
  if (!perList) {
    perList = new Map();
    closestCache.set(candidates, perList);
  }
  let hit = perList.get(name);
  if (!hit) {
    hit = findClosestRoleNames(name, candidates, 3);
    if (perList.size > 10_000) perList.clear();
    perList.set(name, hit);
  }
  return [...hit];
}

/**
 * The call passed something that is not a role ARN (often the bare role name). STS rejects it with ValidationError
 * before any policy runs; the fix is the full ARN, verified by diagnosing the call again with it.
 */
export async function diagnoseMalformedRoleArn(
  event: NormalizedEvent,
  intendedArn: string,
  facts: IamFacts,
  diagnose: (event: NormalizedEvent, facts: IamFacts) => Promise<Finding>,
): Promise<Finding> {
  const name = intendedArn.slice(intendedArn.lastIndexOf('/') + 1);
  const retry = await diagnose(
    {
      ...event,
      errorCode: 'AccessDenied',
      role: { arn: intendedArn, accountId: intendedArn.split(':')[4], name, path: '/', source: event.role.source },
    },
    facts,
  );
  const allowed = retry.cause === 'UNEXPLAINED' && retry.policy === 'none';
  const then = allowed
    ? ''
    : retry.cause === 'ROLE_NOT_FOUND'
      ? ` ${retry.summary}`
      : ` With the full ARN the call would still be denied: ${retry.cause}: ${retry.summary}`;
  return buildFinding(event, {
    cause: 'ROLE_NOT_FOUND',
    policy: 'request',
    summary: `The call passed ${JSON.stringify(event.role.arn)} where STS needs a full role ARN, so it was rejected before any policy was evaluated. The intended role is most likely ${intendedArn}.${then}`,
    evidence: [
      {
        policy: 'request',
        source: 'CloudTrail event',
        statement: 'requestParameters.roleArn',
        expected: intendedArn,
        actual: event.role.arn,
      },
    ],
    otherGaps:
      allowed || retry.cause === 'ROLE_NOT_FOUND'
        ? []
        : [{ cause: retry.cause, policy: retry.policy, summary: retry.summary }],
    warnings: retry.warnings,
    fix: allowed
      ? {
          kind: 'caller',
          summary: `Pass the full role ARN ${intendedArn}.`,
          commands: [stsCommand({ event, roleArn: intendedArn }, '')],
          verified: true,
          admits: [],
        }
      : retry.cause === 'ROLE_NOT_FOUND'
        ? retry.fix
        : {
            kind: retry.fix.kind,
            summary: `Pass the full role ARN ${intendedArn}, then: ${retry.fix.summary}`,
            policyDocument: retry.fix.policyDocument,
            commands: retry.fix.commands,
            verified: retry.fix.verified,
            admits: retry.fix.admits,
          },
    confidence: 'high',
    unknowns: retry.unknowns,
  });
}
