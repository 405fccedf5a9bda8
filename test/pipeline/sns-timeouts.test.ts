import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  type ClientTimeouts,
  createSnsClient,
  DYNAMODB_TIMEOUTS,
  SNS_TIMEOUTS,
  worstCaseMs,
} from '../../src/adapters/aws-clients';
import { isTransientAwsError } from '../../src/errors';
import { FUNCTION_TIMEOUT_SECONDS } from '../../src/pipeline/leases';
import { type AwsEmulator, credentialsFor, startAwsEmulator } from '../support/aws-emulator';
import { aliceAssumesDeployProd } from './support/denied-events';
import { lambdaContext, type PipelineHarness, TOPIC_ARN, usePipelineHarness } from './support/pipeline-harness';

/**
 * A slow SNS must not hang the function. The loopback emulator speaks SNS's Query protocol; its `hang` fault
 * accepts a publish and never answers it: the "delivered but never answered" case.
 */
const PUBLISHER_KEY = 'AKIAPUBLISHER0000001';
const credentials = credentialsFor(PUBLISHER_KEY);

/** The next `times` publishes are accepted and never answered. */
function hangNext(times: number): void {
  emulator.setFault({ service: 'sns', action: 'Publish', kind: 'hang', times });
}

/** Publishes the emulator received, answered or not. */
function received(): number {
  return emulator.count({ service: 'sns', action: 'Publish' });
}

const FAST: ClientTimeouts = { connectionTimeoutMs: 300, requestTimeoutMs: 400, maxAttempts: 1 };
const publish = new PublishCommand({ TopicArn: TOPIC_ARN, Message: 'hello' });

let emulator: AwsEmulator;
beforeEach(async () => {
  emulator = await startAwsEmulator({
    principals: {
      [PUBLISHER_KEY]: {
        accountId: '111111111111',
        arn: 'arn:aws:sts::111111111111:assumed-role/trustgap-diagnoser/fn',
        userId: 'AROAPUBLISHER:fn',
      },
    },
  });
});
afterEach(async () => emulator.close());

test('the production timeouts end every SNS and DynamoDB call well within the 60 s function timeout', () => {
  expect(worstCaseMs(SNS_TIMEOUTS)).toBeLessThanOrEqual(6_000);
  expect(worstCaseMs(DYNAMODB_TIMEOUTS)).toBeLessThan((FUNCTION_TIMEOUT_SECONDS * 1000) / 2);
  expect(SNS_TIMEOUTS.maxAttempts).toBe(1); // the SDK never re-sends a publish by itself
});

test('requestTimeout alone does not end an unanswered request; with throwOnRequestTimeout it does', async () => {
  hangNext(2);
  const warnOnly = new SNSClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    requestHandler: { requestTimeout: 300 },
    logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  const pending = warnOnly.send(publish).then(
    () => 'answered',
    () => 'failed',
  );
  const outcome = await Promise.race([pending, new Promise((r) => setTimeout(() => r('still waiting'), 1_200))]);
  expect(outcome).toBe('still waiting');
  warnOnly.destroy();

  const started = Date.now();
  const bounded = createSnsClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials,
    timeouts: FAST,
  });
  const error = await bounded.send(publish).catch((e: unknown) => e);
  expect(error).toMatchObject({ name: 'TimeoutError' });
  expect(isTransientAwsError(error)).toBe(true);
  expect(Date.now() - started).toBeLessThan(1_500);
  bounded.destroy();
});

describe('a publish that is delivered but never answered', () => {
  const currentHarness = usePipelineHarness();
  let h: PipelineHarness;
  let client: SNSClient;
  beforeEach(() => {
    h = currentHarness();
    client = createSnsClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials,
      timeouts: FAST,
    });
  });
  afterEach(() => client.destroy());

  test('ends the invocation in time; the retry publishes once more: at most one repeat', async () => {
    hangNext(1);
    const event = aliceAssumesDeployProd({ eventId: 'slow-1' });
    const started = Date.now();
    const failure = await h
      .runtime({ sns: client })
      .handle(event, lambdaContext('req-slow'))
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(5_000);
    const fingerprint = await h.fingerprintOf('slow-1');
    // The claim is kept (the message may have gone out), with the uncertain attempt counted.
    expect(await h.aggregate(fingerprint)).toMatchObject({ notifyState: 'claimed', uncertainPublishes: 1 });

    h.advance(2 * 60_000);
    await expect(h.runtime({ sns: client }).handle(event, lambdaContext('req-slow'))).resolves.toMatchObject({
      notified: 1,
    });
    expect(await h.aggregate(fingerprint)).toMatchObject({ count: 1, notifyState: 'sent', notificationCount: 1 });
    expect(received()).toBe(2);
  });

  test('if the repeat goes unanswered too, it is the last: never a third message', async () => {
    hangNext(10);
    const event = aliceAssumesDeployProd({ eventId: 'slow-2' });
    await expect(h.runtime({ sns: client }).handle(event, lambdaContext('req-slow'))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    h.advance(2 * 60_000);
    await expect(h.runtime({ sns: client }).handle(event, lambdaContext('req-slow'))).resolves.toMatchObject({
      notified: 0,
    });
    h.advance(2 * 60_000);
    await h.runtime({ sns: client }).handle(aliceAssumesDeployProd({ eventId: 'slow-3' }), lambdaContext('req-3'));
    expect(await h.aggregate(await h.fingerprintOf('slow-2'))).toMatchObject({ count: 2, notifyState: 'sent' });
    expect(received()).toBe(2);
  });
});
