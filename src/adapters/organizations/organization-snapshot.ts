import {
  DescribePolicyCommand,
  type DescribePolicyCommandOutput,
  ListPoliciesCommand,
  type ListPoliciesCommandOutput,
  ListPoliciesForTargetCommand,
  type ListPoliciesForTargetCommandOutput,
  ListRootsCommand,
  type ListRootsCommandOutput,
  ListTargetsForPolicyCommand,
  type ListTargetsForPolicyCommandOutput,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { parsePolicyDocument } from '../../engine/iam/policy-document';
import type { NamedPolicy, PolicyDocument } from '../../engine/iam/policy-types';
import type { IamCallCounter } from '../live-iam/iam-calls';

export type OrganizationsSender = Pick<OrganizationsClient, 'send'>;

/** The content of the two AWS-managed full-access policies, which DescribePolicy would only repeat. */
const AWS_MANAGED_CONTENT: Record<string, PolicyDocument> = {
  'p-FullAWSAccess': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  'p-RCPFullAWSAccess': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
  },
};

export type OrgPolicyKind = 'scp' | 'rcp';
const FILTER: Record<OrgPolicyKind, 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY'> = {
  scp: 'SERVICE_CONTROL_POLICY',
  rcp: 'RESOURCE_CONTROL_POLICY',
};

export interface OrgPolicyEntry {
  id: string;
  name: string;
  kind: OrgPolicyKind;
  document: PolicyDocument;
}

/** Every SCP and RCP of the organization and where each is attached: read once per TTL for all accounts. */
export interface OrganizationPolicies {
  rootId: string;
  scpsEnabled: boolean;
  rcpsEnabled: boolean;
  policies: Map<string, OrgPolicyEntry>;
  /** Target (root, OU or account id) → ids of the policies attached to it, for targets with a customer policy. */
  attached: Map<string, string[]>;
  /**
   * Per kind, the AWS-managed full-access policy that every target WITHOUT a customer policy of that kind holds:
   * while a type is enabled Organizations keeps at least one policy of it on every root, OU and account, and the
   * full-access policy is the only AWS-managed one, so listing its (often thousands of) targets is unnecessary.
   */
  implicit: Partial<Record<OrgPolicyKind, string>>;
}

/** Sends one Organizations command, counting it in every counter under `organizations:<api>`. */
export async function sendOrganizations<Output>(
  client: OrganizationsSender,
  counters: readonly IamCallCounter[],
  api: string,
  command: object,
): Promise<Output> {
  for (const counter of counters) counter.record(`organizations:${api}`);
  return (await (client.send as (c: unknown) => Promise<unknown>)(command)) as Output;
}

async function allPages<Page extends { NextToken?: string }, Item>(
  fetch: (token: string | undefined) => Promise<Page>,
  items: (page: Page) => Item[] | undefined,
): Promise<Item[]> {
  const out: Item[] = [];
  let token: string | undefined;
  for (let page = 0; page < 1000; page += 1) {
    const result = await fetch(token);
    out.push(...(items(result) ?? []));
    if (!result.NextToken) return out;
    token = result.NextToken;
  }
  return out;
}

/**
 * Reads the organization's policies in one pass, cost independent of the number of accounts: ListRoots (which
 * policy types are enabled), ListPolicies per enabled type, ListTargetsForPolicy and DescribePolicy per customer
 * policy, and ListPoliciesForTarget only for the targets that hold a customer policy (to learn whether they also
 * kept the full-access policy). The AWS-managed full-access policies' content is known and their targets implied.
 * Per-target listing everywhere would cost two calls for every account and OU instead.
 */
