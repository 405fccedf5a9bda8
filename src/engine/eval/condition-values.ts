/**
 * Parsers for the typed condition families (Numeric, Date, Bool, Binary). Every value in a policy and in the request
 * context is a string here ("Condition values may be numbers/booleans in JSON; compare as strings"); these turn the
 * strings into comparable forms. A value that does not parse makes the comparison not match.
 */
import { BoundedCache } from './condition-cache';

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Integer or decimal ("comparing a key to an integer or decimal value"); NaN when it is neither. */
export function parseNumeric(text: string): number {
  return NUMBER.test(text) ? Number(text) : NaN;
}

const EPOCH_SECONDS = /^[+-]?\d+(?:\.\d+)?$/;
// W3C profile of ISO 8601 (http://www.w3.org/TR/NOTE-datetime): YYYY, YYYY-MM, YYYY-MM-DD, then optional
// Thh:mm, :ss, .s and a zone designator. AWS: "You must specify date/time values with one of the W3C
// implementations of the ISO 8601 date formats or in epoch (UNIX) time."
const W3C_DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;

function parseDateUncached(text: string): number | null {
  // A bare integer is read as epoch seconds (aws:EpochTime). The docs do not say how IAM tells a 4-digit year from a
  // small epoch number; real epoch values are 10 digits, so every all-digit string is taken as epoch seconds.
  if (EPOCH_SECONDS.test(text)) return Number(text) * 1000;
  const m = W3C_DATE.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((p, i) =>
    p === undefined ? (i === 1 || i === 2 ? 1 : 0) : Number(p),
  );
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return null;
  const millis = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  // A date-time without zone designator is taken as UTC (the W3C profile requires one; the docs are silent, and
  // UTC is how aws:CurrentTime is expressed).
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

const dates = new BoundedCache<number | null>();

/** Milliseconds since the epoch for an ISO 8601 (W3C) date/time or epoch seconds; null when neither. Cached. */
export function parseDateValue(text: string): number | null {
  return dates.get(text, parseDateUncached);
}

/**
 * "true"/"false" in any letter case (JSON booleans arrive as those strings); null otherwise. The docs show only
 * lowercase; IAM's own context values are lowercase, so ignoring case only forgives policy authors.
 */
export function parseBool(text: string): boolean | null {
  const lower = text.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : null;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * BinaryEquals: "compares the value of the specified key byte for byte against a base-64 encoded representation
 * of the binary value in the policy". The request context carries binary values base64-encoded too, so both sides
 * are decoded and the bytes compared; a side that is not valid base64 does not match.
 */
export function binaryEquals(requestBase64: string, policyBase64: string): boolean {
  if (!BASE64.test(requestBase64) || !BASE64.test(policyBase64)) return false;
  return Buffer.from(requestBase64, 'base64').equals(Buffer.from(policyBase64, 'base64'));
}
