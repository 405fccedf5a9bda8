/**
 * Input shapes (EventBridge event, CloudTrail log file, lookup-events output, arrays, JSON Lines, gzip) and skip
 * reasons. Fixtures 28 and 29; the gzipped log file is made from fixture 29 with zlib in beforeAll, so the
 * committed data stays readable.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputError, isAssumeRoleFailure, normalizeBuffer, normalizeInput } from '../../../src/engine/event/normalize';
import { CLI_AGENT, fixturePath, loadFixture } from './fixture-loader';

const LOG_FILE = '29-cloudtrail-log-file-mixed.json';
const ENVELOPE = '28-eventbridge-envelope-assumerole.json';

/** What fixture 29 must yield, whatever container it arrives in. */
const LOG_FILE_SKIPS = [
  {
    index: 0,
    eventId: '27a4b063-fa74-47c4-add3-7a899cf89b25',
    eventName: 'AssumeRole',
    reason: 'successful call (no errorCode)',
  },
  {
    index: 1,
    eventId: 'a5bf31ee-8671-407e-9baa-e8e4744cf8f3',
    eventName: 'GetCallerIdentity',
    reason: 'not a role assumption (eventName GetCallerIdentity)',
  },
  {
    index: 3,
    eventId: '4d21e9a0-a7e1-49f4-b3fc-9184e28fb7ec',
    eventName: 'ListBuckets',
    reason: 'not an STS call (eventSource s3.amazonaws.com)',
  },
  {
    index: 5,
    eventId: '1775534d-6eac-4c2e-9c09-09271328390c',
    eventName: 'AssumeRoleForPodIdentity',
    reason: 'not an STS call (eventSource eks-auth.amazonaws.com)',
  },
];
const LOG_FILE_EVENT_IDS = ['444d5ca5-21c1-47a6-9ae4-0077bb6ad702', 'cfe75eb6-8116-4bf1-9e20-599e7cd6f62f'];

describe('EventBridge envelope (28)', () => {
  it('unwraps detail and normalizes the CloudTrail record inside', () => {
    const result = normalizeInput(loadFixture(ENVELOPE));
    expect(result.skipped).toEqual([]);
    expect(result.events).toStrictEqual([
      {
        eventId: '740c5751-f942-495d-b82e-878670feb746',
        eventTime: '2025-06-17T10:00:00Z',
        awsRegion: 'us-east-1',
        recipientAccountId: '111111111111',
        api: 'AssumeRole',
        errorCode: 'AccessDenied',
        errorMessage:
          'User: arn:aws:sts::111111111111:assumed-role/Developer/carol is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/Admin',
        sourceIpAddress: '192.0.2.15',
        userAgent: CLI_AGENT,
        caller: {
          type: 'AssumedRole',
          arn: 'arn:aws:sts::111111111111:assumed-role/Developer/carol',
          accountId: '111111111111',
          principalId: 'AROAYWQ3ZPLKDEVELOP1:carol',
          mfaAuthenticated: true,
          issuerArn: 'arn:aws:iam::111111111111:role/Developer',
          sessionName: 'carol',
        },
        role: {
          arn: 'arn:aws:iam::111111111111:role/Admin',
          accountId: '111111111111',
          name: 'Admin',
          path: '/',
          source: 'requestParameters',
        },
        request: { parametersLogged: true, roleSessionName: 'carol-admin', hasInlineSessionPolicy: false },
      },
    ]);
    expect(isAssumeRoleFailure(loadFixture(ENVELOPE))).toBe(true);
  });

  it('takes eventTime from the envelope when the record lacks it', () => {
    const envelope = loadFixture(ENVELOPE) as { detail: Record<string, unknown> };
    delete envelope.detail.eventTime;
    expect(normalizeInput(envelope).events[0].eventTime).toBe('2025-06-17T10:00:00Z');
  });

  it('skips other detail-types and envelopes without a detail object', () => {
    const envelope = loadFixture(ENVELOPE) as Record<string, unknown>;
    expect(normalizeInput({ ...envelope, 'detail-type': 'AWS Console Sign In via CloudTrail' })).toStrictEqual({
      events: [],
      skipped: [
        {
          index: 0,
          reason:
            "EventBridge event detail-type 'AWS Console Sign In via CloudTrail' is not 'AWS API Call via CloudTrail'",
        },
      ],
    });
    expect(normalizeInput({ ...envelope, detail: 'oops' })).toStrictEqual({
      events: [],
      skipped: [{ index: 0, reason: 'EventBridge event has no detail object (got string)' }],
    });
    expect(isAssumeRoleFailure({ ...envelope, detail: null })).toBe(false);
  });
});