export async function readOrganizationPolicies(
  client: OrganizationsSender,
  counters: readonly IamCallCounter[],
): Promise<OrganizationPolicies> {
  const roots = await sendOrganizations<ListRootsCommandOutput>(
    client,
    counters,
    'ListRoots',
    new ListRootsCommand({}),
  );
  const root = roots.Roots?.[0];
  if (!root?.Id) throw new Error('organizations:ListRoots returned no root');
  const enabled = (type: string) => (root.PolicyTypes ?? []).some((t) => t.Type === type && t.Status === 'ENABLED');
  const result: OrganizationPolicies = {
    rootId: root.Id,
    scpsEnabled: enabled(FILTER.scp),
    rcpsEnabled: enabled(FILTER.rcp),
    policies: new Map(),
    attached: new Map(),
    implicit: {},
  };
  const kinds = (['scp', 'rcp'] as const).filter((k) => (k === 'scp' ? result.scpsEnabled : result.rcpsEnabled));
  const summaries = (
    await Promise.all(
      kinds.map(async (kind) => {
        const list = await allPages(
          (token) =>
            sendOrganizations<ListPoliciesCommandOutput>(
              client,
              counters,
              'ListPolicies',
              new ListPoliciesCommand({ Filter: FILTER[kind], NextToken: token }),
            ),
          (page) => page.Policies,
        );
        return list.map((summary) => ({ summary, kind }));
      }),
    )
  ).flat();

  const customerTargets = new Map<string, Set<OrgPolicyKind>>();
  await Promise.all(
    summaries.map(async ({ summary, kind }) => {
      const id = summary.Id;
      if (!id) return;
      const managed = summary.AwsManaged ? AWS_MANAGED_CONTENT[id] : undefined;
      if (managed) {
        result.policies.set(id, { id, name: summary.Name ?? id, kind, document: managed });
        result.implicit[kind] = id;
        return;
      }
      const targets = await allPages(
        (token) =>
          sendOrganizations<ListTargetsForPolicyCommandOutput>(
            client,
            counters,
            'ListTargetsForPolicy',
            new ListTargetsForPolicyCommand({ PolicyId: id, NextToken: token }),
          ),
        (page) => page.Targets,
      );
      if (targets.length === 0) return;
      result.policies.set(id, { id, name: summary.Name ?? id, kind, document: await content(id) });
      for (const target of targets) {
        if (!target.TargetId) continue;
        const list = result.attached.get(target.TargetId) ?? [];
        list.push(id);
        result.attached.set(target.TargetId, list);
        const kinds = customerTargets.get(target.TargetId) ?? new Set();
        kinds.add(kind);
        customerTargets.set(target.TargetId, kinds);
      }
    }),
  );
  // A target with a customer policy may or may not also hold the full-access one: only these few are asked.
  await Promise.all(
    [...customerTargets].flatMap(([targetId, targetKinds]) =>
      [...targetKinds].map(async (kind) => {
        const fullAccess = result.implicit[kind];
        if (!fullAccess) return;
        const attached = await allPages(
          (token) =>
            sendOrganizations<ListPoliciesForTargetCommandOutput>(
              client,
              counters,
              'ListPoliciesForTarget',
              new ListPoliciesForTargetCommand({ TargetId: targetId, Filter: FILTER[kind], NextToken: token }),
            ),
          (page) => page.Policies,
        );
        if (attached.some((p) => p.Id === fullAccess)) result.attached.get(targetId)?.push(fullAccess);
      }),
    ),
  );
  return result;

  async function content(id: string): Promise<PolicyDocument> {
    const out = await sendOrganizations<DescribePolicyCommandOutput>(
      client,
      counters,
      'DescribePolicy',
      new DescribePolicyCommand({ PolicyId: id }),
    );
    const text = out.Policy?.Content;
    if (text === undefined) throw new Error(`organizations:DescribePolicy ${id} returned no content`);
    return parsePolicyDocument(text, `organization policy ${id}`);
  }
}

/** The policies of `kind` attached to a target, as the engine's NamedPolicy (same shape as the snapshot adapter). */
export function attachedPolicies(org: OrganizationPolicies, targetId: string, kind: OrgPolicyKind): NamedPolicy[] {
  const out: NamedPolicy[] = [];
  const explicit = (org.attached.get(targetId) ?? []).filter((id) => org.policies.get(id)?.kind === kind);
  const implicit = org.implicit[kind];
  const ids = explicit.some((id) => id !== implicit) ? explicit : implicit ? [implicit] : [];
  for (const id of ids) {
    const p = org.policies.get(id);
    if (!p) continue;
    out.push({
      kind,
      source: `${kind.toUpperCase()} ${p.id} "${p.name}" attached to ${targetId}`,
      name: p.name,
      arn: p.id,
      document: p.document,
    });
  }
  return out;
}
