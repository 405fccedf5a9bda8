/** The scan's facts flags for the example snapshots (two accounts and their organization), as tests pass them. */
export const EXAMPLE_SNAPSHOT_FLAGS = [
  '--iam-snapshot',
  'examples/snapshot/account-111111111111.json',
  '--iam-snapshot',
  'examples/snapshot/account-222222222222.json',
  '--org',
  'examples/snapshot/organization.json',
];
