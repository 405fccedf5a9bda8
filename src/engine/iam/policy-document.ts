import type { PolicyDocument, PolicyStatement } from './policy-types';

/** A policy document that cannot be read. The message names the document's source and the problem. */
export class PolicyParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyParseError';
  }
}

/** The policy language version that introduced policy variables (IAM JSON policy elements: Version). */
export const CURRENT_POLICY_VERSION = '2012-10-17';

/**
 * Whether `${…}` in the document's values is a policy variable. "If you don't include a Version element … features
 * such as policy variables … won't work … variables such as ${aws:username} aren't recognized as variables and are
 * instead treated as literal strings in the policy" (IAM JSON policy elements: Version): only "2012-10-17" has them;
 * "2008-10-17" and a missing Version (which IAM reads as 2008-10-17) do not.
 */
export function recognisesPolicyVariables(doc: { Version?: string }): boolean {
  return doc.Version === CURRENT_POLICY_VERSION;
}

/** IAM lets most elements be a single value or a list; the engine reads them as lists. */
export function toArray<T>(v: T | T[] | undefined): T[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/**
 * Reads a policy document in any of the forms AWS hands them out:
 *  - a URL-encoded JSON string (IAM read APIs return RFC 3986-encoded documents and SDK v3 does not decode them),
 *  - a plain JSON string (the CLI decodes; Organizations' DescribePolicy returns plain JSON in Content),
 *  - an already-parsed object.
 * `Statement` may be a single object (IAM accepts that); it is normalized to an array. Statement contents are
 * kept as written (no deep copy): single-or-list elements stay as they are, read them with `toArray`.
 */
export function parsePolicyDocument(input: unknown, source: string): PolicyDocument {
  const raw = typeof input === 'string' ? parseDocumentText(input, source) : input;
  return validateDocument(raw, source);
}

function parseDocumentText(text: string, source: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') throw new PolicyParseError(`${source}: policy document is empty`);
  if (trimmed.startsWith('{')) return parseJson(trimmed, source, 'JSON');

  let decoded: string;
  try {
    decoded = decodeURIComponent(trimmed);
  } catch {
    throw new PolicyParseError(
      `${source}: policy document is neither JSON nor valid URL-encoded JSON (malformed %-escape)`,
    );
  }
  if (!decoded.trimStart().startsWith('{')) {
    throw new PolicyParseError(
      `${source}: policy document must be a JSON object; got text starting with ${JSON.stringify(trimmed.slice(0, 20))}`,
    );
  }
  try {
    return JSON.parse(decoded);
  } catch (firstError) {
    // RFC 3986 encoders leave '+' alone, so '+' is normally literal. Form encoders (application/x-www-form-urlencoded,
    // e.g. java.net.URLEncoder) write a space as '+'; only if the strict reading is not JSON do we try that one.
    if (trimmed.includes('+')) {
      try {
        return JSON.parse(decodeURIComponent(trimmed.replace(/\+/g, ' ')));
      } catch {
        // fall through to the first error, which describes the document as AWS encoded it
      }
    }
    throw new PolicyParseError(
      `${source}: URL-decoded policy document is not valid JSON (${(firstError as Error).message})`,
    );
  }
}

function parseJson(text: string, source: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new PolicyParseError(`${source}: policy document is not valid ${what} (${(e as Error).message})`);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function validateDocument(raw: unknown, source: string): PolicyDocument {
  if (!isPlainObject(raw)) {
    throw new PolicyParseError(`${source}: policy document must be a JSON object, got ${describe(raw)}`);
  }
  if (!('Statement' in raw)) throw new PolicyParseError(`${source}: policy document has no Statement`);
  const statements = toArray(raw.Statement as unknown);
  for (let i = 0; i < statements.length; i++) validateStatement(statements[i], i, source);
  if (raw.Version !== undefined && typeof raw.Version !== 'string') {
    throw new PolicyParseError(`${source}: Version must be a string`);
  }
  if (raw.Id !== undefined && typeof raw.Id !== 'string') throw new PolicyParseError(`${source}: Id must be a string`);
  // Keys in the usual order (Version, Id, Statement) so documents re-serialized in fixes read naturally.
  const doc: PolicyDocument = {} as PolicyDocument;
  if (raw.Version !== undefined) doc.Version = raw.Version as string;
  if (raw.Id !== undefined) doc.Id = raw.Id as string;
  doc.Statement = statements as PolicyStatement[];
  return doc;
}

const LIST_ELEMENTS = ['Action', 'NotAction', 'Resource', 'NotResource'] as const;

function validateStatement(s: unknown, index: number, source: string): void {
  const where = `${source}: Statement[${index}]`;
  if (!isPlainObject(s)) throw new PolicyParseError(`${where} must be an object, got ${describe(s)}`);
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') {
    throw new PolicyParseError(`${where} has Effect ${JSON.stringify(s.Effect)}; IAM accepts only "Allow" or "Deny"`);
  }
  for (const element of LIST_ELEMENTS) {
    const v = s[element];
    if (v === undefined) continue;
    const ok = typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
    if (!ok) throw new PolicyParseError(`${where}.${element} must be a string or a list of strings`);
  }
  for (const element of ['Principal', 'NotPrincipal'] as const) {
    const v = s[element];
    if (v === undefined || v === '*') continue;
    if (!isPlainObject(v)) {
      throw new PolicyParseError(`${where}.${element} must be "*" or an object like {"AWS": [...]}`);
    }
  }
  if (s.Condition !== undefined) {
    if (!isPlainObject(s.Condition)) throw new PolicyParseError(`${where}.Condition must be an object`);
    for (const [operator, block] of Object.entries(s.Condition)) {
      if (!isPlainObject(block)) {
        throw new PolicyParseError(`${where}.Condition.${operator} must be an object of condition keys`);
      }
    }
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}
