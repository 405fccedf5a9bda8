import { AwsSolutionsChecks } from 'cdk-nag';
import { IAM_READ_ACTIONS, IAM_UNSCOPED_READ_ACTIONS } from '../../lib/monitor/handler-role';
import { ORGANIZATIONS_READ_ACTIONS } from '../../lib/organization/organizations-read-actions';
import { matchesEventPattern } from '../../src/eventbridge/event-pattern-matcher';
import { singleRecordFixtures, succeeded, toEventBridgeEvent } from '../eventbridge/cloudtrail-envelope';
import { acknowledgementsUnder, rawFindings } from './nag-findings';
import {
  type CfnTemplate,
  onlyResourceOfType,
  type RenderedStatement,
  renderCfn,
  resourcesOfType,
  type SynthesizedOrganization,
  statementsOfRole,
  synthesizeOrganization,
  topicsOf,
} from './synth-trustgap';

/** One synth of both organization stacks (the member template is inside the central one). */
let org: SynthesizedOrganization;
beforeAll(() => {
  org = synthesizeOrganization();
});

/** The single-account rule's pattern, exactly as test/lib/monitor-template.test.ts asserts it. */
const singleAccountPattern = {
  source: ['aws.sts'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['sts.amazonaws.com'],
    eventName: [{ prefix: 'AssumeRole' }, 'AssumeRoot'],
    errorCode: [{ exists: true }],
  },
};

const ORG = 'o-a1b2c3d4e5';
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const roleNamed = (json: CfnTemplate, name: string): string => {
  const found = resourcesOfType(json, 'AWS::IAM::Role').filter(([, role]) => role.Properties!.RoleName === name);
  expect(found).toHaveLength(1);
  return found[0][0];
};
const grants = (statements: RenderedStatement[]) =>
  statements.map(({ actions, resources, condition }) => ({ actions, resources, ...(condition ? { condition } : {}) }));
const account = (resource: string) => `arn:<AWS::Partition>:iam::<AWS::AccountId>:${resource}`;
/** The reader's and the single-account function's IAM reads: one list, IAM_READ_ACTIONS + IAM_UNSCOPED_READ_ACTIONS. */
const IAM_READ_GRANTS = [
  ...Object.entries(IAM_READ_ACTIONS).map(([type, actions]) => ({
    actions: [...actions].sort(),
    resources:
      type === 'policy' ? [account('policy/*'), 'arn:<AWS::Partition>:iam::aws:policy/*'] : [account(`${type}/*`)],
  })),
  { actions: [...IAM_UNSCOPED_READ_ACTIONS], resources: ['*'] },
];

