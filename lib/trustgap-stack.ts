import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DeniedAssumeRoleMonitor } from './denied-assume-role-monitor';
import { type ContextKey, readContextSettings } from './monitor/context-settings';
import { monitorPropsFromContext } from './monitor/monitor-props-from-context';

/** The deployable trustgap stack: one DeniedAssumeRoleMonitor configured from CDK context. */
export class TrustGapStack extends Stack {
  public readonly monitor: DeniedAssumeRoleMonitor;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, {
      description: 'trustgap: explains every denied AWS role assumption in this account and region',
      ...props,
    });
    const context = readContextSettings((key: ContextKey) => this.node.tryGetContext(key));

    this.monitor = new DeniedAssumeRoleMonitor(this, 'Monitor', monitorPropsFromContext(context));

    new CfnOutput(this, 'FindingsTopicArn', {
      value: this.monitor.topic.topicArn,
      description: 'Findings topic: subscribe AWS Chatbot / Amazon Q Developer in chat applications to it',
    });
    new CfnOutput(this, 'OpsTopicArn', {
      value: this.monitor.opsTopic.topicArn,
      description: 'Operations topic: the alarms (errors, throttles, dead letters) notify it',
    });
    new CfnOutput(this, 'FindingsTableName', {
      value: this.monitor.table.tableName,
      description: 'Findings table (see docs for aws dynamodb query examples)',
    });
    new CfnOutput(this, 'DashboardUrl', {
      value: this.monitor.dashboardUrl,
      description: 'CloudWatch dashboard: findings by cause, invocations, errors, duration',
    });
  }
}
