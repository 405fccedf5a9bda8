import type { PolicyDocument } from '../iam/policy-types';

/**
 * Size quotas a corrected document must fit. IAM: "IAM and AWS STS quotas"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html): role trust policy length 2,048
 * characters by default, adjustable through Service Quotas (the page's table gives 4,096 as the maximum quota; later
 * revisions of the page list 8,192), customer managed policy 6,144 characters, and an aggregate of all inline policies
 * per entity of 2,048 (user), 10,240 (role) and 5,120 (group) characters; "IAM doesn't count white space when
 * calculating the size of a policy against these quotas". Organizations: UpdatePolicy
 * (https://docs.aws.amazon.com/organizations/latest/APIReference/API_UpdatePolicy.html): "Service control policies:
 * 5,120 characters", "Resource control policies: 5,120 characters".
 */
export const TRUST_POLICY_DEFAULT_QUOTA = 2048;
export const TRUST_POLICY_MAXIMUM_QUOTA = 4096;
export const MANAGED_POLICY_QUOTA = 6144;
export const INLINE_AGGREGATE_QUOTA = { user: 2048, role: 10240, group: 5120 } as const;
export const ORGANIZATION_POLICY_QUOTA = 5120;

/** The size IAM counts: every character of the JSON text except white space. */
export function policyLength(doc: PolicyDocument): number {
  const text = JSON.stringify(doc);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) n++;
  }
  return n;
}

const storedLengths = new WeakMap<PolicyDocument, number>();

/**
 * policyLength of a document as stored in the account (a parsed snapshot or IAM document, shared and never edited):
 * measured once per document object, where a fix is checked against the quota for every diagnosis.
 */
export function storedPolicyLength(doc: PolicyDocument): number {
  let length = storedLengths.get(doc);
  if (length === undefined) {
    length = policyLength(doc);
    storedLengths.set(doc, length);
  }
  return length;
}

/** The size Organizations counts: the document as sent (trustgap sends compact JSON). */
export function organizationPolicyLength(doc: PolicyDocument): number {
  return JSON.stringify(doc).length;
}

export interface SizeCheck {
  length: number;
  limit: number;
  /** Why this limit, for the message. */
  quota: string;
}

/** The over-quota message, or undefined when the document fits. */
export function sizeProblem(check: SizeCheck): string | undefined {
  if (check.length <= check.limit) return undefined;
  return `the document is ${check.length} characters (white space not counted), ${check.length - check.limit} over the ${check.quota} of ${check.limit}`;
}

/**
 * The trust-policy check. The account's applied quota is not in view: a role whose current trust policy is already
 * longer than the default shows that the quota was raised at least that far, so the limit is the larger of the two.
 */
export function trustSizeCheck(doc: PolicyDocument, original: PolicyDocument | undefined): SizeCheck {
  const originalLength = original ? storedPolicyLength(original) : 0;
  const raised = originalLength > TRUST_POLICY_DEFAULT_QUOTA;
  return {
    length: policyLength(doc),
    limit: raised ? originalLength : TRUST_POLICY_DEFAULT_QUOTA,
    quota: raised
      ? 'length of the current trust policy (the account quota is at least that)'
      : `default "Role trust policy length" quota (raise it in Service Quotas, up to ${TRUST_POLICY_MAXIMUM_QUOTA} per the IAM quotas page)`,
  };
}
