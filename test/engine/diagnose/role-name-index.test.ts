import { seededRandom } from '../../../bench/seeded-random';
import { boundedDistance, findClosestRoleNames } from '../../../src/engine/diagnose/closest-role-name';
import { RoleNameIndex } from '../../../src/engine/diagnose/role-name-index';

/** The linear scan the index replaced, kept as the reference the index must agree with exactly. */
function scanWithin(lower: string[], t: string, limit: number): Map<number, number> {
  const out = new Map<number, number>();
  lower.forEach((c, i) => {
    const d = c === t ? limit + 1 : boundedDistance(t, c, limit);
    if (d <= limit) out.set(i, d);
  });
  return out;
}

function scanContaining(lower: string[], t: string, max: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < lower.length && out.length < max; i++)
    if (lower[i].length > t.length && lower[i].includes(t)) out.push(i);
  return out;
}

/** Account-like names (shared prefixes, numbers) mixed with short random ones and case-only twins. */
function names(count: number, rnd: () => number): string[] {
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const alphabet = 'abcdeor-_1';
  const out = new Set<string>();
  while (out.size < count) {
    const r = rnd();
    if (r < 0.6) out.add(`${pick(['payments', 'data', 'ml'])}-${pick(['deploy', 'app', 'ci'])}-role-${out.size}`);
    else if (r < 0.9) out.add(Array.from({ length: 1 + Math.floor(rnd() * 9) }, () => pick([...alphabet])).join(''));
    else out.add(`Deploy${pick(['', 'er', 'Role', 'ROLE'])}${Math.floor(rnd() * 50)}`);
  }
  return [...out];
}

function misspell(name: string, rnd: () => number): string {
  const pos = Math.floor(rnd() * name.length);
  const edits = [
    () => name.slice(0, pos) + name.slice(pos + 1),
    () => `${name.slice(0, pos)}x${name.slice(pos)}`,
    () => name.slice(0, pos) + name[pos + 1] + name[pos] + name.slice(pos + 2),
    () => name.toUpperCase(),
    () => name.slice(0, pos),
    () => `${name}${name.slice(0, pos)}`,
  ];
  let out = name;
  for (let e = 1 + Math.floor(rnd() * 3); e > 0; e--) out = edits[Math.floor(rnd() * edits.length)]();
  return out;
}

describe('RoleNameIndex', () => {
  const rnd = seededRandom(7);
  const listing = names(1200, rnd);
  const lower = listing.map((n) => n.toLowerCase());
  const index = new RoleNameIndex(listing);
  const targets = Array.from({ length: 200 }, () => misspell(listing[Math.floor(rnd() * listing.length)], rnd));
  targets.push('', 'a', 'zz', 'role', 'payments', 'ünïcode-rôle', '-role-1');

  it('finds exactly the names a full scan finds within every limit, with the same distances', () => {
    for (const target of targets) {
      const t = target.toLowerCase();
      for (const limit of [1, 2, 3, 4])
        expect([t, limit, index.within(t, limit)]).toEqual([t, limit, scanWithin(lower, t, limit)]);
    }
  });

  it('finds the same first containing names as a scan in listing order', () => {
    for (const target of targets.filter((x) => x.length >= 4)) {
      const t = target.toLowerCase();
      expect([t, index.containing(t, 32)]).toEqual([t, scanContaining(lower, t, 32)]);
    }
  });

  it('finds the names contained in the target that a lookup of every substring finds', () => {
    const scanned = new RoleNameIndex(listing, false);
    const extra = ['xxdeploy1', 'deploy1xx', 'ml-app-role-12deploy', 'a-role-1-role-2'];
    let found = 0;
    for (const target of [...targets, ...extra]) {
      const t = target.toLowerCase();
      const sorted = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
      expect([t, sorted(index.containedIn(t, 4))]).toEqual([t, sorted(scanned.containedIn(t, 4))]);
      found += sorted(index.containedIn(t, 4)).length;
    }
    // The targets do hold listed names (a count, so the comparison above is not between empty lists only).
    expect(found).toBeGreaterThan(20);
  });

  it('gives findClosestRoleNames the same suggestions from a prebuilt index as from the list', () => {
    for (const target of targets.slice(0, 100))
      expect(findClosestRoleNames(target, index)).toEqual(findClosestRoleNames(target, [...listing]));
  });
});
