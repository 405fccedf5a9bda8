import {
  type AttachedPolicy,
  GetGroupPolicyCommand,
  type GetGroupPolicyCommandOutput,
  GetPolicyCommand,
  type GetPolicyCommandOutput,
  GetPolicyVersionCommand,
  type GetPolicyVersionCommandOutput,
  GetRolePolicyCommand,
  type GetRolePolicyCommandOutput,
  GetUserPolicyCommand,
  type GetUserPolicyCommandOutput,
  ListAttachedGroupPoliciesCommand,
  type ListAttachedGroupPoliciesCommandOutput,
  ListAttachedRolePoliciesCommand,
  type ListAttachedRolePoliciesCommandOutput,
  ListAttachedUserPoliciesCommand,
  type ListAttachedUserPoliciesCommandOutput,
  ListGroupPoliciesCommand,
  type ListGroupPoliciesCommandOutput,
  ListRolePoliciesCommand,
  type ListRolePoliciesCommandOutput,
  ListUserPoliciesCommand,
  type ListUserPoliciesCommandOutput,
} from '@aws-sdk/client-iam';
import type { MissingPolicy } from '../../engine/iam/iam-facts';
import { parsePolicyDocument } from '../../engine/iam/policy-document';
import type { NamedPolicy, PolicyDocument } from '../../engine/iam/policy-types';
import { type IamCallCounter, type IamSender, listAllPages, sendCounted } from './iam-calls';
import { attemptRead, failureReason, IamReadError, type ReadResult } from './read-errors';
import { type Clock, TtlCache } from './ttl-cache';

/** Who pays for the calls of one read: the client and the counters of the diagnosis that asked. */
export interface ReadContext {
  client: IamSender;
  counters: readonly IamCallCounter[];
}

export type PrincipalType = 'user' | 'role' | 'group';

/** The identity policies of one principal: what could be read, and what is referenced but unreadable. */
export interface PolicySet {
  policies: NamedPolicy[];
  missing: MissingPolicy[];
}

export type ManagedPolicyResult = { policy: NamedPolicy } | { missing: MissingPolicy };

interface ManagedPolicyMeta {
  name: string;
  defaultVersionId: string;
}

/** Per principal type, the three IAM APIs that list and read its policies. */
const PRINCIPAL_APIS = {
  user: {
    listInline: (name: string, marker?: string) =>
      ['ListUserPolicies', new ListUserPoliciesCommand({ UserName: name, Marker: marker })] as const,
    getInline: (name: string, policy: string) =>
      ['GetUserPolicy', new GetUserPolicyCommand({ UserName: name, PolicyName: policy })] as const,
    listAttached: (name: string, marker?: string) =>
      ['ListAttachedUserPolicies', new ListAttachedUserPoliciesCommand({ UserName: name, Marker: marker })] as const,
  },
  role: {
    listInline: (name: string, marker?: string) =>
      ['ListRolePolicies', new ListRolePoliciesCommand({ RoleName: name, Marker: marker })] as const,
    getInline: (name: string, policy: string) =>
      ['GetRolePolicy', new GetRolePolicyCommand({ RoleName: name, PolicyName: policy })] as const,
    listAttached: (name: string, marker?: string) =>
      ['ListAttachedRolePolicies', new ListAttachedRolePoliciesCommand({ RoleName: name, Marker: marker })] as const,
  },
  group: {
    listInline: (name: string, marker?: string) =>
      ['ListGroupPolicies', new ListGroupPoliciesCommand({ GroupName: name, Marker: marker })] as const,
    getInline: (name: string, policy: string) =>
      ['GetGroupPolicy', new GetGroupPolicyCommand({ GroupName: name, PolicyName: policy })] as const,
    listAttached: (name: string, marker?: string) =>
      ['ListAttachedGroupPolicies', new ListAttachedGroupPoliciesCommand({ GroupName: name, Marker: marker })] as const,
  },
};

type InlineListOutput = ListUserPoliciesCommandOutput | ListRolePoliciesCommandOutput | ListGroupPoliciesCommandOutput;
type InlineGetOutput = GetUserPolicyCommandOutput | GetRolePolicyCommandOutput | GetGroupPolicyCommandOutput;
type AttachedListOutput =
  | ListAttachedUserPoliciesCommandOutput
  | ListAttachedRolePoliciesCommandOutput
  | ListAttachedGroupPoliciesCommandOutput;

/**
 * Reads identity policies (inline and attached managed) of users, roles and groups, and managed policy documents,
 * with per-resource caches. Managed policy documents are cached by ARN + version id: a policy version is
 * immutable, so one read serves every principal it is attached to for as long as it stays the default version.
 */
export class PolicyReader {
  private readonly managedMeta: TtlCache<ReadResult<ManagedPolicyMeta>>;
  private readonly versions: TtlCache<ReadResult<PolicyDocument>>;
  private readonly principalSets: TtlCache<ReadResult<PolicySet>>;

