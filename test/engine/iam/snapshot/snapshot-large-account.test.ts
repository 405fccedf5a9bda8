import { generateLargeAccount } from '../../../../bench/generate-large-account';
import { SnapshotIamFacts } from '../../../../src/engine/iam/snapshot/snapshot-iam-facts';

/** The benchmark-sized account: 5,000 roles, 10,000 managed policies, 2,000 users, 500 groups. */
describe('SnapshotIamFacts on a generated large account', () => {
  const details = generateLargeAccount({ seed: 11 });
  let facts!: SnapshotIamFacts;

  // Indexing time and lookup speed are goals of `npm run bench:engine` (which prints them), not timed tests here.
  beforeAll(() => {
    facts = SnapshotIamFacts.fromAuthorizationDetails([{ details, source: 'generated.json' }]);
  });

  it("is the benchmark's size", () => {
    expect(details.RoleDetailList).toHaveLength(5000);
    expect(details.Policies!.length).toBeGreaterThanOrEqual(10000);
  });

  it('resolves every role and user completely (generated references are all in the file)', () => {
    const problems: string[] = [];
    for (const r of details.RoleDetailList!) {
      const lookup = facts.getRoleSync(r.Arn!);
      if (lookup.status !== 'found') problems.push(`${r.Arn}: ${lookup.status}`);
      else if (lookup.value.missingPolicies) problems.push(`${r.Arn}: missing ${lookup.value.missingPolicies[0].ref}`);
      else if (
        lookup.value.identityPolicies.length !==
        (r.RolePolicyList ?? []).length + (r.AttachedManagedPolicies ?? []).length
      ) {
        problems.push(`${r.Arn}: wrong policy count`);
      }
    }
    for (const u of details.UserDetailList!) {
      const lookup = facts.getUserSync(u.Arn!);
      if (lookup.status !== 'found') problems.push(`${u.Arn}: ${lookup.status}`);
      else if (lookup.value.missingPolicies) problems.push(`${u.Arn}: missing ${lookup.value.missingPolicies[0].ref}`);
    }
    expect(problems).toEqual([]);
  });

  it('is deterministic for a seed', () => {
    const small = (seed: number) =>
      JSON.stringify(generateLargeAccount({ seed, roles: 50, managedPolicies: 80, users: 20, groups: 5 }));
    expect(small(5)).toBe(small(5));
    expect(small(5)).not.toBe(small(6));
  });
});
