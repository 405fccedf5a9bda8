/**
 * A small, strict implementation of EventBridge event-pattern matching, used to prove what the synthesized
 * rule pattern does and does not catch. It follows the semantics of AWS's reference matcher (aws/event-ruler,
 * `rulesForJSONEvent`) and the EventBridge user guide ("Content filtering in Amazon EventBridge event patterns"):
 *
 * - Fields at one level are ANDed; the values in a pattern list are ORed.
 * - A pattern list only ever matches LEAF values (string, number, boolean, null). An object is an intermediate
 *   node, not a value: `["x"]` never matches an object and `{exists: true}` is false for it.
 * - If the event value is an array, the array is "crushed out": the field matches when any element matches.
 *   Nested patterns under an array of objects must match within ONE element (array-consistent matching).
 * - `null` is a value: `[null]` matches `null`, `{exists: true}` matches a field whose value is `null`, and
 *   `""` and `null` are not interchangeable. A field that is absent has no value at all.
 *
 * Supported operators: exact values, `prefix`, `exists`, `anything-but` (a value, a list of values, or
 * `{prefix}`). Any other operator throws instead of silently not matching, so a pattern this matcher cannot
 * judge never passes a test by accident.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Leaf = null | boolean | number | string;

/** Marks "no such field" so it is never confused with a field whose value is null. */
const ABSENT: unique symbol = Symbol('absent');
type EventNode = Json | typeof ABSENT;

export class UnsupportedPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedPatternError';
  }
}

/** True when `event` matches the EventBridge event pattern `pattern`. Throws on malformed or unsupported patterns. */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  if (!isPlainObject(pattern)) {
    throw new UnsupportedPatternError('An event pattern must be a JSON object.');
  }
  return matchObject(pattern, toEventNode(event), '');
}

function matchObject(pattern: Record<string, unknown>, event: EventNode, path: string): boolean {
  // Array-consistent matching: every field of this sub-pattern must be satisfied by the same array element.
  if (Array.isArray(event)) {
    return event.some((element) => matchObject(pattern, element, path));
  }
  const fields = isPlainObject(event) ? event : undefined;
  return Object.entries(pattern).every(([key, subPattern]) => {
    const fieldPath = path === '' ? key : `${path}.${key}`;
    const value: EventNode = fields !== undefined && Object.hasOwn(fields, key) ? fields[key] : ABSENT;
    if (Array.isArray(subPattern)) {
      return matchField(subPattern, value, fieldPath);
    }
    if (isPlainObject(subPattern)) {
      return matchObject(subPattern, value, fieldPath);
    }
    throw new UnsupportedPatternError(
      `Pattern field "${fieldPath}" must be an array of values or a nested object, got ${JSON.stringify(subPattern)}.`,
    );
  });
}

/** A field matches when any of the pattern's alternatives matches. */
function matchField(alternatives: unknown[], value: EventNode, path: string): boolean {
  const leaves = leafValues(value);
  return alternatives.some((alternative) => matchAlternative(alternative, leaves, path));
}

/**
 * The leaf values an event field offers to a pattern list. An absent field and an object offer none; an array
 * offers the leaves of its elements (nested arrays are flattened, objects inside it are intermediate nodes).
 */
function leafValues(value: EventNode): Leaf[] {
  if (value === ABSENT) return [];
  if (Array.isArray(value)) return value.flatMap((element) => leafValues(element));
  if (isPlainObject(value)) return [];
  return [value];
}

function matchAlternative(alternative: unknown, leaves: Leaf[], path: string): boolean {
  if (isLeaf(alternative)) {
    return leaves.some((leaf) => leaf === alternative);
  }
  if (!isPlainObject(alternative)) {
    throw new UnsupportedPatternError(
      `Pattern value at "${path}" is not a JSON value or operator: ${JSON.stringify(alternative)}.`,
    );
  }
  const operators = Object.keys(alternative);
  if (operators.length !== 1) {
    throw new UnsupportedPatternError(
      `Pattern operator at "${path}" must have exactly one key, got ${JSON.stringify(alternative)}.`,
    );
  }
  const operator = operators[0];
  const operand = alternative[operator];
  switch (operator) {
    case 'prefix':
      return leaves.some((leaf) => typeof leaf === 'string' && leaf.startsWith(requireString(operand, path, 'prefix')));
    case 'exists':
      if (typeof operand !== 'boolean') {
        throw new UnsupportedPatternError(`"exists" at "${path}" takes true or false, got ${JSON.stringify(operand)}.`);
      }
      return operand ? leaves.length > 0 : leaves.length === 0;
    case 'anything-but':
      return matchAnythingBut(operand, leaves, path);
    default:
      throw new UnsupportedPatternError(
        `Pattern operator "${operator}" at "${path}" is not supported by this matcher.`,
      );
  }
}

/**
 * `anything-but` needs a value to compare: it never matches an absent field. With an array event value it
 * matches when any element is outside the excluded set (the array is crushed out like for every operator).
 */
function matchAnythingBut(operand: unknown, leaves: Leaf[], path: string): boolean {
  if (typeof operand === 'string' || typeof operand === 'number') {
    return leaves.some((leaf) => leaf !== operand);
  }
  if (Array.isArray(operand)) {
    const excluded: unknown[] = operand;
    const allStrings = excluded.every((item) => typeof item === 'string');
    const allNumbers = excluded.every((item) => typeof item === 'number');
    if (excluded.length === 0 || !(allStrings || allNumbers)) {
      throw new UnsupportedPatternError(
        `"anything-but" list at "${path}" must be non-empty and hold only strings or only numbers, got ${JSON.stringify(operand)}.`,
      );
    }
    const excludedSet = new Set<unknown>(operand);
    return leaves.some((leaf) => !excludedSet.has(leaf));
  }
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length === 1 && keys[0] === 'prefix') {
      const prefix = requireString(operand.prefix, path, 'anything-but prefix');
      return leaves.some((leaf) => typeof leaf === 'string' && !leaf.startsWith(prefix));
    }
  }
  throw new UnsupportedPatternError(
    `"anything-but" at "${path}" has an unsupported operand: ${JSON.stringify(operand)}.`,
  );
}

function requireString(operand: unknown, path: string, operator: string): string {
  if (typeof operand !== 'string') {
    throw new UnsupportedPatternError(`"${operator}" at "${path}" takes a string, got ${JSON.stringify(operand)}.`);
  }
  return operand;
}

function isLeaf(value: unknown): value is Leaf {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isPlainObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Events arrive parsed from JSON; `undefined` (not representable in JSON) is treated as an absent value. */
function toEventNode(event: unknown): EventNode {
  return event === undefined ? ABSENT : (event as Json);
}
