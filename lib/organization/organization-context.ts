import { isSet, readList } from '../monitor/context-settings';
import { MonitorSettingsError } from '../monitor/settings';

/**
 * The CDK context keys of the organization deployment, with their defaults. Setting `organizationId` selects it;
 * without it the app deploys the single-account stack exactly as before.
 */
export const ORGANIZATION_CONTEXT_KEYS = {
  organizationId: { default: '(none: single-account deployment)', meaning: 'the organization id (o-…)' },
  organizationalUnitIds: {
    default: '(required)',
    meaning: 'comma-separated StackSet targets: OU ids (ou-…) and/or the root id (r-…)',
  },
  memberRegions: { default: '(required)', meaning: 'comma-separated regions the StackSet deploys the forwarder to' },
  centralAccountId: { default: '(required)', meaning: 'the 12-digit account of the central stack' },
  centralRegion: { default: '(the first member region)', meaning: 'the region of the central stack and bus' },
  readerRoleName: { default: 'trustgap-reader', meaning: 'the name of the read-only role in every account' },
} as const;

export type OrganizationContextKey = keyof typeof ORGANIZATION_CONTEXT_KEYS;

export interface OrganizationSettings {
  readonly organizationId: string;
  readonly organizationalUnitIds: readonly string[];
  readonly memberRegions: readonly string[];
  readonly centralAccountId: string;
  readonly centralRegion: string;
  readonly readerRoleName: string;
}

export const DEFAULT_READER_ROLE_NAME = 'trustgap-reader';

// The formats the Organizations API reference gives for these ids (Organization, Root, OrganizationalUnit).
// Anchored, no nested quantifiers: linear time on any input.
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const TARGET_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
// IAM role names: 1-64 of letters, digits and +=,.@_-
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * Reads and checks the organization keys. Returns undefined when `organizationId` is not set (and no other
 * organization key is either). Throws one error with one line per bad key, naming it.
 */
export function readOrganizationContext(
  getContext: (key: OrganizationContextKey) => unknown,
): OrganizationSettings | undefined {
  const keys = Object.keys(ORGANIZATION_CONTEXT_KEYS) as OrganizationContextKey[];
  if (!isSet(getContext('organizationId'))) {
    const stray = keys.filter((key) => isSet(getContext(key)));
    if (stray.length === 0) return undefined;
    fail([
      `organizationId must be set (o-…) to use ${stray.join(', ')}; leave them out for a single-account deployment.`,
    ]);
  }
  const problems: string[] = [];
  const text = (key: OrganizationContextKey): string => {
    const value = getContext(key);
    return typeof value === 'string' ? value.trim() : JSON.stringify(value ?? '');
  };
  const list = (key: OrganizationContextKey, pattern: RegExp, shape: string): string[] => {
    const raw = getContext(key);
    const items = isSet(raw) ? readList(raw) : [];
    if (items === undefined) {
      problems.push(`${key} must be a comma-separated list; got ${JSON.stringify(raw)}.`);
      return [];
    }
    if (items.length === 0) problems.push(`${key} must list at least one ${shape.replace(/^an? /, '')}; got none.`);
    const bad = items.filter((item) => !pattern.test(item));
    if (bad.length > 0) problems.push(`${key}: ${bad.map((item) => JSON.stringify(item)).join(', ')} is not ${shape}.`);
    if (new Set(items).size !== items.length) problems.push(`${key} lists the same value twice.`);
    return items;
  };

  const organizationId = text('organizationId');
  if (!ORGANIZATION_ID.test(organizationId)) {
    problems.push(
      `organizationId must look like o-abcd123456 (o- and 10 to 32 lowercase letters or digits); got "${organizationId}".`,
    );
  }
  const organizationalUnitIds = list(
    'organizationalUnitIds',
    TARGET_ID,
    'an OU id (ou-abcd-12345678) or a root id (r-abcd)',
  );
  const memberRegions = list('memberRegions', REGION, 'a region name such as eu-west-1');
  const centralAccountId = text('centralAccountId');
  if (!ACCOUNT_ID.test(centralAccountId)) {
    problems.push(`centralAccountId must be a 12-digit account id; got "${centralAccountId}".`);
  }
  const centralRegion = isSet(getContext('centralRegion')) ? text('centralRegion') : (memberRegions[0] ?? '');
  if (memberRegions.length > 0 && !memberRegions.includes(centralRegion)) {
    problems.push(
      `centralRegion must be one of the memberRegions (${memberRegions.join(', ')}): the reader role is created there; got "${centralRegion}".`,
    );
  }
  const readerRoleName = isSet(getContext('readerRoleName')) ? text('readerRoleName') : DEFAULT_READER_ROLE_NAME;
  if (!ROLE_NAME.test(readerRoleName)) {
    problems.push(
      `readerRoleName must be an IAM role name (1 to 64 of letters, digits and +=,.@_-); got "${readerRoleName}".`,
    );
  }
  if (problems.length > 0) fail(problems);
  return { organizationId, organizationalUnitIds, memberRegions, centralAccountId, centralRegion, readerRoleName };
}

function fail(problems: readonly string[]): never {
  throw new MonitorSettingsError(`Invalid CDK context for trustgap:\n  - ${problems.join('\n  - ')}`);
}
