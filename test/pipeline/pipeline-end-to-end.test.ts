import { derivedEventId } from '../../src/engine/event/event-id';
import { normalizeInput } from '../../src/engine/event/normalize';
import type { Finding } from '../../src/engine/finding/types';
import { fingerprintOf, fingerprintParts } from '../../src/pipeline/fingerprint';
import { ACCOUNT, aliceAssumesDeployProd, crossAccountCopies, githubPullRequestAssumes } from './support/denied-events';
import {
  lambdaContext,
  type PipelineHarness,
  scanAll,
  TOPIC_ARN,
  usePipelineHarness,
} from './support/pipeline-harness';

const currentHarness = usePipelineHarness();
let h: PipelineHarness;
beforeEach(() => {
  h = currentHarness();
});

const day = '2026-05-01';

test('a denied call is diagnosed, recorded (bucket + aggregate + finding) and published once', async () => {
  const runtime = h.runtime();
  const result = await runtime.handle(aliceAssumesDeployProd({ eventId: 'evt-1' }), lambdaContext('req-1'));
  expect(result).toEqual({ diagnosed: 1, recorded: 1, duplicates: 0, notified: 1, skipped: 0 });

  const occurrence = await h.bucketOf('evt-1');
  expect(occurrence).toMatchObject({
    type: 'bucket',
    sk: 'B#2026-05-01T12:00:00Z',
    count: 1,
    eventId: 'evt-1',
    eventTime: '2026-05-01T12:00:00Z',
    eventDay: day,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/deploy-prod`,
    callerArn: `arn:aws:iam::${ACCOUNT}:user/alice`,
    cause: 'TRUST_PRINCIPAL_MISSING',
    severity: 'medium',
  });
  expect(occurrence?.expiresAt).toBe(Math.floor(h.now / 1000) + 90 * 86_400);

  const aggregate = await h.aggregate(occurrence!.fingerprint);
  expect(aggregate).toMatchObject({
    count: 1,
    firstSeen: '2026-05-01T12:00:00Z',
    lastSeen: '2026-05-01T12:00:00Z',
    latestEventId: 'evt-1',
    notificationCount: 1,
    countAtLastNotification: 1,
    notifyState: 'sent',
  });
  expect(aggregate?.identity).toEqual({
    caller: `arn:aws:iam::${ACCOUNT}:user/alice`,
    role: `arn:aws:iam::${ACCOUNT}:role/deploy-prod`,
    cause: 'TRUST_PRINCIPAL_MISSING',
    conditionKey: '',
  });
  expect(aggregate?.claimUntil).toBeUndefined();

  const items = await h.partition(`FP#${occurrence!.fingerprint}`);
  expect(items.map((i) => i.sk).sort()).toEqual(['AGG', 'B#2026-05-01T12:00:00Z', 'FINDING']);
  const finding = items.find((i) => i.sk === 'FINDING')!;
  expect(finding.latestFinding).toMatchObject({
    eventId: 'evt-1',
    cause: 'TRUST_PRINCIPAL_MISSING',
    role: { arn: `arn:aws:iam::${ACCOUNT}:role/deploy-prod` },
  });
  expect(finding.latestFinding.fix.commands.length).toBeGreaterThan(0);

  expect(h.sns.published).toHaveLength(1);
  const publish = h.sns.published[0];
  expect(publish.TopicArn).toBe(TOPIC_ARN);
  expect(publish.MessageStructure).toBe('json');
  expect(Object.keys(JSON.parse(publish.Message!)).sort()).toEqual(['default', 'email', 'https']);
  expect(publish.MessageAttributes).toEqual({
    severity: { DataType: 'String', StringValue: 'medium' },
    cause: { DataType: 'String', StringValue: 'TRUST_PRINCIPAL_MISSING' },
    roleAccountId: { DataType: 'String', StringValue: ACCOUNT },
  });
  expect(h.iam.totalCalls()).toBe(11);
});

test('the fingerprint is the documented hash of caller, role, cause and failing key', async () => {
  await h.runtime().handle(githubPullRequestAssumes({ eventId: 'gh-1' }), lambdaContext('req-gh'));
  const occurrence = await h.bucketOf('gh-1');
  const event = normalizeInput(githubPullRequestAssumes({ eventId: 'gh-1' })).events[0];
  const parts = fingerprintParts(event, {
    cause: 'TRUST_CONDITION_FAILED',
    role: { arn: `arn:aws:iam::${ACCOUNT}:role/gh-deploy` },
    evidence: [{ conditionKey: 'token.actions.githubusercontent.com:sub' }],
  } as Finding);
  expect(parts.caller).toBe(
    `web-identity:arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com:repo:acme/app:pull_request`,
  );
  expect(occurrence?.fingerprint).toBe(fingerprintOf(parts));
  expect(occurrence?.callerArn).toBe(parts.caller);
});

test('a record without eventID (trimmed, as AWS docs print them) gets a stable derived id: same record, same id, counted once', async () => {
  const runtime = h.runtime();
  const trimmed = aliceAssumesDeployProd({ eventId: 'unused' });
  const detail = trimmed.detail as Record<string, unknown>;
  delete detail.eventID;
  const id = derivedEventId(detail);
  expect(id).toMatch(/^derived-[0-9a-f]{32}$/);
  // The same record with its keys in another order, in another envelope, is the same record.
  const reordered = {
    ...trimmed,
    id: 'another-delivery',
    detail: Object.fromEntries(Object.entries(detail).reverse()),
  };
  expect(await runtime.handle(trimmed, lambdaContext('req-t1'))).toMatchObject({ diagnosed: 1, recorded: 1 });
  expect(await runtime.handle(reordered, lambdaContext('req-t2'))).toMatchObject({ recorded: 0, duplicates: 1 });
  const occurrence = await h.bucketOf(id);
  expect(occurrence).toMatchObject({ eventId: id, count: 1 });
  expect((await h.aggregate(occurrence!.fingerprint))?.count).toBe(1);
  // Another record (another source IP) is another occurrence with its own id.
  const other = aliceAssumesDeployProd({ eventId: 'unused' });
  delete (other.detail as Record<string, unknown>).eventID;
  (other.detail as Record<string, unknown>).sourceIPAddress = '198.51.100.77';
  expect(derivedEventId(other.detail)).not.toBe(id);
  expect(await runtime.handle(other, lambdaContext('req-t3'))).toMatchObject({ recorded: 1 });
  expect((await h.aggregate(occurrence!.fingerprint))?.count).toBe(2);
});

test('the same event delivered twice is counted and notified once', async () => {
  const runtime = h.runtime();
  const event = aliceAssumesDeployProd({ eventId: 'evt-dup' });
  await runtime.handle(event, lambdaContext('req-a'));
  const second = await runtime.handle(event, lambdaContext('req-b'));
  expect(second).toMatchObject({ recorded: 0, duplicates: 1, notified: 0 });
  const occurrence = await h.bucketOf('evt-dup');
  expect((await h.aggregate(occurrence!.fingerprint))?.count).toBe(1);
  expect(h.sns.published).toHaveLength(1);
});

test('malformed and irrelevant inputs are acknowledged, and nothing is written, published or read', async () => {
  const runtime = h.runtime();
  const hundredKb = 'x'.repeat(100 * 1024);
  const inputs: unknown[] = [
    null,
    42,
    'just a string',
    [],
    {},
    { 'detail-type': 'AWS API Call via CloudTrail', detail: null },
    {
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.sts',
      detail: { eventName: 'AssumeRole', eventSource: 'sts.amazonaws.com' },
    },
    {
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.sts',
      detail: { eventName: 'AssumeRole', eventSource: { sts: true }, errorCode: 'AccessDenied', eventID: 'w' },
    },
    {
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.sts',
      detail: { eventName: 'AssumeRole', eventSource: 'sts.amazonaws.com', errorCode: { nested: true }, eventID: 'x' },
    },
    {
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.sts',
      detail: { eventName: hundredKb, eventSource: 'sts.amazonaws.com', errorCode: 'AccessDenied', eventID: 'y' },
    },
    {
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.sts',
      detail: { eventName: 'GetCallerIdentity', eventSource: 'sts.amazonaws.com', eventID: 'z' },
    },
    { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} },
    {
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.sts',
      detail: {
        eventName: '𝔄𝔰𝔰𝔲𝔪𝔢ℜ𝔬𝔩𝔢 \u202E',
        eventSource: 'sts.amazonaws.com',
        errorCode: 'AccessDenied',
        eventID: '\u0000',
      },
    },
    { Records: 'not-an-array' },
    {
      Records: [
        null,
        { eventName: null },
        { eventName: 'AssumeRole', eventSource: 'sts.amazonaws.com', errorCode: null, eventID: 'ok' },
      ],
    },
  ];
  for (const [i, input] of inputs.entries()) {
    await expect(runtime.handle(input, lambdaContext(`req-bad-${i}`))).resolves.toMatchObject({
      diagnosed: 0,
      recorded: 0,
    });
  }
  expect(await scanAll(h.dynamo, h.tableName)).toEqual([]);
  expect(h.sns.published).toEqual([]);
  expect(h.iam.totalCalls()).toBe(0);
});

test('denied calls with hostile but well-formed fields (100 KB strings, nulls, unicode) are recorded, never thrown', async () => {
  const runtime = h.runtime();
  const huge = aliceAssumesDeployProd({
    eventId: 'evt-huge',
    roleSessionName: 'ß'.repeat(100 * 1024),
    userAgent: '🙂'.repeat(50_000),
  });
  (huge.detail as Record<string, unknown>).sourceIPAddress = null;
  (huge.detail as Record<string, unknown>).errorMessage = null;
  await expect(runtime.handle(huge, lambdaContext('req-huge'))).resolves.toMatchObject({ recorded: 1 });
  const occurrence = await h.bucketOf('evt-huge');
  expect(occurrence?.count).toBe(1);
  expect(JSON.stringify(h.sns.published[0]).length).toBeLessThan(256 * 1024);
});

test('an older event arriving late is counted without moving lastSeen back; firstSeen moves back', async () => {
  const runtime = h.runtime();
  await runtime.handle(
    aliceAssumesDeployProd({ eventId: 'late-2', eventTime: '2026-05-01T12:10:00Z' }),
    lambdaContext('r2'),
  );
  await runtime.handle(
    aliceAssumesDeployProd({ eventId: 'late-1', eventTime: '2026-05-01T11:50:00Z' }),
    lambdaContext('r1'),
  );
  const fp = (await h.bucketOf('late-1'))!.fingerprint;
  expect(await h.aggregate(fp)).toMatchObject({
    count: 2,
    firstSeen: '2026-05-01T11:50:00Z',
    lastSeen: '2026-05-01T12:10:00Z',
    latestEventId: 'late-2',
  });
});

test('the two copies of one cross-account call are linked by sharedEventID and counted once', async () => {
  const runtime = h.runtime();
  const [callerCopy, ownerCopy] = crossAccountCopies('shared-1', ['copy-caller', 'copy-owner']);
  await runtime.handle(callerCopy, lambdaContext('r-caller'));
  const second = await runtime.handle(ownerCopy, lambdaContext('r-owner'));
  expect(second).toMatchObject({ recorded: 0, notified: 0 });

  const counted = await h.bucketOf('copy-caller');
  expect(counted).toMatchObject({ sharedEventId: 'shared-1', count: 1 });
  // The owner's copy is linked, not counted: no bucket holds it.
  expect(await h.bucketOf('copy-owner')).toBeUndefined();
  expect((await h.aggregate(counted!.fingerprint))?.count).toBe(1);

  const shared = await h.partition('SHARED#shared-1');
  expect(shared.map((i) => i.sk).sort()).toEqual(['COUNTED', 'OCC#copy-caller', 'OCC#copy-owner']);
  expect(shared.find((i) => i.sk === 'OCC#copy-owner')).toMatchObject({ recipientAccountId: ACCOUNT });
  expect(shared.find((i) => i.sk === 'COUNTED')).toMatchObject({ countedEventId: 'copy-caller', state: 'counted' });
  expect(h.sns.published).toHaveLength(1);
});

test('a finding with a giant policy document is stored truncated with a marker; the write never fails for size', async () => {
  const statements = Array.from({ length: 6000 }, (_, i) => ({
    Sid: `S${i}`,
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/r${i}` },
    Action: 'sts:AssumeRole',
  }));
  const runtime = h.runtime({
    diagnose: async (event) => ({
      eventId: event.eventId,
      eventTime: event.eventTime,
      api: event.api,
      errorCode: event.errorCode,
      caller: { type: event.caller.type, arn: event.caller.arn ?? null, accountId: event.caller.accountId ?? null },
      role: { arn: event.role.arn ?? null, accountId: event.role.accountId ?? null },
      cause: 'TRUST_PRINCIPAL_MISSING',
      policy: 'trust',
      summary: 'giant',
      evidence: [
        { policy: 'trust', source: 'trust policy', statement: '#0', expected: statements.slice(0, 3000), actual: 'x' },
      ],
      otherGaps: [],
      warnings: [],
      fix: {
        kind: 'policy',
        admits: [],
        summary: 'add the principal',
        policyDocument: { Version: '2012-10-17', Statement: statements as never },
        commands: [
          `aws iam update-assume-role-policy --role-name deploy-prod --policy-document '${JSON.stringify({ Statement: statements })}'`,
        ],
        verified: true,
      },
      alternatives: [],
      confidence: 'high',
      unknowns: [],
    }),
  });
  expect(JSON.stringify(statements).length).toBeGreaterThan(500_000);
  await runtime.handle(aliceAssumesDeployProd({ eventId: 'giant' }), lambdaContext('r-giant'));
  const fp = (await h.bucketOf('giant'))!.fingerprint;
  const finding = (await h.partition(`FP#${fp}`)).find((i) => i.sk === 'FINDING')!;
  expect(Buffer.byteLength(JSON.stringify(finding))).toBeLessThan(100 * 1024);
  expect(finding.latestFinding.fix.policyDocument).toMatchObject({
    __truncated__: true,
    originalBytes: expect.any(Number),
  });
  expect(finding.latestFinding.fix.policyDocument.originalBytes).toBeGreaterThan(500_000);
  expect(finding.latestFinding.evidence[0].expected).toMatchObject({ __truncated__: true });
  expect(h.sns.published).toHaveLength(1);
  expect(Buffer.byteLength(h.sns.published[0].Message!)).toBeLessThan(256 * 1024);
});

test('a storm is one write per event: events of the same ten seconds share a bucket, lastSeen is exact', async () => {
  const runtime = h.runtime();
  const writes: string[] = [];
  const counting = h.runtime({
    documentClient: {
      send: (command: any) => {
        if (['PutCommand', 'UpdateCommand'].includes(command.constructor.name)) writes.push(command.constructor.name);
        return h.dynamo.documentClient.send(command);
      },
    },
  });
  await runtime.handle(
    aliceAssumesDeployProd({ eventId: 'ooo-0', eventTime: '2026-05-01T12:00:00Z' }),
    lambdaContext('o0'),
  );
  // Out of order, as concurrent containers finish them; the same container's cache knows the fingerprint was sent.
  for (const [id, time] of [
    ['ooo-3', '2026-05-01T12:00:30Z'],
    ['ooo-1', '2026-05-01T12:00:01Z'],
    ['ooo-2', '2026-05-01T12:00:09Z'],
  ])
    await counting.handle(aliceAssumesDeployProd({ eventId: id, eventTime: time }), lambdaContext(id));
  await counting.handle(
    aliceAssumesDeployProd({ eventId: 'ooo-4', eventTime: '2026-05-01T12:00:31Z' }),
    lambdaContext('o4'),
  );
  expect(writes).toEqual(['UpdateCommand', 'UpdateCommand', 'UpdateCommand', 'UpdateCommand']);
  const aggregate = await h.aggregate(await h.fingerprintOf('ooo-1'));
  expect(aggregate).toMatchObject({ count: 5, lastSeen: '2026-05-01T12:00:31Z', firstSeen: '2026-05-01T12:00:00Z' });
  const buckets = (await h.partition(`FP#${aggregate!.fingerprint}`)).filter((i) => i.type === 'bucket');
  expect(buckets.map((b) => [b.sk, b.count, b.eventId])).toEqual([
    ['B#2026-05-01T12:00:00Z', 3, 'ooo-0'],
    ['B#2026-05-01T12:00:30Z', 2, 'ooo-3'],
  ]);
});

test('storms of one problem rewrite the stored finding only when what it says changes', async () => {
  const { findingContentHash } = await import('../../src/pipeline/record-and-notify');
  const base = {
    eventId: 'a',
    eventTime: 't1',
    caller: { type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/ci/run-1', accountId: '1' },
    cause: 'BOUNDARY_NO_ALLOW',
    summary: 's',
  } as unknown as Finding;
  const nextRun = {
    ...base,
    eventId: 'b',
    eventTime: 't2',
    caller: { ...base.caller, arn: 'arn:aws:sts::1:assumed-role/ci/run-2' },
  } as Finding;
  expect(findingContentHash(nextRun)).toBe(findingContentHash(base));
  expect(findingContentHash({ ...base, summary: 'different' })).not.toBe(findingContentHash(base));
});
