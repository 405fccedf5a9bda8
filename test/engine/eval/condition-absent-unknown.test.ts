/**
 * The documented results for a key that is absent, empty, single- or multivalued, and the three-valued rule that a key
 * the event cannot tell stays unknown through every qualifier. One table per rule, each row citing the IAM User Guide
 * page it comes from:
 *  - "IAM JSON policy elements: Condition operators" (CO): "If the key that you specify in a policy condition is not
 *    present in the request context, the values do not match and the condition is false. If the policy condition
 *    requires that the key is not matched, such as StringNotLike or ArnNotLike, and the right key is not present, the
 *    condition is true. This logic applies to all condition operators except ...IfExists and Null check."
 *  - "...IfExists condition operators" (IE): "If the policy key is present in the context of the request, process the
 *    key as specified in the policy. If the key is not present, evaluate the condition element as true."
 *  - "Condition operator to check existence of condition keys" (NULL): "true (the key doesn't exist — it is null) or
 *    false (the key exists and its value is not null)".
 *  - "Single-valued vs. multivalued context keys" (SM): ForAllValues "returns true if there are no context keys in the
 *    request"; ForAnyValue: "if the key does not exist, the condition returns false".
 */
import { evaluateConditionBlock } from '../../../src/engine/eval/conditions';
import type { Tri } from '../../../src/engine/eval/context-types';
import type { ConditionValue } from '../../../src/engine/iam/policy-types';
import { type ContextEntry, contextOf, result, unknown } from './request-context-fixture';

type Row = [operator: string, policy: ConditionValue | ConditionValue[], request: ContextEntry | null, expected: Tri];

const KEY = 'test:key';
const NOT_LOGGED = unknown('requestParameters were not logged');

/** One row: `request` null means the key is absent from the request context. */
function check(
  operator: string,
  policy: ConditionValue | ConditionValue[],
  request: ContextEntry | null,
  expected: Tri,
) {
  expect(result(operator, KEY, policy, contextOf(request === null ? {} : { [KEY]: request }))).toBe(expected);
}

describe('absent key (CO, IE, NULL, SM)', () => {
  const rows: Row[] = [
    ['StringEquals', 'a', null, false], // CO: "the values do not match and the condition is false"
    ['StringLike', '*', null, false], // CO: even a match-everything pattern needs a value
    ['ArnLike', 'arn:*', null, false],
    ['NumericLessThan', '5', null, false],
    ['DateGreaterThan', '2020-01-01T00:00:00Z', null, false],
    ['Bool', 'false', null, false], // CO: Bool false is not "absent"; BoolIfExists is the idiom for that
    ['IpAddress', '10.0.0.0/8', null, false],
    ['StringNotEquals', 'a', null, true], // CO: "requires that the key is not matched … the condition is true"
    ['StringNotLike', 'a*', null, true],
    ['StringNotEqualsIgnoreCase', 'A', null, true],
    ['ArnNotLike', 'arn:aws:iam::*:role/x', null, true],
    ['ArnNotEquals', 'arn:aws:iam::111122223333:role/x', null, true],
    ['NumericNotEquals', '5', null, true],
    ['DateNotEquals', '2020-01-01T00:00:00Z', null, true],
    ['NotIpAddress', '10.0.0.0/8', null, true],
    ['StringEqualsIfExists', 'a', null, true], // IE: "If the key is not present, evaluate the condition element as true"
    ['BoolIfExists', 'true', null, true],
    ['ArnLikeIfExists', 'arn:*', null, true],
    ['StringNotEqualsIfExists', 'a', null, true],
    ['Null', 'true', null, true], // NULL: "true (the key doesn't exist — it is null)"
    ['Null', 'false', null, false],
    ['ForAllValues:StringEquals', 'a', null, true], // SM: "true if there are no context keys in the request"
    ['ForAllValues:StringNotLike', 'a*', null, true],
    ['ForAnyValue:StringEquals', 'a', null, false], // SM: "if the key does not exist, the condition returns false"
    ['ForAnyValue:StringNotEquals', 'a', null, false],
    ['ForAnyValue:StringEqualsIfExists', 'a', null, true], // IE wins: the qualifier only matters once the key exists
  ];
  it.each(rows)('%s %j with the key absent → %s', check);
});

