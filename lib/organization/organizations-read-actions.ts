import { ORGANIZATIONS_READ_ACTIONS } from '../../src/adapters/organizations/organizations-actions';

/**
 * The Organizations read actions the central function calls to find the SCPs and RCPs over an account, granted to
 * the management account's reader role. The runtime owns the list (src/adapters/organizations): the grant is the
 * list the reader calls, so the two cannot drift.
 */
export { ORGANIZATIONS_READ_ACTIONS };

/**
 * The resource types IAM authorizes each action against (Service Authorization Reference), as ARN suffixes
 * under `arn:<partition>:organizations::<management account>:`. An action with no entry takes only "*".
 */
export const ORGANIZATIONS_ACTION_RESOURCES: Readonly<Record<string, readonly OrganizationsResourceType[]>> = {
  'organizations:ListParents': ['account', 'ou'],
  'organizations:ListPoliciesForTarget': ['account', 'ou', 'root'],
  'organizations:DescribePolicy': ['policy', 'awspolicy'],
  'organizations:ListTargetsForPolicy': ['policy', 'awspolicy'],
};

export type OrganizationsResourceType = 'account' | 'ou' | 'root' | 'policy' | 'awspolicy';
