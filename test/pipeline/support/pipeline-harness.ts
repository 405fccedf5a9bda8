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
import type { AggregateItem, OccurrenceItem } from '../../../src/adapters/history/items';
import { LambdaRuntime, type RuntimeOptions } from '../../../src/pipeline/lambda-runtime';
import { type IamApiMock, mockIamApi } from '../../fixtures/iam-api/iam-api-mock';
import { LOCAL_CREDENTIALS, type LocalDynamo, startDynalite } from '../../support/dynalite';
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

export interface SnsMock {
  stub: AwsStub<any, any, any>;
  published: PublishCommandInput[];
  /** The next `n` publishes fail like an SNS outage (after reaching SNS, before anything is sent). */
  failNext(n: number): void;
  restore(): void;
}

export function mockSns(): SnsMock {
  const stub = mockClient(SNSClient);
  const published: PublishCommandInput[] = [];
  let failures = 0;
  stub.on(PublishCommand).callsFake((input: PublishCommandInput) => {
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
  return { stub, published, failNext: (n) => (failures = n), restore: () => stub.restore() };
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
