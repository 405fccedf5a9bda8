import { Aws, CfnOutput, CfnRule, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { DeniedAssumeRoleMonitor, type HandlerGrant } from '../denied-assume-role-monitor';
import type { ContextSettings } from '../monitor/context-settings';
import { UNSCOPED_RESOURCE_FINDING } from '../monitor/handler-role';
import { monitorPropsFromContext } from '../monitor/monitor-props-from-context';
import { CENTRAL_BUS_NAME, synthesizeMemberTemplate } from './member-stack';
import type { OrganizationSettings } from './organization-context';
import { CENTRAL_FUNCTION_ROLE_NAME } from './reader-role';

/** The StackSet of the member accounts (service-managed: it skips the management account). */
export const MEMBER_STACK_SET_NAME = 'trustgap-member';

export interface CentralStackProps extends StackProps {
  readonly organization: OrganizationSettings;
  readonly monitor: ContextSettings;
}

/**
 * The organization's central stack, for a security-tooling (delegated administrator) account: the central bus,
 * the same DeniedAssumeRoleMonitor as the single-account stack attached to that bus, and the StackSet that gives
 * every member account the forwarder and the reader role.
 */
export class TrustGapCentralStack extends Stack {
  public readonly bus: events.EventBus;
  public readonly monitor: DeniedAssumeRoleMonitor;
  public readonly stackSet: cloudformation.CfnStackSet;

  constructor(scope: Construct, id: string, props: CentralStackProps) {
    super(scope, id, {
      description: 'trustgap central: explains every denied role assumption of the organization',
      ...props,
    });
    const { organization, monitor: context } = props;
    this.assertDeployedInTheCentralAccountAndRegion(organization);

    this.bus = new events.EventBus(this, 'CentralBus', { eventBusName: CENTRAL_BUS_NAME });
    // The bus's own Policy property (one statement, no separate EventBusPolicy resource): PutEvents only from
    // principals of the organization, which is what the members' forwarding roles are.
    (this.bus.node.defaultChild as events.CfnEventBus).policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AllowPutEventsFromTheOrganizationOnly',
          Effect: 'Allow',
          Principal: '*',
          Action: 'events:PutEvents',
          // Built from the name: a GetAtt of the bus in its own property would be a circular reference.
          Resource: `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:event-bus/${CENTRAL_BUS_NAME}`,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': organization.organizationId } },
        },
      ],
    };

    this.monitor = new DeniedAssumeRoleMonitor(this, 'Monitor', {
      ...monitorPropsFromContext(context),
      eventBus: this.bus,
      handlerRoleName: CENTRAL_FUNCTION_ROLE_NAME,
      deployment: 'organization',
      environment: {
        ORGANIZATION_ID: organization.organizationId,
        READER_ROLE_NAME: organization.readerRoleName,
        ORGANIZATIONS_ACCESS: 'management-reader',
      },
      additionalGrants: centralGrants(organization),
    });

    this.stackSet = new cloudformation.CfnStackSet(this, 'MemberStackSet', {
      stackSetName: MEMBER_STACK_SET_NAME,
      description: 'trustgap member accounts: forwarder on the default bus, and the reader role in the central region',
      permissionModel: 'SERVICE_MANAGED',
      // New accounts in the target OUs get the stack; an account that leaves them loses it.
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs: 'DELEGATED_ADMIN',
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      operationPreferences: {
        regionConcurrencyType: 'PARALLEL',
        maxConcurrentPercentage: 25,
        failureTolerancePercentage: 10,
      },
      stackInstancesGroup: [
        {
          deploymentTargets: { organizationalUnitIds: [...organization.organizationalUnitIds] },
          regions: [...organization.memberRegions],
        },
      ],
      templateBody: JSON.stringify(synthesizeMemberTemplate(organization)),
    });
    // IAM rejects a trust policy naming a role that does not exist yet: the readers trust trustgap-diagnoser, so
    // the StackSet (and its instances) come after it. The bus exists before the first event is forwarded.
    this.stackSet.node.addDependency(this.monitor.handlerRole, this.bus);

    new CfnOutput(this, 'CentralBusArn', {
      value: this.bus.eventBusArn,
      description: 'Central bus the members forward to',
    });
    new CfnOutput(this, 'FindingsTopicArn', {
      value: this.monitor.topic.topicArn,
      description: 'Findings topic: subscribe AWS Chatbot / Amazon Q Developer in chat applications to it',
    });
    new CfnOutput(this, 'OpsTopicArn', {
      value: this.monitor.opsTopic.topicArn,
      description: 'Operations topic (alarms)',
    });
    new CfnOutput(this, 'FindingsTableName', { value: this.monitor.table.tableName, description: 'Findings table' });
    new CfnOutput(this, 'DashboardUrl', { value: this.monitor.dashboardUrl, description: 'CloudWatch dashboard' });
  }

  /** The members forward to this account and region by ARN: deploying anywhere else would fail silently. */
  private assertDeployedInTheCentralAccountAndRegion(organization: OrganizationSettings): void {
    new CfnRule(this, 'DeployedInTheCentralAccountAndRegion', {
      assertions: [
        {
          assert: Fn.conditionEquals(Aws.ACCOUNT_ID, organization.centralAccountId),
          assertDescription: `Deploy this stack in the centralAccountId ${organization.centralAccountId}.`,
        },
        {
          assert: Fn.conditionEquals(Aws.REGION, organization.centralRegion),
          assertDescription: `Deploy this stack in the centralRegion ${organization.centralRegion}.`,
        },
      ],
    });
  }
}

/** The contract's grants of the central function: assume any reader of the organization, describe it. */
export function centralGrants(organization: OrganizationSettings): HandlerGrant[] {
  return [
    {
      statement: new iam.PolicyStatement({
        sid: 'AssumeTheReaderRolesOfTheOrganization',
        actions: ['sts:AssumeRole'],
        resources: [`arn:${Aws.PARTITION}:iam::*:role/${organization.readerRoleName}`],
        conditions: { StringEquals: { 'aws:ResourceOrgID': organization.organizationId } },
      }),
      wildcardReasons: {
        [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${organization.readerRoleName}]`]: `sts:AssumeRole on the one reader role name (${organization.readerRoleName}) in any account, limited by aws:ResourceOrgID to accounts of ${organization.organizationId}: a denial can come from, or name a role in, any account of the organization, including accounts created later.`,
      },
    },
    {
      statement: new iam.PolicyStatement({
        sid: 'FindTheManagementAccount',
        actions: ['organizations:DescribeOrganization'],
        resources: ['*'],
      }),
      wildcardReasons: {
        [UNSCOPED_RESOURCE_FINDING]:
          'organizations:DescribeOrganization takes no resource type either (IAM accepts only "*"); read-only, it gives the management account id, whose reader role holds the Organizations reads.',
      },
    },
  ];
}
