import type { NormalizedEvent } from '../event/types';
import type { Finding, Unknown } from '../finding/types';
import type { IamFacts } from '../iam/iam-facts';
import { markCannotClear, STATED_EVIDENCE } from './blame';
import { buildFinding } from './finding-builder';

/**
 * What the input leaves out, said exactly. An error text is not a CloudTrail record: the AssumeRoleWithWebIdentity
 * and AssumeRoleWithSAML messages name neither the role nor the caller, and no message carries the request parameters
 * or the token's claims. A trimmed record may lack the role too. The finding names what is missing, why it matters,
 * and the flag that supplies it, rather than a generic failure.
 */

function inputName(event: NormalizedEvent): string {
  return event.origin === 'error-text' ? 'The error text' : 'The event';
}

/** Why the input names no role, in the words the user needs to act on it. */
function whyNoRole(event: NormalizedEvent): string {
  if (event.origin !== 'error-text')
    return 'requestParameters were not logged, it has no resources entry, and its errorMessage names no role ARN';
  if (event.api === 'AssumeRoleWithWebIdentity' || event.api === 'AssumeRoleWithSAML')
    return `STS's ${event.api} error messages never name the role`;
  return 'it has no "on resource: arn:…:role/…" part';
}

/** No role ARN in the input: the trust policy, the role's account and its organization cannot be looked up. */
export function missingRoleFinding(event: NormalizedEvent): Finding {
  const provider =
    event.errorCode === 'InvalidIdentityToken' && event.errorMessage?.startsWith('No OpenIDConnect provider found')
      ? ` AWS says no OIDC provider for that issuer is registered in the role's account; the role ARN says which account that is.`
      : '';
  const missing = `${inputName(event)} names no role (${whyNoRole(event)}), so trustgap cannot read the role's trust policy or tell which account owns it. Pass --role-arn ARN with the role the call asked for.${provider}`;
  return buildFinding(event, {
    cause: 'UNEXPLAINED',
    policy: 'unknown',
    summary: missing,
    evidence: [
      {
        policy: 'unknown',
        source: event.origin === 'error-text' ? 'error text' : 'CloudTrail event',
        statement: 'names no role ARN',
      },
    ],
    otherGaps: [],
    warnings: [],
    fix: {
      kind: 'caller',
      summary: 'Re-run trustgap diagnose with --role-arn ARN (the role the call asked for).',
      commands: [],
      verified: false,
      admits: [],
    },
    confidence: 'low',
    unknowns: [{ key: 'role', reason: `${inputName(event).toLowerCase()} names no role; pass --role-arn` }],
  });
}

/** Causes the error code or AWS's own sentence decides: what the text leaves out cannot change them. */
const DECIDED_BY_THE_ERROR: ReadonlySet<Finding['cause']> = new Set([
  'TOKEN_EXPIRED',
  'TOKEN_INVALID',
  'IDP_NOT_FOUND',
  'REGION_DISABLED',
  'ROOT_CANNOT_ASSUME',
]);

function decidedByTheError(finding: Finding): boolean {
  return DECIDED_BY_THE_ERROR.has(finding.cause) || finding.evidence.some((e) => e.statement === STATED_EVIDENCE);
}

/**
 * The unknowns an error text always has, added to the finding so that no conclusion hides them. Confidence is lowered
 * for them only where they could change the answer: not where the error code or AWS's stated reason decides it.
 */
export function withErrorTextUnknowns(finding: Finding, event: NormalizedEvent): Finding {
  if (finding.policy === 'unknown' && finding.unknowns.some((u) => u.key === 'role')) return finding;
  const decided = decidedByTheError(finding);
  const added: Unknown[] = [];
  const noCaller =
    event.caller.type === 'Unknown' ||
    (event.caller.type === 'WebIdentityUser' && event.caller.webIdentity === undefined) ||
    (event.caller.type === 'SAMLUser' && event.caller.saml === undefined);
  if (noCaller)
    added.push({
      key: 'caller',
      reason:
        event.caller.type === 'WebIdentityUser'
          ? 'the error text names no identity provider; pass --caller with the OIDC provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/HOST)'
          : event.caller.type === 'SAMLUser'
            ? 'the error text names no SAML provider; pass --caller with the SAML provider ARN'
            : 'the error text names no caller; pass --caller with the user, role or session ARN that made the call',
    });
  if (event.caller.type === 'WebIdentityUser' || event.caller.type === 'SAMLUser')
    added.push({
      key: event.caller.type === 'WebIdentityUser' ? 'token claims' : 'SAML assertion',
      reason:
        'an error message never carries the token claims or assertion attributes (sub, aud, SAML:aud…); conditions on them cannot be checked. CloudTrail logs some of them: diagnose the event instead where you can',
    });
  added.push({
    key: 'request parameters',
    reason:
      'an error message does not show what the call passed (ExternalId, MFA, session name, tags, duration); conditions on them cannot be checked',
  });
  const seen = new Set(finding.unknowns.map((u) => u.key.toLowerCase()));
  const fresh = added.filter((u) => !seen.has(u.key.toLowerCase()));
  // Listed either way; where the error decides the cause they cannot clear it, and a high finding says so (blame.ts).
  const unknowns = [
    ...finding.unknowns,
    ...(decided && finding.confidence === 'high' ? markCannotClear(fresh) : fresh),
  ];
  const lowered = !decided && finding.confidence === 'high';
  return { ...finding, unknowns, confidence: lowered ? 'medium' : finding.confidence };
}

/**
 * A role session named by its ARN alone (an error text, --caller) gives the role's name but not its path, which a
 * trust policy naming the role ARN needs. The role's own ARN, from the facts, has it.
 */
export async function withCallerRolePath(event: NormalizedEvent, facts: IamFacts): Promise<NormalizedEvent> {
  const issuer = event.caller.issuerArn;
  if (event.caller.type !== 'AssumedRole' || issuer === undefined || !issuer.includes(':role/')) return event;
  if (issuer.slice(issuer.indexOf(':role/') + ':role/'.length).includes('/')) return event;
  const role = await facts.getRole(issuer);
  if (role.status !== 'found' || role.value.arn === issuer) return event;
  return { ...event, caller: { ...event.caller, issuerArn: role.value.arn } };
}
