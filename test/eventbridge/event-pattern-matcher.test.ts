import { matchesEventPattern, UnsupportedPatternError } from '../../src/eventbridge/event-pattern-matcher';

/**
 * Cases come from the EventBridge user guide ("Content filtering in Amazon EventBridge event patterns",
 * "Matching null values and empty strings in Amazon EventBridge event patterns", "Arrays in Amazon
 * EventBridge event patterns") and from the README of aws/event-ruler, the matcher EventBridge uses.
 */

// The EC2 sample event used throughout the event-ruler README.
const ec2Event = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

// The Auto Scaling event from the "null values and empty strings" page.
const autoScalingEvent = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

describe('exact values', () => {
  it('matches when every field matches one of its listed values (fields AND, values OR)', () => {
    const pattern = {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
      detail: { state: ['initializing', 'running'] },
    };
    expect(matchesEventPattern(pattern, ec2Event)).toBe(true);
    expect(matchesEventPattern(pattern, { ...ec2Event, detail: { ...ec2Event.detail, state: 'stopped' } })).toBe(false);
  });

  it('fails when a single field does not match, whatever the others do', () => {
    expect(matchesEventPattern({ source: ['aws.ec2'], region: ['eu-west-1'] }, ec2Event)).toBe(false);
  });

  it('compares numbers and strings by type', () => {
    expect(matchesEventPattern({ detail: { 'c-count': [5] } }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ detail: { 'c-count': ['5'] } }, ec2Event)).toBe(false);
  });

  it('is case sensitive', () => {
    expect(matchesEventPattern({ source: ['AWS.EC2'] }, ec2Event)).toBe(false);
  });

  it('never matches an absent field', () => {
    expect(matchesEventPattern({ detail: { missing: ['running'] } }, ec2Event)).toBe(false);
    expect(matchesEventPattern({ nothere: { deeper: ['x'] } }, ec2Event)).toBe(false);
  });

  it('does not treat an object (intermediate node) as a value', () => {
    expect(matchesEventPattern({ detail: ['running'] }, ec2Event)).toBe(false);
  });

  it('matches an empty pattern against any event', () => {
    expect(matchesEventPattern({}, ec2Event)).toBe(true);
  });
});

describe('null values and empty strings', () => {
  it('matches an empty string with [""] and null with [null]', () => {
    expect(matchesEventPattern({ detail: { eventVersion: [''] } }, autoScalingEvent)).toBe(true);
    expect(matchesEventPattern({ detail: { responseElements: [null] } }, autoScalingEvent)).toBe(true);
  });

  it('does not interchange null and the empty string', () => {
    expect(matchesEventPattern({ detail: { responseElements: [''] } }, autoScalingEvent)).toBe(false);
    expect(matchesEventPattern({ detail: { eventVersion: [null] } }, autoScalingEvent)).toBe(false);
  });

  it('does not match [null] against an absent field', () => {
    expect(matchesEventPattern({ detail: { errorCode: [null] } }, autoScalingEvent)).toBe(false);
  });
});

describe('prefix', () => {
  it('matches string values by prefix', () => {
    expect(matchesEventPattern({ time: [{ prefix: '2017-10-02' }] }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ time: [{ prefix: '2017-10-03' }] }, ec2Event)).toBe(false);
  });

  it('only applies to strings', () => {
    expect(matchesEventPattern({ detail: { 'c-count': [{ prefix: '5' }] } }, ec2Event)).toBe(false);
  });

  it('ORs with exact values in the same list', () => {
    const pattern = { detail: { state: [{ prefix: 'stop' }, 'running'] } };
    expect(matchesEventPattern(pattern, ec2Event)).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { state: 'stopping' } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { state: 'pending' } })).toBe(false);
  });
});

describe('exists', () => {
  it('exists: true matches a present leaf and not an absent one', () => {
    expect(matchesEventPattern({ detail: { 'c-count': [{ exists: true }] } }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ detail: { 'e-count': [{ exists: true }] } }, ec2Event)).toBe(false);
  });

  it('exists: false matches an absent field and not a present one', () => {
    expect(matchesEventPattern({ detail: { 'e-count': [{ exists: false }] } }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ detail: { 'c-count': [{ exists: false }] } }, ec2Event)).toBe(false);
  });

  it('only works on leaf nodes: an object-valued field counts as not existing (event-ruler README)', () => {
    const event = { detail: { state: 'running', 'c-count': { c1: 100 } } };
    expect(matchesEventPattern({ detail: { 'c-count': [{ exists: false }] } }, event)).toBe(true);
    expect(matchesEventPattern({ detail: { 'c-count': [{ exists: true }] } }, event)).toBe(false);
  });

  it('treats a null value as present: the value of the field is not considered', () => {
    expect(matchesEventPattern({ detail: { responseElements: [{ exists: true }] } }, autoScalingEvent)).toBe(true);
    expect(matchesEventPattern({ detail: { responseElements: [{ exists: false }] } }, autoScalingEvent)).toBe(false);
  });

  it('exists: false matches when a parent object is missing altogether', () => {
    expect(matchesEventPattern({ nothere: { errorCode: [{ exists: false }] } }, ec2Event)).toBe(true);
  });

  it('an empty array offers no value, so exists: true does not match it', () => {
    expect(matchesEventPattern({ resources: [{ exists: true }] }, autoScalingEvent)).toBe(false);
    expect(matchesEventPattern({ resources: [{ exists: true }] }, ec2Event)).toBe(true);
  });
});

