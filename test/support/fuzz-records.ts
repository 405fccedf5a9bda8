/**
 * Property-based fuzzing of the normalizer and the full diagnosis (issue 9 point 2), shared by the CI test
 * (test/engine/adversarial/fuzz.test.ts, fixed seed, a few thousand cases) and the larger run (`npm run fuzz`).
 *
 * Seeds are real record shapes: the denied-event fixtures (test/fixtures/events) and the CloudTrail reference
 * records (test/fixtures/fuzz-seeds, copied from the shared reference; successes are turned into denials). Each
 * case applies a few mutations at random paths: a field dropped, given the wrong type or made huge; `__proto__`,
 * `constructor` and `prototype` keys; a subtree replaced by its own JSON text; invalid unicode (lone surrogates,
 * noncharacters); wildcard-heavy and blank-heavy strings. The property: every record is diagnosed or skipped with a
 * reason, nothing throws, no diagnosis takes more than 50 ms, and no prototype is polluted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { diagnoseEvent } from '../../src/engine/diagnose/diagnose-event';
import { normalizeInput } from '../../src/engine/event/normalize';
import { SnapshotIamFacts } from '../../src/engine/iam/snapshot/snapshot-iam-facts';

const FIXTURES = path.join(__dirname, '../fixtures');

export const DIAGNOSIS_GOAL_MS = 50;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function readJsonDir(dir: string): Json[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Json);
}

/** Success records become the denials they would be (errorCode, errorMessage, no response). */
function asDenied(record: Json): Json {
  if (record === null || typeof record !== 'object' || Array.isArray(record) || record.errorCode) return record;
  return {
    ...record,
    errorCode: 'AccessDenied',
    errorMessage: 'Not authorized to perform sts:AssumeRole',
    responseElements: null,
  };
}

export function seedRecords(): Json[] {
  return [
    ...readJsonDir(path.join(FIXTURES, 'events')),
    ...readJsonDir(path.join(FIXTURES, 'fuzz-seeds')).map(asDenied),
  ];
}

export function fixtureFacts(): SnapshotIamFacts {
  const snapshots = path.join(FIXTURES, 'snapshots');
  return SnapshotIamFacts.fromFiles(
    [path.join(snapshots, 'account-111111111111.json'), path.join(snapshots, 'account-222222222222-raw-api.json')],
    path.join(snapshots, 'organization.json'),
  );
}

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\uD800', 'a\uDFFFb', '\uFFFF', '\u202E', '\u2800'.repeat(60), '*-'.repeat(40), '?'.repeat(64)),
  fc.constantFrom('arn:aws:iam::12345:role/x', 'role/x', 'x', 'arn:aws:iam::', ':::::', '${aws:username}'),
  fc.nat({ max: 200_000 }).map((n) => 'a'.repeat(n)),
  fc.constantFrom('111111111111', '222222222222', 'AROAEXAMPLE', 'arn:aws:iam::111111111111:role/deploy-prod'),
);

const leaf: fc.Arbitrary<Json> = fc.oneof<fc.Arbitrary<Json>[]>(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant<Json>([]),
  fc.constant<Json>({}),
);

type Mutation =
  | { op: 'drop' | 'stringify'; at: number }
  | { op: 'set'; at: number; value: Json }
  | { op: 'proto'; at: number; key: string; value: Json };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('stringify' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: leaf }),
  fc.record({
    op: fc.constant('proto' as const),
    at: fc.nat(),
    key: fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString'),
    value: fc.oneof(leaf, fc.constant({ polluted: 'yes' } as Json)),
  }),
);

/** Every container in the record with the key (or index) leading to each of its children. */
function slots(root: Json): Array<{ parent: Json[] | Record<string, Json>; key: string | number }> {
  const out: Array<{ parent: Json[] | Record<string, Json>; key: string | number }> = [];
  const walk = (node: Json, depth: number) => {
    if (node === null || typeof node !== 'object' || depth > 12) return;
    const keys: Array<string | number> = Array.isArray(node)
      ? Array.from({ length: node.length }, (_, i) => i)
      : Object.keys(node);
    for (const key of keys) {
      out.push({ parent: node, key });
      walk((node as Record<string | number, Json>)[key], depth + 1);
    }
  };
  walk(root, 0);
  return out;
}

