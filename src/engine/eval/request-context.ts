import type { NormalizedEvent } from '../event/types';
import type { CallerProfile } from './caller-profile';
import {
  ABSENT,
  ENVIRONMENT,
  FEDERATED,
  fromRequest,
  KEY_GROUPS,
  MFA,
  NOT_LOGGED,
  PRINCIPAL,
  present,
  REQUEST,
  unknown,
} from './context-keys';
import type { ContextLookup, RequestContext } from './context-types';

/** Everything the context is built from besides the event: facts looked up about the caller, role and organization. */
export interface ContextFacts {
  /** Tags of the calling user or of the calling session's role; undefined when not known. */
  principalTags?: Record<string, string>;
  /** False for role sessions: a session tag may add keys we cannot see, so a missing key is unknown, not absent. */
  principalTagsComplete?: boolean;
  principalOrgId?: string;
  principalOrgPaths?: string[];
  roleTags?: Record<string, string>;
  roleAccountId?: string;
  resourceOrgId?: string;
}

const IP_V4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/**
 * The request context AWS would build for this call, reconstructed from the CloudTrail event and IAM facts.
 * Keys CloudTrail does not record (most token claims, the SAML audience, session tags of the calling session…)
 * answer `unknown` with the reason, never `absent`: a policy that depends on them cannot be decided from the event.
 */
export class EventRequestContext implements RequestContext {
  private readonly fixed = new Map<string, ContextLookup>();
  private readonly consulted = new Map<string, string>();
  /**
   * The keys are worked out on the first lookup of a key of their group, not at construction: many diagnoses never
   * read the context (a trust policy that does not name the caller has no condition to evaluate), and most read one
   * or two keys, so they pay for those groups only. Bit i is set once group i (KEY_GROUPS) is populated.
   */
  private populatedGroups = 0;
  /** See RequestContext.evaluatorResults; declared so that every context has the same shape from the start. */
  evaluatorResults: object | undefined = undefined;

  constructor(
    private readonly event: NormalizedEvent,
    private readonly caller: CallerProfile,
    private readonly facts: ContextFacts,
  ) {}

  /** Unknown keys that some policy actually asked about, with why they are unknown. */
  get unknownKeysConsulted(): Array<{ key: string; reason: string }> {
    return [...this.consulted].map(([key, reason]) => ({ key, reason }));
  }

  lookup(key: string): ContextLookup {
    const lower = key.toLowerCase();
    this.populateFor(lower);
    const result = this.fixed.get(lower) ?? this.lookupFamily(key, lower);
    if (result.state === 'unknown' && !this.consulted.has(key)) this.consulted.set(key, result.reason);
    return result;
  }

  private set(key: string, value: ContextLookup): void {
    this.fixed.set(key.toLowerCase(), value);
  }

  /** Populates the group of fixed keys that `lower` belongs to (the federated claims for any other key), once. */
  private populateFor(lower: string): void {
    const group = KEY_GROUPS.get(lower) ?? FEDERATED;
    const bit = 1 << group;
    if ((this.populatedGroups & bit) !== 0) return;
    this.populatedGroups |= bit;
    if (group === ENVIRONMENT) this.populateEnvironment();
    else if (group === PRINCIPAL) this.populatePrincipal();
    else if (group === MFA) this.populateMfa();
    else if (group === REQUEST) this.populateRequest();
    else this.populateFederatedClaims();
  }

  private populateEnvironment(): void {
    const { event, caller } = this;
    this.set('aws:CurrentTime', present([event.eventTime]));
    const epoch = Date.parse(event.eventTime);
    this.set(
      'aws:EpochTime',
      Number.isNaN(epoch) ? unknown('event time is not a valid date') : present([String(Math.floor(epoch / 1000))]),
    );
    this.set('aws:SecureTransport', present(['true']));
    this.set(
      'aws:RequestedRegion',
      event.awsRegion ? present([event.awsRegion]) : unknown('the event has no awsRegion'),
    );
    const resourceAccount = this.facts.roleAccountId ?? event.role.accountId;
    this.set('aws:ResourceAccount', resourceAccount ? present([resourceAccount]) : unknown('the role is not known'));
    this.set(
      'aws:ResourceOrgID',
      this.facts.resourceOrgId
        ? present([this.facts.resourceOrgId])
        : unknown("the role account's organization is not known (give --org)"),
    );

    const ip = event.sourceIpAddress;
    const isIp = !!ip && (IP_V4.test(ip) || ip.includes(':'));
    this.set('aws:SourceIp', isIp ? present([ip]) : ip ? ABSENT : unknown('the event has no sourceIPAddress'));
    this.set('aws:SourceVpce', event.vpcEndpointId ? present([event.vpcEndpointId]) : ABSENT);
    this.set(
      'aws:SourceVpc',
      event.vpcEndpointId ? unknown('CloudTrail records the VPC endpoint, not the VPC') : ABSENT,
    );
    this.set('aws:ViaAWSService', present([caller.type === 'AWSService' ? 'true' : 'false']));
    this.set('aws:PrincipalIsAWSService', present([caller.type === 'AWSService' ? 'true' : 'false']));
    this.set('aws:PrincipalServiceName', caller.serviceName ? present([caller.serviceName]) : ABSENT);
  }

