/**
 * Minimal ARN parsing for what the normalizer needs: role ARNs (name, path, account) and session ARNs.
 * An ARN is arn:partition:service:region:account:resource, where only the resource may contain further colons.
 */

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

export function parseArn(value: string): ParsedArn | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[1] === '' || parts[2] === '') return undefined;
  return {
    partition: parts[1],
    service: parts[2],
    region: parts[3],
    accountId: parts[4],
    resource: parts.slice(5).join(':'),
  };
}

export interface ParsedRoleArn {
  accountId?: string;
  name: string;
  /** "/" for a role without a path, otherwise "/a/b/" exactly as IAM stores it. */
  path: string;
}

/** arn:aws:iam::111122223333:role/service-role/a/b/Name → {accountId, name: "Name", path: "/service-role/a/b/"}. */
export function parseRoleArn(value: string): ParsedRoleArn | undefined {
  const arn = parseArn(value);
  if (arn?.service !== 'iam' || !arn.resource.startsWith('role/')) return undefined;
  const pathAndName = arn.resource.slice('role/'.length);
  const lastSlash = pathAndName.lastIndexOf('/');
  const name = pathAndName.slice(lastSlash + 1);
  if (name === '') return undefined;
  const path = lastSlash < 0 ? '/' : `/${pathAndName.slice(0, lastSlash)}/`;
  return { accountId: arn.accountId === '' ? undefined : arn.accountId, name, path };
}

export function isRoleArn(value: string): boolean {
  return parseRoleArn(value) !== undefined;
}

/**
 * The session name of an STS session ARN (assumed-role/Role/Session, federated-user/Name).
 * Session names cannot contain "/", so it is the last path segment.
 */
export function sessionNameFromArn(value: string): string | undefined {
  const arn = parseArn(value);
  if (arn?.service !== 'sts') return undefined;
  const segments = arn.resource.split('/');
  const kind = segments[0];
  if (kind === 'assumed-role' && segments.length >= 3) return segments[segments.length - 1] || undefined;
  if (kind === 'federated-user' && segments.length >= 2) return segments[segments.length - 1] || undefined;
  return undefined;
}

/** The partition of a region name; used only to build a root ARN when CloudTrail did not log one. */
export function partitionForRegion(region: string | undefined): string {
  if (!region) return 'aws';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}
