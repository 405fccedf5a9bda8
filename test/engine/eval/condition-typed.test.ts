/**
 * Numeric, Date, Bool, Binary and Null operators, per AWS "IAM JSON policy elements: Condition operators".
 */
import { clause, contextOf, result, unknown } from './request-context-fixture';

const ctx = contextOf({
  's3:max-keys': '10',
  'aws:MultiFactorAuthAge': '3600.5',
  'aws:CurrentTime': '2024-06-15T12:00:00Z',
  'aws:EpochTime': '1718452800', // 2024-06-15T12:00:00Z
  'aws:TokenIssueTime': '2020-01-01T00:00:01Z',
  'aws:SecureTransport': 'true',
  'aws:MultiFactorAuthPresent': 'false',
  'custom:binary': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==',
  'custom:notANumber': 'ten',
  'custom:noValues': [],
  'aws:SourceVpce': unknown('VPC endpoint not recorded in the event'),
});

describe('Numeric operators ("comparing a key to an integer or decimal value")', () => {
  it('NumericLessThanEquals: the s3:max-keys "up to 10" example', () => {
    expect(result('NumericLessThanEquals', 's3:max-keys', '10', ctx)).toBe(true);
    expect(result('NumericLessThanEquals', 's3:max-keys', '9', ctx)).toBe(false);
  });

  it('each comparison operator, against integers and decimals', () => {
    expect(result('NumericEquals', 's3:max-keys', '10.0', ctx)).toBe(true);
    expect(result('NumericNotEquals', 's3:max-keys', ['9', '11'], ctx)).toBe(true);
    expect(result('NumericNotEquals', 's3:max-keys', ['9', '10'], ctx)).toBe(false);
    expect(result('NumericLessThan', 's3:max-keys', '10', ctx)).toBe(false);
    expect(result('NumericLessThan', 'aws:MultiFactorAuthAge', '3601', ctx)).toBe(true);
    expect(result('NumericGreaterThan', 'aws:MultiFactorAuthAge', '3600', ctx)).toBe(true);
    expect(result('NumericGreaterThanEquals', 's3:max-keys', '10', ctx)).toBe(true);
    expect(result('NumericGreaterThanEquals', 's3:max-keys', '11', ctx)).toBe(false);
  });

  it('a JSON number in the policy works like its string', () => {
    expect(result('NumericLessThanEquals', 's3:max-keys', 10, ctx)).toBe(true);
  });

  it('a value that is not a number never matches a positive operator', () => {
    expect(result('NumericEquals', 'custom:notANumber', '10', ctx)).toBe(false);
    expect(result('NumericLessThan', 's3:max-keys', 'eleven', ctx)).toBe(false);
    expect(result('NumericEquals', 's3:max-keys', '', ctx)).toBe(false);
  });

  it('absent key: false, but NumericNotEquals true; IfExists true; unknown stays unknown', () => {
    expect(result('NumericLessThan', 'custom:missing', '5', ctx)).toBe(false);
    expect(result('NumericNotEquals', 'custom:missing', '5', ctx)).toBe(true);
    expect(result('NumericLessThanIfExists', 'custom:missing', '5', ctx)).toBe(true);
    expect(result('NumericLessThan', 'aws:SourceVpce', '5', ctx)).toBe('unknown');
  });

  it('does not substitute policy variables ("Policy variables – Not supported")', () => {
    const c = clause('NumericEquals', 's3:max-keys', '${s3:max-keys}', ctx);
    expect(c.result).toBe(false);
    expect(c.expected).toEqual(['${s3:max-keys}']);
  });
});

describe('Date operators (W3C ISO 8601 or epoch time, in the policy and in the context)', () => {
  it('DateGreaterThan: the aws:TokenIssueTime "issued in 2020" example', () => {
    expect(result('DateGreaterThan', 'aws:TokenIssueTime', '2020-01-01T00:00:00Z', ctx)).toBe(true);
    expect(result('DateGreaterThan', 'aws:TokenIssueTime', '2020-01-01T00:00:01Z', ctx)).toBe(false);
  });

  it('an ISO policy value against an epoch context value, and the reverse', () => {
    expect(result('DateEquals', 'aws:EpochTime', '2024-06-15T12:00:00Z', ctx)).toBe(true);
    expect(result('DateEquals', 'aws:CurrentTime', '1718452800', ctx)).toBe(true);
    expect(result('DateLessThan', 'aws:EpochTime', '1718452801', ctx)).toBe(true);
    expect(result('DateGreaterThan', 'aws:CurrentTime', 1718452799, ctx)).toBe(true);
  });

  it('the shorter W3C forms (year, year-month, date, minutes) and zone offsets', () => {
    expect(result('DateGreaterThan', 'aws:CurrentTime', '2024', ctx)).toBe(true); // bare integer = epoch seconds
    expect(result('DateGreaterThan', 'aws:CurrentTime', '2024-06', ctx)).toBe(true);
    expect(result('DateLessThan', 'aws:CurrentTime', '2024-06-16', ctx)).toBe(true);
    expect(result('DateEquals', 'aws:CurrentTime', '2024-06-15T12:00Z', ctx)).toBe(true);
    expect(result('DateEquals', 'aws:CurrentTime', '2024-06-15T14:00:00+02:00', ctx)).toBe(true);
    expect(result('DateEquals', 'aws:CurrentTime', '2024-06-15T07:00:00.000-05:00', ctx)).toBe(true);
  });

  it('reads an all-digit value as epoch seconds, never as a year (docs silent; real epoch values have 10 digits)', () => {
    expect(result('DateLessThan', 'aws:CurrentTime', '2025', ctx)).toBe(false);
    expect(result('DateLessThan', 'aws:CurrentTime', '2025-01', ctx)).toBe(true);
  });

  it('each comparison operator at the boundary', () => {
    const at = '2024-06-15T12:00:00Z';
    expect(result('DateNotEquals', 'aws:CurrentTime', at, ctx)).toBe(false);
    expect(result('DateNotEquals', 'aws:CurrentTime', '2024-06-15T12:00:01Z', ctx)).toBe(true);
    expect(result('DateLessThan', 'aws:CurrentTime', at, ctx)).toBe(false);
    expect(result('DateLessThanEquals', 'aws:CurrentTime', at, ctx)).toBe(true);
    expect(result('DateGreaterThan', 'aws:CurrentTime', at, ctx)).toBe(false);
    expect(result('DateGreaterThanEquals', 'aws:CurrentTime', at, ctx)).toBe(true);
  });

  it('"Wildcards are not permitted" and unparsable dates do not match', () => {
    expect(result('DateEquals', 'aws:CurrentTime', '2024-06-*', ctx)).toBe(false);
    expect(result('DateLessThan', 'aws:CurrentTime', 'tomorrow', ctx)).toBe(false);
    expect(result('DateLessThan', 'aws:CurrentTime', '2024-13-01', ctx)).toBe(false);
  });

  it('absent aws:TokenIssueTime (long-term keys): "the values do not match"; DateNotEquals true', () => {
    const noToken = contextOf({});
    expect(result('DateGreaterThan', 'aws:TokenIssueTime', '2020-01-01T00:00:01Z', noToken)).toBe(false);
    expect(result('DateNotEquals', 'aws:TokenIssueTime', '2020-01-01T00:00:01Z', noToken)).toBe(true);
    expect(result('DateGreaterThanIfExists', 'aws:TokenIssueTime', '2020', noToken)).toBe(true);
  });
});

