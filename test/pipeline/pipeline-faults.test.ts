import { LeaseLostError } from '../../src/adapters/history/findings-history';
import { isTransientAwsError } from '../../src/errors';
import { aliceAssumesDeployProd } from './support/denied-events';
import {
  type Fault,
  faultyDocumentClient,
  lambdaContext,
  type PipelineHarness,
  type Step,
  stepOf,
  usePipelineHarness,
} from './support/pipeline-harness';

const currentHarness = usePipelineHarness();
let h: PipelineHarness;
beforeEach(() => {
  h = currentHarness();
});

async function fingerprintOf(eventId: string): Promise<string> {
  return (await h.occurrence(eventId))!.fingerprint;
}

test('SNS fails once, then the retry succeeds: one occurrence, count 1, one notification', async () => {
  const runtime = h.runtime();
  const event = aliceAssumesDeployProd({ eventId: 'sns-1' });
  h.sns.failNext(1);
  const failure = await runtime.handle(event, lambdaContext('req-1')).catch((e: unknown) => e);
  expect(isTransientAwsError(failure)).toBe(true);

  // The claim was rolled back and the lease released: the retry can start at once.
  const afterFailure = await h.occurrence('sns-1');
  expect(afterFailure).toMatchObject({ state: 'COUNTED' });
  expect(afterFailure?.owner).toBeUndefined();
  // Not DONE yet, so not in the indexes: history queries never show a half-processed occurrence.
  expect(await h.occurrencesOn('2026-05-01')).toEqual([]);
  expect(afterFailure?.indexAttributes).toMatchObject({ eventDay: '2026-05-01', cause: 'TRUST_PRINCIPAL_MISSING' });
  const aggregate = await h.aggregate(afterFailure!.fingerprint);
  expect(aggregate).toMatchObject({ count: 1, notificationCount: 0 });
  expect(aggregate?.lastNotifiedAt).toBeUndefined();

  // Lambda's asynchronous retry keeps the request id.
  await expect(runtime.handle(event, lambdaContext('req-1'))).resolves.toMatchObject({ recorded: 1, notified: 1 });
  expect(await h.occurrence('sns-1')).toMatchObject({ state: 'DONE', notified: true, eventDay: '2026-05-01' });
  expect((await h.occurrence('sns-1'))?.indexAttributes).toBeUndefined();
  expect((await h.occurrencesOn('2026-05-01')).map((o) => o.eventId)).toEqual(['sns-1']);
  expect(await h.aggregate(afterFailure!.fingerprint)).toMatchObject({ count: 1, notificationCount: 1 });
  expect(h.sns.published).toHaveLength(1);
});

test('DynamoDB throttling is thrown for a retry, and the retry counts once', async () => {
  const throttle = Object.assign(new Error('Throughput exceeds the current capacity of your table or index.'), {
    name: 'ProvisionedThroughputExceededException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
  const faulty = faultyDocumentClient(h.dynamo.documentClient, {
    step: 'count',
    when: 'before',
    error: throttle,
    crash: false,
  });
  const event = aliceAssumesDeployProd({ eventId: 'throttled' });
  const failure = await h
    .runtime({ documentClient: faulty })
    .handle(event, lambdaContext('req-t'))
    .catch((e: unknown) => e);
  expect(failure).toBe(throttle);
  expect(isTransientAwsError(failure)).toBe(true);
  expect(h.sns.published).toHaveLength(0);

  await h.runtime().handle(event, lambdaContext('req-t'));
  expect((await h.aggregate(await fingerprintOf('throttled')))?.count).toBe(1);
  expect(h.sns.published).toHaveLength(1);
});

test('a duplicate delivered while the first copy is still running waits for it and is acknowledged', async () => {
  const runtime = h.runtime({ sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))) });
  const event = aliceAssumesDeployProd({ eventId: 'concurrent' });
  const results = await Promise.all([
    runtime.handle(event, lambdaContext('req-x')),
    runtime.handle(event, lambdaContext('req-y')),
  ]);
  expect(results.map((r) => r.recorded).sort()).toEqual([0, 1]);
  expect(results.map((r) => r.duplicates).sort()).toEqual([0, 1]);
  expect((await h.aggregate(await fingerprintOf('concurrent')))?.count).toBe(1);
  expect(h.sns.published).toHaveLength(1);
});

/**
 * Crash-point analysis, executed: the process dies right before or right after each write (every later call of
 * the dead process fails too, so nothing is cleaned up), then Lambda retries the event in a new container once
 * the dead invocation's lease has expired. Whatever the point, the result is one occurrence, the right count, and
 * one notification — except a crash between a successful SNS publish and the final DONE write, the one window
 * where the retry cannot know the publish happened (SNS standard topics have no idempotency key): it is
 * notified twice, never zero times. docs/pipeline.md lists each point.
 */
const NEW_FINGERPRINT_POINTS: [Step, Fault['when']][] = [
  ['put-occurrence', 'before'],
  ['put-occurrence', 'after'],
  ['count', 'before'],
  ['count', 'after'],
  ['save-finding', 'before'],
  ['save-finding', 'after'],
  ['advance-COUNTED', 'before'],
  ['advance-COUNTED', 'after'],
  ['clear-pending', 'before'],
  ['clear-pending', 'after'],
  ['claim-notification', 'before'],
  ['claim-notification', 'after'],
  ['advance-DONE', 'after'],
];

