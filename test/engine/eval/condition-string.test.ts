/**
 * String condition operators, per AWS "IAM JSON policy elements: Condition operators" (String condition operators),
 * "Conditions with multiple context keys or values" and "Variables and tags" (Policy variables with no value).
 */
import { clause, contextOf, result, unknown } from './request-context-fixture';

const ctx = contextOf({
  'aws:PrincipalTag/job-category': 'iamuser-admin',
  'aws:username': 'alice',
  's3:prefix': 'home/alice/docs',
  'aws:RequestTag/environment': 'PreProd',
  'aws:PrincipalTag/team': 'blue',
  's3:ExistingObjectTag/Team': 'blue',
  'ec2:InstanceType': 't2.micro',
  'aws:SourceVpc': unknown('the CloudTrail event does not say which VPC the call came from'),
  's3:max-keys': '10',
  'custom:flag': 'true',
  'custom:literal': 'a*b',
  'custom:empty': '',
});

describe('StringEquals / StringNotEquals', () => {
  it('"Exact matching, case sensitive": matches the same string only', () => {
    expect(result('StringEquals', 'aws:PrincipalTag/job-category', 'iamuser-admin', ctx)).toBe(true);
    expect(result('StringEquals', 'aws:PrincipalTag/job-category', 'IAMUSER-ADMIN', ctx)).toBe(false);
    expect(result('StringEquals', 'aws:PrincipalTag/job-category', 'dev-ops', ctx)).toBe(false);
  });

  it('looks the key up case-insensitively ("Context key names are not case-sensitive")', () => {
    expect(result('StringEquals', 'AWS:PRINCIPALTAG/JOB-CATEGORY', 'iamuser-admin', ctx)).toBe(true);
  });

  it('ORs multiple policy values ("multiple values for a context key … logical OR")', () => {
    expect(result('StringEquals', 'aws:username', ['bob', 'alice'], ctx)).toBe(true);
  });

  it('does not treat * as a wildcard ("You must specify wildcards [StringLike] to achieve partial string matches")', () => {
    expect(result('StringEquals', 'aws:username', 'ali*', ctx)).toBe(false);
    expect(result('StringEquals', 'custom:literal', 'a*b', ctx)).toBe(true);
  });

  it('NORs values for the negated operator ("a single negated matching condition operator … logical NOR")', () => {
    expect(result('StringNotEquals', 'aws:username', ['bob', 'carol'], ctx)).toBe(true);
    expect(result('StringNotEquals', 'aws:username', ['bob', 'alice'], ctx)).toBe(false);
  });

  it('absent key: positive false ("the values do not match"), negated true ("the right key is not present … true")', () => {
    expect(result('StringEquals', 'aws:PrincipalTag/missing', 'x', ctx)).toBe(false);
    expect(result('StringNotEquals', 'aws:PrincipalTag/missing', 'x', ctx)).toBe(true);
  });

  it('unknown key: unknown, never false, with the context reason', () => {
    const c = clause('StringEquals', 'aws:SourceVpc', 'vpc-1', ctx);
    expect(c.result).toBe('unknown');
    expect(c.unknownReason).toBe('the CloudTrail event does not say which VPC the call came from');
    expect(result('StringNotEquals', 'aws:SourceVpc', 'vpc-1', ctx)).toBe('unknown');
  });

  it('compares JSON numbers and booleans in the policy as the strings they spell', () => {
    expect(result('StringEquals', 's3:max-keys', 10, ctx)).toBe(true);
    expect(result('StringEquals', 'custom:flag', true, ctx)).toBe(true);
    expect(clause('StringEquals', 's3:max-keys', [10, false], ctx).expected).toEqual(['10', 'false']);
  });

  it('an empty string value matches an empty string only', () => {
    expect(result('StringEquals', 'custom:empty', '', ctx)).toBe(true);
    expect(result('StringEquals', 'custom:empty', 'x', ctx)).toBe(false);
  });
});

describe('StringEqualsIgnoreCase / StringNotEqualsIgnoreCase', () => {
  it('"Exact matching, ignoring case" (the PreProd example in the docs)', () => {
    expect(result('StringEqualsIgnoreCase', 'aws:RequestTag/environment', ['preprod', 'storage'], ctx)).toBe(true);
    expect(result('StringEqualsIgnoreCase', 'aws:RequestTag/environment', 'prod', ctx)).toBe(false);
  });

  it('"Negated matching, ignoring case"', () => {
    expect(result('StringNotEqualsIgnoreCase', 'aws:RequestTag/environment', 'PREPROD', ctx)).toBe(false);
    expect(result('StringNotEqualsIgnoreCase', 'aws:RequestTag/environment', 'prod', ctx)).toBe(true);
    expect(result('StringNotEqualsIgnoreCase', 'aws:RequestTag/missing', 'prod', ctx)).toBe(true);
  });
});

