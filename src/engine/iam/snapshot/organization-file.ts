import type { OrgLevel, OrgPolicyChain } from '../iam-facts';
import { PolicyParseError, parsePolicyDocument } from '../policy-document';
import type { NamedPolicy, PolicyDocument } from '../policy-types';
import { FULL_ACCESS_CONTENT, OrganizationFileError, readOrgPolicies, readOrgTargets } from './organization-file-input';
import type { OrganizationFile, OrganizationPolicy, OrganizationTarget } from './organization-types';

export { OrganizationFileError } from './organization-file-input';
export type { OrganizationFile, OrganizationPolicy, OrganizationTarget } from './organization-types';

/** Validates and normalizes an organization file; throws OrganizationFileError naming the source and the field. */
export function parseOrganizationFile(json: unknown, source: string): OrganizationFile {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new OrganizationFileError(`${source}: organization file must be a JSON object`);
  }
  const raw = json as Record<string, unknown>;
  const organizationId = optionalString(raw, 'OrganizationId', source);
  const managementAccountId =
    optionalString(raw, 'ManagementAccountId', source) ?? optionalString(raw, 'MasterAccountId', source);
  if (managementAccountId !== undefined && !/^[0-9]{12}$/.test(managementAccountId)) {
    throw new OrganizationFileError(`${source}: ManagementAccountId must be a 12-digit account ID`);
  }

  const rawPolicies = readOrgPolicies(raw.Policies, source);
  const policies = new Map<string, OrganizationPolicy>();
  for (const p of rawPolicies) {
    let document: PolicyDocument | undefined;
    if (p.type !== 'other') {
      const content = p.content ?? (p.awsManaged ? FULL_ACCESS_CONTENT[p.name] : undefined);
      if (content === undefined) {
        throw new OrganizationFileError(
          `${source}: ${p.where} (${p.id}) has no Content; paste describe-policy's Content`,
        );
      }
      try {
        document = parsePolicyDocument(content, `${source}: ${p.where} (${p.id})`);
      } catch (e) {
        if (e instanceof PolicyParseError) throw new OrganizationFileError(e.message);
        throw e;
      }
    }
    policies.set(p.id, { id: p.id, name: p.name, type: p.type, awsManaged: p.awsManaged, document });
  }

  const targets = readOrgTargets(raw.Targets, source, policies);
  const enabled = readEnabledTypes(raw, source, targets, policies);
  return {
    source,
    organizationId,
    managementAccountId,
    scpsEnabled: enabled.scp,
    rcpsEnabled: enabled.rcp,
    policies,
    targets,
  };
}

function optionalString(raw: Record<string, unknown>, key: string, source: string): string | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new OrganizationFileError(`${source}: ${key} must be a string`);
  return v;
}

const TYPE_NAMES = { scp: 'SERVICE_CONTROL_POLICY', rcp: 'RESOURCE_CONTROL_POLICY' } as const;

/**
 * A type is enabled if EnabledPolicyTypes says so or, without that field, if any target has a policy of the type.
 * While a type is enabled Organizations keeps at least one policy of it on every root, OU and account (the last one
 * cannot be detached), so a target without one means the export missed something: refuse rather than evaluate an
 * incomplete chain as "no Allow".
 */
function readEnabledTypes(
  raw: Record<string, unknown>,
  source: string,
  targets: ReadonlyMap<string, OrganizationTarget>,
  policies: ReadonlyMap<string, OrganizationPolicy>,
): { scp: boolean; rcp: boolean } {
  const declared = raw.EnabledPolicyTypes;
  if (declared !== undefined && !(Array.isArray(declared) && declared.every((t) => typeof t === 'string'))) {
    throw new OrganizationFileError(`${source}: EnabledPolicyTypes must be a list of policy type names`);
  }
  const result = { scp: false, rcp: false };
  for (const kind of ['scp', 'rcp'] as const) {
    const attachedSomewhere = [...targets.values()].some((t) =>
      t.policyIds.some((id) => policies.get(id)?.type === kind),
    );
    const isEnabled = declared ? (declared as string[]).includes(TYPE_NAMES[kind]) : attachedSomewhere;
    if (!isEnabled && attachedSomewhere) {
      throw new OrganizationFileError(
        `${source}: ${TYPE_NAMES[kind]} policies are attached but EnabledPolicyTypes does not list ${TYPE_NAMES[kind]} ` +
          '(disabling a policy type detaches all its policies)',
      );
    }
    if (isEnabled) {
      for (const t of targets.values()) {
        if (!t.policyIds.some((id) => policies.get(id)?.type === kind)) {
          throw new OrganizationFileError(
            `${source}: target ${t.id}${t.name ? ` (${t.name})` : ''} has no ${kind.toUpperCase()} attached; while ` +
              `${TYPE_NAMES[kind]} is enabled Organizations keeps at least one on every root, OU and account ` +
              `(${kind === 'scp' ? 'FullAWSAccess' : 'RCPFullAWSAccess'} by default) — add the missing attachment`,
          );
        }
      }
    }
    result[kind] = isEnabled;
  }
  return result;
}

/**
 * The SCP/RCP chain for an account (root first, account last), or undefined if the account is not in the file.
 * SCPs and RCPs never apply to the management account: its chain has no levels and both *Apply flags false.
 */
export function organizationPolicyChain(org: OrganizationFile, accountId: string): OrgPolicyChain | undefined {
  const base = { organizationId: org.organizationId, managementAccountId: org.managementAccountId };
  if (accountId === org.managementAccountId)
    return Object.assign({}, base, { levels: [], scpsApply: false, rcpsApply: false });
  const account = org.targets.get(accountId);
  if (account?.type !== 'account') return undefined;

  const path: OrganizationTarget[] = [];
  for (let t: OrganizationTarget | undefined = account; t; t = t.parentId ? org.targets.get(t.parentId) : undefined) {
    path.push(t);
  }
  path.reverse();
  const levels: OrgLevel[] = path.map((target) => ({
    target: target.id,
    scps: org.scpsEnabled ? namedPolicies(org, target, 'scp') : [],
    rcps: org.rcpsEnabled ? namedPolicies(org, target, 'rcp') : [],
  }));
  return Object.assign({}, base, { levels, scpsApply: org.scpsEnabled, rcpsApply: org.rcpsEnabled });
}

function namedPolicies(org: OrganizationFile, target: OrganizationTarget, kind: 'scp' | 'rcp'): NamedPolicy[] {
  const where = target.name ? `${target.id} (${target.name})` : target.id;
  const out: NamedPolicy[] = [];
  for (const id of target.policyIds) {
    const p = org.policies.get(id);
    if (!p || p.type !== kind || !p.document) continue;
    out.push({
      kind,
      source: `${kind.toUpperCase()} ${p.id} "${p.name}" attached to ${where}`,
      name: p.name,
      arn: p.id,
      document: p.document,
    });
  }
  return out;
}