describe.each(NEW_FINGERPRINT_POINTS)('crash %s (%s) on a new fingerprint', (step, when) => {
  test('the retry ends with count 1 and exactly one notification', async () => {
    const event = aliceAssumesDeployProd({ eventId: `crash-${step}-${when}` });
    const faulty = faultyDocumentClient(h.dynamo.documentClient, { step, when });
    await expect(h.runtime({ documentClient: faulty }).handle(event, lambdaContext('req-dead'))).rejects.toThrow(
      /simulated crash/,
    );
    expect(faulty.fired).toBe(true);

    h.advance(2 * 60_000); // Lambda's first async retry comes a minute or more later, after the lease expired
    await h.runtime().handle(event, lambdaContext('req-retry'));
    const occurrence = await h.occurrence(`crash-${step}-${when}`);
    expect(occurrence).toMatchObject({ state: 'DONE', notified: true });
    const aggregate = await h.aggregate(occurrence!.fingerprint);
    expect(aggregate).toMatchObject({ count: 1, notificationCount: 1 });
    expect(aggregate?.pendingIds).toBeUndefined();
    expect(h.sns.published).toHaveLength(1);

    // And a later redelivery is a duplicate.
    await expect(h.runtime().handle(event, lambdaContext('req-late'))).resolves.toMatchObject({ duplicates: 1 });
    expect((await h.aggregate(occurrence!.fingerprint))?.count).toBe(1);
  });
});

test('crash after a successful publish, before DONE: notified twice (at least once), counted once', async () => {
  const event = aliceAssumesDeployProd({ eventId: 'crash-after-publish' });
  const faulty = faultyDocumentClient(h.dynamo.documentClient, { step: 'advance-DONE', when: 'before' });
  await expect(h.runtime({ documentClient: faulty }).handle(event, lambdaContext('req-dead'))).rejects.toThrow(
    /simulated crash/,
  );
  expect(h.sns.published).toHaveLength(1);
  h.advance(2 * 60_000);
  await h.runtime().handle(event, lambdaContext('req-retry'));
  const occurrence = await h.occurrence('crash-after-publish');
  expect(occurrence).toMatchObject({ state: 'DONE', notified: true });
  expect((await h.aggregate(occurrence!.fingerprint))?.count).toBe(1);
  expect(h.sns.published).toHaveLength(2);
});

const REPEAT_POINTS: [Step, Fault['when']][] = [
  ['put-occurrence', 'after'],
  ['count', 'before'],
  ['count', 'after'],
  ['advance-DONE', 'before'],
  ['advance-DONE', 'after'],
  ['clear-pending', 'before'],
];

describe.each(REPEAT_POINTS)('crash %s (%s) on a repeat inside the quiet window', (step, when) => {
  test('the retry counts it once more and sends nothing', async () => {
    await h.runtime().handle(aliceAssumesDeployProd({ eventId: 'first' }), lambdaContext('req-first'));
    const event = aliceAssumesDeployProd({ eventId: `repeat-${step}-${when}` });
    const faulty = faultyDocumentClient(h.dynamo.documentClient, { step, when });
    await expect(h.runtime({ documentClient: faulty }).handle(event, lambdaContext('req-dead'))).rejects.toThrow(
      /simulated crash/,
    );
    h.advance(2 * 60_000);
    await h.runtime().handle(event, lambdaContext('req-retry'));
    const occurrence = await h.occurrence(`repeat-${step}-${when}`);
    expect(occurrence).toMatchObject({ state: 'DONE', notified: false });
    const aggregate = await h.aggregate(occurrence!.fingerprint);
    expect(aggregate).toMatchObject({ count: 2, notificationCount: 1 });
    expect(aggregate?.pendingIds).toBeUndefined();
    expect(h.sns.published).toHaveLength(1);
  });
});

test('a stalled invocation whose lease expired loses the occurrence to the retry, and stops without double effects', async () => {
  const event = aliceAssumesDeployProd({ eventId: 'stalled' });
  let retryResult: unknown;
  // The first invocation stalls right before its final write; meanwhile its lease runs out and the retry runs.
  const stalling = {
    send: async (command: any) => {
      if (stepOf(command) === 'advance-DONE' && retryResult === undefined) {
        h.advance(2 * 60_000);
        retryResult = await h.runtime().handle(event, lambdaContext('req-retry'));
      }
      return h.dynamo.documentClient.send(command);
    },
  };
  const stalled = await h
    .runtime({ documentClient: stalling })
    .handle(event, lambdaContext('req-stalled'))
    .catch((e: unknown) => e);
  expect(stalled).toBeInstanceOf(LeaseLostError);
  expect(isTransientAwsError(stalled)).toBe(true);
  expect(retryResult).toMatchObject({ recorded: 1 });
  const occurrence = await h.occurrence('stalled');
  expect(occurrence).toMatchObject({ state: 'DONE' });
  expect((await h.aggregate(occurrence!.fingerprint))?.count).toBe(1);
  // The stalled invocation had published just before its last write; the retry found the claim of the same event
  // id without a DONE and published again: the one at-least-once window of docs/pipeline.md, never zero.
  expect(h.sns.published).toHaveLength(2);
});