describe('central stack', () => {
  it('has a custom bus that accepts events:PutEvents only from principals of the organization', () => {
    const [, bus] = onlyResourceOfType(org.centralJson, 'AWS::Events::EventBus');
    expect(bus.Properties!.Name).toBe('trustgap-denied-calls');
    expect(bus.Properties!.Policy.Statement).toEqual([
      {
        Sid: 'AllowPutEventsFromTheOrganizationOnly',
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: expect.anything(),
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
      },
    ]);
    expect(renderCfn(bus.Properties!.Policy.Statement[0].Resource)).toBe(
      'arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:event-bus/trustgap-denied-calls',
    );
    expect(resourcesOfType(org.centralJson, 'AWS::Events::EventBusPolicy')).toEqual([]);
  });

  it('runs the monitor rule on that bus, in the state that receives read-only management events, with the single-account pattern', () => {
    const [busId] = onlyResourceOfType(org.centralJson, 'AWS::Events::EventBus');
    const [functionId] = onlyResourceOfType(org.centralJson, 'AWS::Lambda::Function');
    const [, rule] = onlyResourceOfType(org.centralJson, 'AWS::Events::Rule');
    expect(rule.Properties!.EventBusName).toEqual({ Ref: busId });
    expect(rule.Properties!.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(rule.Properties!.EventPattern).toEqual(singleAccountPattern);
    expect(rule.Properties!.Targets[0].Arn).toEqual(arnOf(functionId));
  });

  it('names the function role trustgap-diagnoser and sets the organization environment of the contract', () => {
    const roleId = roleNamed(org.centralJson, 'trustgap-diagnoser');
    const [, fn] = onlyResourceOfType(org.centralJson, 'AWS::Lambda::Function');
    expect(fn.Properties!.Role).toEqual(arnOf(roleId));
    expect(fn.Properties!.Environment.Variables).toMatchObject({
      TRUSTGAP_DEPLOYMENT: 'organization',
      ORGANIZATION_ID: ORG,
      READER_ROLE_NAME: 'trustgap-reader',
      ORGANIZATIONS_ACCESS: 'management-reader',
    });
  });

  it('grants the function exactly the single-account actions plus AssumeRole on the readers of the organization and DescribeOrganization', () => {
    const roleId = roleNamed(org.centralJson, 'trustgap-diagnoser');
    const actions = statementsOfRole(org.centralJson, roleId).flatMap((statement) => statement.actions);
    expect([...actions].sort()).toEqual(
      [
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        ...Object.values(IAM_READ_ACTIONS).flat(),
        ...IAM_UNSCOPED_READ_ACTIONS,
        'sns:Publish',
        'kms:Decrypt',
        'kms:GenerateDataKey',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
        'sts:AssumeRole',
        'organizations:DescribeOrganization',
      ].sort(),
    );
    const statements = statementsOfRole(org.centralJson, roleId);
    expect(grants(statements.filter((statement) => /^(sts|organizations):/.test(statement.actions[0])))).toEqual([
      {
        actions: ['sts:AssumeRole'],
        resources: ['arn:<AWS::Partition>:iam::*:role/trustgap-reader'],
        condition: { StringEquals: { 'aws:ResourceOrgID': ORG } },
      },
      { actions: ['organizations:DescribeOrganization'], resources: ['*'] },
    ]);
  });

  it('sends the alarms to the operations topic', () => {
    const { ops } = topicsOf(org.centralJson);
    for (const [, alarm] of resourcesOfType(org.centralJson, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties!.AlarmActions).toEqual([{ Ref: ops }]);
    }
  });

  it('refuses to deploy outside the central account and region', () => {
    const rules = JSON.stringify(org.centralJson.Rules);
    expect(rules).toContain('"Fn::Equals":[{"Ref":"AWS::AccountId"},"123456789012"]');
    expect(rules).toContain('"Fn::Equals":[{"Ref":"AWS::Region"},"eu-west-1"]');
  });
});

describe('member StackSet', () => {
  it('is service-managed, auto-deployed, called as delegated admin, named-IAM capable, on the OUs × member regions', () => {
    const [, stackSet] = onlyResourceOfType(org.centralJson, 'AWS::CloudFormation::StackSet');
    const { TemplateBody, ...properties } = stackSet.Properties!;
    expect(typeof TemplateBody).toBe('string');
    expect(properties).toMatchObject({
      StackSetName: 'trustgap-member',
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: 'DELEGATED_ADMIN',
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: ['r-ab12', 'ou-ab12-11111111'] },
          Regions: ['eu-west-1', 'us-east-1'],
        },
      ],
    });
    expect(properties.TemplateURL).toBeUndefined();
  });

  it('is created after the function role its readers trust (IAM rejects a trust policy naming a missing role)', () => {
    const [, stackSet] = onlyResourceOfType(org.centralJson, 'AWS::CloudFormation::StackSet');
    expect(stackSet.DependsOn).toContain(roleNamed(org.centralJson, 'trustgap-diagnoser'));
  });

  it('has an inline template with no assets, no parameters and no bootstrap rule, under the 51,200-byte TemplateBody limit', () => {
    const [, stackSet] = onlyResourceOfType(org.centralJson, 'AWS::CloudFormation::StackSet');
    const body: string = stackSet.Properties!.TemplateBody;
    expect(body.length).toBeLessThan(51_200);
    expect(org.memberJson.Parameters).toBeUndefined();
    expect(org.memberJson.Rules).toBeUndefined();
    expect(body).not.toMatch(/cdk-hnb659fds|S3Bucket|S3Key|AssetParameters/);
    expect(
      Object.values(org.memberJson.Resources)
        .map((resource) => resource.Type)
        .sort(),
    ).toEqual(['AWS::Events::Rule', 'AWS::IAM::Role', 'AWS::IAM::Role', 'AWS::SQS::Queue', 'AWS::SQS::QueuePolicy']);
  });
});

