/**
 * The request-context keys EventRequestContext answers from the event and facts (request-context.ts), in the groups it
 * works them out by, and the shapes of its answers.
 */
import type { NormalizedEvent } from '../event/types';
import type { ContextLookup } from './context-types';

export const present = (values: string[], multiValued = false): ContextLookup => ({
  state: 'present',
  values,
  multiValued,
});
export const ABSENT: ContextLookup = { state: 'absent' };
export const unknown = (reason: string): ContextLookup => ({ state: 'unknown', reason });
export const NOT_LOGGED = unknown('CloudTrail logged requestParameters as null, so request parameters are not known');

/** A request parameter's key: unknown when CloudTrail did not log the parameters, else present or absent. */
export function fromRequest(req: NormalizedEvent['request'], v: string | undefined): ContextLookup {
  return !req.parametersLogged ? NOT_LOGGED : v === undefined ? ABSENT : present([v]);
}

/** The groups of fixed keys, each populated on its first lookup (EventRequestContext.populateFor). */
export const ENVIRONMENT = 0;
export const PRINCIPAL = 1;
export const MFA = 2;
export const REQUEST = 3;
/** The federated claim keys, named after the caller's provider: any key not in KEY_GROUPS may be one. */
export const FEDERATED = 4;

export const KEY_GROUPS = new Map<string, number>();
for (const [group, keys] of [
  [
    ENVIRONMENT,
    'aws:CurrentTime aws:EpochTime aws:SecureTransport aws:RequestedRegion aws:ResourceAccount aws:ResourceOrgID ' +
      'aws:SourceIp aws:SourceVpce aws:SourceVpc aws:ViaAWSService aws:PrincipalIsAWSService aws:PrincipalServiceName',
  ],
  [
    PRINCIPAL,
    'aws:PrincipalArn aws:PrincipalType aws:userid aws:username aws:PrincipalAccount aws:PrincipalOrgID ' +
      'aws:PrincipalOrgPaths',
  ],
  [MFA, 'aws:MultiFactorAuthPresent aws:MultiFactorAuthAge'],
  [
    REQUEST,
    'sts:ExternalId sts:RoleSessionName sts:SourceIdentity sts:TransitiveTagKeys aws:TagKeys sts:TaskPolicyArn',
  ],
] as const)
  for (const key of keys.split(' ')) KEY_GROUPS.set(key.toLowerCase(), group);
