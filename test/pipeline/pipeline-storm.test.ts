import { aliceAssumesDeployProd, ciRunnerAssumes } from './support/denied-events';
import { lambdaContext, type PipelineHarness, usePipelineHarness, withConcurrency } from './support/pipeline-harness';

const currentHarness = usePipelineHarness({ iamLatencyMs: () => 5 });
let h: PipelineHarness;
beforeEach(() => {
  h = currentHarness();
});

test('a storm of 1,000 denials with one fingerprint: count 1000, exactly one notification, IAM read once', async () => {
  const runtime = h.runtime();
  const results = await withConcurrency(
    10,
    Array.from(
      { length: 1000 },
      (_, i) => () =>
        runtime.handle(
          aliceAssumesDeployProd({
            eventId: `storm-${i}`,
            eventTime: new Date(Date.parse('2026-05-01T12:00:00Z') + i * 1000).toISOString(),
            roleSessionName: `ci-run-${i}`,
          }),
          lambdaContext(`req-${i}`),
        ),
    ),
  );
  expect(results.reduce((n, r) => n + r.recorded, 0)).toBe(1000);
  const fingerprint = await h.fingerprintOf('storm-0');
  expect(await h.fingerprintOf('storm-999')).toBe(fingerprint);
  const aggregate = await h.aggregate(fingerprint);
  expect(aggregate).toMatchObject({
    count: 1000,
    notificationCount: 1,
    firstSeen: '2026-05-01T12:00:00Z',
    lastSeen: '2026-05-01T12:16:39Z',
  });
  expect(h.sns.published).toHaveLength(1);
  // Recorded as 100 buckets of ten seconds (one event per second here), which the byDay index lists.
  const buckets = await h.bucketsOn('2026-05-01');
  expect(buckets).toHaveLength(100);
  expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(1000);
  // The concurrent cold lookups shared one in-flight read per resource; everything after came from the cache.
  expect(h.iam.totalCalls()).toBe(11);
  expect(h.iam.totalCalls() / 1000).toBeLessThan(0.05);
}, 120_000);

test('50 distinct fingerprints in one burst give 50 notifications', async () => {
  const runtime = h.runtime();
  await withConcurrency(
    10,
    Array.from(
      { length: 50 },
      (_, i) => () =>
        runtime.handle(ciRunnerAssumes({ eventId: `distinct-${i}` }, `missing-role-${i}`), lambdaContext(`req-d-${i}`)),
    ),
  );
  const fingerprints = new Set<string>();
  for (let i = 0; i < 50; i += 1) fingerprints.add(await h.fingerprintOf(`distinct-${i}`));
  expect(fingerprints.size).toBe(50);
  expect(h.sns.published).toHaveLength(50);
  expect(new Set(h.sns.published.map((p) => JSON.parse(JSON.parse(p.Message!).https).metadata.threadId))).toEqual(
    fingerprints,
  );
}, 60_000);

test('after the quiet window, one reminder says how many more occurred since the last message', async () => {
  const runtime = h.runtime();
  await runtime.handle(aliceAssumesDeployProd({ eventId: 'q-0' }), lambdaContext('q-0'));
  const firstNotifiedAt = new Date(h.now).toISOString();
  for (let i = 1; i <= 5; i += 1) {
    h.advance(5 * 60_000);
    await runtime.handle(aliceAssumesDeployProd({ eventId: `q-${i}` }), lambdaContext(`q-${i}`));
  }
  expect(h.sns.published).toHaveLength(1);

  h.advance(40 * 60_000); // 65 minutes after the first message
  await runtime.handle(aliceAssumesDeployProd({ eventId: 'q-6' }), lambdaContext('q-6'));
  expect(h.sns.published).toHaveLength(2);
  const reminder = JSON.parse(h.sns.published[1].Message!);
  expect(reminder.email).toContain(
    `Reminder: 6 more since ${firstNotifiedAt} (7 in total since 2026-05-01T12:00:00Z).`,
  );
  expect(JSON.parse(reminder.https).content.description).toContain(`6 more since ${firstNotifiedAt}`);
  expect(h.sns.published[1].Subject).toMatch(/^trustgap reminder TRUST_PRINCIPAL_MISSING: alice -> deploy-prod$/);

  const fingerprint = await h.fingerprintOf('q-6');
  expect(await h.aggregate(fingerprint)).toMatchObject({ count: 7, countAtLastNotification: 7, notificationCount: 2 });

  h.advance(10 * 60_000);
  await runtime.handle(aliceAssumesDeployProd({ eventId: 'q-7' }), lambdaContext('q-7'));
  expect(h.sns.published).toHaveLength(2);
});
