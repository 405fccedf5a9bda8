import { parseArn } from './arn';
import type { ErrorTextFacts } from './error-text';
import { derivedEventId } from './event-id';
import { withoutUndefined } from './json-value';
import { describeRole } from './role-locator';
import type { NormalizedCaller, NormalizedEvent } from './types';

/**
 * The role and caller a user names on the command line (`--role-arn`, `--caller`): they complete what an error text
 * or a trimmed event leaves out, and override what it says.
 */
export interface SuppliedIdentities {
  roleArn?: string;
  callerArn?: string;
}

/**
 * A caller as CloudTrail would describe it, from its ARN alone:
 *   …:iam::A:user/N → IAMUser; …:sts::A:assumed-role/R/S → AssumedRole (issuer …:iam::A:role/R);
 *   …:iam::A:role/P/R → a session of that role; …:iam::A:root → Root; …:sts::A:federated-user/N → FederatedUser;
 *   …:iam::A:oidc-provider/H → WebIdentityUser of that provider; …:iam::A:saml-provider/N → SAMLUser.
 * undefined when the ARN is none of these.
 */
export function callerFromArn(arn: string): NormalizedCaller | undefined {
  const parsed = parseArn(arn);
  if (!parsed) return undefined;
  const { service, accountId, resource, partition } = parsed;
  const account = accountId === '' ? undefined : accountId;
  const slash = resource.indexOf('/');
  const kind = slash < 0 ? resource : resource.slice(0, slash);
  const rest = slash < 0 ? '' : resource.slice(slash + 1);
  const last = rest.slice(rest.lastIndexOf('/') + 1);
  if (service === 'iam' && kind === 'user' && last !== '')
    return withoutUndefined({ type: 'IAMUser' as const, arn, accountId: account, userName: last });
  if (service === 'iam' && kind === 'root') return withoutUndefined({ type: 'Root' as const, arn, accountId: account });
  if (service === 'sts' && kind === 'assumed-role') {
    const [roleName, sessionName] = rest.split('/');
    if (!roleName || !sessionName) return undefined;
    return withoutUndefined({
      type: 'AssumedRole' as const,
      arn,
      accountId: account,
      issuerArn: `arn:${partition}:iam::${accountId}:role/${roleName}`,
      sessionName,
    });
  }
  if (service === 'iam' && kind === 'role' && last !== '')
    return withoutUndefined({ type: 'AssumedRole' as const, accountId: account, issuerArn: arn });
  if (service === 'sts' && kind === 'federated-user' && last !== '')
    return withoutUndefined({ type: 'FederatedUser' as const, arn, accountId: account, sessionName: last });
  if (service === 'iam' && kind === 'oidc-provider' && rest !== '')
    return { type: 'WebIdentityUser', webIdentity: { provider: arn }, identityProvider: arn };
  if (service === 'iam' && kind === 'saml-provider' && rest !== '')
    return { type: 'SAMLUser', saml: { provider: arn }, identityProvider: arn };
  return undefined;
}

/** The caller an error text implies: the "User: " ARN, or the OIDC issuer of "No OpenIDConnect provider found…". */
function callerOfText(facts: ErrorTextFacts): NormalizedCaller {
  const fromArn = facts.callerArn ? callerFromArn(facts.callerArn) : undefined;
  if (fromArn) return fromArn;
  if (facts.api === 'AssumeRoleWithWebIdentity') {
    const host = facts.providerUrl ? withoutTrailingSlashes(facts.providerUrl.slice('https://'.length)) : '';
    return host
      ? { type: 'WebIdentityUser', webIdentity: { provider: host }, identityProvider: host }
      : { type: 'WebIdentityUser' };
  }
  if (facts.api === 'AssumeRoleWithSAML') return { type: 'SAMLUser' };
  return { type: 'Unknown' };
}

function withoutTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '/') end--;
  return text.slice(0, end);
}

/**
 * A normalized call built from an error text. Its id is derived from what the text says, so pasting the same message
 * twice names the same finding; it has no time (the text carries none) and no request parameters (unknown, not
 * absent: parametersLogged is false).
 */
export function errorTextEvent(facts: ErrorTextFacts, supplied: SuppliedIdentities = {}): NormalizedEvent {
  const api = facts.api ?? 'AssumeRole';
  const errorCode = facts.errorCode ?? 'AccessDenied';
  const withApi: ErrorTextFacts = { ...facts, api };
  const base: NormalizedEvent = {
    eventId: derivedEventId({ errorText: facts.message, api, errorCode, ...supplied }),
    eventIdDerived: true,
    origin: 'error-text',
    eventTime: '',
    api,
    errorCode,
    errorMessage: facts.message === '' ? undefined : facts.message,
    caller: callerOfText(withApi),
    role: facts.roleArn ? describeRole(facts.roleArn, 'errorMessage') : { source: 'none' },
    request: { parametersLogged: false },
  };
  return withSuppliedIdentities(withoutUndefined(base), supplied);
}

/**
 * `--role-arn` and `--caller` applied to an event: each replaces what the event says (or fills it in when the event
 * says nothing). A caller ARN the event already names is left as the event describes it (with its session context).
 */
export function withSuppliedIdentities(event: NormalizedEvent, supplied: SuppliedIdentities): NormalizedEvent {
  let result = event;
  if (supplied.roleArn !== undefined && supplied.roleArn !== event.role.arn) {
    result = { ...result, role: describeRole(supplied.roleArn, 'supplied') };
  }
  if (supplied.callerArn !== undefined && !namesSameCaller(event.caller, supplied.callerArn)) {
    const caller = callerFromArn(supplied.callerArn);
    if (caller) {
      const request =
        caller.type === 'SAMLUser' ? { ...result.request, principalArn: supplied.callerArn } : result.request;
      result = { ...result, caller, request };
    }
  }
  return result;
}

function namesSameCaller(caller: NormalizedCaller, arn: string): boolean {
  return caller.arn === arn || (caller.arn === undefined && caller.issuerArn === arn);
}
