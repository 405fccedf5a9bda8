import type { PolicyDocument } from '../policy-types';

/**
 * The organization file (format in docs/snapshots.md): which SCPs and RCPs are attached to the root, each OU and
 * each account, with their documents. Built from `aws organizations describe-organization`, `list-roots`,
 * `list-parents`, `list-policies-for-target` and `describe-policy` output.
 */
export interface OrganizationPolicy {
  id: string;
  name: string;
  /** SCP, RCP, or any other Organizations policy type (tag, backup… policies are kept but never evaluated). */
  type: 'scp' | 'rcp' | 'other';
  awsManaged: boolean;
  /** Present for scp/rcp. */
  document?: PolicyDocument;
}

export interface OrganizationTarget {
  id: string;
  name?: string;
  type: 'root' | 'ou' | 'account';
  parentId?: string;
  policyIds: string[];
}

export interface OrganizationFile {
  source: string;
  organizationId?: string;
  managementAccountId?: string;
  /** Whether the SCP / RCP policy types are enabled (EnabledPolicyTypes, or inferred from attachments). */
  scpsEnabled: boolean;
  rcpsEnabled: boolean;
  policies: ReadonlyMap<string, OrganizationPolicy>;
  targets: ReadonlyMap<string, OrganizationTarget>;
}
