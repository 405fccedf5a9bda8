import { parseConditionOperator } from '../eval/condition-operators';
import { statementLabel } from '../eval/policy-evaluator';
import { UNIQUE_ID } from '../eval/principal-matcher';
import { CURRENT_POLICY_VERSION, toArray } from '../iam/policy-document';
import type { PolicyDocument, PolicyKind, PolicyStatement, PrincipalBlock } from '../iam/policy-types';
import { conditionKeyVerdict } from './lint-catalog';

/**
 * IAM's grammar for a policy document, as the IAM User Guide states it ("Grammar of the IAM JSON policy language",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html; "AWS JSON policy elements:
 * Principal", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html).
 *
 * `invalid`: IAM rejects the document (MalformedPolicyDocument) or a part of it can never do what it says (a
 * condition key the catalogue positively does not know). `warning`: accepted, but worth saying.
 */
export interface GrammarProblem {
  severity: 'invalid' | 'warning';
  /** Sid, or "#index"; absent for document-level problems (Version, size). */
  statement?: string;
  message: string;
}

const VERSIONS = new Set([CURRENT_POLICY_VERSION, '2008-10-17']);

/** Built-in web identity providers: named by host in Federated, with no provider ARN (Principal element page). */
export const BUILT_IN_PROVIDERS = new Set([
  'accounts.google.com',
  'cognito-identity.amazonaws.com',
  'www.amazon.com',
  'graph.facebook.com',
]);

const ACCOUNT_ID = /^\d{12}$/;
const PARTITION_ARN = /^arn:aws(-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?:/;
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;
const IAM_NAME = /^[\w+=,.@-]+$/;
const SID = /^[A-Za-z0-9]*$/;

export function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?');
}

/** Text with its policy variables and the `${*}`/`${?}` escapes taken out (they are not wildcards). */
export function withoutVariables(value: string): string {
  let out = '';
  let i = 0;
  while (i < value.length) {
    const start = value.indexOf('${', i);
    if (start < 0) return out + value.slice(i);
    const end = value.indexOf('}', start);
    if (end < 0) return out + value.slice(i);
    out += value.slice(i, start);
    i = end + 1;
  }
  return out;
}

/** Why IAM would reject `value` as an AWS principal, or undefined when it names an account, user, role or session. */
export function awsPrincipalProblem(value: string): string | undefined {
  if (value === '*' || ACCOUNT_ID.test(value) || UNIQUE_ID.test(value)) return undefined;
  if (hasWildcard(value))
    return `${JSON.stringify(value)} has a partial wildcard: IAM accepts "*" alone, never a wildcard inside a principal ARN`;
  const partition = PARTITION_ARN.exec(value);
  if (!partition) return notAnAwsPrincipal(value);
  const parts = value.slice(partition[0].length).split(':');
  if (parts.length !== 4 || parts[1] !== '' || !ACCOUNT_ID.test(parts[2])) return notAnAwsPrincipal(value);
  const [service, , , resource] = parts;
  if (service === 'iam') {
    if (resource === 'root') return undefined;
    const slash = resource.indexOf('/');
    const type = resource.slice(0, slash);
    const name = resource.slice(resource.lastIndexOf('/') + 1);
    return slash > 0 && (type === 'user' || type === 'role') && IAM_NAME.test(name)
      ? undefined
      : notAnAwsPrincipal(value);
  }
  if (service === 'sts') {
    const [type, ...rest] = resource.split('/');
    if (type === 'assumed-role' && rest.length === 2 && rest.every((p) => p.length > 0)) return undefined;
    if (type === 'federated-user' && rest.length === 1 && rest[0].length > 0) return undefined;
  }
  return notAnAwsPrincipal(value);
}

/** Built only when returned: most principals checked are valid, and the message serializes the value. */
function notAnAwsPrincipal(value: string): string {
  return `${JSON.stringify(value)} is not an AWS principal (an account ID, an account root ARN, an IAM user or role ARN, or an STS assumed-role or federated-user ARN)`;
}