describe('CloudTrail log file {Records: [...]} (29)', () => {
  it('keeps the two denied STS assumptions and explains every other record', () => {
    const result = normalizeInput(loadFixture(LOG_FILE));
    expect(result.events.map((event) => event.eventId)).toEqual(LOG_FILE_EVENT_IDS);
    expect(result.skipped).toStrictEqual(LOG_FILE_SKIPS);
    expect(result.events[0]).toMatchObject({
      api: 'AssumeRoleWithWebIdentity',
      caller: { webIdentity: { aud: 'sts.amazonaws.com', sub: 'system:serviceaccount:payments:ledger-writer' } },
      role: { name: 'ledger-writer', path: '/eks/', source: 'requestParameters' },
    });
    expect(result.events[1]).toMatchObject({
      api: 'AssumeRole',
      request: { parametersLogged: false },
      role: { arn: 'arn:aws:iam::111111111111:role/Auditor', source: 'resources' },
    });
  });

  it('an empty log file yields nothing, and a non-array Records is one skip', () => {
    expect(normalizeInput({ Records: [] })).toStrictEqual({ events: [], skipped: [] });
    expect(normalizeInput({ Records: { eventName: 'AssumeRole' } })).toStrictEqual({
      events: [],
      skipped: [{ index: 0, reason: 'Records is not an array (got object)' }],
    });
  });
});

describe('normalizeBuffer', () => {
  let dir: string;
  let gzipped: Buffer;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trustgap-events-'));
    // CloudTrail delivers <account>_CloudTrail_<region>_<time>_<id>.json.gz; the same bytes are built here.
    gzipped = gzipSync(readFileSync(fixturePath(LOG_FILE)));
    writeFileSync(join(dir, '111111111111_CloudTrail_eu-west-1_20250618T0905Z_a1b2c3.json.gz'), gzipped);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a gzipped CloudTrail log file (magic bytes 1f 8b) like the plain one', () => {
    const bytes = readFileSync(join(dir, '111111111111_CloudTrail_eu-west-1_20250618T0905Z_a1b2c3.json.gz'));
    expect(bytes[0]).toBe(0x1f);
    const result = normalizeBuffer(bytes, 'log.json.gz');
    expect(result.events.map((event) => event.eventId)).toEqual(LOG_FILE_EVENT_IDS);
    expect(result.skipped).toStrictEqual(LOG_FILE_SKIPS);
    expect(result).toStrictEqual(normalizeInput(loadFixture(LOG_FILE)));
  });

  it('reads JSON text given as a string or a Buffer, with or without a byte-order mark', () => {
    const text = readFileSync(fixturePath(ENVELOPE), 'utf8');
    const expected = normalizeInput(loadFixture(ENVELOPE));
    expect(normalizeBuffer(text)).toStrictEqual(expected);
    expect(normalizeBuffer(Buffer.from(text))).toStrictEqual(expected);
    expect(normalizeBuffer(`\ufeff${text}`)).toStrictEqual(expected);
  });

  it('reads JSON Lines (one record per line) as a list', () => {
    const records = (loadFixture(LOG_FILE) as { Records: unknown[] }).Records;
    const lines = records.map((record) => JSON.stringify(record)).join('\n');
    const result = normalizeBuffer(lines, 'records.jsonl');
    expect(result.events.map((event) => event.eventId)).toEqual(LOG_FILE_EVENT_IDS);
    expect(result.skipped).toStrictEqual(LOG_FILE_SKIPS);
  });

  it('throws InputError with a one-line message naming the source for unreadable input', () => {
    const cases: [Buffer | string, RegExp][] = [
      ['{"Records": [', /^events\.json: not valid JSON \(.+\)$/],
      ['   \n', /^events\.json: input is empty$/],
      [Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]), /^events\.json: cannot decompress gzip data \(.+\)$/],
      ['{"a":1}\nnot json\n', /^events\.json: not valid JSON \(.+\)$/],
    ];
    for (const [data, pattern] of cases) {
      let caught: unknown;
      try {
        normalizeBuffer(data, 'events.json');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InputError);
      expect((caught as Error).message).toMatch(pattern);
      expect((caught as Error).message).not.toContain('\n');
    }
  });

  it('names the input "input" when no source name is given', () => {
    expect(() => normalizeBuffer('nope')).toThrow(/^input: not valid JSON/);
  });

  it('a gzipped non-JSON payload is an InputError too', () => {
    expect(() => normalizeBuffer(gzipSync('definitely not json'), 'x.gz')).toThrow(InputError);
  });
});

