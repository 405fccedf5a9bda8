import type { PrincipalBlock } from '../iam/policy-types';
import type { CallerProfile } from './caller-profile';

/**
 * How a trust-policy Principal element relates to the caller. The level matters for same-account calls:
 * - `principal`: names the caller itself (user ARN, role-session ARN, service, federated provider, or "*"):
 *   enough on its own in the same account;
 * - `role`: names the role of a calling role session: enough without an identity allow, but a permissions
 *   boundary (or session policy) on the session can still limit it;
 * - `account`: names the caller's account (ID or :root): the caller's own policies must also allow;
 * - `none`: does not name the caller; `unknown`: cannot tell (e.g. the owner-side copy of a cross-account call).
 */
export type PrincipalMatchLevel = 'principal' | 'role' | 'account' | 'none' | 'unknown';

export interface PrincipalMatch {
  level: PrincipalMatchLevel;
  /** The principal value that matched, when one did. */
  matchedValue?: string;
}

const ACCOUNT_ID = /^\d{12}$/;
const ROOT_ARN = /^arn:aws[\w-]*:iam::(\d{12}):root$/;
export const UNIQUE_ID = /^A(IDA|ROA|GPA|NPA|SCA|KIA|SIA|PKA|NVA|3T)[A-Z0-9]{12,}$/;

function toList(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

const RANK: Record<PrincipalMatchLevel, number> = { principal: 4, role: 3, account: 2, unknown: 1, none: 0 };

// Shared answers without a matched value: matching runs for every trust statement of every diagnosis, and no
// reader changes a match (they are frozen so that none can).
const NONE: PrincipalMatch = Object.freeze({ level: 'none' });
const UNKNOWN: PrincipalMatch = Object.freeze({ level: 'unknown' });

/** Callers that no AWS principal value other than "*" names. */
const NOT_AWS_PRINCIPALS: ReadonlySet<string> = new Set(['WebIdentityUser', 'SAMLUser', 'AWSService']);

function best(a: PrincipalMatch, b: PrincipalMatch): PrincipalMatch {
  return RANK[b.level] > RANK[a.level] ? b : a;
}

function matchAwsValue(value: string, caller: CallerProfile): PrincipalMatch {
  if (value === '*') return { level: 'principal', matchedValue: value };
  const account = ACCOUNT_ID.test(value) ? value : ROOT_ARN.exec(value)?.[1];
  if (account) {
    if (!caller.accountId) return UNKNOWN;
    return account === caller.accountId ? { level: 'account', matchedValue: value } : NONE;
  }
  switch (caller.type) {
    case 'AWSAccount':
    case 'Unknown': {
      // Only the caller's account is known: a specific ARN in that account may or may not be the caller.
      const m = /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(value);
      if (m && caller.accountId && m[1] !== caller.accountId) return NONE;
      return UNKNOWN;
    }
    case 'AssumedRole':
      if (caller.sessionArn && value === caller.sessionArn) return { level: 'principal', matchedValue: value };
      if (caller.principalArn && value === caller.principalArn) return { level: 'role', matchedValue: value };
      if (caller.uniqueId && value === caller.uniqueId) return { level: 'role', matchedValue: value };
      return NONE;
    default:
      if (caller.principalArn && value === caller.principalArn) return { level: 'principal', matchedValue: value };
      if (caller.uniqueId && value === caller.uniqueId) return { level: 'principal', matchedValue: value };
      return NONE;
  }
}

/** Matches a trust statement's Principal element against the caller. Federated/Service values compare exactly (case-insensitive for service names). */
export function matchPrincipal(principal: PrincipalBlock | undefined, caller: CallerProfile): PrincipalMatch {
  if (principal === undefined) return NONE;
  if (principal === '*') return { level: 'principal', matchedValue: '*' };
  let result: PrincipalMatch = NONE;
  const notAws = NOT_AWS_PRINCIPALS.has(caller.type);
  for (const type in principal) {
    const raw = principal[type];
    if (raw === undefined) continue;
    const values = Array.isArray(raw) ? raw : [raw];
    for (const value of values) {
      if (type === 'AWS') {
        if (notAws) {
          if (value === '*') result = best(result, { level: 'principal', matchedValue: value });
          continue;
        }
        result = best(result, matchAwsValue(value, caller));
      } else if (type === 'Service') {
        if (
          caller.type === 'AWSService' &&
          caller.serviceName &&
          value.toLowerCase() === caller.serviceName.toLowerCase()
        ) {
          result = best(result, { level: 'principal', matchedValue: value });
        }
      } else if (type === 'Federated') {
        if (caller.federatedPrincipal && value === caller.federatedPrincipal)
          result = best(result, { level: 'principal', matchedValue: value });
        // A federated caller whose provider the event does not name (requestParameters logged as null) may be this one.
        else if (!caller.federatedPrincipal && (caller.type === 'SAMLUser' || caller.type === 'WebIdentityUser'))
          result = best(result, UNKNOWN);
      }
    }
  }
  return result;
}

const NO_PRINCIPALS: ReadonlyArray<readonly [string, string]> = Object.freeze([]);
const ANY_PRINCIPAL: ReadonlyArray<readonly [string, string]> = Object.freeze([Object.freeze(['*', '*'] as const)]);

/**
 * The pairs of each parsed Principal object, listed once: parsed documents are immutable (compiled-document.ts), and
 * gap classification, fixes and lint list the same trust statements' principals for every diagnosis of the role.
 * Keyed by the Principal object, so a document parsed afresh, or a fix's new statement, is listed afresh.
 */
const listed = new WeakMap<object, ReadonlyArray<readonly [string, string]>>();

/**
 * All principal values in a Principal element, as [type, value] pairs (for evidence, lint and near-miss search).
 * The list is shared between callers, hence read-only.
 */
export function listPrincipals(principal: PrincipalBlock | undefined): ReadonlyArray<readonly [string, string]> {
  if (principal === undefined) return NO_PRINCIPALS;
  if (principal === '*') return ANY_PRINCIPAL;
  // A malformed document's Principal may be another string or a number: listed as before, but not kept (no WeakMap key).
  if (typeof principal !== 'object' || principal === null) return pairsOf(principal);
  let pairs = listed.get(principal);
  if (pairs === undefined) {
    pairs = pairsOf(principal);
    listed.set(principal, pairs);
  }
  return pairs;
}

function pairsOf(principal: PrincipalBlock): ReadonlyArray<readonly [string, string]> {
  return Object.freeze(
    Object.entries(principal).flatMap(([type, raw]) => toList(raw).map((v) => Object.freeze([type, v] as const))),
  );
}