describe('anything-but', () => {
  it('excludes a single string or number', () => {
    expect(matchesEventPattern({ detail: { state: [{ 'anything-but': 'initializing' }] } }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ detail: { state: [{ 'anything-but': 'running' }] } }, ec2Event)).toBe(false);
    expect(matchesEventPattern({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ detail: { 'x-limit': [{ 'anything-but': 301.8 }] } }, ec2Event)).toBe(false);
  });

  it('excludes a list of strings or of numbers', () => {
    expect(matchesEventPattern({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, ec2Event)).toBe(
      true,
    );
    expect(matchesEventPattern({ detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } }, ec2Event)).toBe(
      false,
    );
    expect(matchesEventPattern({ detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ detail: { 'c-count': [{ 'anything-but': [4, 5, 6] }] } }, ec2Event)).toBe(false);
  });

  it('excludes a prefix', () => {
    expect(matchesEventPattern({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, ec2Event)).toBe(true);
    expect(matchesEventPattern({ detail: { state: [{ 'anything-but': { prefix: 'run' } }] } }, ec2Event)).toBe(false);
  });

  it('never matches an absent field: there is no value to compare', () => {
    expect(matchesEventPattern({ detail: { missing: [{ 'anything-but': 'x' }] } }, ec2Event)).toBe(false);
  });

  it('rejects a mixed-type list', () => {
    expect(() => matchesEventPattern({ detail: { state: [{ 'anything-but': ['a', 1] }] } }, ec2Event)).toThrow(
      UnsupportedPatternError,
    );
  });
});

describe('arrays in events', () => {
  it('matches when any element of an event array matches (set intersection)', () => {
    const event = {
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-1', 'arn:aws:ec2:us-east-1:123456789012:instance/i-2'],
    };
    expect(matchesEventPattern({ resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-2'] }, event)).toBe(true);
    expect(matchesEventPattern({ resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-3'] }, event)).toBe(false);
  });

  it('applies operators to each element', () => {
    const event = { tags: ['prod-eu', 'team-a'] };
    expect(matchesEventPattern({ tags: [{ prefix: 'team-' }] }, event)).toBe(true);
    expect(matchesEventPattern({ tags: [{ 'anything-but': 'prod-eu' }] }, event)).toBe(true);
    expect(matchesEventPattern({ tags: [{ 'anything-but': ['prod-eu', 'team-a'] }] }, event)).toBe(false);
  });

  const employees = {
    employees: [
      { firstName: 'John', lastName: 'Doe' },
      { firstName: 'Anna', lastName: 'Smith' },
      { firstName: 'Peter', lastName: 'Jones' },
    ],
  };

  it('crushes arrays of objects out of the pattern', () => {
    expect(matchesEventPattern({ employees: { firstName: ['Anna'] } }, employees)).toBe(true);
    const nested = { employees: [[employees.employees[0], employees.employees[1]], [employees.employees[2]]] };
    expect(matchesEventPattern({ employees: { firstName: ['Peter'] } }, nested)).toBe(true);
  });

  it('is array-consistent: two fields must come from the same array element', () => {
    expect(matchesEventPattern({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, employees)).toBe(true);
    expect(matchesEventPattern({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, employees)).toBe(false);
  });
});

describe('malformed or unsupported patterns', () => {
  it('throws for an operator it does not implement rather than returning false', () => {
    expect(() => matchesEventPattern({ detail: { 'c-count': [{ numeric: ['>', 0] }] } }, ec2Event)).toThrow(/numeric/);
    expect(() => matchesEventPattern({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, ec2Event)).toThrow(/cidr/);
  });

  it('throws for a scalar where a list or object is required', () => {
    expect(() => matchesEventPattern({ source: 'aws.ec2' }, ec2Event)).toThrow(UnsupportedPatternError);
    expect(() => matchesEventPattern(['aws.ec2'], ec2Event)).toThrow(UnsupportedPatternError);
  });

  it('throws for a bad exists operand', () => {
    expect(() => matchesEventPattern({ source: [{ exists: 'yes' }] }, ec2Event)).toThrow(/exists/);
  });
});