describe('StringLike / StringNotLike', () => {
  it('"multi-character match wildcards (*) … anywhere in the string"', () => {
    expect(result('StringLike', 'ec2:InstanceType', ['t1.*', 't2.*', 'm3.*'], ctx)).toBe(true);
    expect(result('StringLike', 'ec2:InstanceType', '*.micro', ctx)).toBe(true);
    expect(result('StringLike', 'ec2:InstanceType', 't*c*o', ctx)).toBe(true);
    expect(result('StringLike', 'ec2:InstanceType', 'm*', ctx)).toBe(false);
  });

  it('"single-character match wildcards (?)", several in one value', () => {
    expect(result('StringLike', 'ec2:InstanceType', 't?.m?cro', ctx)).toBe(true);
    expect(result('StringLike', 'ec2:InstanceType', 't?.micr', ctx)).toBe(false);
    expect(result('StringLike', 'ec2:InstanceType', 't??micro', ctx)).toBe(true);
  });

  it('mixes * and ? and treats regex syntax literally', () => {
    expect(result('StringLike', 's3:prefix', 'home/*/d?cs', ctx)).toBe(true);
    expect(result('StringLike', 's3:prefix', 'home/.*', ctx)).toBe(false);
    expect(result('StringLike', 'custom:literal', 'a*', ctx)).toBe(true);
  });

  it('is "Case-sensitive matching"', () => {
    expect(result('StringLike', 'ec2:InstanceType', 'T2.*', ctx)).toBe(false);
  });

  it('"Negated case-sensitive matching" with NOR over values; absent key is true', () => {
    expect(result('StringNotLike', 'ec2:InstanceType', ['m3.*', 'c5.*'], ctx)).toBe(true);
    expect(result('StringNotLike', 'ec2:InstanceType', ['m3.*', 't2.*'], ctx)).toBe(false);
    expect(result('StringNotLike', 'ec2:Missing', 't2.*', ctx)).toBe(true);
    expect(result('StringLike', 'ec2:Missing', '*', ctx)).toBe(false);
  });
});

describe('...IfExists on string operators', () => {
  it('"If the key is not present, evaluate the condition element as true" (StringLikeIfExists table)', () => {
    expect(result('StringLikeIfExists', 'ec2:Missing', 't1.*', ctx)).toBe(true);
    expect(result('StringLikeIfExists', 'ec2:InstanceType', 't2.*', ctx)).toBe(true);
    expect(result('StringLikeIfExists', 'ec2:InstanceType', 'm2.*', ctx)).toBe(false);
  });

  it('negated IfExists: absent key true, present key evaluated', () => {
    expect(result('StringNotEqualsIfExists', 'aws:PrincipalTag/missing', 'x', ctx)).toBe(true);
    expect(result('StringNotEqualsIfExists', 'aws:username', 'alice', ctx)).toBe(false);
  });

  it('unknown key stays unknown: we cannot tell whether it exists', () => {
    expect(result('StringEqualsIfExists', 'aws:SourceVpc', 'vpc-1', ctx)).toBe('unknown');
  });
});

describe('policy variables in string values', () => {
  it('substitutes the request value ("home/${aws:username}/" example)', () => {
    const c = clause('StringLike', 's3:prefix', ['', 'home/', 'home/${aws:username}/*'], ctx);
    expect(c.result).toBe(true);
    expect(c.expected).toEqual(['', 'home/', 'home/alice/*']);
  });

  it('compares a key with another key through a variable (ExistingObjectTag vs PrincipalTag)', () => {
    expect(result('StringEquals', 's3:ExistingObjectTag/Team', '${aws:PrincipalTag/team}', ctx)).toBe(true);
    expect(result('StringNotEquals', 's3:ExistingObjectTag/Team', '${aws:PrincipalTag/team}', ctx)).toBe(false);
  });

  it('a variable with no value: positive operators "do not match", inverted operators "do match"', () => {
    expect(result('StringEquals', 's3:ExistingObjectTag/Team', '${aws:PrincipalTag/Nope}', ctx)).toBe(false);
    expect(result('StringLike', 's3:prefix', 'home/${aws:PrincipalTag/Nope}/*', ctx)).toBe(false);
    expect(result('StringNotEquals', 's3:ExistingObjectTag/Team', '${aws:PrincipalTag/Nope}', ctx)).toBe(true);
  });

  it('uses the default value when the variable key is absent', () => {
    expect(result('StringEquals', 'aws:PrincipalTag/team', "${aws:PrincipalTag/Nope, 'blue'}", ctx)).toBe(true);
  });

  it('an unknown variable makes the clause unknown with the variable named in the reason', () => {
    const c = clause('StringEquals', 'aws:username', '${aws:SourceVpc}', ctx);
    expect(c.result).toBe('unknown');
    expect(c.unknownReason).toContain('${aws:SourceVpc}');
    expect(c.unknownReason).toContain('does not say which VPC');
    expect(c.expected).toEqual(['${aws:SourceVpc}']);
  });

  it('an unknown variable does not hide a value that matches anyway (OR is decided by the true value)', () => {
    expect(result('StringEquals', 'aws:username', ['${aws:SourceVpc}', 'alice'], ctx)).toBe(true);
    expect(result('StringNotEquals', 'aws:username', ['${aws:SourceVpc}', 'alice'], ctx)).toBe(false);
  });

  it('${*} is a literal asterisk, not a wildcard ("inserting an * … would be interpreted as a wildcard")', () => {
    expect(result('StringLike', 'custom:literal', 'a${*}b', ctx)).toBe(true);
    expect(result('StringLike', 'custom:literal', 'a${*}', ctx)).toBe(false);
    expect(result('StringLike', 'custom:literal', 'a${?}b', ctx)).toBe(false);
    expect(clause('StringLike', 'custom:literal', 'a${*}b', ctx).expected).toEqual(['a*b']);
  });
});
