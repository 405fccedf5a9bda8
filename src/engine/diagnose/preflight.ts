import type { CallerProfile } from '../eval/caller-profile';
import type { NormalizedEvent } from '../event/types';
import type { Cause, Finding, FindingPolicy, Fix } from '../finding/types';
import { buildFinding } from './finding-builder';
import { stsCommand } from './fix/request-fixes';

/** A cause that the error code and the call itself establish, before any policy is read. */
export interface PreflightCause {
  cause: Cause;
  policy: FindingPolicy;
  summary: string;
  fix: Fix;
  /** Evidence statement text (the error code / message the decision rests on). */
  basis: string;
}

const instructions = (summary: string, commands: string[] = []): Fix => ({
  kind: 'caller',
  summary,
  commands,
  verified: false,
  admits: [],
});

/** Role chaining (a role session assuming a role) is capped at one hour whatever the role's MaxSessionDuration. */
const ROLE_CHAINING_LIMIT = 3600;

export function preflightCause(event: NormalizedEvent, caller: CallerProfile): PreflightCause | undefined {
  const code = event.errorCode;
  const msg = event.errorMessage ?? '';
  if (code === 'ExpiredTokenException' || code === 'ExpiredToken') {
    return {
      cause: 'TOKEN_EXPIRED',
      policy: 'token',
      basis: `${code}: ${msg}`,
      summary:
        event.api === 'AssumeRole' || event.api === 'AssumeRoot'
          ? 'The credentials used to make the call had expired. No policy is wrong.'
          : `The ${event.api === 'AssumeRoleWithSAML' ? 'SAML assertion' : 'identity token'} had expired when STS received it. No policy is wrong.`,
      fix: instructions(
        event.api === 'AssumeRoleWithWebIdentity'
          ? 'Fetch a fresh token immediately before calling STS (GitHub Actions: request the OIDC token in the same job step; EKS: the projected token is refreshed by the kubelet, so re-read the file rather than caching it).'
          : event.api === 'AssumeRoleWithSAML'
            ? 'Sign in again to get a fresh SAML assertion; assertions are valid for a few minutes only. Check the clock skew between the IdP and AWS.'
            : "Refresh the caller's credentials (re-run aws sso login / re-assume the source role) and retry.",
      ),
    };
  }
  if (code === 'RegionDisabledException') {
    return {
      cause: 'REGION_DISABLED',
      policy: 'request',
      basis: `${code}: ${msg}`,
      summary: `STS is not activated in ${event.awsRegion ?? 'this region'} for the account, so the regional endpoint refused the call.`,
      fix: instructions(
        `Activate STS in ${event.awsRegion ?? 'the region'} (IAM console → Account settings → Security Token Service (STS) → Endpoints), or call a region where it is active, e.g. with --region us-east-1.`,
      ),
    };
  }
  if (code === 'IDPRejectedClaim' || (code === 'InvalidIdentityToken' && !/No OpenIDConnect provider/i.test(msg))) {
    return {
      cause: 'TOKEN_INVALID',
      policy: 'token',
      basis: `${code}: ${msg}`,
      summary: /audience/i.test(msg)
        ? `STS rejected the token: its audience is not a client ID registered on the identity provider (${msg}).`
        : `STS rejected the ${event.api === 'AssumeRoleWithSAML' ? 'SAML assertion' : 'identity token'} (${code}${msg ? `: ${msg}` : ''}). Signature, issuer, thumbprint or claims did not validate; no policy was evaluated.`,
      fix: instructions(
        /audience/i.test(msg) && event.caller.webIdentity?.aud && caller.federatedPrincipal?.startsWith('arn:')
          ? `Register the token's audience on the provider.`
          : "Check the token's issuer, audience and signing keys against the identity provider registered in IAM; for SAML check the assertion's Recipient, Audience and signing certificate.",
        /audience/i.test(msg) && event.caller.webIdentity?.aud && caller.federatedPrincipal?.startsWith('arn:')
          ? [
              `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn '${caller.federatedPrincipal.replace(/'/g, `'\\''`)}' --client-id '${event.caller.webIdentity.aud.replace(/'/g, `'\\''`)}'`,
            ]
          : [],
      ),
    };
  }
  if (caller.type === 'Root' && event.api === 'AssumeRole') {
    return {
      cause: 'ROOT_CANNOT_ASSUME',
      policy: 'request',
      basis: `${code}: ${msg}`,
      summary:
        'The account root user made the call. AWS does not let root user credentials assume roles, whatever the trust policy says.',
      fix: instructions(
        'Make the call as an IAM user or role (or an IAM Identity Center session), not as the root user; do not create root access keys.',
      ),
    };
  }
  if (caller.type === 'FederatedUser' && event.api === 'AssumeRole') {
    return {
      cause: 'IDENTITY_NO_ALLOW',
      policy: 'session',
      basis: `caller type FederatedUser`,
      summary:
        'The caller is a federated-user session from GetFederationToken. Those sessions cannot call any STS API except GetCallerIdentity, so they can never assume a role.',
      fix: instructions(
        'Use IAM user, role or IAM Identity Center credentials to assume the role, or use AssumeRole instead of GetFederationToken to get the first session.',
      ),
    };
  }
  const duration = event.request.durationSeconds;
  if (
    caller.type === 'AssumedRole' &&
    duration !== undefined &&
    duration > ROLE_CHAINING_LIMIT &&
    event.api === 'AssumeRole'
  ) {
    return {
      cause: 'DURATION_TOO_LONG',
      policy: 'request',
      basis: `durationSeconds ${duration} with a role-session caller (role chaining)`,
      summary: `A role session asked for ${duration} s. Role chaining is limited to 1 hour (3600 s), whatever the role's MaxSessionDuration.`,
      fix: instructions(
        'Request 3600 seconds or less, or assume the role directly from user/SSO credentials to get a longer session.',
        [stsCommand({ event, roleArn: event.role.arn ?? '' }, ' --duration-seconds 3600')],
      ),
    };
  }
  return undefined;
}

/** The finding for a cause the call itself establishes: the error code (or request) is the evidence. */
export function preflightFinding(event: NormalizedEvent, early: PreflightCause): Finding {
  return buildFinding(event, {
    cause: early.cause,
    policy: early.policy,
    summary: early.summary,
    evidence: [
      {
        policy: early.policy,
        source: event.origin === 'error-text' ? 'error text' : 'CloudTrail event',
        statement: early.basis,
      },
    ],
    otherGaps: [],
    warnings: [],
    fix: early.fix,
    confidence: 'high',
    unknowns: [],
  });
}
