import { boundedDistance, findClosestRoleNames } from '../../../src/engine/diagnose/closest-role-name';

describe('boundedDistance (optimal string alignment)', () => {
  it.each([
    ['deploy', 'deploy', 0],
    ['deploy', 'deploi', 1],
    ['deploy', 'dpeloy', 1], // adjacent swap counts once
    ['deploy', 'deply', 1],
    ['deploy', 'deploys', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%s → %s = %d', (a, b, d) => {
    expect(boundedDistance(a, b, 10)).toBe(d);
  });

  it('agrees with a plain full-matrix computation on random strings, for every limit', () => {
    const reference = (a: string, b: string): number => {
      const d = Array.from({ length: a.length + 1 }, (_, i) =>
        Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
      );
      for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
          d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
            d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
      return d[a.length][b.length];
    };
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const word = () => Array.from({ length: Math.floor(rnd() * 12) }, () => 'abcd-'[Math.floor(rnd() * 5)]).join('');
    for (let k = 0; k < 3000; k++) {
      const a = word();
      const b =
        rnd() < 0.5
          ? word()
          : a.slice(0, Math.floor(rnd() * a.length)) + word().slice(0, 2) + a.slice(Math.floor(rnd() * a.length));
      const limit = Math.floor(rnd() * 6);
      const expected = reference(a, b);
      expect([a, b, limit, boundedDistance(a, b, limit)]).toEqual([
        a,
        b,
        limit,
        expected <= limit ? expected : limit + 1,
      ]);
    }
  });

  it('stops early and reports limit + 1 once the distance exceeds the limit', () => {
    expect(boundedDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
  });
});

describe('findClosestRoleNames', () => {
  const roles = [
    'Deploy',
    'DeployRole',
    'deploy-prod',
    'ReadOnly',
    'Admin',
    'GitHubActions',
    'github-actions-ci',
    'Dpeloy2',
  ];

  it('ranks a case-only difference first (AssumeRole is case-sensitive on role names)', () => {
    expect(findClosestRoleNames('deploy', roles)[0]).toBe('Deploy');
    expect(findClosestRoleNames('GithubActions', roles)[0]).toBe('GitHubActions');
  });

  it('then ranks by edit distance, counting a transposition as one edit', () => {
    expect(findClosestRoleNames('Dpeloy', ['Deploy', 'Deployer', 'Zebra'])).toEqual(['Deploy']);
    expect(
      findClosestRoleNames('payments-deploy', ['payments-deplyo', 'payments-deploy-xy', 'paymants-dep1oy']),
    ).toEqual([
      'payments-deplyo', // one swap
      'paymants-dep1oy', // two substitutions
      'payments-deploy-xy', // three insertions
    ]);
    expect(findClosestRoleNames('ReadOnyl', roles)).toEqual(['ReadOnly']);
  });

  it('prefers a shared prefix or suffix among equally distant names', () => {
    // both at distance 2 from "app-role": "app-rolex1" shares the prefix, "xyapp-role" the suffix (smaller bonus)
    expect(findClosestRoleNames('app-role', ['xyapp-role', 'app-rolex1'])).toEqual(['app-rolex1', 'xyapp-role']);
  });

  it('includes names that contain the target, after close edits', () => {
    expect(findClosestRoleNames('github-actions', roles)).toEqual(['GitHubActions', 'github-actions-ci']);
  });

  it('offers nothing more than two edits away next to a near-certain match', () => {
    expect(findClosestRoleNames('payments-deploy', ['payments-deplyo', 'paymants-dep1oyx'])).toEqual([
      'payments-deplyo',
    ]);
    expect(findClosestRoleNames('payments-deploy', ['paymants-dep1oyx'])).toEqual(['paymants-dep1oyx']);
    expect(findClosestRoleNames('Payments-Deploy', ['payments-deploy', 'payments-deploy-xyz'])).toEqual([
      'payments-deploy',
      'payments-deploy-xyz',
    ]);
  });

  it('finds names contained in the target', () => {
    expect(findClosestRoleNames('prod-Deploy-role', ['Deploy', 'Admin'])).toEqual(['Deploy']);
  });

  it('gives the same answers from a frozen (cached) list as from a fresh one', () => {
    const frozen = Object.freeze([...roles]);
    for (const target of ['deploy', 'Dpeloy', 'github-actions', 'ReadOnyl']) {
      expect(findClosestRoleNames(target, frozen)).toEqual(findClosestRoleNames(target, [...roles]));
      expect(findClosestRoleNames(target, frozen)).toEqual(findClosestRoleNames(target, frozen));
    }
  });

  it('never suggests the target itself, nor unrelated names', () => {
    expect(findClosestRoleNames('Deploy', ['Deploy'])).toEqual([]);
    expect(findClosestRoleNames('Deploy', ['Admin', 'ReadOnly', 'Billing'])).toEqual([]);
    expect(findClosestRoleNames('', roles)).toEqual([]);
  });

  it('respects max', () => {
    expect(findClosestRoleNames('Deploy', ['Deploy1', 'Deploy2', 'Deploy3', 'Deploy4'], 2)).toEqual([
      'Deploy1',
      'Deploy2',
    ]);
    expect(findClosestRoleNames('Deploy', ['Deploy1'], 0)).toEqual([]);
  });

  it('finds the typo among 20,000 candidates', () => {
    const candidates = Array.from({ length: 20000 }, (_, i) => `team-${i % 37}-service-${i}-role`);
    candidates.push('payments-deploy-role');
    const result = findClosestRoleNames('payments-depoly-role', candidates);
    expect(result[0]).toBe('payments-deploy-role');
  });
});
