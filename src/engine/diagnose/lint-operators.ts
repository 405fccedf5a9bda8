import { isKnownConditionOperator } from '../eval/conditions';
import { closestWord, typoLimit } from './lint-catalog';

/** IAM's condition operator names, for suggesting the one a misspelt operator meant (lint.ts). */
const OPERATOR_NAMES = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
];

/** "ForAnyValue:stringequalsIfExist" → "ForAnyValue:StringEqualsIfExists", when a near spelling is valid. */
export function suggestOperator(operator: string): string | undefined {
  const qualifier = /^(ForAnyValue|ForAllValues):/i.exec(operator);
  let base = qualifier ? operator.slice(qualifier[0].length) : operator;
  const ifExists = /ifexists?$/i.test(base);
  if (ifExists) base = base.replace(/ifexists?$/i, '');
  const close = closestWord(base, OPERATOR_NAMES, typoLimit(base.length));
  if (!close) return undefined;
  const q = qualifier ? (qualifier[1].toLowerCase() === 'foranyvalue' ? 'ForAnyValue:' : 'ForAllValues:') : '';
  const candidate = `${q}${close}${ifExists ? 'IfExists' : ''}`;
  return isKnownConditionOperator(candidate) ? candidate : undefined;
}