  private populateRequest(): void {
    const { event } = this;
    const req = event.request;
    this.set('sts:ExternalId', fromRequest(req, req.externalId));
    this.set('sts:RoleSessionName', fromRequest(req, req.roleSessionName));
    this.set('sts:SourceIdentity', fromRequest(req, req.sourceIdentity ?? event.caller.sourceIdentity));
    this.set('sts:TransitiveTagKeys', !req.parametersLogged ? NOT_LOGGED : present(req.transitiveTagKeys ?? [], true));
    this.set('aws:TagKeys', !req.parametersLogged ? NOT_LOGGED : present(Object.keys(req.tags ?? {}), true));
    if (event.api === 'AssumeRoot') this.set('sts:TaskPolicyArn', fromRequest(req, req.taskPolicyArn));
  }

  private populatePrincipal(): void {
    const { caller } = this;
    const isIamPrincipal = ['IAMUser', 'AssumedRole', 'FederatedUser', 'Root'].includes(caller.type);
    const callerUnknown = unknown("the role owner's copy of a cross-account call names only the caller's account");
    if (caller.type === 'AWSAccount' || caller.type === 'Unknown') {
      for (const k of ['aws:PrincipalArn', 'aws:PrincipalType', 'aws:userid', 'aws:username'])
        this.set(k, callerUnknown);
      this.set('aws:PrincipalAccount', caller.accountId ? present([caller.accountId]) : callerUnknown);
      return;
    }
    if (!isIamPrincipal) {
      // Service, web-identity and SAML callers are not IAM principals: these keys are not in their request context.
      for (const k of [
        'aws:PrincipalArn',
        'aws:PrincipalAccount',
        'aws:username',
        'aws:PrincipalOrgID',
        'aws:PrincipalOrgPaths',
      ])
        this.set(k, ABSENT);
      this.set('aws:PrincipalType', present([caller.type === 'AWSService' ? 'Service' : caller.type]));
      const userid =
        caller.type === 'WebIdentityUser' || caller.type === 'SAMLUser' ? this.event.caller.principalId : undefined;
      this.set('aws:userid', userid ? present([userid]) : ABSENT);
      return;
    }
    const principalType = {
      IAMUser: 'User',
      AssumedRole: 'AssumedRole',
      FederatedUser: 'FederatedUser',
      Root: 'Account',
    }[caller.type as 'IAMUser'];
    this.set('aws:PrincipalType', present([principalType]));
    this.set(
      'aws:PrincipalArn',
      caller.principalArn ? present([caller.principalArn]) : unknown('the caller ARN is not in the event'),
    );
    this.set(
      'aws:PrincipalAccount',
      caller.accountId ? present([caller.accountId]) : unknown('the caller account is not in the event'),
    );
    const principalId = this.event.caller.principalId;
    this.set(
      'aws:userid',
      principalId
        ? present([caller.type === 'Root' ? (caller.accountId ?? principalId) : principalId])
        : unknown('the event has no principalId'),
    );
    this.set(
      'aws:username',
      caller.type === 'IAMUser' && this.event.caller.userName ? present([this.event.caller.userName]) : ABSENT,
    );
    const org = this.facts.principalOrgId;
    this.set(
      'aws:PrincipalOrgID',
      org ? present([org]) : unknown("the caller account's organization is not known (give --org)"),
    );
    this.set(
      'aws:PrincipalOrgPaths',
      this.facts.principalOrgPaths
        ? present(this.facts.principalOrgPaths, true)
        : unknown("the caller account's OU path is not known (give --org)"),
    );
  }