describe('empty multivalued key: "a null dataset, such as an empty string" (SM)', () => {
  const rows: Row[] = [
    ['ForAllValues:StringEquals', 'a', [], true],
    ['ForAllValues:StringEquals', 'a', [''], true],
    ['ForAnyValue:StringEquals', 'a', [], false],
    ['ForAnyValue:StringLike', '*', [''], false],
    ['Null', 'true', [], true], // NULL: a key with no values is null
  ];
  it.each(rows)('%s %j with request %j → %s', check);
});

describe('present key: IfExists behaves as its base operator (IE: "process the key as specified in the policy")', () => {
  const rows: Row[] = [
    ['StringEqualsIfExists', 'a', 'a', true],
    ['StringEqualsIfExists', 'a', 'b', false],
    ['StringNotEqualsIfExists', 'a', 'a', false],
    ['BoolIfExists', 'true', 'false', false],
    ['NumericLessThanIfExists', '10', '3', true],
    ['ArnNotLikeIfExists', 'arn:aws:iam::*:role/ci-*', 'arn:aws:iam::111122223333:role/ci-build', false],
    ['Null', 'true', 'a', false],
    ['Null', 'false', 'a', true],
  ];
  it.each(rows)('%s %j with request %j → %s', check);
});

describe('multivalued key (SM): set qualifiers, and a single-valued operator on it', () => {
  const rows: Row[] = [
    ['ForAllValues:StringEquals', ['a', 'b'], ['a', 'b'], true], // every request value is in the policy set
    ['ForAllValues:StringEquals', ['a', 'b'], ['a', 'c'], false],
    ['ForAnyValue:StringEquals', ['a', 'b'], ['c', 'b'], true], // at least one request value is in the policy set
    ['ForAnyValue:StringEquals', ['a', 'b'], ['c', 'd'], false],
    ['ForAllValues:StringNotEquals', 'a', ['b', 'c'], true], // "None of the values … can match"
    ['ForAllValues:StringNotEquals', 'a', ['a', 'c'], false],
    ['ForAnyValue:StringNotEquals', 'a', ['a', 'c'], true], // "At least one … must NOT match"
    ['ForAnyValue:StringNotEquals', 'a', ['a'], false],
    // Without a qualifier the docs say only that multivalued keys "require a condition set operator"; any request
    // value matching counts, and the negated operator is its complement (conditions.ts).
    ['StringEquals', 'b', ['a', 'b'], true],
    ['StringEquals', 'c', ['a', 'b'], false],
    ['StringNotEquals', 'b', ['a', 'b'], false],
    ['StringNotEquals', 'c', ['a', 'b'], true],
  ];
  it.each(rows)('%s %j with request %j → %s', check);
});

describe('unknown stays unknown through every qualifier, IfExists, Null and negation (Kleene logic)', () => {
  const operators = [
    'StringEquals',
    'StringNotEquals',
    'StringLike',
    'ArnNotLike',
    'Bool',
    'NumericGreaterThan',
    'StringEqualsIfExists',
    'StringNotLikeIfExists',
    'BoolIfExists',
    'ForAllValues:StringEquals',
    'ForAllValues:StringNotEquals',
    'ForAnyValue:StringLike',
    'ForAnyValue:StringNotLike',
    'ForAllValues:StringEqualsIfExists',
    'Null',
  ];
  it.each(operators)('%s on a key the event cannot tell is unknown, never true or false', (operator) => {
    const values = operator === 'Null' ? ['true', 'false'] : ['x', '*'];
    for (const v of values) expect(result(operator, KEY, v, contextOf({ [KEY]: NOT_LOGGED }))).toBe('unknown');
  });

  it('an unknown clause ANDed with a false one is false, with a true one unknown ("logical AND", CO)', () => {
    const ctx = contextOf({ [KEY]: NOT_LOGGED, 'test:known': 'v' });
    const block = (known: string) => ({ StringEquals: { [KEY]: 'x', 'test:known': known } });
    expect(evaluateConditionBlock(block('other'), ctx).result).toBe(false);
    expect(evaluateConditionBlock(block('v'), ctx).result).toBe('unknown');
  });
});
