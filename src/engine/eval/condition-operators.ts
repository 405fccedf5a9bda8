/**
 * The IAM condition operators: parsing an operator name as written ("ForAnyValue:StringLikeIfExists") and comparing
 * one request value with one policy value. Set logic, absent/unknown keys and policy variables live in conditions.ts.
 *
 * Operator names are matched with AWS's exact spelling: IAM rejects other casings when a policy is stored
 * ("MalformedPolicyDocument: Invalid Condition type : stringEquals", seen in ministryofjustice/
 * modernisation-platform-environments#8893), whereas context KEY names are case-insensitive
 * ("Context key names are not case-sensitive", IAM JSON policy elements: Condition).
 */
import { BoundedCache } from './condition-cache';
import { arnMatch, globMatch } from './condition-glob';
import { binaryEquals, parseBool, parseDateValue, parseNumeric } from './condition-values';
import { ipInRange, parseIpAddress, parseIpRange } from './ip-address';

export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn';

/** An operator that compares request values with policy values. */
export interface ComparisonOperator {
  kind: 'comparison';
  name: string;
  family: OperatorFamily;
  /**
   * Negated operators (StringNotEquals, NotIpAddress, ArnNotLike…) are the complement of their positive form:
   * "If a single negated matching condition operator includes multiple values for a context key, those values are
   * evaluated using a logical NOR" (Conditions with multiple context keys or values).
   */
  negated: boolean;
  /**
   * Policy variables are substituted in values of String and ARN operators ("You can use a policy variable for
   * Condition values in any condition that involves the string operators or the ARN operators") and of Bool: the
   * condition operators page lists "Policy variables – Supported" for Boolean while the variables page lists Boolean
   * as unsupported. We follow the operator page; a literal "true"/"false" is unaffected either way.
   */
  allowsVariables: boolean;
  /** Policy values are wildcard patterns, so substituted text must keep its `*`/`?` literal. */
  patternValues: boolean;
  /** The positive comparison of one request value with one (substituted) policy value. */
  matches(requestValue: string, policyValue: string): boolean;
}

/** `Null`: "use either true (the key doesn't exist — it is null) or false (the key exists and its value is not null)". */
export interface NullOperator {
  kind: 'null';
  name: 'Null';
}

export type BaseOperator = ComparisonOperator | NullOperator;

export type SetQualifier = 'ForAllValues' | 'ForAnyValue';

export interface ParsedOperator {
  base: BaseOperator;
  setQualifier: SetQualifier | null;
  ifExists: boolean;
}

const lowerCased = new BoundedCache<string>();
const lower = (s: string) => lowerCased.get(s, (k) => k.toLowerCase());

function numeric(test: (request: number, policy: number) => boolean) {
  return (requestValue: string, policyValue: string) => {
    const request = parseNumeric(requestValue);
    const policy = parseNumeric(policyValue);
    return !Number.isNaN(request) && !Number.isNaN(policy) && test(request, policy);
  };
}

function date(test: (request: number, policy: number) => boolean) {
  return (requestValue: string, policyValue: string) => {
    const request = parseDateValue(requestValue);
    const policy = parseDateValue(policyValue);
    return request !== null && policy !== null && test(request, policy);
  };
}

type Comparator = ComparisonOperator['matches'];
const equal = (a: number, b: number) => a === b;
const stringEquals: Comparator = (r, p) => r === p;
const stringEqualsIgnoreCase: Comparator = (r, p) => r === p || lower(r) === lower(p);
const stringLike: Comparator = (r, p) => globMatch(p, r);
const arnLike: Comparator = (r, p) => arnMatch(p, r);
const bool: Comparator = (r, p) => {
  const request = parseBool(r);
  return request !== null && request === parseBool(p);
};
const binary: Comparator = (r, p) => binaryEquals(r, p);
const ipAddress: Comparator = (r, p) => {
  const range = parseIpRange(p);
  const address = range ? parseIpAddress(r) : null;
  return address !== null && range !== null && ipInRange(address, range);
};

