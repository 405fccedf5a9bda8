import {
  GetRoleCommand,
  type GetRoleCommandOutput,
  GetUserCommand,
  type GetUserCommandOutput,
  ListGroupsForUserCommand,
  type ListGroupsForUserCommandOutput,
  type Tag,
} from '@aws-sdk/client-iam';
import type { MissingPolicy, RoleFacts, UserFacts } from '../../engine/iam/iam-facts';
import { parsePolicyDocument } from '../../engine/iam/policy-document';
import type { NamedPolicy } from '../../engine/iam/policy-types';
import { listAllPages, sendCounted } from './iam-calls';
import type { PolicyReader, PolicySet, ReadContext } from './policy-reader';
import { attemptRead, type ReadResult } from './read-errors';
import { type Clock, TtlCache } from './ttl-cache';

/** What GetRole alone tells (one call): enough for the role being assumed. */
export type RoleCore = Pick<
  RoleFacts,
  'arn' | 'name' | 'path' | 'roleId' | 'accountId' | 'createDate' | 'maxSessionDuration' | 'trustPolicy' | 'tags'
> & {
  boundaryArn?: string;
};

/** What GetUser alone tells (one call). */
export type UserCore = Pick<UserFacts, 'arn' | 'name' | 'path' | 'userId' | 'accountId' | 'createDate' | 'tags'> & {
  boundaryArn?: string;
};

/** Identity policies of a principal, including (for users) every group's, and its boundary document. */
export interface PrincipalPolicies {
  identityPolicies: NamedPolicy[];
  permissionsBoundary?: NamedPolicy;
  missingPolicies: MissingPolicy[];
  groups: string[];
}

export function tagsToRecord(tags: Tag[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? '';
  return record;
}

function iso(date: Date | undefined): string | undefined {
  return date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

/** Reads roles and users (GetRole/GetUser, ListGroupsForUser) with per-resource caches; policies via PolicyReader. */
export class PrincipalReader {
  private readonly roles: TtlCache<ReadResult<RoleCore>>;
  private readonly users: TtlCache<ReadResult<UserCore>>;
  private readonly userGroups: TtlCache<ReadResult<string[]>>;

  constructor(
    private readonly policies: PolicyReader,
    private readonly ownAccountId: string,
    ttlMs: number,
    clock: Clock,
  ) {
    this.roles = new TtlCache(ttlMs, clock);
    this.users = new TtlCache(ttlMs, clock);
    this.userGroups = new TtlCache(ttlMs, clock);
  }

  role(ctx: ReadContext, roleName: string): Promise<ReadResult<RoleCore>> {
    return this.roles.get(roleName.toLowerCase(), () =>
      attemptRead('GetRole', `role ${roleName}`, async () => {
        const out = await sendCounted<GetRoleCommandOutput>(
          ctx.client,
          ctx.counters,
          'GetRole',
          new GetRoleCommand({ RoleName: roleName }),
        );
        const role = out.Role;
        if (!role?.Arn || !role.RoleName) throw new Error(`GetRole returned no role for ${roleName}`);
        return {
          arn: role.Arn,
          name: role.RoleName,
          path: role.Path ?? '/',
          roleId: role.RoleId ?? '',
          accountId: this.ownAccountId,
          createDate: iso(role.CreateDate),
          maxSessionDuration: role.MaxSessionDuration ?? 3600,
          trustPolicy: parsePolicyDocument(role.AssumeRolePolicyDocument, `trust policy of ${role.Arn}`),
          tags: tagsToRecord(role.Tags),
          boundaryArn: role.PermissionsBoundary?.PermissionsBoundaryArn,
        };
      }),
    );
  }

  user(ctx: ReadContext, userName: string): Promise<ReadResult<UserCore>> {
    return this.users.get(userName.toLowerCase(), () =>
      attemptRead('GetUser', `user ${userName}`, async () => {
        const out = await sendCounted<GetUserCommandOutput>(
          ctx.client,
          ctx.counters,
          'GetUser',
          new GetUserCommand({ UserName: userName }),
        );
        const user = out.User;
        if (!user?.Arn || !user.UserName) throw new Error(`GetUser returned no user for ${userName}`);
        return {
          arn: user.Arn,
          name: user.UserName,
          path: user.Path ?? '/',
          userId: user.UserId ?? '',
          accountId: this.ownAccountId,
          createDate: iso(user.CreateDate),
          tags: tagsToRecord(user.Tags),
          boundaryArn: user.PermissionsBoundary?.PermissionsBoundaryArn,
        };
      }),
    );
  }

  /**
   * A user's policies: its own inline and managed ones plus every group's. All listings start at once (they do
   * not depend on GetUser), so a cold user costs three round trips, not five. A group whose policies cannot be
   * read is reported in missingPolicies, not silently dropped.
   */
  async userPolicies(ctx: ReadContext, userName: string): Promise<ReadResult<PrincipalPolicies>> {
    const [own, groups] = await Promise.all([
      this.policies.principalPolicies(ctx, 'user', userName),
      this.groupsOf(ctx, userName),
    ]);
    if (!own.ok) return own;
    if (!groups.ok) return groups;
    const result: PrincipalPolicies = {
      identityPolicies: [...own.value.policies],
      missingPolicies: [...own.value.missing],
      groups: groups.value,
    };
    const groupSets = await Promise.all(groups.value.map((g) => this.policies.principalPolicies(ctx, 'group', g)));
    groupSets.forEach((set, i) => {
      if (set.ok) {
        result.identityPolicies.push(...set.value.policies.map((p) => viaGroup(p, groups.value[i])));
        result.missingPolicies.push(...set.value.missing);
      } else {
        const reason =
          set.failure.kind === 'unknown' ? set.failure.reason : `group ${groups.value[i]} no longer exists`;
        result.missingPolicies.push({ ref: groups.value[i], kind: 'group', attachedTo: `user ${userName}`, reason });
      }
    });
    return { ok: true, value: result };
  }

  /** A role's own inline and managed policies (only read when the role is the caller). */
  rolePolicies(ctx: ReadContext, roleName: string): Promise<ReadResult<PolicySet>> {
    return this.policies.principalPolicies(ctx, 'role', roleName);
  }

  private groupsOf(ctx: ReadContext, userName: string): Promise<ReadResult<string[]>> {
    return this.userGroups.get(userName.toLowerCase(), () =>
      attemptRead('ListGroupsForUser', `user ${userName}`, () =>
        listAllPages(
          (marker) =>
            sendCounted<ListGroupsForUserCommandOutput>(
              ctx.client,
              ctx.counters,
              'ListGroupsForUser',
              new ListGroupsForUserCommand({ UserName: userName, Marker: marker }),
            ),
          (page) => (page.Groups ?? []).map((g) => g.GroupName).filter((n): n is string => typeof n === 'string'),
        ),
      ),
    );
  }
}

/** A managed policy attached to a group is named with the group, so evidence says how the user got it. */
function viaGroup(policy: NamedPolicy, group: string): NamedPolicy {
  if (policy.arn === undefined) return policy;
  return { ...policy, source: `${policy.arn} (attached to group ${group})` };
}
