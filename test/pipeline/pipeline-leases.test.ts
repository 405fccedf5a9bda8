import { ClaimHeldError, isTransientAwsError } from '../../src/errors';
import { LEASE_MARGIN_MS, minimumOccurrenceTtlDays } from '../../src/pipeline/leases';
import { aliceAssumesDeployProd, crossAccountCopies } from './support/denied-events';
import {
  faultyDocumentClient,
  lambdaContext,
  type PipelineHarness,
  usePipelineHarness,
} from './support/pipeline-harness';

/**
 * The exactly-once gaps of issue 9 point 4, each first reproduced against the previous design: a claim whose
 * publisher keeps failing, a container whose clock runs ahead, and a first copy of a cross-account call that never
 * finishes.
 */
const currentHarness = usePipelineHarness();
let h: PipelineHarness;
beforeEach(() => {
  h = currentHarness();
});

/** One attempt, as Lambda makes it: the handler's result, or what it threw (then Lambda retries it later). */
function attempt(event: Record<string, unknown>, requestId: string, remainingMs = 60_000) {
  return h
    .runtime()
    .handle(event, lambdaContext(requestId, remainingMs))
    .then((result) => ({ ok: true as const, result }))
    .catch((error: unknown) => ({ ok: false as const, error }));
}

test('lost alert: X claims, its publish keeps failing, Y arrives meanwhile: notified exactly once in the end', async () => {
  const x = aliceAssumesDeployProd({ eventId: 'x', eventTime: '2026-05-01T12:00:00Z' });
  const y = aliceAssumesDeployProd({ eventId: 'y', eventTime: '2026-05-01T12:00:01Z' });
  const outcomes: Record<'x' | 'y', Awaited<ReturnType<typeof attempt>>[]> = { x: [], y: [] };
  h.sns.failNext(3); // X's attempt and both of Lambda's retries of it: X ends in the dead-letter queue
  h.duringNextPublish(async () => {
    // Y, in another container, while X holds the claim and its publish is in flight.
    outcomes.y.push(await attempt(y, 'req-y', 10_000));
  });
  outcomes.x.push(await attempt(x, 'req-x'));
  for (let retry = 0; retry < 2; retry += 1) {
    h.advance(2 * 60_000);
    if (!outcomes.x.at(-1)?.ok) outcomes.x.push(await attempt(x, 'req-x'));
  }
  expect(outcomes.x.map((o) => o.ok)).toEqual([false, false, false]); // dead-lettered: the DLQ alarm fires
  // SNS works again. Y was not silently acknowledged: it is retried, and its retry sends the message X owed.
  for (let retry = 0; retry < 2; retry += 1) {
    h.advance(2 * 60_000);
    if (!outcomes.y.at(-1)?.ok) outcomes.y.push(await attempt(y, 'req-y'));
  }
  expect(outcomes.y[0]).toMatchObject({ ok: false });
  expect(isTransientAwsError((outcomes.y[0] as { error: unknown }).error)).toBe(true);
  expect(outcomes.y.at(-1)).toMatchObject({ ok: true, result: { notified: 1 } });
  const aggregate = await h.aggregate(await h.fingerprintOf('x'));
  expect(aggregate).toMatchObject({ count: 2, notificationCount: 1, notifyState: 'sent' });
  expect(h.sns.published).toHaveLength(1);
  // A redrive of X from the dead-letter queue later is a duplicate and sends nothing more.
  await expect(h.runtime().handle(x, lambdaContext('req-redrive'))).resolves.toMatchObject({ duplicates: 1 });
  expect(h.sns.published).toHaveLength(1);
});

test('clock skew: a container 8 s ahead does not take over a claim with 2 s left', async () => {
  const x = aliceAssumesDeployProd({ eventId: 'x', eventTime: '2026-05-01T12:00:00Z' });
  const y = aliceAssumesDeployProd({ eventId: 'y', eventTime: '2026-05-01T12:00:01Z' });
  let skewed: unknown;
  h.duringNextPublish(async () => {
    h.advance(58_000); // X's publish is slow: X has 2 s of its 60 s left
    const ahead = h.runtime({ clock: () => h.now + 8_000 });
    skewed = await ahead.handle(y, lambdaContext('req-y', 4_000)).catch((error: unknown) => error);
  });
  await expect(h.runtime().handle(x, lambdaContext('req-x'))).resolves.toMatchObject({ notified: 1 });
  expect(skewed).toBeInstanceOf(ClaimHeldError); // waited, then handed Y back to Lambda: no second publish
  h.advance(60_000);
  await expect(h.runtime().handle(y, lambdaContext('req-y'))).resolves.toMatchObject({ notified: 0 });
  expect(await h.aggregate(await h.fingerprintOf('x'))).toMatchObject({ count: 2, notificationCount: 1 });
  expect(h.sns.published).toHaveLength(1);
  expect(LEASE_MARGIN_MS).toBeGreaterThan(8_000);
});

