import type { Finding } from '../finding/types';
import type { PolicyDocument, PolicyStatement } from '../iam/policy-types';

const SECRET_KEYS = new Set(['sts:externalid']);
export const REDACTED_EXTERNAL_ID = '<external ID: not shown>';

/** Per parsed trust document (documents are immutable once parsed): the secrets are read once, not per diagnosis. */
const secretsOf = new WeakMap<readonly PolicyStatement[], string[]>();

/**
 * The ExternalId a trust policy expects is a shared secret between the role owner and the caller: it must never
 * reach an alert, a log, the findings table or the CLI's output. These are the values to hide.
 */
export function externalIdSecrets(doc: PolicyDocument): string[] {
  const known = secretsOf.get(doc.Statement);
  if (known) return [...known];
  const out: string[] = [];
  for (const st of doc.Statement)
    for (const block of Object.values(st.Condition ?? {}))
      for (const [key, v] of Object.entries(block))
        if (SECRET_KEYS.has(key.toLowerCase())) out.push(...([] as unknown[]).concat(v).map(String));
  // A one- or two-character value would blot out unrelated text; IAM requires at least 2 and real ones are long.
  const secrets = [...new Set(out)].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
  secretsOf.set(doc.Statement, secrets);
  return [...secrets];
}

/**
 * The string with every secret replaced, in the order given (a longer secret before a shorter one it contains). A
 * string shorter than the shortest secret cannot contain any, so it is returned without a search.
 */
function redactString(value: string, secrets: readonly string[], shortest: number): string {
  if (value.length < shortest) return value;
  let s = value;
  for (let i = 0; i < secrets.length; i++) {
    const secret = secrets[i];
    if (s.includes(secret)) s = s.split(secret).join(REDACTED_EXTERNAL_ID);
  }
  return s;
}

/**
 * A number or boolean leaf that spells a secret: IAM compares a JSON number in a condition as the string it spells
 * (an `"sts:ExternalId": 918273645501` is that external ID), so a fix document that copies it would show the
 * secret as a number. It becomes the placeholder, a string, like a string secret.
 */
function redactPrimitive(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value !== 'number' && typeof value !== 'boolean' && typeof value !== 'bigint') return value;
  const text = String(value);
  for (let i = 0; i < secrets.length; i++) if (text.includes(secrets[i])) return REDACTED_EXTERNAL_ID;
  return value;
}

/**
 * The value with every secret replaced, copied only along the paths that change: an unchanged subtree is returned
 * as is (same object), so a finding without secrets costs one walk and no allocation.
 */
function redactValue(value: unknown, secrets: readonly string[], shortest: number): unknown {
  if (typeof value === 'string') return redactString(value, secrets, shortest);
  if (typeof value !== 'object' || value === null) return redactPrimitive(value, secrets);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const old: unknown = value[i];
      // Strings, the most common member, without a call through redactValue.
      const v = typeof old === 'string' ? redactString(old, secrets, shortest) : redactValue(old, secrets, shortest);
      if (v === old) continue;
      copy ??= [...value];
      copy[i] = v;
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  // for…in, not Object.entries: no array of pairs per object of the finding (findings are plain JSON objects).
  for (const k in value) {
    const old = (value as Record<string, unknown>)[k];
    // Strings, the most common member, without a call through redactValue.
    const v = typeof old === 'string' ? redactString(old, secrets, shortest) : redactValue(old, secrets, shortest);
    if (v === old) continue;
    copy ??= { ...value };
    copy[k] = v;
  }
  return copy ?? value;
}

/** Does some string in the value contain `text`? */
function mentions(value: unknown, text: string): boolean {
  if (typeof value === 'string') return value.includes(text);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (mentions(value[i], text)) return true;
    return false;
  }
  if (value && typeof value === 'object') {
    const values = Object.values(value);
    for (let i = 0; i < values.length; i++) if (mentions(values[i], text)) return true;
  }
  return false;
}

const REDACTED_NOTE = ` The document shows ${REDACTED_EXTERNAL_ID} where the trust policy holds its external ID: put the current value back before applying it (aws iam get-role shows it to the role's owner).`;

/** A fix whose document now shows the placeholder says so in its summary. */
function noted(fix: Finding['fix']): Finding['fix'] {
  return fix.policyDocument && mentions(fix.policyDocument, REDACTED_EXTERNAL_ID)
    ? { ...fix, summary: fix.summary + REDACTED_NOTE }
    : fix;
}

/**
 * Replaces every occurrence of the secrets in the finding's strings (summary, evidence, fixes, their documents and
 * commands). A fix document that keeps the condition then shows the placeholder, and its summary says so.
 */
export function redactSecrets(finding: Finding, secrets: string[]): Finding {
  if (secrets.length === 0) return finding;
  // Only a string can be measured: anything else passed as a secret turns the length shortcut off (0).
  let shortest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < secrets.length; i++) {
    const secret: unknown = secrets[i];
    shortest = typeof secret === 'string' ? Math.min(shortest, secret.length) : 0;
  }
  const out = redactValue(finding, secrets, shortest) as Finding;
  if (out === finding) return finding;
  // `out` is the walk's own copy of the finding (it differs from it), so its two fields are set in place rather than
  // copying its twenty fields once more; the keys keep their order.
  out.fix = noted(out.fix);
  out.alternatives = out.alternatives.map(noted);
  return out;
}
