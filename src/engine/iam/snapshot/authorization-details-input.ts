import type { RawAuthorizationDetails } from './authorization-details-types';
import { parseIamArn } from './iam-arn';
import { SnapshotError } from './snapshot-error';

/** Top-level checks of a get-account-authorization-details document and which account it describes. */
const LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;

/** Checks the top-level shape; returns the details typed. */
export function asAuthorizationDetails(details: unknown, source: string): RawAuthorizationDetails {
  if (typeof details !== 'object' || details === null || Array.isArray(details)) {
    throw new SnapshotError(`${source}: expected the JSON object printed by get-account-authorization-details`);
  }
  const d = details as Record<string, unknown>;
  const hasAny = LISTS.some((k) => k in d) || 'OpenIDConnectProviderList' in d || 'SAMLProviderList' in d;
  if (!hasAny) {
    throw new SnapshotError(
      `${source}: does not look like get-account-authorization-details output ` +
        '(none of UserDetailList, GroupDetailList, RoleDetailList, Policies)',
    );
  }
  for (const k of [...LISTS, 'OpenIDConnectProviderList', 'SAMLProviderList']) {
    if (d[k] !== undefined && !Array.isArray(d[k])) throw new SnapshotError(`${source}: ${k} must be a list`);
  }
  if (d.AccountId !== undefined && (typeof d.AccountId !== 'string' || !/^[0-9]{12}$/.test(d.AccountId))) {
    throw new SnapshotError(`${source}: AccountId must be a 12-digit account ID string`);
  }
  return d as RawAuthorizationDetails;
}

/**
 * The account a file describes: from the ARNs in it (they must all agree), else the explicit id (argument or the
 * AccountId extension field). An explicit id that contradicts the ARNs is an error.
 */
export function deriveAccountId(d: RawAuthorizationDetails, source: string, explicit?: string): string {
  const seen = accountsInArns(d);
  const wanted = explicit ?? d.AccountId;
  if (seen.size > 1)
    throw new SnapshotError(
      `${source}: ARNs from several accounts (${[...seen].join(', ')}); use one file per account`,
    );
  const [fromArns] = seen;
  if (fromArns && wanted && fromArns !== wanted) {
    throw new SnapshotError(
      `${source}: account ${wanted} was given but the ARNs in the file are in account ${fromArns}`,
    );
  }
  const accountId = fromArns ?? wanted;
  if (!accountId) {
    throw new SnapshotError(
      `${source}: no ARNs to tell which account this is; add "AccountId": "<12 digits>" to the file`,
    );
  }
  return accountId;
}

/** Accounts named by the file's principal, customer policy and provider ARNs (AWS-managed policies excluded). */
export function accountsInArns(d: RawAuthorizationDetails): Set<string> {
  const seen = new Set<string>();
  const note = (arn: unknown) => {
    if (typeof arn !== 'string') return;
    const a = parseIamArn(arn);
    if (a && a.accountId !== 'aws') seen.add(a.accountId);
  };
  for (const u of d.UserDetailList ?? []) note(u?.Arn);
  for (const g of d.GroupDetailList ?? []) note(g?.Arn);
  for (const r of d.RoleDetailList ?? []) note(r?.Arn);
  for (const p of d.Policies ?? []) note(p?.Arn);
  for (const p of d.OpenIDConnectProviderList ?? []) note(p?.Arn);
  for (const p of d.SAMLProviderList ?? []) note(p?.Arn);
  return seen;
}
