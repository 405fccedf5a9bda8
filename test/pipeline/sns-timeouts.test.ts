import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import { LOCAL_CREDENTIALS } from '../support/dynalite';
import { aliceAssumesDeployProd } from './support/denied-events';
import { lambdaContext, type PipelineHarness, TOPIC_ARN, usePipelineHarness } from './support/pipeline-harness';

/**
 * A slow SNS must not hang the function. A real HTTP server on loopback accepts each connection, reads the request
 * and, for the requests told to hang, never answers — the "delivered but never answered" publish. Answered
 * requests get SNS's own Query-protocol PublishResponse.
 */
interface SilentSns {
  endpoint: string;
  received: number;
  /** How many of the next requests get no answer at all. */
  hangNext: number;
  close(): Promise<void>;
}

async function startSilentSns(): Promise<SilentSns> {
  const hanging: ServerResponse[] = [];
  const state = { received: 0, hangNext: 0 };
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => {
      state.received += 1;
      if (state.hangNext > 0) {
        state.hangNext -= 1;
        hanging.push(response);
        return;
      }
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(
        `<PublishResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-${state.received}</MessageId></PublishResult><ResponseMetadata><RequestId>r-${state.received}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get received() {
      return state.received;
    },
    get hangNext() {
      return state.hangNext;
    },
    set hangNext(n: number) {
      state.hangNext = n;
    },
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const FAST: ClientTimeouts = { connectionTimeoutMs: 300, requestTimeoutMs: 400, maxAttempts: 1 };
const publish = new PublishCommand({ TopicArn: TOPIC_ARN, Message: 'hello' });

let sns: SilentSns;
beforeEach(async () => {
  sns = await startSilentSns();
});
afterEach(async () => sns.close());

test('the production timeouts end every SNS and DynamoDB call well within the 60 s function timeout', () => {
  expect(worstCaseMs(SNS_TIMEOUTS)).toBeLessThanOrEqual(6_000);
  expect(worstCaseMs(DYNAMODB_TIMEOUTS)).toBeLessThan((FUNCTION_TIMEOUT_SECONDS * 1000) / 2);
  expect(SNS_TIMEOUTS.maxAttempts).toBe(1); // the SDK never re-sends a publish by itself
});

test('requestTimeout alone does not end an unanswered request; with throwOnRequestTimeout it does', async () => {
  sns.hangNext = 2;
  const warnOnly = new SNSClient({
    endpoint: sns.endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
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
    endpoint: sns.endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
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
      endpoint: sns.endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
      timeouts: FAST,
    });
  });
  afterEach(() => client.destroy());

  test('ends the invocation in time; the retry publishes once more: at most one repeat', async () => {
    sns.hangNext = 1;
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
    expect(sns.received).toBe(2);
  });

  test('if the repeat goes unanswered too, it is the last: never a third message', async () => {
    sns.hangNext = 10;
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
    expect(sns.received).toBe(2);
  });
});
