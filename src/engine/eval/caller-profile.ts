import type { CallerType, NormalizedEvent } from '../event/types';

/**
 * What the evaluator needs to know about who called, derived once from the normalized event.
 * `principalArn` is the ARN a trust policy would name for this caller: the user ARN, the *role* ARN for a role
 * session (sessions are named by their role), the federated-user ARN, or the account root ARN.
 */
export interface CallerProfile {
  type: CallerType;
  accountId?: string;
  principalArn?: string;
  /** Role sessions only: arn:aws:sts::<acct>:assumed-role/<role>/<session>. */
  sessionArn?: string;
  /** AWS service principal, e.g. ec2.amazonaws.com. */
  serviceName?: string;
  /** Web identity / SAML: the Federated principal value a trust policy must name (provider ARN or well-known host). */
  federatedPrincipal?: string;
  /** Web identity: condition-key prefix for claims, e.g. token.actions.githubusercontent.com or cognito-identity.amazonaws.com. */
  claimKeyPrefix?: string;
  /** IAM unique ID of the calling user or role (AIDA…/AROA…), when known. */
  uniqueId?: string;
  /** Name for display and generated Sids. */
  displayName: string;
}

const WELL_KNOWN_WEB_IDPS = new Set([
  'accounts.google.com',
  'cognito-identity.amazonaws.com',
  'graph.facebook.com',
  'www.amazon.com',
]);

/** OIDC provider ARN → issuer host/path used as the condition-key prefix (arn:…:oidc-provider/HOST/PATH → HOST/PATH). */
export function oidcProviderHost(provider: string): string {
  const m = /^arn:aws[\w-]*:iam::\d{12}:oidc-provider\/(.+)$/.exec(provider);
  return (m ? m[1] : provider).replace(/^https?:\/\//, '');
}

export function buildCallerProfile(event: NormalizedEvent): CallerProfile {
  const c = event.caller;
  // Built field by field, not with object spread: spreading into a literal was the slowest part of a diagnosis.
  const profile: CallerProfile = { type: c.type, accountId: c.accountId, displayName: '' };
  switch (c.type) {
    case 'IAMUser':
      profile.principalArn = c.arn;
      profile.uniqueId = c.principalId;
      profile.displayName = c.userName ?? lastSegment(c.arn) ?? 'user';
      break;
    case 'AssumedRole':
      profile.principalArn = c.issuerArn;
      profile.sessionArn = c.arn;
      profile.uniqueId = c.principalId?.split(':')[0];
      profile.displayName = (c.issuerArn ? lastSegment(c.issuerArn) : roleNameFromSessionArn(c.arn)) ?? 'role-session';
      break;
    case 'FederatedUser':
      profile.principalArn = c.arn;
      profile.displayName = lastSegment(c.arn) ?? 'federated-user';
      break;
    case 'Root':
      profile.principalArn = c.accountId ? `arn:aws:iam::${c.accountId}:root` : c.arn;
      profile.displayName = 'root';
      break;
    case 'AWSService':
      profile.serviceName = c.invokedBy;
      profile.displayName = c.invokedBy ?? 'service';
      break;
    case 'WebIdentityUser': {
      const provider = c.webIdentity?.provider ?? c.identityProvider;
      const host = provider ? oidcProviderHost(provider) : undefined;
      profile.federatedPrincipal =
        provider && (provider.startsWith('arn:') || WELL_KNOWN_WEB_IDPS.has(host ?? ''))
          ? provider
          : host && event.role.accountId
            ? `arn:aws:iam::${event.role.accountId}:oidc-provider/${host}`
            : provider;
      profile.claimKeyPrefix = host;
      profile.displayName = c.webIdentity?.sub ?? c.userName ?? 'web-identity';
      break;
    }
    case 'SAMLUser':
      profile.federatedPrincipal = event.request.principalArn;
      profile.displayName = c.userName ?? 'saml-user';
      break;
    default:
      profile.principalArn = c.arn;
      profile.displayName = c.arn ?? c.accountId ?? 'unknown caller';
  }
  return profile;
}

function lastSegment(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const i = arn.lastIndexOf('/');
  return i >= 0 ? arn.slice(i + 1) : undefined;
}

function roleNameFromSessionArn(arn: string | undefined): string | undefined {
  const m = arn ? /:assumed-role\/([^/]+)\//.exec(arn) : null;
  return m ? m[1] : undefined;
}