test('lost first copy: the copy that claimed the count dead-letters; the other copy is counted instead', async () => {
  const [callerCopy, ownerCopy] = crossAccountCopies('shared-lost', ['copy-caller', 'copy-owner']);
  // The caller's copy claims the count, then its process dies before counting; it never comes back (DLQ).
  const dead = faultyDocumentClient(h.dynamo.documentClient, { step: 'count', when: 'before' });
  await expect(h.runtime({ documentClient: dead }).handle(callerCopy, lambdaContext('req-c'))).rejects.toThrow(
    /simulated crash/,
  );
  // The owner's copy arrives while the claim is live: it is not linked to a count that may never happen.
  const early = await attempt(ownerCopy, 'req-o', 10_000);
  expect(early).toMatchObject({ ok: false });
  expect((early as { error: unknown }).error).toBeInstanceOf(ClaimHeldError);
  // Lambda retries it after the claim's lease: it takes the claim over and is counted.
  h.advance(2 * 60_000);
  await expect(h.runtime().handle(ownerCopy, lambdaContext('req-o'))).resolves.toMatchObject({
    recorded: 1,
    notified: 1,
  });
  expect(await h.aggregate(await h.fingerprintOf('copy-owner'))).toMatchObject({ count: 1, notificationCount: 1 });
  const claim = (await h.partition('SHARED#shared-lost')).find((i) => i.sk === 'COUNTED');
  expect(claim).toMatchObject({ countedEventId: 'copy-owner', state: 'counted' });
  // A late redrive of the caller's copy is now the linked copy: the logical call still counts once.
  await expect(h.runtime().handle(callerCopy, lambdaContext('req-c2'))).resolves.toMatchObject({
    recorded: 0,
    notified: 0,
  });
  expect(await h.bucketOf('copy-caller')).toBeUndefined();
  expect(h.sns.published).toHaveLength(1);
});

test('a first copy that counted and then died is confirmed by the other copy, which stays linked', async () => {
  const [callerCopy, ownerCopy] = crossAccountCopies('shared-half', ['copy-caller', 'copy-owner']);
  const dead = faultyDocumentClient(h.dynamo.documentClient, { step: 'confirm-count', when: 'before' });
  await expect(h.runtime({ documentClient: dead }).handle(callerCopy, lambdaContext('req-c'))).rejects.toThrow(
    /simulated crash/,
  );
  h.advance(2 * 60_000);
  await expect(h.runtime().handle(ownerCopy, lambdaContext('req-o'))).resolves.toMatchObject({ recorded: 0 });
  expect(await h.bucketOf('copy-owner')).toBeUndefined();
  const claim = (await h.partition('SHARED#shared-half')).find((i) => i.sk === 'COUNTED');
  expect(claim).toMatchObject({ countedEventId: 'copy-caller', state: 'counted' });
  expect((await h.aggregate(await h.fingerprintOf('copy-caller')))?.count).toBe(1);
});

test('TTL versus the DLQ: with the minimum TTL, a redrive at the last possible moment is still a duplicate', async () => {
  const retention = { dlqRetentionSeconds: 14 * 86_400, maxEventAgeSeconds: 7 * 3_600 };
  const ttlDays = minimumOccurrenceTtlDays(retention);
  const event = aliceAssumesDeployProd({ eventId: 'redriven' });
  const config = { tableName: h.tableName, topicArn: 'arn:aws:sns:us-east-1:111111111111:t', quietWindowMs: 3_600_000 };
  await h.runtime({ config: { ...config, occurrenceTtlDays: ttlDays } }).handle(event, lambdaContext('req-1'));
  const bucket = await h.bucketOf('redriven');
  // The last attempt: retried for the whole event age, kept in the DLQ for its whole retention, then redriven.
  const lastAttempt = h.now + (retention.maxEventAgeSeconds + retention.dlqRetentionSeconds + 60) * 1000;
  expect(bucket!.expiresAt * 1000).toBeGreaterThan(lastAttempt);
  h.now = lastAttempt;
  await expect(
    h.runtime({ config: { ...config, occurrenceTtlDays: ttlDays } }).handle(event, lambdaContext('req-redrive')),
  ).resolves.toMatchObject({ duplicates: 1, notified: 0 });
  expect((await h.aggregate(bucket!.fingerprint))?.count).toBe(1);
});
