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

/**
 * Characters of compact JSON text that IAM counts: all but white space. JSON.stringify (no indentation) writes no
 * white space outside strings and escapes every control character inside them (tab, line feed and carriage return
 * become \t, \n and \r), so the only white space it can leave in the text is the space character.
 */
export function policyTextLength(text: string): number {
  let spaces = 0;
  for (let i = text.indexOf(' '); i !== -1; i = text.indexOf(' ', i + 1)) spaces++;
  return text.length - spaces;
}

/** The size IAM counts: every character of the JSON text except white space. */
export function policyLength(doc: PolicyDocument): number {
  return policyTextLength(JSON.stringify(doc));
}

/**
 * The compact JSON text of a corrected document, which a fix writes into its command (policyArg) and then, right
 * after, measures against the size quota (checkFixStep): one JSON.stringify per document instead of one per use.
 * Only the last document is kept, by object identity: that is the one asked for again (a step has one document,
 * checked just after it is built), and one compare costs less than a WeakMap read and write, which together cost
 * about as much as serializing a typical fix document again. Nothing is keyed by content, and what is held is one
 * document and its text. Only for documents a fix builds: a builder finishes editing its document before it writes
 * the command, and nothing edits a step's document afterwards (the next step clones it). policyLength stays
 * uncached for callers that measure a document they keep editing.
 */
let lastDocument: PolicyDocument | undefined;
let lastText = '';

export function fixDocumentText(doc: PolicyDocument): string {
  if (doc !== lastDocument) {
    lastText = JSON.stringify(doc);
    lastDocument = doc;
  }
  return lastText;
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

const RAISED_TRUST_QUOTA = 'length of the current trust policy (the account quota is at least that)';
const DEFAULT_TRUST_QUOTA = `default "Role trust policy length" quota (raise it in Service Quotas, up to ${TRUST_POLICY_MAXIMUM_QUOTA} per the IAM quotas page)`;

/**
 * The trust-policy check. The account's applied quota is not in view: a role whose current trust policy is already
 * longer than the default shows that the quota was raised at least that far, so the limit is the larger of the two.
 */
export function trustSizeCheck(
  doc: PolicyDocument,
  original: PolicyDocument | undefined,
  length = policyLength(doc),
): SizeCheck {
  const originalLength = original ? storedPolicyLength(original) : 0;
  const raised = originalLength > TRUST_POLICY_DEFAULT_QUOTA;
  return {
    length,
    limit: raised ? originalLength : TRUST_POLICY_DEFAULT_QUOTA,
    quota: raised ? RAISED_TRUST_QUOTA : DEFAULT_TRUST_QUOTA,
  };
}
