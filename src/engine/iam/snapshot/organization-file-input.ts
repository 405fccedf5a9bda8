import type { OrganizationPolicy, OrganizationTarget } from './organization-types';

/** An organization file that cannot be used; the message names the file and the offending entry. */
export class OrganizationFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OrganizationFileError';
  }
}

/**
 * Documents of the two AWS-managed "allow everything" policies, so a file may list them by name without Content.
 * Their content is fixed by AWS (Organizations user guide: SCP FullAWSAccess; RCP RCPFullAWSAccess).
 */
export const FULL_ACCESS_CONTENT: Record<string, object> = {
  FullAWSAccess: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  RCPFullAWSAccess: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
  },
};

export interface RawOrgPolicy {
  id: string;
  name: string;
  type: OrganizationPolicy['type'];
  awsManaged: boolean;
  content: unknown;
  /** "Policies[3]", for error messages. */
  where: string;
}

const POLICY_TYPES: Record<string, OrganizationPolicy['type']> = {
  SERVICE_CONTROL_POLICY: 'scp',
  RESOURCE_CONTROL_POLICY: 'rcp',
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function listOf(v: unknown, field: string, source: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new OrganizationFileError(`${source}: ${field} must be a list`);
  return v;
}

function requiredString(obj: Record<string, unknown>, key: string, where: string, source: string): string {
  const v = obj[key];
  if (typeof v !== 'string' || v === '')
    throw new OrganizationFileError(`${source}: ${where}.${key} is required (a string)`);
  return v;
}

/**
 * Policies[] entries are either flat ({Id, Name, Type, AwsManaged, Content}) or exactly the `Policy` object that
 * `aws organizations describe-policy` prints ({PolicySummary: {Id, Name, Type, AwsManaged, …}, Content}).
 */
export function readOrgPolicies(v: unknown, source: string): RawOrgPolicy[] {
  const seen = new Set<string>();
  return listOf(v, 'Policies', source).map((entry, i) => {
    const where = `Policies[${i}]`;
    if (!isObject(entry)) throw new OrganizationFileError(`${source}: ${where} must be an object`);
    const summary = isObject(entry.PolicySummary) ? entry.PolicySummary : entry;
    const id = requiredString(summary, 'Id', where, source);
    if (seen.has(id)) throw new OrganizationFileError(`${source}: ${where}: policy ${id} is listed twice`);
    seen.add(id);
    const typeName = requiredString(summary, 'Type', where, source);
    const name = typeof summary.Name === 'string' ? summary.Name : id;
    return {
      id,
      name,
      type: POLICY_TYPES[typeName] ?? 'other',
      awsManaged: summary.AwsManaged === true,
      content: entry.Content,
      where,
    };
  });
}

const TARGET_TYPES: Record<string, OrganizationTarget['type']> = {
  ROOT: 'root',
  ORGANIZATIONAL_UNIT: 'ou',
  ACCOUNT: 'account',
};

const TYPE_LABELS: Record<OrganizationTarget['type'], string> = { root: 'a root', ou: 'an OU', account: 'an account' };

function typeFromId(id: string): OrganizationTarget['type'] | undefined {
  if (/^r-[0-9a-z]{4,32}$/.test(id)) return 'root';
  if (/^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$/.test(id)) return 'ou';
  if (/^[0-9]{12}$/.test(id)) return 'account';
  return undefined;
}

/** Targets[]: {Id, Type?, Name?, ParentId?, PolicyIds}; validated into a tree with exactly one root. */
export function readOrgTargets(
  v: unknown,
  source: string,
  policies: ReadonlyMap<string, OrganizationPolicy>,
): Map<string, OrganizationTarget> {
  const targets = new Map<string, OrganizationTarget>();
  listOf(v, 'Targets', source).forEach((entry, i) => {
    const where = `Targets[${i}]`;
    if (!isObject(entry)) throw new OrganizationFileError(`${source}: ${where} must be an object`);
    const id = requiredString(entry, 'Id', where, source);
    if (targets.has(id)) throw new OrganizationFileError(`${source}: ${where}: target ${id} is listed twice`);
    const inferred = typeFromId(id);
    const declared = typeof entry.Type === 'string' ? TARGET_TYPES[entry.Type] : undefined;
    if (entry.Type !== undefined && !declared) {
      throw new OrganizationFileError(`${source}: ${where}.Type must be ROOT, ORGANIZATIONAL_UNIT or ACCOUNT`);
    }
    const type = declared ?? inferred;
    if (!type) {
      throw new OrganizationFileError(
        `${source}: ${where}: cannot tell whether ${id} is a root, OU or account; add "Type"`,
      );
    }
    if (declared && inferred && declared !== inferred) {
      throw new OrganizationFileError(
        `${source}: ${where}: Id ${id} looks like ${TYPE_LABELS[inferred]}, but Type says ${entry.Type}`,
      );
    }
    const policyIds = listOf(entry.PolicyIds, `${where}.PolicyIds`, source).map((p) => {
      if (typeof p !== 'string') throw new OrganizationFileError(`${source}: ${where}.PolicyIds must be strings`);
      if (!policies.has(p)) {
        throw new OrganizationFileError(`${source}: ${where}.PolicyIds names ${p}, which is not in Policies`);
      }
      return p;
    });
    const parentId = entry.ParentId === undefined || entry.ParentId === null ? undefined : entry.ParentId;
    if (parentId !== undefined && typeof parentId !== 'string') {
      throw new OrganizationFileError(`${source}: ${where}.ParentId must be a string`);
    }
    const name = typeof entry.Name === 'string' ? entry.Name : undefined;
    targets.set(id, { id, name, type, parentId, policyIds });
  });
  validateTree(targets, source);
  return targets;
}

function validateTree(targets: ReadonlyMap<string, OrganizationTarget>, source: string): void {
  const roots = [...targets.values()].filter((t) => t.type === 'root');
  if (targets.size > 0 && roots.length !== 1) {
    throw new OrganizationFileError(`${source}: Targets must contain exactly one ROOT (found ${roots.length})`);
  }
  for (const t of targets.values()) {
    if (t.type === 'root') {
      if (t.parentId) throw new OrganizationFileError(`${source}: root ${t.id} cannot have a ParentId`);
      continue;
    }
    if (!t.parentId) throw new OrganizationFileError(`${source}: ${t.type} ${t.id} has no ParentId`);
    const parent = targets.get(t.parentId);
    if (!parent) {
      throw new OrganizationFileError(
        `${source}: ${t.type} ${t.id} has ParentId ${t.parentId}, which is not in Targets`,
      );
    }
    if (parent.type === 'account') {
      throw new OrganizationFileError(`${source}: ${t.type} ${t.id} has an account (${parent.id}) as parent`);
    }
    // Walk to the root; more steps than targets means a cycle.
    let steps = 0;
    for (
      let p: OrganizationTarget | undefined = t;
      p && p.type !== 'root';
      p = p.parentId ? targets.get(p.parentId) : undefined
    ) {
      if (++steps > targets.size) {
        throw new OrganizationFileError(`${source}: the ParentId chain of ${t.id} loops without reaching the root`);
      }
    }
  }
}
