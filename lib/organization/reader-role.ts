import { Aws, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledgeIamReadWildcards, iamReadStatements } from '../monitor/handler-role';
import { ORGANIZATIONS_ACTION_RESOURCES, type OrganizationsResourceType } from './organizations-read-actions';

/** The central function's role name: fixed, so that every reader role can trust it by exact ARN. */
export const CENTRAL_FUNCTION_ROLE_NAME = 'trustgap-diagnoser';

export interface ReaderRoleProps {
  readonly readerRoleName: string;
  readonly centralAccountId: string;
  readonly organizationId: string;
  /** Organizations read actions (management account only). @default - none */
  readonly organizationsReadActions?: readonly string[];
}

/**
 * The read-only role the central function assumes in an account: exactly the IAM reads diagnosis uses (the same
 * statements as the single-account function's), trusted only by `trustgap-diagnoser` of the central account and
 * only from inside the organization. No AWS managed policy.
 */
export function createReaderRole(scope: Construct, id: string, props: ReaderRoleProps): iam.Role {
  const stack = Stack.of(scope);
  const statements = iamReadStatements(scope);
  const organizationsActions = props.organizationsReadActions ?? [];
  if (organizationsActions.length > 0) statements.push(...organizationsStatements(stack, props, organizationsActions));

  const role = new iam.Role(scope, id, {
    roleName: props.readerRoleName,
    description: 'trustgap reader: read-only IAM (and Organizations) reads for the central trustgap diagnoser',
    assumedBy: new iam.ArnPrincipal(
      `arn:${Aws.PARTITION}:iam::${props.centralAccountId}:role/${CENTRAL_FUNCTION_ROLE_NAME}`,
    ).withConditions({ StringEquals: { 'aws:PrincipalOrgID': props.organizationId } }),
    inlinePolicies: { TrustGapReader: new iam.PolicyDocument({ statements }) },
  });

  const unscoped = organizationsActions.filter((action) => ORGANIZATIONS_ACTION_RESOURCES[action] === undefined);
  acknowledgeIamReadWildcards(
    role,
    unscoped.length === 0
      ? []
      : [
          `${unscoped.join(', ')} take no resource type either (IAM accepts only "*"); read-only, they name the organization and its root, which the diagnosis needs to walk an account's OU path.`,
        ],
  );
  if (organizationsActions.length > 0) {
    for (const type of new Set(
      organizationsActions.flatMap((action) => ORGANIZATIONS_ACTION_RESOURCES[action] ?? []),
    )) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${organizationsArn('<AWS::Partition>', '<AWS::AccountId>', props.organizationId, type)}]`,
        reason: `Read-only Organizations reads on every ${type === 'awspolicy' ? 'AWS managed policy (FullAWSAccess…)' : `${type} of ${props.organizationId}`}: the SCPs and RCPs over any member account, on its OU path up to the root, decide a denial.`,
      });
    }
  }
  return role;
}

function organizationsStatements(
  stack: Stack,
  props: ReaderRoleProps,
  actions: readonly string[],
): iam.PolicyStatement[] {
  const unscoped = actions.filter((action) => ORGANIZATIONS_ACTION_RESOURCES[action] === undefined);
  const scoped = actions.filter((action) => ORGANIZATIONS_ACTION_RESOURCES[action] !== undefined);
  const statements: iam.PolicyStatement[] = [];
  if (unscoped.length > 0) {
    statements.push(
      new iam.PolicyStatement({ sid: 'DescribeTheOrganization', actions: [...unscoped], resources: ['*'] }),
    );
  }
  if (scoped.length > 0) {
    const types = [...new Set(scoped.flatMap((action) => ORGANIZATIONS_ACTION_RESOURCES[action] ?? []))];
    statements.push(
      new iam.PolicyStatement({
        sid: 'ReadTheOrganizationPolicies',
        actions: [...scoped],
        resources: types.map((type) => organizationsArn(stack.partition, stack.account, props.organizationId, type)),
      }),
    );
  }
  return statements;
}

/** Organizations ARNs are global and owned by the management account (AWS managed policies by "aws"). */
function organizationsArn(
  partition: string,
  account: string,
  organizationId: string,
  type: OrganizationsResourceType,
): string {
  if (type === 'awspolicy') return `arn:${partition}:organizations::aws:policy/*`;
  if (type === 'policy') return `arn:${partition}:organizations::${account}:policy/${organizationId}/*`;
  return `arn:${partition}:organizations::${account}:${type}/${organizationId}/*`;
}
