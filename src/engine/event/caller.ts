import { parseArn, partitionForRegion, sessionNameFromArn } from './arn';
import { asObject, type JsonObject, readBooleanFlag, readString, withoutUndefined } from './json-value';
import type { CallerType, NormalizedCaller } from './types';

const KNOWN_CALLER_TYPES: ReadonlySet<string> = new Set<CallerType>([
  'IAMUser',
  'AssumedRole',
  'FederatedUser',
  'AWSAccount',
  'WebIdentityUser',
  'SAMLUser',
  'AWSService',
  'Root',
]);

/**
 * userIdentity → NormalizedCaller. `record` supplies the fields some caller types need from outside
 * userIdentity (awsRegion for a root ARN's partition, sourceIPAddress for a service name).
 */
export function normalizeCaller(userIdentity: unknown, record: JsonObject): NormalizedCaller {
  const identity = asObject(userIdentity) ?? {};
  const type = callerType(identity);

  const caller: NormalizedCaller = { type };
  const set = <K extends keyof NormalizedCaller>(key: K, value: NormalizedCaller[K] | undefined): void => {
    if (value !== undefined) caller[key] = value;
  };

  // Web identity and SAML callers are not IAM principals: there is no ARN to report, whatever the record says.
  const hasIamArn = type !== 'WebIdentityUser' && type !== 'SAMLUser';
  if (hasIamArn) set('arn', readString(identity.arn));
  set('accountId', readString(identity.accountId));
  set('principalId', readString(identity.principalId));
  set('userName', readString(identity.userName));
  set('invokedBy', readString(identity.invokedBy));
  set('identityProvider', readString(identity.identityProvider));

  const sessionContext = asObject(identity.sessionContext);
  set('mfaAuthenticated', readBooleanFlag(asObject(sessionContext?.attributes)?.mfaAuthenticated));
  set('sourceIdentity', readString(sessionContext?.sourceIdentity));

  switch (type) {
    case 'AssumedRole':
      set('issuerArn', readString(asObject(sessionContext?.sessionIssuer)?.arn));
      set('sessionName', sessionName(caller.arn, caller.principalId));
      break;
    case 'FederatedUser':
      set('sessionName', sessionName(caller.arn, caller.principalId));
      break;
    case 'Root':
      if (caller.arn === undefined && caller.accountId !== undefined) {
        caller.arn = `arn:${partitionForRegion(readString(record.awsRegion))}:iam::${caller.accountId}:root`;
      }
      break;
    case 'AWSService':
      // Older records and some services leave invokedBy out; the service name is then in sourceIPAddress.
      if (caller.invokedBy === undefined) {
        const source = readString(record.sourceIPAddress);
        if (source !== undefined && isServicePrincipal(source)) caller.invokedBy = source;
      }
      break;
    case 'WebIdentityUser':
      set('webIdentity', parseWebIdentityPrincipal(caller.principalId, caller.userName, caller.identityProvider));
      break;
    case 'SAMLUser': {
      const saml = withoutUndefined({
        provider: caller.identityProvider,
        userName: caller.userName,
        principalId: caller.principalId,
      });
      if (Object.keys(saml).length > 0) caller.saml = saml;
      break;
    }
    default:
      break;
  }
  return caller;
}

/**
 * userIdentity.type, restricted to the known caller types. Some service-initiated records carry no type at all,
 * only {accountId, invokedBy: "<service>.amazonaws.com"}; those are AWS service calls too.
 */
function callerType(identity: JsonObject): CallerType {
  const logged = readString(identity.type);
  if (logged !== undefined) return KNOWN_CALLER_TYPES.has(logged) ? (logged as CallerType) : 'Unknown';
  const invokedBy = readString(identity.invokedBy);
  return invokedBy !== undefined && isServicePrincipal(invokedBy) ? 'AWSService' : 'Unknown';
}

function isServicePrincipal(value: string): boolean {
  return /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(value);
}

/** Session name from the session ARN, else from principalId "<unique id>:<session name>". */
function sessionName(arn: string | undefined, principalId: string | undefined): string | undefined {
  const fromArn = arn !== undefined ? sessionNameFromArn(arn) : undefined;
  if (fromArn !== undefined) return fromArn;
  if (principalId === undefined) return undefined;
  const colon = principalId.indexOf(':');
  return colon >= 0 && colon < principalId.length - 1 ? principalId.slice(colon + 1) : undefined;
}

/**
 * A failed AssumeRoleWithWebIdentity logs no token claims except through userIdentity:
 *   principalId = "<provider>:<aud>:<sub>", userName = <sub>, identityProvider = <provider>.
 * Every part may contain colons (a provider ARN; a Cognito audience "region:uuid"; a GitHub sub
 * "repo:org/repo:ref:refs/heads/main"), so the split works from the right with userName, then from the left with
 * identityProvider, and leaves aud/sub out when it cannot split unambiguously.
 */
export function parseWebIdentityPrincipal(
  principalId: string | undefined,
  userName: string | undefined,
  identityProvider: string | undefined,
): NormalizedCaller['webIdentity'] {
  const provider = identityProvider ?? (principalId !== undefined ? providerPrefix(principalId) : undefined);
  if (provider === undefined) return undefined;

  let remainder: string | undefined;
  if (principalId?.startsWith(`${provider}:`)) remainder = principalId.slice(provider.length + 1);

  if (userName && remainder?.endsWith(`:${userName}`)) {
    const aud = remainder.slice(0, remainder.length - userName.length - 1);
    return withoutUndefined({ provider, aud: aud === '' ? undefined : aud, sub: userName });
  }
  // No usable userName (or one that does not end the principalId): the split is certain only if exactly one colon
  // is left between aud and sub. Otherwise keep what is certain: the sub CloudTrail logged as userName.
  if (remainder !== undefined && userName === undefined) {
    const parts = remainder.split(':');
    if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return { provider, aud: parts[0], sub: parts[1] };
  }
  return withoutUndefined({ provider, sub: userName });
}

/**
 * The provider part of a principalId when identityProvider was not logged: a provider ARN
 * (arn:aws:iam::123:oidc-provider/host/path, whose resource has no colon) or a bare host name.
 */
function providerPrefix(principalId: string): string | undefined {
  if (principalId.startsWith('arn:')) {
    const parts = principalId.split(':');
    if (parts.length < 7) return undefined;
    const candidate = parts.slice(0, 6).join(':');
    return parseArn(candidate)?.resource.startsWith('oidc-provider/') ? candidate : undefined;
  }
  const colon = principalId.indexOf(':');
  return colon > 0 ? principalId.slice(0, colon) : undefined;
}

/**
 * The issuer host of a web identity provider as it appears in condition keys ("<host>:sub"): the provider ARN's
 * "oidc-provider/<host/path>" part, or the logged value itself when it is already a host (accounts.google.com).
 */
export function webIdentityProviderHost(provider: string): string {
  const arn = parseArn(provider);
  if (arn && arn.service === 'iam' && arn.resource.startsWith('oidc-provider/'))
    return arn.resource.slice('oidc-provider/'.length);
  return provider.replace(/^https:\/\//, '');
}
