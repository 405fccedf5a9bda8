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
import type { AggregateItem, OccurrenceItem } from '../../../src/adapters/history/items';
import { LambdaRuntime, type RuntimeOptions } from '../../../src/pipeline/lambda-runtime';
import { FUNCTION_ACCESS_KEY, type IamApi, startIamApi } from '../../fixtures/iam-api/iam-api-emulator';
import { type AwsEmulator, credentialsFor } from '../../support/aws-emulator';
import { type LocalDynamo, startDynalite } from '../../support/dynalite';
import { ACCOUNT } from './denied-events';

export const TOPIC_ARN = `arn:aws:sns:us-east-1:${ACCOUNT}:TrustGap-Findings`;
export const START = Date.parse('2026-05-01T12:00:05Z');

/** The DynamoDB writes the pipeline makes, by step, recognized from the command. */
export type Step =
  | 'put-occurrence'
  | 'link-copy'
  | 'claim-count'
  | 'count'
  | 'save-finding'
  | 'advance-COUNTED'
  | 'advance-DONE'
  | 'clear-pending'
  | 'claim-notification'
  | 'rollback-notification'
  | 'other';

export function stepOf(command: { constructor: { name: string }; input: Record<string, any> }): Step {
  const input = command.input;
  const name = command.constructor.name;
  if (name === 'PutCommand') {
    const type = input.Item?.type;
    if (type === 'occurrence') return 'put-occurrence';
    if (type === 'finding') return 'save-finding';
    if (type === 'shared-link') return 'link-copy';
    if (type === 'shared-count') return 'claim-count';
  }
  if (name === 'UpdateCommand') {
    const expr: string = input.UpdateExpression ?? '';
    if (expr.includes('ADD #count')) return 'count';
    if (expr.startsWith('DELETE pendingIds')) return 'clear-pending';
    if (expr.includes('notifiedByEventId = :id')) return 'claim-notification';
    if (input.ConditionExpression?.startsWith('notifiedByEventId = :id')) return 'rollback-notification';
    if (input.ExpressionAttributeValues?.[':to'] === 'COUNTED') return 'advance-COUNTED';
    if (input.ExpressionAttributeValues?.[':to'] === 'DONE') return 'advance-DONE';
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
  /** The next `n` publishes fail like an SNS outage (500 InternalError), every SDK retry attempt included. */
  failNext(n: number): void;
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
    failNext: (n) =>
      emulator.setFault({
        service: 'sns',
        action: 'Publish',
        kind: 'server-error',
        code: 'InternalError',
        times: n * SNS_ATTEMPTS,
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

  async occurrence(eventId: string): Promise<OccurrenceItem | undefined> {
    const out = await this.dynamo.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `OCC#${eventId}`, sk: 'OCC' } }),
    );
    return out.Item as OccurrenceItem | undefined;
  }

  async aggregate(fingerprint: string): Promise<AggregateItem | undefined> {
    const out = await this.dynamo.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `FP#${fingerprint}`, sk: 'AGG' } }),
    );
    return out.Item as AggregateItem | undefined;
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

  /** Occurrences of a day, via the byDay index: what the pipeline wrote for the test's events. */
  async occurrencesOn(day: string): Promise<OccurrenceItem[]> {
    const items: OccurrenceItem[] = [];
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
      items.push(...((out.Items ?? []) as OccurrenceItem[]));
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
