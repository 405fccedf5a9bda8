import { matchesEventPattern } from '../../src/eventbridge/event-pattern-matcher';
import { onlyResourceOfType, synthesizeTrustGap } from '../lib/synth-trustgap';
import {
  type CloudTrailRecord,
  readFixture,
  singleRecordFixtures,
  succeeded,
  toEventBridgeEvent,
} from './cloudtrail-envelope';

/**
 * The rule's pattern, taken from the synthesized template (what `cdk deploy` ships), run against EventBridge
 * envelopes of realistic CloudTrail records. The denied records are the shared fixtures in test/fixtures/events.
 */
let pattern: unknown;
beforeAll(() => {
  const [, rule] = onlyResourceOfType(synthesizeTrustGap().json, 'AWS::Events::Rule');
  pattern = rule.Properties!.EventPattern;
});

const matches = (event: unknown) => matchesEventPattern(pattern, event);
const deniedFixtures = singleRecordFixtures();

describe('denied role assumptions match', () => {
  it('covers the four APIs and several error codes', () => {
    const apis = new Set(deniedFixtures.map(({ record }) => record.eventName));
    const errorCodes = new Set(deniedFixtures.map(({ record }) => record.errorCode));
    expect([...apis].sort()).toEqual(['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'AssumeRoot']);
    expect(errorCodes.size).toBeGreaterThanOrEqual(8);
    expect(deniedFixtures.every(({ record }) => typeof record.errorCode === 'string')).toBe(true);
  });

  it.each(deniedFixtures.map(({ file, record }) => [file, record.eventName, record.errorCode, record] as const))(
    '%s (%s, %s)',
    (_file, _api, _errorCode, record) => {
      expect(matches(toEventBridgeEvent(record))).toBe(true);
    },
  );

  it('the EventBridge envelope fixture, as delivered', () => {
    expect(matches(readFixture('28-eventbridge-envelope-assumerole.json'))).toBe(true);
  });

  it('a failure code the fixtures do not have (any errorCode is caught, not only AccessDenied)', () => {
    const [{ record }] = deniedFixtures;
    expect(matches(toEventBridgeEvent({ ...record, errorCode: 'ThrottlingException' }))).toBe(true);
  });
});

describe('everything else does not match', () => {
  it.each(deniedFixtures.map(({ file, record }) => [file, record] as const))(
    'the successful twin of %s',
    (_file, record) => {
      expect(matches(toEventBridgeEvent(succeeded(record)))).toBe(false);
    },
  );

  it.each([
    'GetCallerIdentity',
    'GetSessionToken',
    'GetFederationToken',
    'DecodeAuthorizationMessage',
    'GetAccessKeyInfo',
  ])('another STS API, denied: %s', (eventName) => {
    const [{ record }] = deniedFixtures;
    expect(matches(toEventBridgeEvent({ ...record, eventName }))).toBe(false);
  });

  it('a denied call of another service', () => {
    const [{ record }] = deniedFixtures;
    const createRole: CloudTrailRecord = { ...record, eventSource: 'iam.amazonaws.com', eventName: 'CreateRole' };
    expect(matches(toEventBridgeEvent(createRole))).toBe(false);
  });

  it('an "AssumeRole…" API of another service, even if the envelope claimed aws.sts', () => {
    const [{ record }] = deniedFixtures;
    const podIdentity: CloudTrailRecord = {
      ...record,
      eventSource: 'eks-auth.amazonaws.com',
      eventName: 'AssumeRoleForPodIdentity',
    };
    expect(matches(toEventBridgeEvent(podIdentity))).toBe(false);
    expect(matches(toEventBridgeEvent(podIdentity, { source: 'aws.sts' }))).toBe(false);
  });

  it('a denied STS record under another detail-type', () => {
    const [{ record }] = deniedFixtures;
    expect(matches(toEventBridgeEvent(record, { 'detail-type': 'AWS Service Event via CloudTrail' }))).toBe(false);
  });

  it('a raw CloudTrail record that is not wrapped in an EventBridge envelope', () => {
    const [{ record }] = deniedFixtures;
    expect(matches(record)).toBe(false);
  });
});

describe('the mixed CloudTrail log file, record by record', () => {
  const records = readFixture('29-cloudtrail-log-file-mixed.json').Records as CloudTrailRecord[];

  it('matches exactly the failed STS role assumptions', () => {
    const outcome = records.map((record) => [
      record.eventSource,
      record.eventName,
      record.errorCode ?? null,
      matches(toEventBridgeEvent(record)),
    ]);
    expect(outcome).toEqual([
      ['sts.amazonaws.com', 'AssumeRole', null, false],
      ['sts.amazonaws.com', 'GetCallerIdentity', null, false],
      ['sts.amazonaws.com', 'AssumeRoleWithWebIdentity', 'AccessDenied', true],
      ['s3.amazonaws.com', 'ListBuckets', 'AccessDenied', false],
      ['sts.amazonaws.com', 'AssumeRole', 'AccessDenied', true],
      ['eks-auth.amazonaws.com', 'AssumeRoleForPodIdentity', 'AccessDeniedException', false],
    ]);
  });
});

describe('errorCode presence versus null', () => {
  it('successful CloudTrail records carry no errorCode key at all (not a null one), which is what keeps them out', () => {
    const records = readFixture('29-cloudtrail-log-file-mixed.json').Records as CloudTrailRecord[];
    expect(records.filter((record) => !('errorCode' in record)).map((record) => record.eventName)).toEqual([
      'AssumeRole',
      'GetCallerIdentity',
    ]);
    expect(records.some((record) => record.errorCode === null)).toBe(false);
  });

  it('would match an explicit "errorCode": null, since exists only looks at presence; CloudTrail never logs one', () => {
    const [{ record }] = deniedFixtures;
    expect(matches(toEventBridgeEvent({ ...succeeded(record), errorCode: null }))).toBe(true);
  });
});
