/**
 * Runs the real pipeline (LambdaRuntime: normalize → diagnose → record → notify) against dynalite, with IAM served
 * from the real-shaped fixtures and SNS mocked, a controllable clock, and a DynamoDB client that can fail or
 * "crash" at a named step — the crash-point tests' tool.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { IAMClient } from '@aws-sdk/client-iam';
import { PublishCommand, type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import type { DocumentSender } from '../../../src/adapters/history/findings-history';
import {
  type AggregateItem,
  type BucketItem,
  eventIdHash,
  type FingerprintTotals,
} from '../../../src/adapters/history/items';
import { LambdaRuntime, type RuntimeOptions } from '../../../src/pipeline/lambda-runtime';
import { type IamApiMock, mockIamApi } from '../../fixtures/iam-api/iam-api-mock';
import { LOCAL_CREDENTIALS, type LocalDynamo, startDynalite } from '../../support/dynalite';
import { ACCOUNT } from './denied-events';

export const TOPIC_ARN = `arn:aws:sns:us-east-1:${ACCOUNT}:TrustGap-Findings`;
export const START = Date.parse('2026-05-01T12:00:05Z');

/** The DynamoDB writes the pipeline makes, by step, recognized from the command. */
export type Step =
  | 'link-copy'
  | 'claim-count'
  | 'takeover-count'
  | 'confirm-count'
  | 'count'
  | 'save-finding'
  | 'finding-hash'
  | 'claim-notification'
  | 'confirm-notification'
  | 'uncertain-publish'
  | 'rollback-notification'
  | 'other';

export function stepOf(command: { constructor: { name: string }; input: Record<string, any> }): Step {
  const input = command.input;
  const name = command.constructor.name;
  if (name === 'PutCommand') {
    const type = input.Item?.type;
    if (type === 'finding') return 'save-finding';
    if (type === 'shared-link') return 'link-copy';
    if (type === 'shared-count') return 'claim-count';
  }
  if (name === 'UpdateCommand') {
    const expr: string = input.UpdateExpression ?? '';
    if (expr.includes('ADD #count :one, ids :ids')) return 'count';
    if (expr.startsWith('SET findingHash')) return 'finding-hash';
    if (expr.includes('notifyState = :claimed')) return 'claim-notification';
    if (expr.startsWith('SET notifyState = :sent REMOVE claimUntil')) return 'confirm-notification';
    if (expr.includes('ADD uncertainPublishes')) return 'uncertain-publish';
    if (expr.includes('ADD notificationCount :minusOne')) return 'rollback-notification';
    if (expr.startsWith('SET countedEventId')) return 'takeover-count';
    if (expr.startsWith('SET #state = :counted')) return 'confirm-count';
  }
  return 'other';
}

export interface Fault {
  step: Step;
  /** before: the write never happens. after: it happens, then the process dies before the next step. */
  when: 'before' | 'after';
  error?: Error;
  /** A crash kills the process: every later call of this client fails too (nothing gets cleaned up). */
  crash?: boolean;
}

export class SimulatedCrash extends Error {
  constructor(step: string) {
    super(`simulated crash at ${step}`);
    this.name = 'SimulatedCrash';
  }
}

/** Wraps the real dynalite document client and injects one fault at a named step. */
export function faultyDocumentClient(
  real: DocumentSender,
  fault: Fault,
): DocumentSender & { fired: boolean; steps: Step[] } {
  let dead = false;
  const wrapper = {
    fired: false,
    steps: [] as Step[],
    async send(command: any): Promise<any> {
      if (dead) throw new SimulatedCrash('(process already dead)');
      const step = stepOf(command);
      wrapper.steps.push(step);
      if (!wrapper.fired && step === fault.step) {
        wrapper.fired = true;
        const error = fault.error ?? new SimulatedCrash(`${fault.when} ${step}`);
        if (fault.when === 'after') await real.send(command);
        if (fault.crash ?? true) dead = true;
        throw error;
      }
      return real.send(command);
    },
  };
  return wrapper as DocumentSender & { fired: boolean; steps: Step[] };
}