function apply(root: Json, m: Mutation): void {
  const all = slots(root);
  if (all.length === 0) return;
  const { parent, key } = all[m.at % all.length];
  const target = parent as Record<string | number, Json>;
  if (m.op === 'drop') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete target[key];
  } else if (m.op === 'stringify') target[key] = JSON.stringify(target[key]) ?? null;
  else if (m.op === 'set') target[key] = structuredClone(m.value);
  else if (m.op === 'proto') {
    // As JSON.parse builds it: an own property named __proto__, not a prototype change.
    const existing = target[key];
    // (JSON arrays cannot hold named keys, so only objects get one.)
    if (existing !== null && typeof existing === 'object' && !Array.isArray(existing)) {
      // defineProperty, not assignment: `x.__proto__ = v` would change x's prototype (the harness's doing, not the code's).
      Object.defineProperty(existing, m.key, {
        value: structuredClone(m.value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else target[key] = JSON.parse(`{${JSON.stringify(m.key)}:${JSON.stringify(m.value)}}`) as Json;
  }
}

export interface FuzzCase {
  record: Json;
  envelope: boolean;
}

export function fuzzCases(): fc.Arbitrary<FuzzCase> {
  const seeds = seedRecords();
  return fc
    .record({
      seed: fc.nat({ max: seeds.length - 1 }),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 6 }),
      envelope: fc.boolean(),
    })
    .map(({ seed, mutations, envelope }) => {
      const record = structuredClone(seeds[seed]);
      for (const m of mutations) apply(record, m);
      return { record, envelope };
    });
}

export interface FuzzStats {
  cases: number;
  diagnosed: number;
  skipped: number;
  worstMs: number;
  /** CPU time of the worst diagnosis by CPU time (wall-clock includes waiting for a core on a busy machine). */
  worstCpuMs: number;
  worstRecord?: string;
}

const prototypeKeys = () =>
  [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) =>
    Object.getOwnPropertyNames(p).join(','),
  );

/** One case: throws (failing the property) when a record neither diagnoses nor skips, or anything else is wrong. */
export async function checkCase(c: FuzzCase, facts: SnapshotIamFacts, stats: FuzzStats): Promise<void> {
  const before = prototypeKeys();
  const input = c.envelope
    ? { version: '0', 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.sts', detail: c.record }
    : c.record;
  const result = normalizeInput(input);
  stats.cases++;
  for (const s of result.skipped)
    if (typeof s.reason !== 'string' || s.reason === '') throw new Error('a skip without a reason');
  if (result.events.length === 0 && result.skipped.length === 0) throw new Error('neither diagnosed nor skipped');
  stats.skipped += result.skipped.length;
  for (const event of result.events) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const finding = await diagnoseEvent(event, facts);
    const ms = performance.now() - started;
    const cpuMs = process.cpuUsage(cpu).user / 1000;
    if (cpuMs > stats.worstCpuMs) stats.worstCpuMs = cpuMs;
    if (typeof finding.cause !== 'string' || typeof finding.summary !== 'string')
      throw new Error('a finding without a cause');
    stats.diagnosed++;
    if (ms > stats.worstMs) {
      stats.worstMs = ms;
      stats.worstRecord = `${JSON.stringify(c.record).length} characters: ${JSON.stringify(event).slice(0, 600)}`;
    }
  }
  const after = prototypeKeys();
  if (after.join('|') !== before.join('|') || ({} as Record<string, unknown>).polluted !== undefined) {
    throw new Error('a prototype was polluted');
  }
}

/** Runs `numRuns` cases from `seed`; resolves with the figures, rejects with fast-check's counterexample report. */
export async function runFuzz(numRuns: number, seed: number): Promise<FuzzStats> {
  const facts = fixtureFacts();
  const stats: FuzzStats = { cases: 0, diagnosed: 0, skipped: 0, worstMs: 0, worstCpuMs: 0 };
  // Warm up (JIT, the IAM action catalogue lint loads once) so the 50 ms figure is about the diagnosis.
  for (const record of seedRecords()) await checkCase({ record, envelope: false }, facts, { ...stats });
  await fc.assert(
    fc.asyncProperty(fuzzCases(), (c) => checkCase(c, facts, stats)),
    { numRuns, seed, endOnFailure: true },
  );
  return stats;
}