describe('Bool', () => {
  it('"comparing a key to true or false" – the aws:SecureTransport example', () => {
    expect(result('Bool', 'aws:SecureTransport', 'true', ctx)).toBe(true);
    expect(result('Bool', 'aws:SecureTransport', 'false', ctx)).toBe(false);
  });

  it('accepts JSON booleans and any letter case', () => {
    expect(result('Bool', 'aws:SecureTransport', true, ctx)).toBe(true);
    expect(result('Bool', 'aws:MultiFactorAuthPresent', 'FALSE', ctx)).toBe(true);
    expect(result('Bool', 'aws:MultiFactorAuthPresent', 'True', ctx)).toBe(false);
  });

  it('a value that is not a boolean does not match', () => {
    expect(result('Bool', 'aws:SecureTransport', 'yes', ctx)).toBe(false);
  });

  it('"No aws:SecureTransport in the request context" → no match; BoolIfExists → true', () => {
    const none = contextOf({});
    expect(result('Bool', 'aws:SecureTransport', 'false', none)).toBe(false);
    expect(result('BoolIfExists', 'aws:MultiFactorAuthPresent', 'true', none)).toBe(true);
    expect(result('Bool', 'aws:SourceVpce', 'true', ctx)).toBe('unknown');
  });

  it('substitutes policy variables (condition operators page: Boolean "Policy variables – Supported")', () => {
    expect(result('Bool', 'aws:SecureTransport', "${aws:PrincipalTag/requireTls, 'true'}", ctx)).toBe(true);
  });
});

describe('BinaryEquals ("byte for byte against a base-64 encoded representation")', () => {
  it('matches the same bytes and not others (the docs table)', () => {
    expect(result('BinaryEquals', 'custom:binary', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', ctx)).toBe(true);
    expect(result('BinaryEquals', 'custom:binary', 'QVNJQUlPU0ZPRE5ON0VYQU1QTEU=', ctx)).toBe(false);
  });

  it('invalid base64 does not match; absent key → no match', () => {
    expect(result('BinaryEquals', 'custom:binary', 'not base64!', ctx)).toBe(false);
    expect(result('BinaryEquals', 'custom:missing', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', ctx)).toBe(false);
  });
});

describe('Null ("true (the key doesn\'t exist — it is null) or false (the key exists and its value is not null)")', () => {
  it('Null:true holds only when the key is absent', () => {
    expect(result('Null', 'aws:TokenIssueTime', 'true', contextOf({}))).toBe(true);
    expect(result('Null', 'aws:TokenIssueTime', 'true', ctx)).toBe(false);
  });

  it('Null:false holds only when the key is present', () => {
    expect(result('Null', 'aws:TokenIssueTime', 'false', ctx)).toBe(true);
    expect(result('Null', 'aws:TokenIssueTime', 'false', contextOf({}))).toBe(false);
  });

  it('a present key with no values at all counts as null', () => {
    expect(result('Null', 'custom:noValues', 'true', ctx)).toBe(true);
  });

  it('accepts JSON booleans; other values never hold', () => {
    expect(result('Null', 'aws:TokenIssueTime', false, ctx)).toBe(true);
    expect(result('Null', 'aws:TokenIssueTime', 'maybe', ctx)).toBe(false);
  });

  it('an unknown key stays unknown, with the reason', () => {
    const c = clause('Null', 'aws:SourceVpce', 'true', ctx);
    expect(c.result).toBe('unknown');
    expect(c.unknownReason).toBe('VPC endpoint not recorded in the event');
  });

  it('"You can add IfExists … except the Null condition": NullIfExists is not an operator', () => {
    const c = clause('NullIfExists', 'aws:TokenIssueTime', 'true', ctx);
    expect(c.result).toBe(false);
    expect(c.invalidOperator).toBe(true);
  });
});
