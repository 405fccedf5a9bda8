/**
 * Policy variables, per AWS "IAM policy elements: Variables and tags" (reference_policies_variables).
 */
import {
  decodePatternLiterals,
  hasPolicyVariables,
  LITERAL_QUESTION,
  LITERAL_STAR,
  substituteForPattern,
  substitutePolicyVariables,
} from '../../../src/engine/eval/variables';
import { contextOf, unknown } from './request-context-fixture';

const ctx = contextOf({
  'aws:username': 'alice',
  'aws:PrincipalTag/team': 'blue',
  'saml:sub': 'alice@example.com',
  'aws:userid': unknown('the event does not carry the caller user id'),
  'aws:TagKeys': ['a', 'b'],
  'aws:PrincipalTag/odd': 'we*ird?',
});

describe('substitutePolicyVariables', () => {
  it('replaces ${key} with the request value ("IAM replaces the variable ${aws:username} with the friendly name")', () => {
    expect(substitutePolicyVariables('home/${aws:username}/', ctx)).toEqual({ kind: 'value', value: 'home/alice/' });
  });

  it('resolves tag and federation keys, several per value', () => {
    expect(substitutePolicyVariables('${aws:PrincipalTag/team}-${saml:sub}', ctx)).toEqual({
      kind: 'value',
      value: 'blue-alice@example.com',
    });
  });

  it('matches the variable key case-insensitively ("Key names are case-insensitive")', () => {
    expect(substitutePolicyVariables('${AWS:UserName}', ctx)).toEqual({ kind: 'value', value: 'alice' });
  });

  it('leaves a string without variables untouched', () => {
    expect(substitutePolicyVariables('arn:aws:s3:::bucket/*', ctx)).toEqual({
      kind: 'value',
      value: 'arn:aws:s3:::bucket/*',
    });
  });

  it('reports a variable whose key is not in the request as absent ("the value is effectively null")', () => {
    expect(substitutePolicyVariables('home/${aws:PrincipalTag/missing}', ctx)).toEqual({
      kind: 'absent',
      key: 'aws:PrincipalTag/missing',
    });
  });

  it('reports a variable whose key the context cannot tell as unknown, with the reason', () => {
    expect(substitutePolicyVariables('id-${aws:userid}', ctx)).toEqual({
      kind: 'unknown',
      key: 'aws:userid',
      reason: 'the event does not carry the caller user id',
    });
  });

  it('lets an absent variable win over an unknown one (a null anywhere makes the whole value null)', () => {
    expect(substitutePolicyVariables('${aws:userid}/${aws:nope}', ctx).kind).toBe('absent');
  });

  it('uses the default when the key is absent ("${aws:PrincipalTag/team, \'company-wide\'}")', () => {
    expect(substitutePolicyVariables("bucket-${aws:PrincipalTag/dept, 'company-wide'}", ctx)).toEqual({
      kind: 'value',
      value: 'bucket-company-wide',
    });
  });

  it('ignores the default when the key is present', () => {
    expect(substitutePolicyVariables("${aws:username, 'anonymous'}", ctx)).toEqual({ kind: 'value', value: 'alice' });
  });

  it('accepts a default written without the space after the comma', () => {
    expect(substitutePolicyVariables("${aws:nope,'anon'}", ctx)).toEqual({ kind: 'value', value: 'anon' });
  });

  it('keeps an unknown key unknown even with a default (whether the default applies is what we do not know)', () => {
    expect(substitutePolicyVariables("${aws:userid, 'anonymous'}", ctx).kind).toBe('unknown');
  });

  it('turns ${*}, ${?} and ${$} into the literal characters ("use where you need an * (asterisk) character")', () => {
    expect(substitutePolicyVariables('a${*}b${?}c${$}d', ctx)).toEqual({ kind: 'value', value: 'a*b?c$d' });
  });

  it('does not substitute a multivalued key ("you can\'t use a multivalued context key as a policy variable")', () => {
    expect(substitutePolicyVariables('${aws:TagKeys}', ctx).kind).toBe('absent');
    expect(substitutePolicyVariables("${aws:TagKeys, 'none'}", ctx)).toEqual({ kind: 'value', value: 'none' });
  });

  it('keeps an unterminated or empty ${ as literal text', () => {
    expect(substitutePolicyVariables('cost ${aws:username', ctx)).toEqual({
      kind: 'value',
      value: 'cost ${aws:username',
    });
    expect(substitutePolicyVariables('x${}y', ctx)).toEqual({ kind: 'value', value: 'x${}y' });
  });
});

describe('substituteForPattern', () => {
  it('encodes ${*} and ${?} so that a wildcard pattern treats them literally', () => {
    const sub = substituteForPattern('a*${*}${?}', ctx);
    expect(sub).toEqual({ kind: 'value', value: `a*${LITERAL_STAR}${LITERAL_QUESTION}` });
  });

  it('encodes wildcard characters that come from a substituted request value', () => {
    expect(substituteForPattern('${aws:PrincipalTag/odd}*', ctx)).toEqual({
      kind: 'value',
      value: `we${LITERAL_STAR}ird${LITERAL_QUESTION}*`,
    });
  });

  it('decodes back to human-readable text', () => {
    expect(decodePatternLiterals(`a*${LITERAL_STAR}${LITERAL_QUESTION}`)).toBe('a**?');
  });
});

describe('hasPolicyVariables', () => {
  it.each([
    ['${aws:username}', true],
    ["home/${aws:PrincipalTag/team, 'x'}/", true],
    ['${*}', true],
    ['plain', false],
    ['$not-a-variable', false],
    ['${unterminated', false],
    ['x${}y', false],
  ])('%s → %s', (s, expected) => {
    expect(hasPolicyVariables(s)).toBe(expected);
  });
});
