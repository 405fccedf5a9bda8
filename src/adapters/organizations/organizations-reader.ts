import {
  DescribeOrganizationCommand,
  type DescribeOrganizationCommandOutput,
  ListParentsCommand,
  type ListParentsCommandOutput,
} from '@aws-sdk/client-organizations';
import type { Lookup, OrgLevel, OrgPolicyChain } from '../../engine/iam/iam-facts';
import { errorMessage, errorName, isAccessDenied, isTransientAwsError, TransientError } from '../../errors';
import type { IamCallCounter } from '../live-iam/iam-calls';
import { type Clock, TtlCache } from '../live-iam/ttl-cache';
import {
  attachedPolicies,
  type OrganizationPolicies,
  type OrganizationsSender,
  readOrganizationPolicies,
  sendOrganizations,
} from './organization-snapshot';
import type { OrganizationsAccess } from './organizations-actions';

export const DEFAULT_ORGANIZATIONS_TTL_MS = 15 * 60 * 1000;
/** Deeper than Organizations allows (five OU levels under the root): a guard against a cyclic answer. */
const MAX_DEPTH = 8;

type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface OrganizationsReaderOptions {
  access: OrganizationsAccess;
  /** Organizations with the function's own credentials: DescribeOrganization, and every call as delegated admin. */
  ownClient: OrganizationsSender;
  /** management-reader: a client signed by the reader role of the management account, or why there is none. */
  managementClient?: (
    managementAccountId: string,
    counters: readonly IamCallCounter[],
  ) => Promise<Outcome<OrganizationsSender>>;
  ttlMs?: number;
  clock?: Clock;
}

interface Organization {
  organizationId?: string;
  managementAccountId: string;
  client: OrganizationsSender;
  policies: OrganizationPolicies;
}

/**
 * The SCPs and RCPs that apply to an account, live (ORGANIZATIONS_ACCESS): the organization's policies and their
 * attachments are read once per TTL for all accounts (organization-snapshot.ts); an account's path to the root
 * costs one ListParents per level, each cached per child for the TTL, so warm diagnoses make no call at all.
 * A denied or unavailable Organizations read makes the chain unknown (with the reason); throttling is thrown.
 */
export class OrganizationsReader {
  private readonly organization: TtlCache<Outcome<Organization>>;
  private readonly parents: TtlCache<Outcome<string>>;

  constructor(private readonly options: OrganizationsReaderOptions) {
    const ttl = options.ttlMs ?? DEFAULT_ORGANIZATIONS_TTL_MS;
    this.organization = new TtlCache(ttl, options.clock, 1);
    this.parents = new TtlCache(ttl, options.clock, 50_000);
  }

  async chain(accountId: string, counters: readonly IamCallCounter[]): Promise<Lookup<OrgPolicyChain>> {
    const org = await this.organization.get('organization', () => this.loadOrganization(counters));
    if (!org.ok) return { status: 'unknown', reason: org.reason };
    const { organizationId, managementAccountId, policies } = org.value;
    if (accountId === managementAccountId) {
      return {
        status: 'found',
        value: { organizationId, managementAccountId, levels: [], scpsApply: false, rcpsApply: false },
      };
    }
    const path = [accountId];
    for (let child = accountId; child !== policies.rootId; ) {
      if (path.length > MAX_DEPTH)
        return { status: 'unknown', reason: `the OU path of account ${accountId} is deeper than Organizations allows` };
      const parent = await this.parents.get(child, () => this.loadParent(org.value.client, child, counters));
      if (!parent.ok) return { status: 'unknown', reason: parent.reason };
      path.push(parent.value);
      child = parent.value;
    }
    path.reverse();
    const levels: OrgLevel[] = path.map((target) => ({
      target,
      scps: policies.scpsEnabled ? attachedPolicies(policies, target, 'scp') : [],
      rcps: policies.rcpsEnabled ? attachedPolicies(policies, target, 'rcp') : [],
    }));
    return {
      status: 'found',
      value: {
        organizationId,
        managementAccountId,
        levels,
        scpsApply: policies.scpsEnabled,
        rcpsApply: policies.rcpsEnabled,
      },
    };
  }

  private async loadOrganization(counters: readonly IamCallCounter[]): Promise<Outcome<Organization>> {
    const described = await guarded('DescribeOrganization', 'the organization', () =>
      sendOrganizations<DescribeOrganizationCommandOutput>(
        this.options.ownClient,
        counters,
        'DescribeOrganization',
        new DescribeOrganizationCommand({}),
      ),
    );
    if (!described.ok) return described;
    const managementAccountId = described.value.Organization?.MasterAccountId;
    if (!managementAccountId)
      return { ok: false, reason: 'organizations:DescribeOrganization named no management account' };
    let client = this.options.ownClient;
    if (this.options.access === 'management-reader') {
      if (!this.options.managementClient) throw new Error('management-reader access needs a managementClient');
      const reader = await this.options.managementClient(managementAccountId, counters);
      if (!reader.ok) return { ok: false, reason: `SCPs and RCPs cannot be read: ${reader.reason}` };
      client = reader.value;
    }
    const policies = await guarded('ListPolicies', 'the SCPs and RCPs of the organization', () =>
      readOrganizationPolicies(client, counters),
    );
    if (!policies.ok) return policies;
    return {
      ok: true,
      value: {
        organizationId: described.value.Organization?.Id,
        managementAccountId,
        client,
        policies: policies.value,
      },
    };
  }

  private async loadParent(
    client: OrganizationsSender,
    child: string,
    counters: readonly IamCallCounter[],
  ): Promise<Outcome<string>> {
    const out = await guarded('ListParents', `the parent of ${child}`, () =>
      sendOrganizations<ListParentsCommandOutput>(
        client,
        counters,
        'ListParents',
        new ListParentsCommand({ ChildId: child }),
      ),
    );
    if (!out.ok) return out;
    const parent = out.value.Parents?.[0]?.Id;
    return parent
      ? { ok: true, value: parent }
      : { ok: false, reason: `organizations:ListParents named no parent for ${child}` };
  }
}

/** AccessDenied and the like become an Outcome; throttling and 5xx are thrown as TransientError (retry the event). */
async function guarded<T>(api: string, what: string, read: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    if (isTransientAwsError(error)) {
      throw new TransientError(
        `organizations:${api} for ${what} failed transiently (${errorName(error)}): ${errorMessage(error)}`,
        {
          cause: error,
        },
      );
    }
    if (errorName(error) === 'ChildNotFoundException') {
      return {
        ok: false,
        reason: `${what}: the account is not a member of this organization (ChildNotFoundException)`,
      };
    }
    const denied = isAccessDenied(error) || errorName(error) === 'AWSOrganizationsNotInUseException';
    return {
      ok: false,
      reason: `organizations:${api} for ${what} ${denied ? 'was denied to trustgap' : 'failed'} (${errorName(error)}): ${errorMessage(error)}`,
    };
  }
}