export function federatedPrincipalProblem(value: string): string | undefined {
  if (BUILT_IN_PROVIDERS.has(value)) return undefined;
  if (hasWildcard(value))
    return `Federated ${JSON.stringify(value)} has a wildcard: name the identity provider exactly`;
  const partition = PARTITION_ARN.exec(value);
  const rest = partition ? value.slice(partition[0].length) : '';
  const parts = rest.split(':');
  const ok =
    parts.length === 4 &&
    parts[0] === 'iam' &&
    parts[1] === '' &&
    ACCOUNT_ID.test(parts[2]) &&
    ((parts[3].startsWith('oidc-provider/') && parts[3].length > 'oidc-provider/'.length) ||
      (parts[3].startsWith('saml-provider/') && parts[3].length > 'saml-provider/'.length));
  return ok
    ? undefined
    : `Federated ${JSON.stringify(value)} is not an OIDC or SAML provider ARN, nor accounts.google.com, cognito-identity.amazonaws.com, www.amazon.com or graph.facebook.com`;
}

function principalProblems(block: PrincipalBlock, element: string, out: Problems): void {
  if (block === '*') return;
  // Object.keys, not Object.entries: no [type, value] pair per principal type of every statement checked.
  const types = Object.keys(block);
  for (let t = 0; t < types.length; t++) {
    const type = types[t];
    const values = toArray(block[type as keyof typeof block]);
    if (values.length === 0) out.add('invalid', `${element}.${type} is empty`);
    if (type === 'AWS' && values.includes('*') && values.length > 1)
      out.add('invalid', `${element}.AWS mixes "*" with other principals: "*" must stand alone`);
    for (const v of values) {
      let message: string | undefined;
      if (type === 'AWS') message = awsPrincipalProblem(v);
      else if (type === 'Federated') message = federatedPrincipalProblem(v);
      else if (type === 'Service') {
        if (hasWildcard(v)) message = `Service ${JSON.stringify(v)} has a wildcard: name the service principal exactly`;
        else if (!SERVICE_PRINCIPAL.test(v))
          out.add('warning', `Service ${JSON.stringify(v)} does not look like a service principal`);
      } else if (type !== 'CanonicalUser') message = `${element} type ${JSON.stringify(type)} is not one IAM knows`;
      if (message) out.add('invalid', `${element}: ${message}`);
      if (type === 'AWS' && UNIQUE_ID.test(v))
        out.add('warning', `${element} ${v} is the unique ID of a deleted principal; it matches nothing`);
    }
  }
}

/**
 * Where the problems of one document go, and the statement they are about: one object per document checked rather
 * than a closure per statement. Each problem is built as the closures built it ({ severity, message, statement }).
 */
class Problems {
  readonly list: GrammarProblem[] = [];
  statement = '';

  add(severity: GrammarProblem['severity'], message: string): void {
    this.list.push({ severity, message, statement: this.statement });
  }
}

const PRINCIPAL_KINDS = new Set<PolicyKind>(['trust', 'rcp']);
const RESOURCE_REQUIRED = new Set<PolicyKind>(['identity', 'boundary', 'session']);

function statementProblems(st: PolicyStatement, kind: PolicyKind, out: Problems): void {
  if (st.Effect !== 'Allow' && st.Effect !== 'Deny')
    out.add('invalid', `Effect ${JSON.stringify(st.Effect)}: IAM accepts only "Allow" or "Deny"`);
  if ((st.Action === undefined) === (st.NotAction === undefined))
    out.add('invalid', 'a statement needs exactly one of Action or NotAction');
  if (st.Resource !== undefined && st.NotResource !== undefined)
    out.add('invalid', 'a statement may not have both Resource and NotResource');
  if (kind === 'trust' && (st.Resource !== undefined || st.NotResource !== undefined))
    out.add('invalid', 'a trust policy statement may not have a Resource (the role is the resource)');
  if (RESOURCE_REQUIRED.has(kind) && st.Resource === undefined && st.NotResource === undefined)
    out.add('invalid', `${article(kind)} ${kind} policy statement needs a Resource or NotResource`);
  if (PRINCIPAL_KINDS.has(kind)) {
    if (st.Principal === undefined && st.NotPrincipal === undefined)
      out.add('invalid', `${article(kind)} ${kind} policy statement needs a Principal`);
  } else if (st.Principal !== undefined) {
    out.add('invalid', `Principal is not allowed in ${article(kind)} ${kind} policy`);
  }
  if (st.NotPrincipal !== undefined) {
    // "You cannot use the NotPrincipal element in an IAM identity-based policy nor in an IAM role trust policy";
    // elsewhere "NotPrincipal must be used with "Effect":"Deny"" (AWS JSON policy elements: NotPrincipal).
    if (kind !== 'rcp') out.add('invalid', `NotPrincipal is not allowed in ${article(kind)} ${kind} policy`);
    else if (st.Effect !== 'Deny') out.add('invalid', 'NotPrincipal is allowed only with "Effect": "Deny"');
  }
  if (st.Principal !== undefined) principalProblems(st.Principal, 'Principal', out);
  if (st.NotPrincipal !== undefined) principalProblems(st.NotPrincipal, 'NotPrincipal', out);
  conditionProblems(st, out);
}