describe('other containers', () => {
  it('accepts `aws cloudtrail lookup-events` output (records as JSON strings)', () => {
    const records = (loadFixture(LOG_FILE) as { Records: unknown[] }).Records;
    const lookup = {
      Events: [
        ...records.map((record) => ({ EventName: 'x', CloudTrailEvent: JSON.stringify(record) })),
        { EventName: 'broken', CloudTrailEvent: '{not json' },
        { EventName: 'missing' },
      ],
    };
    const result = normalizeInput(lookup);
    expect(result.events.map((event) => event.eventId)).toEqual(LOG_FILE_EVENT_IDS);
    expect(result.skipped.slice(0, 4)).toStrictEqual(LOG_FILE_SKIPS);
    expect(result.skipped[4]).toMatchObject({ index: 6 });
    expect(result.skipped[4].reason).toMatch(/^Events\[6\]\.CloudTrailEvent is not valid JSON \(.+\)$/);
    expect(result.skipped[5]).toStrictEqual({ index: 7, reason: 'Events[7] has no CloudTrailEvent string' });
  });

  it('accepts a JSON array mixing raw records and EventBridge events', () => {
    const envelope = loadFixture(ENVELOPE);
    const raw = loadFixture('17-webidentity-github-sub-with-colons.json');
    const result = normalizeInput([envelope, raw, 42]);
    expect(result.events.map((event) => event.eventId)).toEqual([
      '740c5751-f942-495d-b82e-878670feb746',
      '4d34f0cd-0e6c-4e1a-aa10-c874c26efae0',
    ]);
    expect(result.skipped).toStrictEqual([{ index: 2, reason: 'record is not a JSON object (got number)' }]);
  });

  it.each([
    [null, 'null'],
    [undefined, 'undefined'],
    ['AssumeRole', 'string'],
    [7, 'number'],
    [true, 'boolean'],
  ])('a non-object input (%p) is one skip at index 0', (input, typeName) => {
    expect(normalizeInput(input)).toStrictEqual({
      events: [],
      skipped: [{ index: 0, reason: `input is not a JSON object (got ${typeName})` }],
    });
  });
});

describe('isAssumeRoleFailure', () => {
  it('is true for every denied fixture record and false for the irrelevant ones', () => {
    expect(isAssumeRoleFailure(loadFixture('01-assumerole-iamuser-cross-account-caller-copy.json'))).toBe(true);
    expect(isAssumeRoleFailure(loadFixture('16-assumeroot-accessdenied.json'))).toBe(true);
    expect(isAssumeRoleFailure(loadFixture('25-saml-okta-accessdenied.json'))).toBe(true);
    const records = (loadFixture(LOG_FILE) as { Records: unknown[] }).Records;
    expect(records.map((record) => isAssumeRoleFailure(record))).toEqual([false, false, true, false, true, false]);
  });

  it('is false for containers, non-objects and records missing what normalization needs', () => {
    expect(isAssumeRoleFailure(loadFixture(LOG_FILE))).toBe(false);
    expect(isAssumeRoleFailure([loadFixture(ENVELOPE)])).toBe(false);
    expect(isAssumeRoleFailure(null)).toBe(false);
    expect(isAssumeRoleFailure('AssumeRole')).toBe(false);
    const record = loadFixture('08-assumerole-root-caller.json') as Record<string, unknown>;
    expect(isAssumeRoleFailure({ ...record, eventName: undefined })).toBe(false);
    // A trimmed record without eventID is still a failed role assumption (it gets a derived id).
    expect(isAssumeRoleFailure({ ...record, eventID: undefined })).toBe(true);
    expect(isAssumeRoleFailure({ ...record, errorCode: '' })).toBe(false);
    expect(isAssumeRoleFailure({ ...record, eventSource: 'iam.amazonaws.com' })).toBe(false);
  });
});
