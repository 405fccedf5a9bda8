import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/** IAM resource types the diagnosis reads, and the read-only actions it needs on each. */
export type IamReadResourceType = 'role' | 'user' | 'group' | 'policy' | 'oidc-provider' | 'saml-provider';

/**
 * Every read-only IAM action diagnosis needs, by the resource type IAM authorizes it against (Service
 * Authorization Reference). Each is scoped to this account's resources of that type; customer and AWS managed
 * policies are both read with GetPolicy/GetPolicyVersion.
 */
export const IAM_READ_ACTIONS: Readonly<Record<IamReadResourceType, readonly string[]>> = {
  role: ['iam:GetRole', 'iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies'],
  user: [
    'iam:GetUser',
    'iam:ListUserPolicies',
    'iam:GetUserPolicy',
    'iam:ListAttachedUserPolicies',
    'iam:ListGroupsForUser',
  ],
  group: ['iam:ListGroupPolicies', 'iam:GetGroupPolicy', 'iam:ListAttachedGroupPolicies'],
  policy: ['iam:GetPolicy', 'iam:GetPolicyVersion'],
  'oidc-provider': ['iam:GetOpenIDConnectProvider'],
  'saml-provider': ['iam:GetSAMLProvider'],
};

/** IAM actions that take no resource type, so IAM only accepts Resource "*" for them. */
export const IAM_UNSCOPED_READ_ACTIONS: readonly string[] = ['iam:ListRoles'];

/** What the handler does with its findings table: dedup and record (conditional writes) and read back. */
export const FINDINGS_TABLE_ACTIONS: readonly string[] = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:Query',
];

export interface HandlerRoleProps {
  readonly logGroup: logs.ILogGroup;
  readonly table: dynamodb.ITableV2;
  readonly topic: sns.ITopic;
  readonly topicKey: kms.IKey;
}

/**
 * The handler's execution role, written out statement by statement (no grant helpers, no managed policies) so
 * the template shows exactly what it may do. The wildcard resources below are acknowledged for cdk-nag with the
 * reason IAM forces each one.
 */
export function createHandlerRole(scope: Construct, id: string, props: HandlerRoleProps): iam.Role {
  const stack = Stack.of(scope);
  const iamArn = (resource: string, account: string = stack.account): string =>
    `arn:${stack.partition}:iam::${account}:${resource}`;

  const iamReadStatements = (Object.keys(IAM_READ_ACTIONS) as IamReadResourceType[]).map((resourceType) => {
    const resources = [iamArn(`${resourceType}/*`)];
    if (resourceType === 'policy') resources.push(iamArn('policy/*', 'aws'));
    return new iam.PolicyStatement({
      sid: `ReadIam${STATEMENT_NAMES[resourceType]}`,
      actions: [...IAM_READ_ACTIONS[resourceType]],
      resources,
    });
  });

  const document = new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [props.logGroup.logGroupArn],
      }),
      ...iamReadStatements,
      new iam.PolicyStatement({
        sid: 'ListRolesForNearNameSuggestions',
        actions: [...IAM_UNSCOPED_READ_ACTIONS],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'PublishFindings',
        actions: ['sns:Publish'],
        resources: [props.topic.topicArn],
      }),
      new iam.PolicyStatement({
        sid: 'EncryptFindingsForTheTopic',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.topicKey.keyArn],
      }),
      new iam.PolicyStatement({
        sid: 'RecordFindings',
        actions: [...FINDINGS_TABLE_ACTIONS],
        resources: [props.table.tableArn, `${props.table.tableArn}/index/*`],
      }),
    ],
  });

  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'trustgap handler: reads IAM to explain denied role assumptions, records and publishes findings',
    inlinePolicies: { TrustGapHandler: document },
  });

  const validations = Validations.of(role);
  validations.acknowledge({
    id: `AwsSolutions-IAM5[Resource::*]`,
    reason:
      'iam:ListRoles has no resource type in the IAM Service Authorization Reference, so IAM only accepts "*". It lists role names and paths (no policies) to suggest the intended role when a caller names one that does not exist.',
  });
  for (const resourceType of Object.keys(IAM_READ_ACTIONS) as IamReadResourceType[]) {
    validations.acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:${resourceType}/*]`,
      reason: `Read-only ${IAM_READ_ACTIONS[resourceType].join(', ')} on this account's ${resourceType}s: the denied call can name any ${resourceType} of the account, so the handler must be able to read any of them. No write action is granted.`,
    });
  }
  validations.acknowledge({
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::aws:policy/*]',
    reason:
      'iam:GetPolicy and iam:GetPolicyVersion on AWS managed policies: identities are commonly granted sts:AssumeRole through an AWS managed policy, whose document must be read to explain the denial. These documents are public.',
  });
  validations.acknowledge({
    // cdk-nag names a GetAtt by the logical id it resolves to: <LogicalId.Arn>.
    id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(props.table.node.defaultChild as CfnElement)}.Arn>/index/*]`,
    reason:
      "dynamodb:Query on the findings table's own global secondary indexes (byRole, byCaller, byCause, byDay); the wildcard covers index names of this one table only.",
  });
  return role;
}

const STATEMENT_NAMES: Readonly<Record<IamReadResourceType, string>> = {
  role: 'Roles',
  user: 'Users',
  group: 'Groups',
  policy: 'Policies',
  'oidc-provider': 'OIDCProviders',
  'saml-provider': 'SAMLProviders',
};
