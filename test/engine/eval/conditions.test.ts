/**
 * Whole Condition blocks: AND/OR structure, three-valued combination, clause evidence and operator recognition.
 * Rules from AWS "Conditions with multiple context keys or values" and "IAM JSON policy elements: Condition operators".
 */
import { evaluateConditionBlock, isKnownConditionOperator } from '../../../src/engine/eval/conditions';
import type { ConditionBlock } from '../../../src/engine/iam/policy-types';
import { contextOf, unknown } from './request-context-fixture';

// The S3 bucket policy used by "Evaluation logic for multiple context keys or values".
const departmentAndRole: ConditionBlock = {
  StringEquals: {
    'aws:PrincipalTag/department': ['finance', 'hr', 'legal'],
    'aws:PrincipalTag/role': ['audit', 'security'],
  },
  ArnLike: {
    'aws:PrincipalArn': ['arn:aws:iam::222222222222:user/Ana', 'arn:aws:iam::222222222222:user/Mary'],
  },
};

const mary = 'arn:aws:iam::222222222222:user/Mary';
const nikki = 'arn:aws:iam::222222222222:user/Nikki';

describe('evaluateConditionBlock: AND across operators and keys, OR across values', () => {
  it.each([
    [
      'legal/audit/Mary → Match',
      { 'aws:PrincipalTag/department': 'legal', 'aws:PrincipalTag/role': 'audit', 'aws:PrincipalArn': mary },
      true,
    ],
    [
      'hr/audit/Nikki → No match',
      { 'aws:PrincipalTag/department': 'hr', 'aws:PrincipalTag/role': 'audit', 'aws:PrincipalArn': nikki },
      false,
    ],
    [
      'hr/payroll/Mary → No match',
      { 'aws:PrincipalTag/department': 'hr', 'aws:PrincipalTag/role': 'payroll', 'aws:PrincipalArn': mary },
      false,
    ],
    ['no role tag → No match', { 'aws:PrincipalTag/department': 'hr', 'aws:PrincipalArn': mary }, false],
    ['no principal tags → No match', { 'aws:PrincipalArn': mary }, false],
  ])('docs table row: %s', (_row, entries, expected) => {
    expect(evaluateConditionBlock(departmentAndRole, contextOf(entries)).result).toBe(expected);
  });

  it('the ArnNotLike variant: the principal ARN "must not match any of the aws:PrincipalArn values"', () => {
    const block: ConditionBlock = { ...departmentAndRole, ArnNotLike: departmentAndRole.ArnLike };
    delete block.ArnLike;
    const tagsOk = { 'aws:PrincipalTag/department': 'legal', 'aws:PrincipalTag/role': 'audit' };
    expect(evaluateConditionBlock(block, contextOf({ ...tagsOk, 'aws:PrincipalArn': nikki })).result).toBe(true);
    expect(evaluateConditionBlock(block, contextOf({ ...tagsOk, 'aws:PrincipalArn': mary })).result).toBe(false);
  });

  it('an empty or missing Condition block is true (the statement is unconditional)', () => {
    expect(evaluateConditionBlock(undefined, contextOf({}))).toEqual({ result: true, clauses: [] });
    expect(evaluateConditionBlock({}, contextOf({}))).toEqual({ result: true, clauses: [] });
  });

  it('reports one clause per operator/key pair, in policy order', () => {
    const { clauses } = evaluateConditionBlock(departmentAndRole, contextOf({}));
    expect(clauses.map((c) => `${c.operator} ${c.key}`)).toEqual([
      'StringEquals aws:PrincipalTag/department',
      'StringEquals aws:PrincipalTag/role',
      'ArnLike aws:PrincipalArn',
    ]);
  });
});

describe('three-valued combination', () => {
  const block: ConditionBlock = {
    StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' },
    Bool: { 'aws:MultiFactorAuthPresent': 'true' },
  };
  const unknownOrg = unknown('organization of the caller not in the snapshot');

  it('any false → false, even with an unknown clause beside it', () => {
    const ctx = contextOf({ 'aws:PrincipalOrgID': unknownOrg, 'aws:MultiFactorAuthPresent': 'false' });
    expect(evaluateConditionBlock(block, ctx).result).toBe(false);
  });

  it('no false and some unknown → unknown', () => {
    const ctx = contextOf({ 'aws:PrincipalOrgID': unknownOrg, 'aws:MultiFactorAuthPresent': 'true' });
    const evaluation = evaluateConditionBlock(block, ctx);
    expect(evaluation.result).toBe('unknown');
    expect(evaluation.clauses.map((c) => c.result)).toEqual(['unknown', true]);
  });

  it('all true → true', () => {
    const ctx = contextOf({ 'aws:PrincipalOrgID': 'o-abc123', 'aws:MultiFactorAuthPresent': 'true' });
    expect(evaluateConditionBlock(block, ctx).result).toBe(true);
  });
});