export function lambdaContext(requestId: string, remainingMs = 60_000): Context {
  return {
    functionName: 'TrustGap-Handler',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:TrustGap-Handler`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/TrustGap-Handler',
    logStreamName: '2026/05/01/[$LATEST]0123456789abcdef',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  } as unknown as Context;
}

export interface SnsMock {
  stub: AwsStub<any, any, any>;
  published: PublishCommandInput[];
  /** The next `n` publishes fail like an SNS outage (after reaching SNS, before anything is sent). */
  failNext(n: number): void;
  /** Runs inside the next publish, before it answers (to interleave another invocation with a publish). */
  duringNextPublish(action: () => Promise<void>): void;
  restore(): void;
}

export function mockSns(): SnsMock {
  const stub = mockClient(SNSClient);
  const published: PublishCommandInput[] = [];
  let failures = 0;
  let during: (() => Promise<void>) | undefined;
  stub.on(PublishCommand).callsFake(async (input: PublishCommandInput) => {
    const action = during;
    during = undefined;
    if (action) await action();
    if (failures > 0) {
      failures -= 1;
      return Promise.reject(
        Object.assign(new Error('Service Unavailable'), {
          name: 'InternalErrorException',
          $fault: 'server',
          $metadata: { httpStatusCode: 500 },
        }),
      );
    }
    published.push(input);
    return Promise.resolve({ MessageId: `msg-${published.length}` });
  });
  return {
    stub,
    published,
    failNext: (n) => {
      failures = n;
    },
    duringNextPublish: (action) => {
      during = action;
    },
    restore: () => stub.restore(),
  };
}

export class PipelineHarness {
  now = START;
  readonly iam: IamApiMock;
  readonly sns: SnsMock;
  private readonly iamClient = new IAMClient({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  private readonly snsClient = new SNSClient({ region: 'us-east-1', credentials: LOCAL_CREDENTIALS });

  constructor(
    readonly dynamo: LocalDynamo,
    readonly tableName: string,
    options: { iamLatencyMs?: () => number } = {},
  ) {
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    this.iam = mockIamApi({ latencyMs: options.iamLatencyMs });
    this.sns = mockSns();
  }

  /** A fresh container: new caches; optionally a DynamoDB client with an injected fault. */
  runtime(options: Partial<RuntimeOptions> = {}): LambdaRuntime {
    return new LambdaRuntime({
      config: { tableName: this.tableName, topicArn: TOPIC_ARN, quietWindowMs: 60 * 60_000, occurrenceTtlDays: 90 },
      iam: this.iamClient,
      sns: this.snsClient,
      documentClient: this.dynamo.documentClient,
      logger: new Logger({ serviceName: 'trustgap', logLevel: 'SILENT' }),
      metrics: new Metrics({ namespace: 'TrustGap', serviceName: 'trustgap' }),
      clock: () => this.now,
      sleep: (ms) => {
        this.now += ms;
        return Promise.resolve();
      },
      ...options,
    });
  }

  advance(ms: number): void {
    this.now += ms;
  }

  /** The bucket that counted an event (tests only: found by a Scan). */
  async bucketOf(eventId: string): Promise<BucketItem | undefined> {
    const hash = eventIdHash(eventId);
    return (await scanAll(this.dynamo, this.tableName)).find(
      (item) => item.type === 'bucket' && (item.ids as Set<string>).has(hash),
    ) as BucketItem | undefined;
  }

  /** The fingerprint an event was counted under. */
  async fingerprintOf(eventId: string): Promise<string> {
    const bucket = await this.bucketOf(eventId);
    if (!bucket) throw new Error(`event ${eventId} was not counted`);
    return bucket.fingerprint;
  }

  /** The aggregate item with the fingerprint's totals (count, firstSeen, lastSeen) added up from its buckets. */
  async aggregate(fingerprint: string): Promise<(AggregateItem & FingerprintTotals) | undefined> {
    const out = await this.dynamo.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `FP#${fingerprint}`, sk: 'AGG' } }),
    );
    const buckets = (await this.partition(`FP#${fingerprint}`)).filter((item) => item.type === 'bucket');
    if (!out.Item && buckets.length === 0) return undefined;
    const count = buckets.reduce((sum, b) => sum + Number(b.count), 0);
    const firstSeen = buckets.map((b) => String(b.eventTime)).sort()[0];
    const newest = [...buckets].sort((a, b) => String(a.lastEventTime).localeCompare(String(b.lastEventTime))).at(-1);
    return {
      ...(out.Item as AggregateItem),
      count,
      firstSeen: firstSeen ?? out.Item?.firstSeen,
      lastSeen: newest?.lastEventTime,
      latestEventId: newest?.latestEventId,
    };
  }

  /** Every item in a partition (Query on the table key). */
  async partition(pk: string): Promise<Record<string, any>[]> {
    const out = await this.dynamo.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      }),
    );
    return out.Items ?? [];
  }

  /** Buckets of a day, via the byDay index: what the pipeline wrote for the test's events. */
  async bucketsOn(day: string): Promise<BucketItem[]> {
    const items: BucketItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.dynamo.documentClient.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byDay',
          KeyConditionExpression: 'eventDay = :d',
          ExpressionAttributeValues: { ':d': day },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...((out.Items ?? []) as BucketItem[]));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  restore(): void {
    this.iam.restore();
    this.sns.restore();
  }
}

/** Every item of the table. Tests only: the product never scans. */
export async function scanAll(dynamo: LocalDynamo, tableName: string): Promise<Record<string, any>[]> {
  const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
  const out = await dynamo.documentClient.send(new ScanCommand({ TableName: tableName }));
  return out.Items ?? [];
}

/** Runs `tasks` with at most `limit` in flight, like a Lambda function with reserved concurrency. */
export async function withConcurrency<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

/**
 * The per-file set-up every pipeline test shares: one dynalite for the file, and for each test a fresh findings
 * table and a fresh harness (mocks restored afterwards). Returns an accessor for the current test's harness.
 */
export function usePipelineHarness(options: { iamLatencyMs?: () => number } = {}): () => PipelineHarness {
  let dynamo: LocalDynamo;
  let harness: PipelineHarness;
  beforeAll(async () => {
    dynamo = await startDynalite();
  });
  afterAll(async () => dynamo.stop());
  beforeEach(async () => {
    harness = new PipelineHarness(dynamo, await dynamo.createFindingsTable(), options);
  });
  afterEach(() => harness.restore());
  return () => harness;
}
