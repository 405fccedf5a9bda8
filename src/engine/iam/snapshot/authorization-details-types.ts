/**
 * The JSON that `aws iam get-account-authorization-details` prints (field names as in the IAM API's
 * GetAccountAuthorizationDetailsResponse), plus trustgap's optional top-level extensions, which the CLI does not
 * output but the engine needs (see docs/snapshots.md):
 *  - AccountId: the account, for a file with no principal ARNs to derive it from;
 *  - OpenIDConnectProviderList / SAMLProviderList: the account's identity providers.
 *
 * Policy documents are objects in CLI output and URL-encoded JSON strings in raw API / SDK output; both are typed
 * `unknown` here and go through parsePolicyDocument. Dates are strings in JSON (Date objects from an SDK also work;
 * they are not read). Every field is optional because filtered calls (--filter Role …) omit whole lists.
 */
export interface RawInlinePolicy {
  PolicyName?: string;
  PolicyDocument?: unknown;
}

export interface RawAttachedPolicy {
  PolicyName?: string;
  PolicyArn?: string;
}

export interface RawPermissionsBoundary {
  PermissionsBoundaryType?: string;
  PermissionsBoundaryArn?: string;
}

export interface RawTag {
  Key?: string;
  Value?: string;
}

export interface RawUserDetail {
  Path?: string;
  UserName?: string;
  UserId?: string;
  Arn?: string;
  CreateDate?: unknown;
  UserPolicyList?: RawInlinePolicy[];
  GroupList?: string[];
  AttachedManagedPolicies?: RawAttachedPolicy[];
  PermissionsBoundary?: RawPermissionsBoundary;
  Tags?: RawTag[];
}

export interface RawGroupDetail {
  Path?: string;
  GroupName?: string;
  GroupId?: string;
  Arn?: string;
  CreateDate?: unknown;
  GroupPolicyList?: RawInlinePolicy[];
  AttachedManagedPolicies?: RawAttachedPolicy[];
}

export interface RawRoleDetail {
  Path?: string;
  RoleName?: string;
  RoleId?: string;
  Arn?: string;
  CreateDate?: unknown;
  AssumeRolePolicyDocument?: unknown;
  InstanceProfileList?: unknown[];
  RolePolicyList?: RawInlinePolicy[];
  AttachedManagedPolicies?: RawAttachedPolicy[];
  PermissionsBoundary?: RawPermissionsBoundary;
  Tags?: RawTag[];
  RoleLastUsed?: { LastUsedDate?: unknown; Region?: string };
  /**
   * Not in get-account-authorization-details output (RoleDetail has no such field) but present in
   * `aws iam list-roles` / `get-role`; accepted when a user merges it in, otherwise IAM's default 3600 is assumed.
   */
  MaxSessionDuration?: number;
}

export interface RawPolicyVersion {
  Document?: unknown;
  VersionId?: string;
  IsDefaultVersion?: boolean;
  CreateDate?: unknown;
}

export interface RawManagedPolicyDetail {
  PolicyName?: string;
  PolicyId?: string;
  Arn?: string;
  Path?: string;
  DefaultVersionId?: string;
  AttachmentCount?: number;
  PermissionsBoundaryUsageCount?: number;
  IsAttachable?: boolean;
  Description?: string;
  CreateDate?: unknown;
  UpdateDate?: unknown;
  PolicyVersionList?: RawPolicyVersion[];
}

/** trustgap extension: one entry per IAM OIDC provider (list-open-id-connect-providers + get-open-id-connect-provider). */
export interface RawOidcProvider {
  Arn?: string;
  Url?: string;
  ClientIDList?: string[];
  ThumbprintList?: string[];
}

/** trustgap extension: one entry per IAM SAML provider (list-saml-providers output entries). */
export interface RawSamlProvider {
  Arn?: string;
  ValidUntil?: unknown;
  CreateDate?: unknown;
}

export interface RawAuthorizationDetails {
  UserDetailList?: RawUserDetail[];
  GroupDetailList?: RawGroupDetail[];
  RoleDetailList?: RawRoleDetail[];
  Policies?: RawManagedPolicyDetail[];
  IsTruncated?: boolean;
  Marker?: string;
  AccountId?: string;
  OpenIDConnectProviderList?: RawOidcProvider[];
  SAMLProviderList?: RawSamlProvider[];
}
