import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface FindingsTopicProps {
  /** Email subscriptions of the topic. */
  readonly alertEmails: readonly string[];
  /** What the topic carries, in its key description. @default 'findings' */
  readonly purpose?: string;
  /** @default 'trustgap denied role assumption findings' */
  readonly displayName?: string;
  /**
   * Let this account's CloudWatch alarms publish (key-policy and topic-policy statements). Only the operations
   * topic needs it: the alarms must not share the findings topic, or a broken findings topic silences them too.
   * @default false
   */
  readonly alarmPublisher?: boolean;
  readonly slackWorkspaceId?: string;
  readonly slackChannelId?: string;
}

/**
 * An encrypted topic and its own customer managed key: the findings topic, or the operations topic of the alarms.
 *
 * Publishers of an SSE-KMS topic need kms:GenerateDataKey and kms:Decrypt on its key: the handler gets them
 * through its IAM role (the key policy's account statement delegates to IAM), and CloudWatch alarms (operations
 * topic only) get them through a key-policy statement for the cloudwatch.amazonaws.com service principal,
 * restricted to this account (plus a topic-policy statement restricted to this account's alarms). Subscribers (email, and AWS Chatbot,
 * which subscribes over HTTPS) need nothing: SNS decrypts before delivery.
 */
export class FindingsTopic extends Construct {
  public readonly key: kms.Key;
  public readonly topic: sns.Topic;
  public readonly slackChannel?: chatbot.SlackChannelConfiguration;

  constructor(scope: Construct, id: string, props: FindingsTopicProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.key = new kms.Key(this, 'Key', {
      description: `trustgap ${props.purpose ?? 'findings'} topic encryption (${stack.stackName})`,
      enableKeyRotation: true,
      // The key only protects messages in flight through SNS; nothing at rest depends on it once the topic is
      // gone, so destroying the stack schedules its deletion (after the 30-day waiting period) instead of
      // leaving a billed, orphaned key.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(30),
    });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: props.displayName ?? 'trustgap denied role assumption findings',
      masterKey: this.key,
      enforceSSL: true,
    });
    if (props.alarmPublisher === true) this.allowAlarmsToPublish();
    for (const email of props.alertEmails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }

    if (props.slackWorkspaceId !== undefined && props.slackChannelId !== undefined) {
      this.slackChannel = new chatbot.SlackChannelConfiguration(this, 'SlackChannel', {
        // AWS Chatbot configurations are account-wide, not regional: the region keeps the per-region stacks apart.
        slackChannelConfigurationName: `${stack.stackName}-${stack.region}-findings`,
        slackWorkspaceId: props.slackWorkspaceId,
        slackChannelId: props.slackChannelId,
        notificationTopics: [this.topic],
        // The default guardrail is AdministratorAccess. The channel only relays notifications (its role has no
        // policy), and the guardrail caps whatever is attached to it later to reading CloudWatch data.
        guardrailPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchReadOnlyAccess')],
      });
    }
  }

  private allowAlarmsToPublish(): void {
    const stack = Stack.of(this);
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToThisTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        // The action list of the SNS developer guide's key-policy example for AWS service publishers.
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    // enforceSSL gives the topic an explicit access policy, which replaces SNS's default one; the permission for
    // this account's CloudWatch alarms is stated here rather than left to that replaced default.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccountToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
        },
      }),
    );
  }
}
