import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { createDynamoDbClient, createSnsClient } from '../adapters/aws-clients';
import { type DocumentSender, FindingsHistory } from '../adapters/history/findings-history';
import { createIamClient, type IamSender, LiveIamFacts } from '../adapters/live-iam';
import { SnsNotifier } from '../adapters/notify/sns-notifier';
import type { OrgIamFacts, StsSender } from '../adapters/org-iam';
import type { OrganizationsSender } from '../adapters/organizations';
import { diagnoseEvent } from '../engine/diagnose/diagnose-event';
import { ConfigError, type PipelineConfig, readPipelineConfig } from './config';
import type { createOrganizationFacts } from './organization-facts';
import { type Diagnose, type InvocationReport, newInvocationReport, processInput } from './process-input';
import { reportFailure, reportInvocation } from './telemetry';

/** What the handler returns (visible in tests and in the Lambda console's test runs). */
export interface HandlerResult {
  diagnosed: number;
  recorded: number;
  duplicates: number;
  notified: number;
  skipped: number;
}

export interface RuntimeOptions {
  config?: PipelineConfig;
  /**
   * The organization deployment's facts source: lambda/organization-handler.ts passes createOrganizationFacts. It is
   * not imported here, so that the single-account bundle (lambda/handler.ts) carries no STS or Organizations client.
   */
  organizationFacts?: typeof createOrganizationFacts;
  iam?: IamSender;
  /** Organization deployment only: STS (reader sessions) and Organizations with the function's own credentials. */
  sts?: StsSender;
  organizations?: OrganizationsSender;
  /** Organization deployment only: bound of the per-account LRU (default: from the function's memory). */
  maxCachedAccounts?: number;
  documentClient?: DocumentSender;
  sns?: Pick<SNSClient, 'send'>;
  logger?: Logger;
  metrics?: Metrics;
  diagnose?: Diagnose;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** IAM cache TTL; defaults to 5 minutes. */
  iamCacheTtlMs?: number;
}

/** The function's account, from its own ARN: arn:aws:lambda:<region>:<account>:function:<name>. */
export function accountOfFunction(context: Pick<Context, 'invokedFunctionArn'>): string {
  const account = context.invokedFunctionArn?.split(':')[4];
  if (!account || !/^\d{12}$/.test(account))
    throw new Error(`cannot read the account id from ${context.invokedFunctionArn}`);
  return account;
}

/** The function's partition, from its own ARN. */
export function partitionOfFunction(context: Pick<Context, 'invokedFunctionArn'>): string {
  return context.invokedFunctionArn?.split(':')[1] || 'aws';
}

/**
 * Everything the handler needs, built once per container (clients, caches, config) so that warm invocations reuse
 * connections and the IAM cache. The live IAM adapter is created on the first invocation, because the function's
 * own account id (the only account whose IAM it can read) comes from the invocation context.
 */
export class LambdaRuntime {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly history: FindingsHistory;
  private readonly config: PipelineConfig;
  /** The own account's IAM client: single-account only (the organization reads IAM through reader roles). */
  private readonly iam?: IamSender;
  private readonly notifier: SnsNotifier;
  private readonly diagnose: Diagnose;
  private readonly options: RuntimeOptions;
  private readonly organizationFacts?: typeof createOrganizationFacts;
  private facts?: LiveIamFacts | OrgIamFacts;
  /** Fingerprints this container saw notified, so a storm's events need no read of the aggregate. */
  private readonly sentCache = new Map<string, { sentAt: number; findingHash: string }>();

  constructor(options: RuntimeOptions = {}) {
    this.options = options;
    this.config = options.config ?? readPipelineConfig();
    if (this.config.organization && !options.organizationFacts)
      throw new ConfigError(
        'TRUSTGAP_DEPLOYMENT=organization needs the organization handler (lambda/organization-handler.ts): this one is built without the organization reader',
      );
    this.organizationFacts = options.organizationFacts;
    this.logger = options.logger ?? new Logger();
    this.metrics = options.metrics ?? new Metrics();
    this.iam = options.iam ?? (this.config.organization ? undefined : createIamClient());
    const documentClient =
      options.documentClient ??
      DynamoDBDocumentClient.from(createDynamoDbClient(), {
        marshallOptions: { removeUndefinedValues: true },
      });
    this.history = new FindingsHistory({ documentClient, tableName: this.config.tableName });
    this.notifier = new SnsNotifier(options.sns ?? createSnsClient(), this.config.topicArn);
    this.diagnose = options.diagnose ?? diagnoseEvent;
  }

  /**
   * The container's IAM facts (exposed for the bench's cold/warm call counts): the single-account live adapter,
   * or with TRUSTGAP_DEPLOYMENT=organization the reader-role adapter for every account of the organization.
   */
  iamFacts(context: Pick<Context, 'invokedFunctionArn'>): LiveIamFacts | OrgIamFacts {
    const organization = this.config.organization;
    const organizationFacts = this.organizationFacts;
    this.facts ??=
      organization && organizationFacts
        ? organizationFacts({
            config: organization,
            partition: partitionOfFunction(context),
            sts: this.options.sts,
            organizations: this.options.organizations,
            clock: this.options.clock,
            iamCacheTtlMs: this.options.iamCacheTtlMs,
            maxCachedAccounts: this.options.maxCachedAccounts,
          })
        : new LiveIamFacts({
            client: this.iam ?? createIamClient(),
            ownAccountId: accountOfFunction(context),
            clock: this.options.clock,
            ttlMs: this.options.iamCacheTtlMs,
          });
    return this.facts;
  }

  async handle(event: unknown, context: Context): Promise<HandlerResult> {
    this.logger.addContext(context);
    const report: InvocationReport = newInvocationReport();
    const clock = this.options.clock ?? Date.now;
    try {
      const deps = {
        facts: this.iamFacts(context),
        diagnose: this.diagnose,
        history: this.history,
        notifier: this.notifier,
        quietWindowMs: this.config.quietWindowMs,
        occurrenceTtlDays: this.config.occurrenceTtlDays,
        clock: this.options.clock,
        sleep: this.options.sleep,
        sentCache: this.sentCache,
      };
      await processInput(
        deps,
        event,
        { invocationId: context.awsRequestId, deadline: clock() + context.getRemainingTimeInMillis() },
        report,
      );
      return {
        diagnosed: report.events.length,
        recorded: report.events.filter((e) => e.outcome.status === 'recorded').length,
        duplicates: report.events.filter((e) => e.outcome.status === 'duplicate').length,
        notified: report.events.filter((e) => e.outcome.notification === 'sent').length,
        skipped: report.skipped.length,
      };
    } catch (error) {
      reportFailure(error, this.logger, this.metrics);
      throw error;
    } finally {
      reportInvocation(report, this.logger, this.metrics);
      this.metrics.publishStoredMetrics();
    }
  }
}
