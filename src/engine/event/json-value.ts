/**
 * Defensive readers for untrusted JSON. CloudTrail records reach us from logs an attacker can partly write
 * (userAgent, roleSessionName, tags, the role ARN they asked for), so every value is type-checked, bounded in
 * length and stripped of characters that could corrupt a terminal, an e-mail or a chat message downstream.
 * None of these functions throws.
 */

export type JsonObject = Record<string, unknown>;

/** Longest identifier kept as is. 2048 is the IAM/STS limit for an ARN; anything longer is not a real value. */
export const MAX_ID_LENGTH = 2048;
/** Longest free text kept (errorMessage, userAgent). Real STS messages are a few hundred characters. */
export const MAX_TEXT_LENGTH = 8192;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** A short description of a value's JSON type, for skip reasons and error messages. */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * C0 and C1 control characters, DEL, the Unicode line/paragraph separators and the bidirectional overrides
 * ("trojan source"): none can appear in a valid IAM name, ARN or tag, and all of them can disguise text.
 * (U+0000–U+001F, U+007F–U+009F, U+2028, U+2029, U+202A–U+202E, U+2066–U+2069.)
 */
function isUnsafeCharCode(c: number): boolean {
  if (c < 0x7f) return c <= 0x1f;
  if (c <= 0x9f) return true;
  if (c < 0x2028) return false;
  return c <= 0x202e || (c >= 0x2066 && c <= 0x2069);
}

/** Each unsafe character (see isUnsafeCharCode) escaped as \uXXXX; the same string when there is none. */
function escapeUnsafeCharacters(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isUnsafeCharCode(c)) continue;
    out += `${text.slice(from, i)}\\u${c.toString(16).padStart(4, '0')}`;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

// A UTF-16 surrogate without its pair cannot be encoded as UTF-8 (SNS, DynamoDB and JSON output would break).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Makes a string safe to carry: cut to `max` characters (with a visible marker saying how long it was),
 * control and bidi characters escaped as \uXXXX, lone surrogates replaced by U+FFFD. Truncation happens first
 * so the scans never run over more than `max` characters.
 */
export function cleanString(value: string, max: number): string {
  let text = value;
  let suffix = '';
  if (text.length > max) {
    suffix = `…[truncated, ${text.length} chars]`;
    text = text.slice(0, max);
  }
  text = escapeUnsafeCharacters(text).replace(LONE_SURROGATE, '\ufffd');
  return text + suffix;
}

/** A non-empty string, cleaned; anything else is undefined. */
export function readString(value: unknown, max: number = MAX_ID_LENGTH): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  return cleanString(value, max);
}

/** A finite number, also accepted as a numeric string ("3600"), since loggers differ. */
export function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** CloudTrail writes booleans in sessionContext as the strings "true"/"false"; accept real booleans too. */
export function readBooleanFlag(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

/** The strings of an array (non-strings dropped); undefined when the value is not an array. */
export function readStringArray(value: unknown, max: number = MAX_ID_LENGTH): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: string[] = [];
  for (const item of value) {
    const text = readString(item, max);
    if (text !== undefined) out.push(text);
  }
  return out;
}

/**
 * Sets a key on a plain object even when the key is "__proto__" or "constructor": a tag key comes from the
 * caller, and plain assignment of "__proto__" would change the object's prototype instead of adding a key.
 */
export function setOwn(target: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A copy without the keys whose value is undefined, so optional fields are absent rather than present-and-undefined;
 * the other keys keep their order. A copy, not `delete`: deleting a key turns a V8 object into a slow dictionary,
 * and every normalized event is read hundreds of times per diagnosis. For object literals with fixed keys (never
 * "__proto__").
 */
export function withoutUndefined<T extends object>(value: T): T {
  const out = {} as T;
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] !== undefined) out[key] = value[key];
  }
  return out;
}
