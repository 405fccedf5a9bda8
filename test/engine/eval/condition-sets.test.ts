/**
 * ForAllValues / ForAnyValue and multivalued keys, per AWS "Single-valued vs. multivalued context keys", "Multivalued
 * context key examples" and the multivalued tables of "IAM JSON policy elements: Condition operators".
 */
import { clause, contextOf, result, unknown } from './request-context-fixture';

const tags = (...keys: string[]) => contextOf({ 'aws:TagKeys': keys });
const none = contextOf({});
const unsure = contextOf({ 'aws:TagKeys': unknown('request parameters were not recorded') });

describe('ForAllValues with positive operators', () => {
  const allowed = ['PostDateTime', 'Message', 'Tags'];

  it('"true if every context key value in the request matches a context key value in the policy"', () => {
    expect(result('ForAllValues:StringEquals', 'aws:TagKeys', allowed, tags('PostDateTime', 'Message'))).toBe(true);
    expect(result('ForAllValues:StringEquals', 'aws:TagKeys', allowed, tags('PostDateTime', 'UserName'))).toBe(false);
  });

  it('"also returns true if there are no context keys in the request" or "a null dataset, such as an empty string"', () => {
    expect(result('ForAllValues:StringEquals', 'aws:TagKeys', allowed, none)).toBe(true);
    expect(result('ForAllValues:StringEquals', 'aws:TagKeys', allowed, tags())).toBe(true);
    expect(result('ForAllValues:StringEquals', 'aws:TagKeys', allowed, tags(''))).toBe(true);
  });

  it('ForAllValues:ArnLike: the logs:LogGeneratingResourceArns table', () => {
    const patterns = ['arn:aws:cloudfront::123456789012:distribution/*'];
    const ctxOf = (...v: string[]) => contextOf({ 'logs:LogGeneratingResourceArns': v });
    expect(
      result(
        'ForAllValues:ArnLike',
        'logs:LogGeneratingResourceArns',
        patterns,
        ctxOf(
          'arn:aws:cloudfront::123456789012:distribution/costcenter',
          'arn:aws:cloudfront::123456789012:distribution/support2025',
        ),
      ),
    ).toBe(true);
    expect(
      result(
        'ForAllValues:ArnLike',
        'logs:LogGeneratingResourceArns',
        patterns,
        ctxOf('arn:aws:cloudfront::777788889999:distribution/costcenter'),
      ),
    ).toBe(false);
    expect(result('ForAllValues:ArnLike', 'logs:LogGeneratingResourceArns', patterns, none)).toBe(true);
  });

  it('works over numeric and boolean families too ("boolean operators can be qualified with set operators")', () => {
    const flags = contextOf({ 'custom:flags': ['true', 'true'] });
    expect(result('ForAllValues:Bool', 'custom:flags', 'true', flags)).toBe(true);
    expect(result('ForAnyValue:Bool', 'custom:flags', 'false', flags)).toBe(false);
    expect(
      result('ForAllValues:NumericLessThan', 'custom:sizes', '10', contextOf({ 'custom:sizes': ['1', '9'] })),
    ).toBe(true);
  });
});

describe('ForAnyValue with positive operators', () => {
  it('"true if any one of the context key values in the request matches any one of the … values in the policy"', () => {
    expect(
      result('ForAnyValue:StringEquals', 'aws:TagKeys', ['ID', 'PostDateTime'], tags('UserName', 'PostDateTime')),
    ).toBe(true);
    expect(result('ForAnyValue:StringEquals', 'aws:TagKeys', ['ID', 'PostDateTime'], tags('UserName'))).toBe(false);
  });

  it('"ForAnyValue comparison is case sensitive" (environment vs Environment)', () => {
    expect(result('ForAnyValue:StringEquals', 'aws:TagKeys', 'environment', tags('Environment'))).toBe(false);
    expect(result('ForAnyValue:StringEquals', 'aws:TagKeys', 'environment', tags('environment', 'costcenter'))).toBe(
      true,
    );
  });

  it('"For no matching context key or if the key does not exist, the condition returns false"; empty data set too', () => {
    expect(result('ForAnyValue:StringEquals', 'aws:TagKeys', 'environment', none)).toBe(false);
    expect(result('ForAnyValue:StringEquals', 'aws:TagKeys', 'environment', tags())).toBe(false);
  });

  it('ForAnyValue:StringLike with several wildcards', () => {
    expect(result('ForAnyValue:StringLike', 'aws:TagKeys', 'cost*-?', tags('owner', 'costcenter-a'))).toBe(true);
  });
});

