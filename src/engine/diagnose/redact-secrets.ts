import type { Finding } from '../finding/types';
import type { PolicyDocument } from '../iam/policy-types';

const SECRET_KEYS = new Set(['sts:externalid']);
export const REDACTED_EXTERNAL_ID = '<external ID: not shown>';

/**
 * The ExternalId a trust policy expects is a shared secret between the role owner and the caller: it must never
 * reach an alert, a log, the findings table or the CLI's output. These are the values to hide.
 */
export function externalIdSecrets(doc: PolicyDocument): string[] {
  const out: string[] = [];
  for (const st of doc.Statement)
    for (const block of Object.values(st.Condition ?? {}))
      for (const [key, v] of Object.entries(block))
        if (SECRET_KEYS.has(key.toLowerCase())) out.push(...([] as unknown[]).concat(v).map(String));
  // A one- or two-character value would blot out unrelated text; IAM requires at least 2 and real ones are long.
  return [...new Set(out)].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
}

function redactValue(value: unknown, secrets: string[]): unknown {
  if (typeof value === 'string')
    return secrets.reduce((s, secret) => s.split(secret).join(REDACTED_EXTERNAL_ID), value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, secrets)]));
  return value;
}

/**
 * Replaces every occurrence of the secrets in the finding's strings (summary, evidence, fixes, their documents and
 * commands). A fix document that keeps the condition then shows the placeholder, and its summary says so.
 */
export function redactSecrets(finding: Finding, secrets: string[]): Finding {
  if (secrets.length === 0) return finding;
  const text = JSON.stringify(finding);
  if (!secrets.some((s) => text.includes(s))) return finding;
  const out = redactValue(finding, secrets) as Finding;
  for (const fix of [out.fix, ...out.alternatives])
    if (fix.policyDocument && JSON.stringify(fix.policyDocument).includes(REDACTED_EXTERNAL_ID))
      fix.summary += ` The document shows ${REDACTED_EXTERNAL_ID} where the trust policy holds its external ID: put the current value back before applying it (aws iam get-role shows it to the role's owner).`;
  return out;
}
