import type { AssumeApi, CallerType } from '../event/types';
import type { PolicyDocument } from '../iam/policy-types';

/** The primary cause of a denial. This list is the product's contract; do not add to it casually. */
export const CAUSES = [
  'ROLE_NOT_FOUND',
  'TRUST_PRINCIPAL_MISSING',
  'TRUST_PRINCIPAL_DELETED',
  'TRUST_CONDITION_FAILED',
  'TRUST_ACTION_MISSING',
  'TRUST_EXPLICIT_DENY',
  'IDENTITY_NO_ALLOW',
  'IDENTITY_EXPLICIT_DENY',
  'BOUNDARY_NO_ALLOW',
  'BOUNDARY_EXPLICIT_DENY',
  'SCP_DENY',
  'RCP_DENY',
  'IDP_NOT_FOUND',
  'TOKEN_INVALID',
  'TOKEN_EXPIRED',
  'ROOT_CANNOT_ASSUME',
  'DURATION_TOO_LONG',
  'REGION_DISABLED',
  'UNEXPLAINED',
] as const;
export type Cause = (typeof CAUSES)[number];

export type FindingPolicy =
  | 'trust'
  | 'identity'
  | 'boundary'
  | 'scp'
  | 'rcp'
  | 'session'
  | 'token'
  | 'request'
  | 'none'
  | 'unknown';

export interface Evidence {
  policy: FindingPolicy;
  /** Where: managed policy ARN, "inline user/alice:PolicyName", "trust policy of arn:…", "CloudTrail event"… */
  source: string;
  /** Sid, or "#<index>" when the statement has no Sid; a short description for non-statement evidence. */
  statement: string;
  conditionKey?: string;
  operator?: string;
  expected?: unknown;
  /** The request's value; the string "unknown" is never used here — unknown keys go to Finding.unknowns. */
  actual?: unknown;
}

export interface Gap {
  cause: Cause;
  policy: FindingPolicy;
  summary: string;
}

export interface Warning {
  code:
    | 'ACTION_TYPO'
    | 'UNKNOWN_ACTION'
    | 'UNKNOWN_CONDITION_KEY'
    | 'INVALID_OPERATOR'
    | 'NOT_PRINCIPAL_IN_TRUST'
    | 'UNIQUE_ID_PRINCIPAL'
    | 'NEAR_MISS'
    | 'ROLE_NAME_CASE'
    | 'INVALID_POLICY'
    | 'OUTSIDE_TRUST_SCOPE'
    | 'FIX_DOCUMENT_INVALID'
    | 'LITERAL_WILDCARD'
    | 'PARTIAL_WILDCARD_PRINCIPAL'
    | 'ROLE_ARN_WITHOUT_PATH'
    | 'UNLOGGED_TOKEN_CLAIM'
    | 'UNSUPPORTED_TOKEN_CLAIM'
    | 'WRONG_PROVIDER_KEY'
    | 'UNSATISFIABLE_CONDITION';
  message: string;
  policy?: FindingPolicy;
  source?: string;
  statement?: string;
}

export interface Fix {
  /** "caller": the change is to the request, workflow, token or credentials, nothing in IAM; "policy": a policy changes. */
  kind: 'caller' | 'policy';
  summary: string;
  /** The complete corrected document to apply (never a fragment). Absent for token/duration/region causes. */
  policyDocument?: PolicyDocument;
  commands: string[];
  /**
   * Whose credentials run each command, in the order of `commands` (one entry per command). Present when the fix
   * spans accounts: a cross-account call, or an SCP/RCP change (run in the organization's management account).
   */
  commandAccounts?: FixCommandAccount[];
  /** True only if re-evaluating with the fix applied (the changed policy, or the changed request) allows the call. */
  verified: boolean;
  /** The principals or claim values the change newly lets in; always [] for a caller-side fix. */
  admits: string[];
}

export interface FixCommandAccount {
  /** The 12-digit account whose credentials run the command; null when the facts did not say (management account). */
  accountId: string | null;
  /** role: the assumed role's account; caller: the caller's account; organization: the management account. */
  owner: 'role' | 'caller' | 'organization';
}

export interface Unknown {
  key: string;
  reason: string;
  /**
   * false when the finding has shown that this value, whatever it is, cannot clear the cause found (it could only add
   * another reason for the denial, or AWS's errorMessage already names the policy type that denied); the reason text
   * then says so too. Absent when it could: such an unknown is what lowers the finding's confidence.
   */
  canClearCause?: false;
}

export interface Finding {
  eventId: string;
  eventTime: string;
  api: AssumeApi;
  errorCode: string;
  caller: { type: CallerType; arn: string | null; accountId: string | null };
  role: { arn: string | null; accountId: string | null };
  cause: Cause;
  policy: FindingPolicy;
  summary: string;
  evidence: Evidence[];
  otherGaps: Gap[];
  warnings: Warning[];
  /** The recommended fix: it keeps the guardrail, and never admits an identity outside the trust's scope. */
  fix: Fix;
  /** Other fixes of the same shape, best first (e.g. the policy change that a caller-side fix avoids). */
  alternatives: Fix[];
  confidence: 'high' | 'medium' | 'low';
  unknowns: Unknown[];
}
