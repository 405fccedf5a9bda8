/**
 * The exact Organizations actions the organization reader calls (src/adapters/organizations). The CDK imports this
 * list to grant the management account's reader role (or to document the delegation policy), so the grant and
 * the runtime can never drift. DescribeOrganization is also called by the central function with its own
 * credentials, to find the management account.
 */
export const ORGANIZATIONS_READ_ACTIONS = [
  'organizations:DescribeOrganization',
  'organizations:ListRoots',
  'organizations:ListParents',
  'organizations:ListPolicies',
  'organizations:ListPoliciesForTarget',
  'organizations:ListTargetsForPolicy',
  'organizations:DescribePolicy',
] as const;

/** How the central function reaches Organizations (env ORGANIZATIONS_ACCESS). */
export type OrganizationsAccess = 'management-reader' | 'delegated-admin';