describe('set qualifiers with negated operators', () => {
  it('ForAllValues:StringNotEquals – "None of the values of the context key in the request can match"', () => {
    expect(result('ForAllValues:StringNotEquals', 'aws:TagKeys', ['Project'], tags('Owner', 'Team'))).toBe(true);
    expect(result('ForAllValues:StringNotEquals', 'aws:TagKeys', ['Project'], tags('Owner', 'Project'))).toBe(false);
  });

  it('ForAnyValue:StringNotEquals – "At least one context key value in the request must NOT match any of values"', () => {
    const allowed = ['Team', 'Environment'];
    expect(result('ForAnyValue:StringNotEquals', 'aws:TagKeys', allowed, tags('Team', 'Rogue'))).toBe(true);
    expect(result('ForAnyValue:StringNotEquals', 'aws:TagKeys', allowed, tags('Team', 'Environment'))).toBe(false);
  });

  it('ForAllValues:StringNotLike "key1*": the DenyRestrictedTags table (key1:legal no match, key2:audit match, none match)', () => {
    expect(result('ForAllValues:StringNotLike', 'aws:TagKeys', 'key1*', tags('key1:legal'))).toBe(false);
    expect(result('ForAllValues:StringNotLike', 'aws:TagKeys', 'key1*', tags('key1:hr', 'key1:personnel'))).toBe(false);
    expect(result('ForAllValues:StringNotLike', 'aws:TagKeys', 'key1*', tags('key2:audit'))).toBe(true);
    expect(result('ForAllValues:StringNotLike', 'aws:TagKeys', 'key1*', none)).toBe(true);
  });

  // The condition-operators page's DenyS3AccessOutsideMyBoundary table lists these two rows the other way round (and
  // the missing key as "No match"), which contradicts the operator's own definition on the same page ("None of the
  // values … can match") and the multivalued-examples page. We follow the definition; see conditions.ts.
  it('ForAllValues:StringNotLike on aws:ResourceOrgPaths: true only when no path is like a listed OU', () => {
    const ous = ['o-acorg/r-acroot/ou-acroot-mediaou/', 'o-acorg/r-acroot/ou-acroot-sportsou/*'];
    const paths = (p: string) => contextOf({ 'aws:ResourceOrgPaths': [p] });
    expect(
      result(
        'ForAllValues:StringNotLike',
        'aws:ResourceOrgPaths',
        ous,
        paths('o-acorg/r-acroot/ou-acroot-mediaou/costcenter/'),
      ),
    ).toBe(true);
    expect(
      result(
        'ForAllValues:StringNotLike',
        'aws:ResourceOrgPaths',
        ous,
        paths('o-acorg/r-acroot/ou-acroot-sportsou/costcenter/'),
      ),
    ).toBe(false);
  });

  it('ForAnyValue with a negated operator and an absent key is false; ForAllValues true', () => {
    expect(result('ForAnyValue:StringNotEquals', 'aws:TagKeys', 'Team', none)).toBe(false);
    expect(result('ForAllValues:ArnNotLike', 'aws:TagKeys', 'arn:*:*:*:*:*', none)).toBe(true);
  });
});

describe('set qualifiers with unknown keys, unknown variables and IfExists', () => {
  it('an unknown key is unknown for both qualifiers ("never false")', () => {
    expect(result('ForAllValues:StringEquals', 'aws:TagKeys', 'a', unsure)).toBe('unknown');
    expect(result('ForAnyValue:StringEquals', 'aws:TagKeys', 'a', unsure)).toBe('unknown');
    expect(clause('ForAnyValue:StringLike', 'aws:TagKeys', 'a', unsure).unknownReason).toBe(
      'request parameters were not recorded',
    );
  });

  it('an unknown variable leaves undecided only the values it could decide', () => {
    const ctx = contextOf({ 'aws:TagKeys': ['a', 'b'], 'aws:PrincipalTag/x': unknown('tags not fetched') });
    expect(result('ForAnyValue:StringEquals', 'aws:TagKeys', ['a', '${aws:PrincipalTag/x}'], ctx)).toBe(true);
    expect(result('ForAllValues:StringEquals', 'aws:TagKeys', ['a', '${aws:PrincipalTag/x}'], ctx)).toBe('unknown');
    expect(
      result(
        'ForAllValues:StringEquals',
        'aws:TagKeys',
        ['c', '${aws:PrincipalTag/x}'],
        contextOf({
          'aws:TagKeys': ['a'],
          'aws:PrincipalTag/x': unknown('tags not fetched'),
        }),
      ),
    ).toBe('unknown');
  });

  it('IfExists on a set operator: absent key true, present key evaluated', () => {
    expect(result('ForAnyValue:StringEqualsIfExists', 'aws:TagKeys', 'a', none)).toBe(true);
    expect(result('ForAnyValue:StringEqualsIfExists', 'aws:TagKeys', 'a', tags('b'))).toBe(false);
  });
});

describe('multivalued key without a set qualifier (docs: such keys "require a condition set operator")', () => {
  const services = contextOf({ 'aws:PrincipalServiceNamesList': ['ec2.amazonaws.com', 'ecs.amazonaws.com'] });

  it('a positive operator matches when any request value matches', () => {
    expect(result('StringEquals', 'aws:PrincipalServiceNamesList', 'ecs.amazonaws.com', services)).toBe(true);
    expect(result('StringEquals', 'aws:PrincipalServiceNamesList', 'sns.amazonaws.com', services)).toBe(false);
  });

  it('a negated operator is its complement: true only when no request value matches', () => {
    expect(result('StringNotEquals', 'aws:PrincipalServiceNamesList', 'ecs.amazonaws.com', services)).toBe(false);
    expect(result('StringNotEquals', 'aws:PrincipalServiceNamesList', 'sns.amazonaws.com', services)).toBe(true);
  });

  it('reports every request value as actual', () => {
    expect(clause('StringLike', 'aws:PrincipalServiceNamesList', '*', services).actual).toEqual([
      'ec2.amazonaws.com',
      'ecs.amazonaws.com',
    ]);
  });
});