describe('clause evidence', () => {
  it('carries operator and key as written, expected values, request values and the result', () => {
    const ctx = contextOf({ 'sts:ExternalId': 'wrong-id' });
    const [c] = evaluateConditionBlock({ StringEquals: { 'STS:ExternalID': ['expected-id', 42] } }, ctx).clauses;
    expect(c).toEqual({
      operator: 'StringEquals',
      key: 'STS:ExternalID',
      expected: ['expected-id', '42'],
      actual: ['wrong-id'],
      result: false,
    });
  });

  it('actual is null for an absent key and for an unknown key (which also carries the reason)', () => {
    const ctx = contextOf({ 'aws:SourceIdentity': unknown('not recorded') });
    const { clauses } = evaluateConditionBlock(
      { StringEquals: { 'sts:ExternalId': 'x', 'aws:SourceIdentity': 'y' } },
      ctx,
    );
    expect(clauses[0]).toMatchObject({ actual: null, result: false });
    expect(clauses[0].unknownReason).toBeUndefined();
    expect(clauses[1]).toMatchObject({ actual: null, result: 'unknown', unknownReason: 'not recorded' });
  });
});

describe('operator recognition', () => {
  it.each([
    'StringEquals',
    'StringNotEqualsIgnoreCase',
    'StringLikeIfExists',
    'NumericGreaterThanEquals',
    'DateLessThanEqualsIfExists',
    'Bool',
    'BinaryEquals',
    'IpAddress',
    'NotIpAddressIfExists',
    'ArnNotLike',
    'Null',
    'ForAllValues:StringEquals',
    'ForAnyValue:StringNotLikeIfExists',
    'ForAllValues:ArnLike',
    'ForAnyValue:Bool',
  ])('%s is a known operator', (operator) => {
    expect(isKnownConditionOperator(operator)).toBe(true);
  });

  it.each([
    ['stringEquals', 'IAM rejects other casings ("Invalid Condition type : stringEquals")'],
    ['StringEqual', 'misspelt'],
    ['NullIfExists', '"except the Null condition"'],
    ['ForAllValues:Null', 'set qualifiers are defined for comparison operators only'],
    ['forallvalues:StringEquals', 'the qualifier is case-sensitive too'],
    ['ForAnyValues:StringEquals', 'the qualifier is ForAnyValue'],
    ['IfExists', 'a suffix alone'],
  ])('%s is not (%s)', (operator) => {
    expect(isKnownConditionOperator(operator)).toBe(false);
  });

  it('an unrecognised operator makes its clause false and flags it', () => {
    const evaluation = evaluateConditionBlock(
      { stringEquals: { 'aws:username': 'alice' } },
      contextOf({ 'aws:username': 'alice' }),
    );
    expect(evaluation.result).toBe(false);
    expect(evaluation.clauses[0]).toMatchObject({
      operator: 'stringEquals',
      invalidOperator: true,
      result: false,
      expected: ['alice'],
    });
  });

  it('an operator whose body is not a key map yields a false clause', () => {
    const malformed = { StringEquals: 'alice' } as unknown as ConditionBlock;
    expect(evaluateConditionBlock(malformed, contextOf({})).clauses).toEqual([
      { operator: 'StringEquals', key: '', expected: [], actual: null, result: false },
    ]);
  });
});

describe('performance', () => {
  it('evaluates a typical trust-policy condition block with every operator family to true', () => {
    const block: ConditionBlock = {
      StringEquals: { 'sts:ExternalId': 'ext-123', 'aws:PrincipalOrgID': ['o-abc', 'o-def'] },
      StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/deploy-${aws:PrincipalTag/team}-*' },
      ArnLike: { 'aws:SourceArn': 'arn:aws:iam::111111111111:role/*' },
      IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] },
      Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' },
      'ForAllValues:StringLike': { 'aws:TagKeys': ['team', 'env*'] },
    };
    const ctx = contextOf({
      'sts:ExternalId': 'ext-123',
      'aws:PrincipalOrgID': 'o-def',
      'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/deploy-blue-prod',
      'aws:PrincipalTag/team': 'blue',
      'aws:SourceArn': 'arn:aws:iam::111111111111:role/ci',
      'aws:SourceIp': '203.0.113.7',
      'aws:MultiFactorAuthPresent': 'true',
      'aws:CurrentTime': '2026-05-01T10:00:00Z',
      'aws:TagKeys': ['team', 'environment'],
    });
    // Its speed is measured by `npm run bench:engine`, not here: a timed test fails on a busy machine.
    expect(evaluateConditionBlock(block, ctx).result).toBe(true);
  });
});