  constructor(ttlMs: number, versionTtlMs: number, clock: Clock) {
    this.managedMeta = new TtlCache(ttlMs, clock);
    this.versions = new TtlCache(versionTtlMs, clock);
    this.principalSets = new TtlCache(ttlMs, clock);
  }

  /** Inline + attached managed policies of one user, role or group (groups of a user are read separately). */
  principalPolicies(ctx: ReadContext, type: PrincipalType, name: string): Promise<ReadResult<PolicySet>> {
    return this.principalSets.get(`${type}:${name.toLowerCase()}`, () => this.readPrincipalPolicies(ctx, type, name));
  }

  /** A managed policy's default version, as a NamedPolicy of the given kind, or why it could not be read. */
  async managed(
    ctx: ReadContext,
    arn: string,
    kind: 'identity' | 'boundary',
    attachedTo: string,
  ): Promise<ManagedPolicyResult> {
    const missingKind = kind === 'boundary' ? 'permissions-boundary' : 'managed-policy';
    const meta = await this.managedMeta.get(arn, () =>
      attemptRead('GetPolicy', `policy ${arn}`, async () => {
        const out = await sendCounted<GetPolicyCommandOutput>(
          ctx.client,
          ctx.counters,
          'GetPolicy',
          new GetPolicyCommand({ PolicyArn: arn }),
        );
        const defaultVersionId = out.Policy?.DefaultVersionId;
        if (!defaultVersionId) throw new Error(`GetPolicy returned no DefaultVersionId for ${arn}`);
        return { name: out.Policy?.PolicyName ?? arn.split('/').pop() ?? arn, defaultVersionId };
      }),
    );
    if (!meta.ok) {
      return {
        missing: { ref: arn, kind: missingKind, attachedTo, reason: failureReason(meta.failure, `policy ${arn}`) },
      };
    }
    const { name, defaultVersionId } = meta.value;
    const document = await this.versions.get(`${arn}#${defaultVersionId}`, () =>
      attemptRead('GetPolicyVersion', `policy ${arn} version ${defaultVersionId}`, async () => {
        const out = await sendCounted<GetPolicyVersionCommandOutput>(
          ctx.client,
          ctx.counters,
          'GetPolicyVersion',
          new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: defaultVersionId }),
        );
        return parsePolicyDocument(out.PolicyVersion?.Document, `${arn} (${defaultVersionId})`);
      }),
    );
    if (!document.ok) {
      return {
        missing: { ref: arn, kind: missingKind, attachedTo, reason: failureReason(document.failure, `policy ${arn}`) },
      };
    }
    return { policy: { kind, source: arn, name, arn, document: document.value } };
  }

  private async readPrincipalPolicies(
    ctx: ReadContext,
    type: PrincipalType,
    name: string,
  ): Promise<ReadResult<PolicySet>> {
    const apis = PRINCIPAL_APIS[type];
    const what = `${type} ${name}`;
    const [inline, attached] = await Promise.all([
      attemptRead(apis.listInline(name)[0], what, () =>
        listAllPages(
          (marker) => {
            const [api, command] = apis.listInline(name, marker);
            return sendCounted<InlineListOutput>(ctx.client, ctx.counters, api, command);
          },
          (page) => page.PolicyNames,
        ).then((policyNames) =>
          Promise.all(policyNames.map((policyName) => this.readInline(ctx, type, name, policyName))),
        ),
      ),
      attemptRead(apis.listAttached(name)[0], what, () =>
        listAllPages(
          (marker) => {
            const [api, command] = apis.listAttached(name, marker);
            return sendCounted<AttachedListOutput>(ctx.client, ctx.counters, api, command);
          },
          (page) => page.AttachedPolicies,
        ),
      ),
    ]);
    if (!inline.ok) return inline;
    if (!attached.ok) return attached;

    const managed = await Promise.all(
      attached.value
        .filter((p): p is AttachedPolicy & { PolicyArn: string } => typeof p.PolicyArn === 'string')
        .map((p) => this.managed(ctx, p.PolicyArn, 'identity', `${type} ${name}`)),
    );
    const set: PolicySet = { policies: [...inline.value], missing: [] };
    for (const result of managed) {
      if ('policy' in result) set.policies.push(result.policy);
      else set.missing.push(result.missing);
    }
    return { ok: true, value: set };
  }

  /** One inline policy. A failure here fails the whole set: a principal with an unreadable inline policy is unknown. */
  private async readInline(
    ctx: ReadContext,
    type: PrincipalType,
    principal: string,
    policyName: string,
  ): Promise<NamedPolicy> {
    const [api, command] = PRINCIPAL_APIS[type].getInline(principal, policyName);
    const source = type === 'group' ? `group/${principal}:${policyName}` : `inline ${type}/${principal}:${policyName}`;
    try {
      const out = await sendCounted<InlineGetOutput>(ctx.client, ctx.counters, api, command);
      return { kind: 'identity', source, name: policyName, document: parsePolicyDocument(out.PolicyDocument, source) };
    } catch (error) {
      throw new IamReadError(api, error);
    }
  }
}
