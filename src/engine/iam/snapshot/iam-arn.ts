/** The parts of an IAM ARN the snapshot index needs: arn:<partition>:iam::<account>:<type>/<path…>/<name>. */
export interface IamArn {
  partition: string;
  /** 12 digits, or "aws" for AWS-managed policies (arn:aws:iam::aws:policy/…). */
  accountId: string;
  /** user | role | group | policy | oidc-provider | saml-provider | instance-profile | … */
  resourceType: string;
  /** "/" or "/a/b/" (always for user/role/group/policy; OIDC providers have no path, their "name" is the host/path). */
  path: string;
  name: string;
}

const ARN_PREFIX = /^arn:([a-z-]+):iam::([0-9]{12}|aws):([a-z-]+)\/(.+)$/;

/** Types whose resource part is <path>/<name>; for the others (oidc-provider) the rest is one opaque name. */
const PATHED_TYPES = new Set(['user', 'role', 'group', 'policy', 'instance-profile', 'saml-provider']);

export function parseIamArn(arn: string): IamArn | undefined {
  const m = ARN_PREFIX.exec(arn);
  if (!m) return undefined;
  const [, partition, accountId, resourceType, rest] = m;
  if (!PATHED_TYPES.has(resourceType)) return { partition, accountId, resourceType, path: '/', name: rest };
  const slash = rest.lastIndexOf('/');
  const name = rest.slice(slash + 1);
  if (name === '') return undefined;
  return { partition, accountId, resourceType, path: slash < 0 ? '/' : `/${rest.slice(0, slash + 1)}`, name };
}

/** Account of any ARN with a 12-digit account field (iam, sts, …), or undefined. */
export function accountOfArn(arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return /^[0-9]{12}$/.test(parts[4]) ? parts[4] : undefined;
}
