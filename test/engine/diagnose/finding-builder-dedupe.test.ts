import { seededRandom } from '../../../bench/seeded-random';
import { dedupeUnknowns, gapsToOther } from '../../../src/engine/diagnose/finding-builder';
import type { GapCandidate } from '../../../src/engine/diagnose/gap-types';
import type { Gap, Unknown } from '../../../src/engine/finding/types';

/** The deduplications as they were before they compared fields instead of hashing key strings. */
function referenceGaps(primary: GapCandidate | undefined, all: GapCandidate[]): Gap[] {
  const out: Gap[] = [];
  const seen = new Set<string>();
  if (primary) seen.add(`${primary.cause}|${primary.action}|${primary.summary}`);
  for (const g of all) {
    const k = `${g.cause}|${g.action}|${g.summary}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({
      cause: g.cause,
      policy: g.policy,
      summary: g.certainty === 'possible' ? `Possibly: ${g.summary}` : g.summary,
    });
  }
  return out;
}

function referenceUnknowns(list: Unknown[]): Unknown[] {
  const seen = new Map<string, Unknown>();
  for (const u of list) if (!seen.has(u.key)) seen.set(u.key, u);
  return [...seen.values()];
}

const pick = <T>(next: () => number, values: readonly T[]): T => values[Math.floor(next() * values.length)];
const CAUSES = ['TRUST_PRINCIPAL_MISSING', 'IDENTITY_NO_ALLOW', 'A|B', 'A'];
const ACTIONS = ['sts:AssumeRole', 'sts:TagSession', 'B|x', 'B', 'x'];
const SUMMARIES = ['no allow', 'x|no allow', 'no allow|x', 'B|no allow', '', '|'];

function gap(next: () => number, plain: boolean): GapCandidate {
  return {
    cause: pick(next, plain ? CAUSES.slice(0, 2) : CAUSES),
    action: pick(next, plain ? ACTIONS.slice(0, 2) : ACTIONS),
    summary: pick(next, SUMMARIES),
    policy: pick(next, ['trust', 'identity']),
    certainty: pick(next, ['definite', 'possible']),
  } as unknown as GapCandidate;
}

describe('gapsToOther and dedupeUnknowns', () => {
  it('keep exactly the gaps the key-string deduplication kept, "|" in any field included', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const next = seededRandom(seed);
      const plain = seed % 2 === 0;
      const length = seed % 50 === 0 ? 40 : Math.floor(next() * 8);
      const all = Array.from({ length }, () => gap(next, plain));
      const primary = next() < 0.2 ? undefined : next() < 0.5 && all.length ? all[0] : gap(next, plain);
      expect(gapsToOther(primary, all)).toEqual(referenceGaps(primary, all));
    }
  });

  it('keep exactly the first unknown of each key, as a Map did (NaN included)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = seededRandom(seed);
      const length = seed % 50 === 0 ? 40 : Math.floor(next() * 8);
      const keys: unknown[] = ['a', 'b', 'SCPs for caller account 1', Number.NaN, 0, -0];
      const list = Array.from({ length }, (_, i) => ({ key: pick(next, keys), reason: `r${i}` }) as unknown as Unknown);
      const actual = dedupeUnknowns(list);
      const expected = referenceUnknowns(list);
      expect(actual).toHaveLength(expected.length);
      actual.forEach((u, i) => {
        expect(u).toBe(expected[i]);
      });
    }
  });
});
