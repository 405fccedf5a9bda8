import type { MissingPolicy, RoleFacts, UserFacts } from '../iam-facts';
import type { NamedPolicy } from '../policy-types';
import type {
  AccountIndex,
  AttachedRef,
  IndexedGroup,
  IndexedRole,
  IndexedUser,
  InlinePolicy,
  SnapshotIndex,
} from './snapshot-index';

/** IAM's default when a role was created without MaxSessionDuration. */
export const DEFAULT_MAX_SESSION_DURATION = 3600;

/** Assembles facts from the index. Documents are shared, not copied: callers must treat facts as read-only. */
export function buildRoleFacts(index: SnapshotIndex, acct: AccountIndex, role: IndexedRole): RoleFacts {
  const owner = `role ${role.name}`;
  const collector = new PolicyCollector(index, acct);
  collector.addInline(role.inline, owner);
  collector.addAttached(role.attached, owner);
  const facts: RoleFacts = {
    arn: role.arn,
    name: role.name,
    path: role.path,
    roleId: role.roleId,
    accountId: acct.accountId,
    createDate: role.createDate,
    maxSessionDuration: role.maxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
    trustPolicy: role.trustPolicy,
    permissionsBoundary: collector.boundary(role.boundaryArn, owner),
    tags: role.tags,
    identityPolicies: collector.policies,
  };
  if (role.maxSessionDuration === undefined) facts.maxSessionDurationAssumed = true;
  if (collector.missing.length > 0) facts.missingPolicies = collector.missing;
  return facts;
}

export function buildUserFacts(index: SnapshotIndex, acct: AccountIndex, user: IndexedUser): UserFacts {
  const owner = `user ${user.name}`;
  const collector = new PolicyCollector(index, acct);
  collector.addInline(user.inline, owner);
  collector.addAttached(user.attached, owner);
  const groupNames = user.groups;
  for (let i = 0; i < groupNames.length; i++) {
    const groupName = groupNames[i];
    const group = acct.groups?.get(groupName);
    if (!group) {
      collector.missing.push({
        ref: groupName,
        kind: 'group',
        attachedTo: owner,
        reason: acct.groups
          ? `group ${groupName} is not in the GroupDetailList of ${acct.sources.join(', ')}`
          : `the snapshot of account ${acct.accountId} has no GroupDetailList (made with --filter without Group?)`,
      });
      continue;
    }
    // A group listed twice gets its own policy objects the second time, as before: the evaluator remembers results
    // per policy object within a diagnosis, so one object listed twice would be evaluated once, not twice.
    if (groupNames.indexOf(groupName) < i) collector.addGroup(group);
    else collector.addShared(sharedGroupPolicies(index, acct, group));
  }
  const facts: UserFacts = {
    arn: user.arn,
    name: user.name,
    path: user.path,
    userId: user.userId,
    accountId: acct.accountId,
    createDate: user.createDate,
    tags: user.tags,
    groups: user.groups,
    identityPolicies: collector.policies,
    permissionsBoundary: collector.boundary(user.boundaryArn, owner),
  };
  if (collector.missing.length > 0) facts.missingPolicies = collector.missing;
  return facts;
}

/**
 * A group's policies as its members' facts list them: the same objects for every member (they name the group, not
 * the member), made on the first member's lookup and kept on the indexed group, which belongs to this facts
 * object's index (nothing outlives a fresh facts object). The index is complete before any lookup, so the list
 * cannot go stale. A user is typically in a couple of groups holding most of its policies: each member after the
 * first costs two array copies instead of a map read, two strings and an object per policy; and the evaluator's
 * compiled form, kept on each policy object (NamedPolicy[EVALUATOR_CACHE]), is then shared by all the members too.
 */
function sharedGroupPolicies(index: SnapshotIndex, acct: AccountIndex, group: IndexedGroup): GroupPolicies {
  let shared = group.memberPolicies as GroupPolicies | undefined;
  if (shared === undefined) {
    const collector = new PolicyCollector(index, acct);
    collector.addGroup(group);
    shared = { policies: collector.policies, missing: collector.missing };
    group.memberPolicies = shared;
  }
  return shared;
}

interface GroupPolicies {
  readonly policies: readonly NamedPolicy[];
  readonly missing: readonly MissingPolicy[];
}

class PolicyCollector {
  readonly policies: NamedPolicy[] = [];
  readonly missing: MissingPolicy[] = [];

  constructor(
    private readonly index: SnapshotIndex,
    private readonly acct: AccountIndex,
  ) {}

  addGroup(group: IndexedGroup): void {
    this.addInline(group.inline, `group ${group.name}`);
    this.addAttached(group.attached, `group ${group.name}`);
  }

  addShared(shared: GroupPolicies): void {
    for (let i = 0; i < shared.policies.length; i++) this.policies.push(shared.policies[i]);
    for (let i = 0; i < shared.missing.length; i++) this.missing.push(shared.missing[i]);
  }

  addInline(list: InlinePolicy[], owner: string): void {
    for (const p of list) {
      this.policies.push({
        kind: 'identity',
        source: `inline policy ${p.name} on ${owner}`,
        name: p.name,
        document: p.document,
      });
    }
  }

  addAttached(list: AttachedRef[], owner: string): void {
    for (const ref of list) {
      const entry = this.index.managedPolicies.get(ref.arn);
      if (entry?.document) {
        this.policies.push({
          kind: 'identity',
          source: `managed policy ${ref.arn} (attached to ${owner})`,
          name: entry.name,
          arn: ref.arn,
          document: entry.document,
        });
      } else {
        this.missing.push({
          ref: ref.arn,
          kind: 'managed-policy',
          attachedTo: `attached to ${owner}`,
          reason: entry?.problem ?? this.whyAbsent(ref.arn),
        });
      }
    }
  }

  boundary(arn: string | undefined, owner: string): NamedPolicy | undefined {
    if (!arn) return undefined;
    const entry = this.index.managedPolicies.get(arn);
    if (entry?.document) {
      return {
        kind: 'boundary',
        source: `managed policy ${arn} (permissions boundary of ${owner})`,
        name: entry.name,
        arn,
        document: entry.document,
      };
    }
    this.missing.push({
      ref: arn,
      kind: 'permissions-boundary',
      attachedTo: `permissions boundary of ${owner}`,
      reason: entry?.problem ?? this.whyAbsent(arn),
    });
    return undefined;
  }

  private whyAbsent(arn: string): string {
    if (!this.acct.policiesListed) {
      return `the snapshot of account ${this.acct.accountId} has no Policies list (made with --filter without LocalManagedPolicy/AWSManagedPolicy?)`;
    }
    return `${arn} is not in the Policies list of ${this.acct.sources.join(', ')}`;
  }
}
