/**
 * The standard CloudTrail delivery layout, AWSLogs/[o-org/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/<file>.json.gz,
 * and the --since/--accounts/--regions filters applied to it one path level at a time, so both the local tree
 * walk and the S3 listing descend only into the prefixes that can match (never listing everything).
 */
export interface TrailFilter {
  /** YYYY-MM-DD (UTC): day folders before it are not read. */
  sinceDay?: string;
  accounts?: ReadonlySet<string>;
  regions?: ReadonlySet<string>;
}

/** What a path segment is, from the segments above it (undefined: not inside the layout, keep descending). */
export type LayoutLevel = 'org-or-account' | 'account' | 'service' | 'region' | 'year' | 'month' | 'day';

const ORG = /^o-[a-z0-9]{10,32}$/;
const ACCOUNT = /^\d{12}$/;

/** The level of the NEXT segment below `parents` (segments from the root of the walk), if inside AWSLogs/. */
export function levelBelow(parents: readonly string[]): LayoutLevel | undefined {
  const at = parents.lastIndexOf('AWSLogs');
  if (at < 0) return undefined;
  const rest = parents.slice(at + 1);
  if (rest.length > 0 && ORG.test(rest[0])) rest.shift();
  const levels: LayoutLevel[] = ['account', 'service', 'region', 'year', 'month', 'day'];
  if (rest.length === 0 && parents.length - at - 1 === 0) return 'org-or-account';
  return levels[rest.length];
}

/** Whether a folder at `level` named `name` (under `parents`) can hold files that pass the filter. */
export function keepFolder(
  level: LayoutLevel | undefined,
  name: string,
  parents: readonly string[],
  f: TrailFilter,
): boolean {
  switch (level) {
    case 'org-or-account':
      return ORG.test(name) || (ACCOUNT.test(name) && (!f.accounts || f.accounts.has(name)));
    case 'account':
      return !f.accounts || f.accounts.has(name);
    case 'service':
      return name === 'CloudTrail';
    case 'region':
      return !f.regions || f.regions.has(name);
    case 'year':
      return !f.sinceDay || name >= f.sinceDay.slice(0, 4);
    case 'month':
      return !f.sinceDay || `${parents.at(-1)}-${name}` >= f.sinceDay.slice(0, 7);
    case 'day':
      return !f.sinceDay || `${parents.at(-2)}-${parents.at(-1)}-${name}` >= f.sinceDay;
    default:
      return true;
  }
}

export const LOG_FILE = /\.json(\.gz)?$/i;