function conditionProblems(st: PolicyStatement, out: Problems): void {
  const condition = st.Condition;
  if (!condition) return;
  for (const operator of Object.keys(condition)) {
    const block = condition[operator];
    if (!parseConditionOperator(operator))
      out.add('invalid', `condition operator ${JSON.stringify(operator)} is not an IAM operator`);
    for (const key of Object.keys(block)) {
      const colon = key.indexOf(':');
      if (colon <= 0 || colon === key.length - 1) {
        out.add('invalid', `condition key ${JSON.stringify(key)} is not of the form prefix:name`);
        continue;
      }
      // IAM saves such a policy, but IAM Access Analyzer's policy validation reports it as an ERROR finding ("Error –
      // Invalid global condition key" / "Error – Invalid service condition key", IAM policy validation check
      // reference, https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html):
      // the key is never in a request, so the condition never does what it says. A fix must not contain one.
      const verdict = conditionKeyVerdict(key);
      if (verdict === 'absent')
        out.add(
          'invalid',
          `condition key ${JSON.stringify(key)} does not exist (IAM's catalogue has no such key), so it is never in a request`,
        );
    }
  }
}

function article(kind: string): string {
  return /^[aeiou]/.test(kind) ? 'an' : 'a';
}

/** Every grammar problem of a document of this kind (sizes are checked separately, see policy-size.ts). */
export function policyGrammarProblems(doc: PolicyDocument, kind: PolicyKind): GrammarProblem[] {
  const out = new Problems();
  const problems = out.list;
  if (doc.Version !== undefined && !VERSIONS.has(doc.Version))
    problems.push({
      severity: 'invalid',
      message: `Version ${JSON.stringify(doc.Version)}: IAM accepts only "2012-10-17" or "2008-10-17"`,
    });
  else if (doc.Version !== CURRENT_POLICY_VERSION)
    problems.push({
      severity: 'warning',
      message: `Version is ${doc.Version ? JSON.stringify(doc.Version) : 'missing'}: policy variables are literal text; write "2012-10-17"`,
    });
  if (!Array.isArray(doc.Statement) || doc.Statement.length === 0)
    problems.push({ severity: 'invalid', message: 'the document has no Statement' });
  const sids = new Set<string>();
  const statements = doc.Statement ?? [];
  // A plain loop rather than forEach with a closure per statement (`add`), made for every document of every fix step
  // checked. It visits what forEach visits: the elements present (a hole is skipped), and anything but an array
  // still goes through its own forEach (which throws for a non-array, as before).
  if (!Array.isArray(statements)) {
    (statements as PolicyStatement[]).forEach((st, i) => {
      checkStatement(st, i, kind, sids, out);
    });
  } else {
    for (let i = 0; i < statements.length; i++) if (i in statements) checkStatement(statements[i], i, kind, sids, out);
  }
  return problems;
}

function checkStatement(st: PolicyStatement, i: number, kind: PolicyKind, sids: Set<string>, out: Problems): void {
  out.statement = statementLabel(st, i);
  // IAM: "the Sid value is limited to ASCII uppercase letters (A-Z), lowercase letters (a-z), and numbers (0-9)",
  // and statement IDs in one policy must be unique (IAM JSON policy elements: Sid).
  if (st.Sid !== undefined && !SID.test(st.Sid))
    out.add('invalid', `Sid ${JSON.stringify(st.Sid)} may hold only A-Z, a-z and 0-9`);
  if (st.Sid && sids.has(st.Sid)) out.add('invalid', `Sid ${JSON.stringify(st.Sid)} is used twice`);
  if (st.Sid) sids.add(st.Sid);
  statementProblems(st, kind, out);
}