const OPERATORS = new Map<string, BaseOperator>();

function define(name: string, family: OperatorFamily, negated: boolean, matches: Comparator, patternValues = false) {
  const allowsVariables = family === 'String' || family === 'Arn' || family === 'Bool';
  OPERATORS.set(name, { kind: 'comparison', name, family, negated, allowsVariables, patternValues, matches });
}

define('StringEquals', 'String', false, stringEquals);
define('StringNotEquals', 'String', true, stringEquals);
define('StringEqualsIgnoreCase', 'String', false, stringEqualsIgnoreCase);
define('StringNotEqualsIgnoreCase', 'String', true, stringEqualsIgnoreCase);
define('StringLike', 'String', false, stringLike, true);
define('StringNotLike', 'String', true, stringLike, true);
define('NumericEquals', 'Numeric', false, numeric(equal));
define('NumericNotEquals', 'Numeric', true, numeric(equal));
define(
  'NumericLessThan',
  'Numeric',
  false,
  numeric((r, p) => r < p),
);
define(
  'NumericLessThanEquals',
  'Numeric',
  false,
  numeric((r, p) => r <= p),
);
define(
  'NumericGreaterThan',
  'Numeric',
  false,
  numeric((r, p) => r > p),
);
define(
  'NumericGreaterThanEquals',
  'Numeric',
  false,
  numeric((r, p) => r >= p),
);
define('DateEquals', 'Date', false, date(equal));
define('DateNotEquals', 'Date', true, date(equal));
define(
  'DateLessThan',
  'Date',
  false,
  date((r, p) => r < p),
);
define(
  'DateLessThanEquals',
  'Date',
  false,
  date((r, p) => r <= p),
);
define(
  'DateGreaterThan',
  'Date',
  false,
  date((r, p) => r > p),
);
define(
  'DateGreaterThanEquals',
  'Date',
  false,
  date((r, p) => r >= p),
);
define('Bool', 'Bool', false, bool);
define('BinaryEquals', 'Binary', false, binary);
define('IpAddress', 'IpAddress', false, ipAddress);
define('NotIpAddress', 'IpAddress', true, ipAddress);
// "The ArnEquals and ArnLike condition operators behave identically" (and so do ArnNotEquals and ArnNotLike).
define('ArnEquals', 'Arn', false, arnLike, true);
define('ArnLike', 'Arn', false, arnLike, true);
define('ArnNotEquals', 'Arn', true, arnLike, true);
define('ArnNotLike', 'Arn', true, arnLike, true);
OPERATORS.set('Null', { kind: 'null', name: 'Null' });

const SET_PREFIXES: readonly SetQualifier[] = ['ForAllValues', 'ForAnyValue'];
const IF_EXISTS = 'IfExists';

function parseUncached(written: string): ParsedOperator | null {
  let name = written;
  let setQualifier: SetQualifier | null = null;
  for (const prefix of SET_PREFIXES) {
    if (name.startsWith(`${prefix}:`)) {
      setQualifier = prefix;
      name = name.slice(prefix.length + 1);
      break;
    }
  }
  let base = OPERATORS.get(name);
  let ifExists = false;
  if (!base && name.endsWith(IF_EXISTS)) {
    base = OPERATORS.get(name.slice(0, -IF_EXISTS.length));
    ifExists = true;
    // "You can add IfExists to the end of any condition operator name except the Null condition".
    if (base?.kind === 'null') return null;
  }
  if (!base) return null;
  // The docs define ForAllValues/ForAnyValue only for comparison operators; a set-qualified Null is not a documented
  // operator, so it is reported as unrecognised rather than given an invented meaning.
  if (base.kind === 'null' && setQualifier) return null;
  return { base, setQualifier, ifExists };
}

const parsedOperators = new BoundedCache<ParsedOperator | null>(1_000);

/** Parses an operator name as written in a policy; null when IAM would not recognise it. Cached. */
export function parseConditionOperator(written: string): ParsedOperator | null {
  return parsedOperators.get(written, parseUncached);
}
