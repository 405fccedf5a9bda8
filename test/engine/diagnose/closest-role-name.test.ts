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

  it('stops early and reports limit + 1 once the distance exceeds the limit', () => {
    expect(boundedDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
  });
});

describe('findClosestRoleNames', () => {
  const roles = ['Deploy', 'DeployRole', 'deploy-prod', 'ReadOnly', 'Admin', 'GitHubActions', 'github-actions-ci', 'Dpeloy2'];

  it('ranks a case-only difference first (AssumeRole is case-sensitive on role names)', () => {
    expect(findClosestRoleNames('deploy', roles)[0]).toBe('Deploy');
    expect(findClosestRoleNames('GithubActions', roles)[0]).toBe('GitHubActions');
  });

  it('then ranks by edit distance, counting a transposition as one edit', () => {
    expect(findClosestRoleNames('Dpeloy', ['Deploy', 'Deployer', 'Zebra'])).toEqual(['Deploy']);
    expect(findClosestRoleNames('payments-deploy', ['payments-deplyo', 'payments-deploy-xy', 'paymants-dep1oy'])).toEqual([
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

  it('never suggests the target itself, nor unrelated names', () => {
    expect(findClosestRoleNames('Deploy', ['Deploy'])).toEqual([]);
    expect(findClosestRoleNames('Deploy', ['Admin', 'ReadOnly', 'Billing'])).toEqual([]);
    expect(findClosestRoleNames('', roles)).toEqual([]);
  });

  it('respects max', () => {
    expect(findClosestRoleNames('Deploy', ['Deploy1', 'Deploy2', 'Deploy3', 'Deploy4'], 2)).toEqual(['Deploy1', 'Deploy2']);
    expect(findClosestRoleNames('Deploy', ['Deploy1'], 0)).toEqual([]);
  });

  it('scans 20,000 candidates quickly and still finds the typo', () => {
    const candidates = Array.from({ length: 20000 }, (_, i) => `team-${i % 37}-service-${i}-role`);
    candidates.push('payments-deploy-role');
    const start = process.hrtime.bigint();
    const result = findClosestRoleNames('payments-depoly-role', candidates);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    expect(result[0]).toBe('payments-deploy-role');
    expect(ms).toBeLessThan(250);
  });
});