describe.each([
  ['member template', () => org.memberJson],
  ['management stack', () => org.managementJson],
])('%s', (_name, template) => {
  it('forwards from the default bus, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS, with the single-account pattern', () => {
    const [, rule] = onlyResourceOfType(template(), 'AWS::Events::Rule');
    expect(rule.Properties!.EventBusName).toBeUndefined();
    expect(rule.Properties!.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(rule.Properties!.EventPattern).toEqual(singleAccountPattern);
    expect(rule.Properties!.Targets).toHaveLength(1);
    expect(renderCfn(rule.Properties!.Targets[0].Arn)).toBe(
      'arn:<AWS::Partition>:events:eu-west-1:123456789012:event-bus/trustgap-denied-calls',
    );
  });

  it('forwards through a role that may only events:PutEvents to the central bus', () => {
    const [, rule] = onlyResourceOfType(template(), 'AWS::Events::Rule');
    const roleId = rule.Properties!.Targets[0].RoleArn['Fn::GetAtt'][0];
    const role = template().Resources[roleId];
    expect(role.Properties!.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } },
    ]);
    expect(grants(statementsOfRole(template(), roleId))).toEqual([
      {
        actions: ['events:PutEvents'],
        resources: ['arn:<AWS::Partition>:events:eu-west-1:123456789012:event-bus/trustgap-denied-calls'],
      },
    ]);
  });

  it('keeps what it could not forward in an encrypted dead-letter queue that only this rule may send to', () => {
    const [ruleId, rule] = onlyResourceOfType(template(), 'AWS::Events::Rule');
    const [queueId, queue] = onlyResourceOfType(template(), 'AWS::SQS::Queue');
    expect(rule.Properties!.Targets[0].DeadLetterConfig).toEqual({ Arn: arnOf(queueId) });
    expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    const [, queuePolicy] = onlyResourceOfType(template(), 'AWS::SQS::QueuePolicy');
    const statements = queuePolicy.Properties!.PolicyDocument.Statement;
    // enforceSSL: a Deny of every non-TLS request.
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const send = statements.filter((st: { Effect: string }) => st.Effect === 'Allow');
    expect(send).toEqual([
      expect.objectContaining({
        Action: 'sqs:SendMessage',
        Principal: { Service: 'events.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': arnOf(ruleId) } },
      }),
    ]);
  });

  it('creates the reader role in the central region only, trusted by exactly trustgap-diagnoser of the central account inside the organization', () => {
    const roleId = roleNamed(template(), 'trustgap-reader');
    const role = template().Resources[roleId];
    expect(role.Condition).toBe('IsReaderRegion');
    expect(template().Conditions!.IsReaderRegion).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] });
    const trust = role.Properties!.AssumeRolePolicyDocument.Statement;
    expect(trust).toHaveLength(1);
    expect(renderCfn(trust[0].Principal.AWS)).toBe('arn:<AWS::Partition>:iam::123456789012:role/trustgap-diagnoser');
    expect(trust[0]).toMatchObject({
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
    });
    expect(role.Properties!.ManagedPolicyArns).toBeUndefined();
    expect(resourcesOfType(template(), 'AWS::IAM::Policy')).toEqual([]);
  });
});

