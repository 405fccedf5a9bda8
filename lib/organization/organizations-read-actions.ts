/**
 * The Organizations read actions the central function uses to find the SCPs and RCPs over an account (its OU
 * path up to the root, and the policies attached along it), granted to the management account's reader role.
 *
 * The runtime owns this list: it is to become the `ORGANIZATIONS_READ_ACTIONS` export of
 * src/adapters/organizations/, and this module then re-exports it, so the grant and the calls cannot drift. Until
 * that module exists this is the contract's list (docs: common contracts, "Organization deployment").
 */
export const ORGANIZATIONS_READ_ACTIONS: readonly string[] = [
  'organizations:DescribeOrganization',
  'organizations:ListRoots',
  'organizations:ListParents',
  'organizations:ListPoliciesForTarget',
  'organizations:DescribePolicy',
];

/**
 * The resource types IAM authorizes each action against (Service Authorization Reference), as ARN suffixes
 * under `arn:<partition>:organizations::<management account>:`. An action with no entry takes only "*".
 */
export const ORGANIZATIONS_ACTION_RESOURCES: Readonly<Record<string, readonly OrganizationsResourceType[]>> = {
  'organizations:ListParents': ['account', 'ou'],
  'organizations:ListPoliciesForTarget': ['account', 'ou', 'root'],
  'organizations:DescribePolicy': ['policy', 'awspolicy'],
};

export type OrganizationsResourceType = 'account' | 'ou' | 'root' | 'policy' | 'awspolicy';