  private populateMfa(): void {
    const { event, caller } = this;
    const req = event.request;
    if (req.serialNumber) {
      // MFA passed with this very AssumeRole call: STS authenticated the code before evaluating the trust policy.
      this.set('aws:MultiFactorAuthPresent', present(['true']));
      this.set('aws:MultiFactorAuthAge', present(['0']));
      return;
    }
    if (event.caller.mfaAuthenticated !== undefined) {
      this.set('aws:MultiFactorAuthPresent', present([String(event.caller.mfaAuthenticated)]));
      this.set(
        'aws:MultiFactorAuthAge',
        event.caller.mfaAuthenticated ? unknown('the age of the MFA sign-in is not in the event') : ABSENT,
      );
      return;
    }
    if (!req.parametersLogged) {
      const reason = 'CloudTrail logged requestParameters as null, so whether MFA was passed is not known';
      this.set('aws:MultiFactorAuthPresent', unknown(reason));
      this.set('aws:MultiFactorAuthAge', unknown(reason));
      return;
    }
    if (caller.type === 'IAMUser') {
      // Long-term access keys carry no MFA: AWS leaves the key out of the context entirely (hence BoolIfExists idioms).
      this.set('aws:MultiFactorAuthPresent', ABSENT);
      this.set('aws:MultiFactorAuthAge', ABSENT);
      return;
    }
    const reason = 'the event does not say whether the calling session was MFA-authenticated';
    this.set('aws:MultiFactorAuthPresent', unknown(reason));
    this.set('aws:MultiFactorAuthAge', unknown(reason));
  }

  private populateFederatedClaims(): void {
    const { event, caller } = this;
    if (caller.type === 'WebIdentityUser' && caller.claimKeyPrefix) {
      const p = caller.claimKeyPrefix;
      const wi = event.caller.webIdentity;
      this.set(
        `${p}:sub`,
        wi?.sub !== undefined ? present([wi.sub]) : unknown('the token subject is not in the event'),
      );
      this.set(
        `${p}:aud`,
        wi?.aud !== undefined ? present([wi.aud]) : unknown('the token audience is not in the event'),
      );
    }
    if (caller.type === 'SAMLUser') {
      const name = event.caller.userName ?? event.caller.saml?.userName;
      this.set('saml:sub', name ? present([name]) : unknown('the SAML subject is not in the event'));
    }
  }

  private readonly tagIndexes = new Map<string, Map<string, string>>();

  /**
   * Tags by key (lower-cased when tag keys compare case-insensitively), built once per context: a scan of the tags per
   * lookup made a condition block with thousands of tag keys quadratic (issue 9). The first of two keys that differ
   * only in case wins, as the scan did.
   */
  private tagIndex(which: string, tags: Record<string, string>, ignoreCase: boolean): Map<string, string> {
    let index = this.tagIndexes.get(which);
    if (!index) {
      index = new Map();
      for (const k of Object.keys(tags)) {
        const name = ignoreCase ? k.toLowerCase() : k;
        if (!index.has(name)) index.set(name, tags[k]);
      }
      this.tagIndexes.set(which, index);
    }
    return index;
  }

  /** Keys that come in families (tags, claims) or that we know nothing about. */
  private lookupFamily(key: string, lower: string): ContextLookup {
    if (lower.startsWith('aws:principaltag/')) {
      const tags = this.facts.principalTags;
      if (this.caller.type === 'AWSAccount')
        return unknown("the role owner's copy of a cross-account call does not identify the caller");
      if (!tags) return unknown("the caller's tags are not known");
      const hit = this.tagIndex('principal', tags, true).get(key.slice('aws:PrincipalTag/'.length).toLowerCase());
      if (hit !== undefined) return present([hit]);
      return this.facts.principalTagsComplete === false
        ? unknown('a session tag of the calling session could set this key; session tags are not in the event')
        : ABSENT;
    }
    if (lower.startsWith('aws:requesttag/')) {
      if (!this.event.request.parametersLogged)
        return unknown('CloudTrail logged requestParameters as null, so the session tags passed are not known');
      const hit = this.tagIndex('request', this.event.request.tags ?? {}, false).get(
        key.slice('aws:RequestTag/'.length),
      );
      return hit !== undefined ? present([hit]) : ABSENT;
    }
    if (lower.startsWith('aws:resourcetag/') || lower.startsWith('iam:resourcetag/')) {
      const tags = this.facts.roleTags;
      if (!tags) return unknown("the role's tags are not known");
      const hit = this.tagIndex('resource', tags, true).get(key.slice(key.indexOf('/') + 1).toLowerCase());
      return hit !== undefined ? present([hit]) : ABSENT;
    }
    if (lower.startsWith('saml:'))
      return unknown(`${key} comes from the SAML assertion, which CloudTrail does not log`);
    if (this.caller.claimKeyPrefix && lower.startsWith(`${this.caller.claimKeyPrefix.toLowerCase()}:`)) {
      return unknown(`${key} is a token claim that CloudTrail does not log (only aud and sub are recoverable)`);
    }
    return unknown(`${key} is not recorded in the CloudTrail event`);
  }
}
