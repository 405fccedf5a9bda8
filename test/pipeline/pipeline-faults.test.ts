import { isTransientAwsError } from '../../src/errors';
import { aliceAssumesDeployProd } from './support/denied-events';
import {
  type Fault,
  faultyDocumentClient,
  lambdaContext,
  type PipelineHarness,
  type Step,
  usePipelineHarness,
} from './support/pipeline-harness';

const currentHarness = usePipelineHarness();
let h: PipelineHarness;
beforeEach(() => {
  h = currentHarness();
});

function fingerprintOf(eventId: string): Promise<string> {
  return h.fingerprintOf(eventId);
}

test('SNS fails once, then the retry succeeds: counted once, one notification', async () => {
  const runtime = h.runtime();
  const event = aliceAssumesDeployProd({ eventId: 'sns-1' });
  h.sns.failNext(1);
  const failure = await runtime.handle(event, lambdaContext('req-1')).catch((e: unknown) => e);
  expect(isTransientAwsError(failure)).toBe(true);

  // Counted, and visible in the indexes; the claim was given back (SNS refused it: nothing was sent).
  const fingerprint = await fingerprintOf('sns-1');
  expect((await h.bucketsOn('2026-05-01')).map((b) => b.eventId)).toEqual(['sns-1']);
  const aggregate = await h.aggregate(fingerprint);
  expect(aggregate).toMatchObject({ count: 1, notificationCount: 0 });
  expect(aggregate?.lastNotifiedAt).toBeUndefined();
  expect(aggregate?.notifyState).toBeUndefined();

  // Lambda's asynchronous retry keeps the request id; the retry is a duplicate count but still owes the message.
  await expect(runtime.handle(event, lambdaContext('req-1'))).resolves.toMatchObject({ duplicates: 1, notified: 1 });
  expect(await h.aggregate(fingerprint)).toMatchObject({ count: 1, notificationCount: 1, notifyState: 'sent' });
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

test('a duplicate delivered while the first copy is still running is acknowledged; one message', async () => {
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
 * the dead process fails too, so nothing is cleaned up), then Lambda retries the event in a new container a minute
 * or more later. Whatever the point, the result is the right count and one notification — except a crash between
 * a successful SNS publish and its confirmation, the one window where the retry cannot know the publish happened
 * (SNS standard topics have no idempotency key): it is notified twice, never zero times. docs/pipeline.md lists
 * each point.
 */
const NEW_FINGERPRINT_POINTS: [Step, Fault['when']][] = [
  ['count', 'before'],
  ['count', 'after'],
  ['save-finding', 'before'],
  ['save-finding', 'after'],
  ['finding-hash', 'before'],
  ['finding-hash', 'after'],
  ['claim-notification', 'before'],
  ['claim-notification', 'after'],
  ['confirm-notification', 'after'],
];

describe.each(NEW_FINGERPRINT_POINTS)('crash %s (%s) on a new fingerprint', (step, when) => {
  test('the retry ends with count 1 and exactly one notification', async () => {
    const id = `crash-${step}-${when}`;
    const event = aliceAssumesDeployProd({ eventId: id });
    const faulty = faultyDocumentClient(h.dynamo.documentClient, { step, when });
    await expect(h.runtime({ documentClient: faulty }).handle(event, lambdaContext('req-dead'))).rejects.toThrow(
      /simulated crash/,
    );
    expect(faulty.fired).toBe(true);

    h.advance(2 * 60_000); // Lambda's async retries come a minute or more later (same request id)
    await h.runtime().handle(event, lambdaContext('req-dead'));
    const aggregate = await h.aggregate(await fingerprintOf(id));
    expect(aggregate).toMatchObject({ count: 1, notificationCount: 1, notifyState: 'sent' });
    expect(h.sns.published).toHaveLength(1);

    // And a later redelivery is a duplicate.
    await expect(h.runtime().handle(event, lambdaContext('req-late'))).resolves.toMatchObject({ duplicates: 1 });
    expect((await h.aggregate(await fingerprintOf(id)))?.count).toBe(1);
    expect(h.sns.published).toHaveLength(1);
  });
});

test('crash after a successful publish, before it is confirmed: notified twice (at least once), counted once', async () => {
  const event = aliceAssumesDeployProd({ eventId: 'crash-after-publish' });
  const faulty = faultyDocumentClient(h.dynamo.documentClient, { step: 'confirm-notification', when: 'before' });
  await expect(h.runtime({ documentClient: faulty }).handle(event, lambdaContext('req-dead'))).rejects.toThrow(
    /simulated crash/,
  );
  expect(h.sns.published).toHaveLength(1);
  h.advance(2 * 60_000);
  await h.runtime().handle(event, lambdaContext('req-dead'));
  const aggregate = await h.aggregate(await fingerprintOf('crash-after-publish'));
  expect(aggregate).toMatchObject({ count: 1, notifyState: 'sent', notificationCount: 1 });
  expect(h.sns.published).toHaveLength(2);
});

test('a crashed claim is taken over by the next event of the fingerprint once its lease expired', async () => {
  const faulty = faultyDocumentClient(h.dynamo.documentClient, { step: 'claim-notification', when: 'after' });
  await expect(
    h.runtime({ documentClient: faulty }).handle(aliceAssumesDeployProd({ eventId: 'x' }), lambdaContext('req-x')),
  ).rejects.toThrow(/simulated crash/);
  // The crashed event dead-letters; another event of the same problem comes after the claim's lease.
  h.advance(2 * 60_000);
  await expect(
    h.runtime().handle(aliceAssumesDeployProd({ eventId: 'y' }), lambdaContext('req-y')),
  ).resolves.toMatchObject({ recorded: 1, notified: 1 });
  expect(await h.aggregate(await fingerprintOf('x'))).toMatchObject({ count: 2, notificationCount: 1 });
  expect(h.sns.published).toHaveLength(1);
});

const REPEAT_POINTS: [Step, Fault['when']][] = [
  ['count', 'before'],
  ['count', 'after'],
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
    await h.runtime().handle(event, lambdaContext('req-dead'));
    const aggregate = await h.aggregate(await fingerprintOf(`repeat-${step}-${when}`));
    expect(aggregate).toMatchObject({ count: 2, notificationCount: 1 });
    expect(h.sns.published).toHaveLength(1);
  });
});
