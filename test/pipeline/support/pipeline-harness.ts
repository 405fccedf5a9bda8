/**
 * Runs the real pipeline (LambdaRuntime: normalize → diagnose → record → notify) against dynalite, with IAM and SNS
 * served over their real wire protocol by the loopback emulator (IAM from the real-shaped fixtures), a controllable
 * clock, and a DynamoDB client that can fail or "crash" at a named step — the crash-point tests' tool.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { type PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import type { DocumentSender } from '../../../src/adapters/history/findings-history';
import {
  type AggregateItem,
  type BucketItem,
  eventIdHash,
  type FingerprintTotals,
} from '../../../src/adapters/history/items';
import { LambdaRuntime, type RuntimeOptions } from '../../../src/pipeline/lambda-runtime';
import { FUNCTION_ACCESS_KEY, type IamApi, startIamApi } from '../../fixtures/iam-api/iam-api-emulator';
import { type AwsEmulator, credentialsFor } from '../../support/aws-emulator';
import { type LocalDynamo, startDynalite } from '../../support/dynalite';
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

/** The SDK's default attempts per publish (the runtime's SNS client keeps the default retry strategy). */
export const SNS_ATTEMPTS = 3;

export interface SnsRecorder {
  /** What reached SNS and was accepted, as the Publish input the notifier sent. */
  readonly published: PublishCommandInput[];
  /**
   * The next `n` publishes fail like an SNS outage (500 InternalError), every SDK retry attempt included:
   * `attempts` per publish (the harness's client makes SNS_ATTEMPTS; the function's own makes SNS_TIMEOUTS').
   */
  failNext(n: number, attempts?: number): void;
}

/** SNS of the emulator, seen as the Publish inputs it accepted. */
export function snsRecorder(emulator: AwsEmulator): SnsRecorder {
  return {
    get published() {
      return emulator.published.map((m) => ({
        TopicArn: m.topicArn,
        Message: m.message,
        Subject: m.subject,
        MessageStructure: m.messageStructure,
        MessageAttributes: Object.fromEntries(
          Object.entries(m.attributes).map(([name, value]) => [name, { ...value, DataType: value.DataType ?? '' }]),
        ),
      }));
    },
    failNext: (n, attempts = SNS_ATTEMPTS) =>
      emulator.setFault({
        service: 'sns',
        action: 'Publish',
        kind: 'server-error',
        code: 'InternalError',
        times: n * attempts,
      }),
  };
}

/** Puts a file-wide emulator back to its initial state between tests. */
export function resetEmulator(emulator: AwsEmulator, iamLatencyMs?: () => number): void {
  emulator.resetCalls();
  emulator.clearFaults();
  emulator.published.length = 0;
  emulator.setLatency('iam', iamLatencyMs);
}

export class PipelineHarness {
  now = START;
  readonly sns: SnsRecorder;
  private readonly snsClient: SNSClient;
  private duringPublish?: () => Promise<void>;
  /**
   * The runtime's SNS client: the real client talking to the emulator, with one addition — a test can run another
   * invocation while a publish is in flight (duringNextPublish), to interleave two containers deterministically.
   */
  private readonly interleavingSns: Pick<SNSClient, 'send'> = {
    send: (async (command: Parameters<SNSClient['send']>[0]) => {
      const action = this.duringPublish;
      this.duringPublish = undefined;
      if (action) await action();
      return this.snsClient.send(command);
    }) as SNSClient['send'],
  };

  /** `iam` is the file's IAM emulator, reset here: no calls, faults or publishes carry over from another test. */
  constructor(
    readonly dynamo: LocalDynamo,
    readonly tableName: string,
    readonly iam: IamApi,
    options: { iamLatencyMs?: () => number } = {},
  ) {
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    resetEmulator(iam.emulator, options.iamLatencyMs);
    this.sns = snsRecorder(iam.emulator);
    this.snsClient = new SNSClient({
      endpoint: iam.emulator.endpoint,
      region: 'us-east-1',
      credentials: credentialsFor(FUNCTION_ACCESS_KEY),
      maxAttempts: SNS_ATTEMPTS,
    });
  }

  /** A fresh container: new caches; optionally a DynamoDB client with an injected fault. */
  runtime(options: Partial<RuntimeOptions> = {}): LambdaRuntime {
    return new LambdaRuntime({
      config: { tableName: this.tableName, topicArn: TOPIC_ARN, quietWindowMs: 60 * 60_000, occurrenceTtlDays: 90 },
      iam: this.iam.client,
      sns: this.interleavingSns,
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

  /** Runs `action` inside the next publish, before it reaches SNS (another invocation meanwhile). */
  duringNextPublish(action: () => Promise<void>): void {
    this.duringPublish = action;
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
    this.snsClient.destroy();
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
 * The per-file set-up every pipeline test shares: one dynalite and one AWS emulator for the file, and for each test
 * a fresh findings table and a fresh harness (emulator calls, faults and publishes reset). Returns an accessor for
 * the current test's harness.
 */
export function usePipelineHarness(options: { iamLatencyMs?: () => number } = {}): () => PipelineHarness {
  let dynamo: LocalDynamo;
  let iam: IamApi;
  let harness: PipelineHarness;
  beforeAll(async () => {
    [dynamo, iam] = await Promise.all([startDynalite(), startIamApi()]);
  });
  afterAll(async () => {
    await Promise.all([dynamo.stop(), iam.close()]);
  });
  beforeEach(async () => {
    harness = new PipelineHarness(dynamo, await dynamo.createFindingsTable(), iam, options);
  });
  afterEach(() => harness.restore());
  return () => harness;
}
