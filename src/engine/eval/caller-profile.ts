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

const WELL_KNOWN_WEB_IDPS = new Set(['accounts.google.com', 'cognito-identity.amazonaws.com', 'graph.facebook.com', 'www.amazon.com']);

/** OIDC provider ARN → issuer host/path used as the condition-key prefix (arn:…:oidc-provider/HOST/PATH → HOST/PATH). */
export function oidcProviderHost(provider: string): string {
  const m = /^arn:aws[\w-]*:iam::\d{12}:oidc-provider\/(.+)$/.exec(provider);
  return (m ? m[1] : provider).replace(/^https?:\/\//, '');
}

export function buildCallerProfile(event: NormalizedEvent): CallerProfile {
  const c = event.caller;
  const base = { type: c.type, accountId: c.accountId };
  switch (c.type) {
    case 'IAMUser':
      return { ...base, principalArn: c.arn, uniqueId: c.principalId, displayName: c.userName ?? lastSegment(c.arn) ?? 'user' };
    case 'AssumedRole': {
      const uniqueId = c.principalId?.split(':')[0];
      const roleName = c.issuerArn ? lastSegment(c.issuerArn) : roleNameFromSessionArn(c.arn);
      return { ...base, principalArn: c.issuerArn, sessionArn: c.arn, uniqueId, displayName: roleName ?? 'role-session' };
    }
    case 'FederatedUser':
      return { ...base, principalArn: c.arn, displayName: lastSegment(c.arn) ?? 'federated-user' };
    case 'Root':
      return { ...base, principalArn: c.accountId ? `arn:aws:iam::${c.accountId}:root` : c.arn, displayName: 'root' };
    case 'AWSService':
      return { ...base, serviceName: c.invokedBy, displayName: c.invokedBy ?? 'service' };
    case 'WebIdentityUser': {
      const provider = c.webIdentity?.provider ?? c.identityProvider;
      const host = provider ? oidcProviderHost(provider) : undefined;
      const federatedPrincipal =
        provider && (provider.startsWith('arn:') || WELL_KNOWN_WEB_IDPS.has(host ?? ''))
          ? provider
          : host && event.role.accountId
            ? `arn:aws:iam::${event.role.accountId}:oidc-provider/${host}`
            : provider;
      return { ...base, federatedPrincipal, claimKeyPrefix: host, displayName: c.webIdentity?.sub ?? c.userName ?? 'web-identity' };
    }
    case 'SAMLUser':
      return { ...base, federatedPrincipal: event.request.principalArn, displayName: c.userName ?? 'saml-user' };
    default:
      return { ...base, principalArn: c.arn, displayName: c.arn ?? c.accountId ?? 'unknown caller' };
  }
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