describe('reader role actions', () => {
  it('in a member account: exactly IAM_READ_ACTIONS + IAM_UNSCOPED_READ_ACTIONS, on this account', () => {
    const roleId = roleNamed(org.memberJson, 'trustgap-reader');
    expect(grants(statementsOfRole(org.memberJson, roleId))).toEqual(IAM_READ_GRANTS);
  });

  it('in the management account: the same, plus exactly ORGANIZATIONS_READ_ACTIONS, scoped to the organization', () => {
    const roleId = roleNamed(org.managementJson, 'trustgap-reader');
    const statements = grants(statementsOfRole(org.managementJson, roleId));
    expect(statements.slice(0, IAM_READ_GRANTS.length)).toEqual(IAM_READ_GRANTS);
    const organizations = statements.slice(IAM_READ_GRANTS.length);
    expect(organizations.flatMap((statement) => statement.actions).sort()).toEqual(
      [...ORGANIZATIONS_READ_ACTIONS].sort(),
    );
    const orgArn = (resource: string) => `arn:<AWS::Partition>:organizations::<AWS::AccountId>:${resource}`;
    expect(organizations).toEqual([
      {
        actions: ['organizations:DescribeOrganization', 'organizations:ListPolicies', 'organizations:ListRoots'],
        resources: ['*'],
      },
      {
        actions: [
          'organizations:DescribePolicy',
          'organizations:ListParents',
          'organizations:ListPoliciesForTarget',
          'organizations:ListTargetsForPolicy',
        ],
        resources: [
          orgArn(`account/${ORG}/*`),
          orgArn(`ou/${ORG}/*`),
          orgArn(`policy/${ORG}/*`),
          orgArn(`root/${ORG}/*`),
          'arn:<AWS::Partition>:organizations::aws:policy/*',
        ],
      },
    ]);
  });
});

describe("the member rule's pattern, through the EventBridge pattern matcher", () => {
  const pattern = () => onlyResourceOfType(org.memberJson, 'AWS::Events::Rule')[1].Properties!.EventPattern;
  const fixtures = singleRecordFixtures();

  it.each(fixtures.map(({ file, record }) => [file, record] as const))('forwards the denied %s', (_file, record) => {
    expect(matchesEventPattern(pattern(), toEventBridgeEvent(record))).toBe(true);
  });

  it('forwards none of their successful twins', () => {
    const forwarded = fixtures.filter(({ record }) =>
      matchesEventPattern(pattern(), toEventBridgeEvent(succeeded(record))),
    );
    expect(forwarded.map(({ file }) => file)).toEqual([]);
  });
});

describe('cdk-nag AwsSolutionsChecks', () => {
  it.each([
    ['central', () => org.central],
    ['management', () => org.management],
  ])('reports nothing unacknowledged in the %s stack', (_name, stack) => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack());
    expect(report.violations).toEqual([]);
  });
});

describe('cdk-nag acknowledgements of the organization stacks', () => {
  it.each([
    ['central', () => org.central],
    ['management', () => org.management],
  ])(
    'in the %s stack, acknowledge only findings that really occur on the construct that raises them',
    (_name, stack) => {
      const findings = rawFindings(stack());
      for (const acknowledgement of acknowledgementsUnder(stack())) {
        const raised = findings.some(
          (finding) =>
            finding.ruleName === acknowledgement.id &&
            (finding.constructPath === acknowledgement.constructPath ||
              finding.constructPath.startsWith(`${acknowledgement.constructPath}/`)),
        );
        expect({ acknowledgement, raised }).toEqual({ acknowledgement, raised: true });
      }
    },
  );

  it('give the reasons of the organization grants, not placeholders', () => {
    const reasons = acknowledgementsUnder(org.central).map((acknowledgement) => acknowledgement.reason);
    expect(reasons.some((reason) => reason.includes('aws:ResourceOrgID'))).toBe(true);
    expect(reasons.some((reason) => reason.includes('organizations:DescribeOrganization'))).toBe(true);
    for (const reason of reasons) expect(reason.length).toBeGreaterThanOrEqual(80);
  });
});
