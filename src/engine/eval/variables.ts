/**
 * IAM policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, `${*}` …) resolved against a request
 * context. Rules, from AWS "IAM policy elements: Variables and tags" (reference_policies_variables):
 *  - "The variable is marked using a `$` prefix followed by a pair of curly braces"; the name inside is a context
 *    key, and "Key names are case-insensitive" (the RequestContext handles case).
 *  - Special characters: "${*} - use where you need an * (asterisk) character", "${?} … a ? (question mark)",
 *    "${$} … a $ (dollar sign)". They stay literal: a `${*}` in a StringLike value is not a wildcard.
 *  - Default values: "surround the default value with single quotes, and separate the variable text and the default
 *    value with a comma and space", e.g. `${aws:PrincipalTag/team, 'company-wide'}`.
 *  - "Policy variables with no value": a variable whose key has no value or is not present is "effectively null.
 *    There is no equal or like value" – reported here as `absent`, the caller decides what null matches.
 *  - "You can use any available single-valued context key as a policy variable, but you can't use a multivalued
 *    context key" (single- vs multivalued context keys page). The docs do not say what happens if one is used; we
 *    treat a multivalued key like a key with no value, which is the only reading under which no value is invented.
 * An unknown key (the context cannot tell) makes the substitution unknown, even when a default is given: whether
 * the default applies depends on the very fact we do not know.
 */
import { BoundedCache } from './condition-cache';
import type { RequestContext } from './context-types';

export type Substitution =
  | { kind: 'value'; value: string }
  | { kind: 'unknown'; reason: string; key: string }
  | { kind: 'absent'; key: string };

/** Private-use code points standing for a literal `*` / `?` inside a wildcard pattern (see {@link substituteForPattern}). */
export const LITERAL_STAR = '\uE000';
export const LITERAL_QUESTION = '\uE001';

type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'escape'; char: '*' | '?' | '$' }
  | { kind: 'variable'; key: string; defaultValue?: string };

const VARIABLE_BODY = /^\s*([^\s,'][^,']*?)\s*(?:,\s*'([^']*)'\s*)?$/;
const ANY_VARIABLE = /\$\{[^}]+\}/;

const parsedTemplates = new BoundedCache<TemplatePart[]>();

function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    const start = template.indexOf('${', i);
    const end = start < 0 ? -1 : template.indexOf('}', start + 2);
    if (start < 0 || end < 0) {
      // No further complete `${…}`: the rest is plain text (an unterminated `${` is not a variable).
      text += template.slice(i);
      break;
    }
    text += template.slice(i, start);
    const body = template.slice(start + 2, end);
    const variable = VARIABLE_BODY.exec(body);
    if (body === '*' || body === '?' || body === '$' || variable) {
      if (text) parts.push({ kind: 'text', text });
      text = '';
      if (body === '*' || body === '?' || body === '$') parts.push({ kind: 'escape', char: body });
      else if (variable) parts.push({ kind: 'variable', key: variable[1], defaultValue: variable[2] });
    } else {
      // `${}` or a malformed body: AWS documents no meaning for it, so it is kept as literal text.
      text += template.slice(start, end + 1);
    }
    i = end + 1;
  }
  if (text) parts.push({ kind: 'text', text });
  return parts;
}

/** True when the string contains a `${…}` policy variable (including the `${*}`, `${?}`, `${$}` escapes). */
export function hasPolicyVariables(s: string): boolean {
  return s.includes('${') && ANY_VARIABLE.test(s);
}

type VariableValue = { kind: 'value'; value: string } | { kind: 'unknown'; reason: string } | { kind: 'absent' };

function resolveVariable(key: string, defaultValue: string | undefined, ctx: RequestContext): VariableValue {
  const found = ctx.lookup(key);
  if (found.state === 'unknown') return { kind: 'unknown', reason: found.reason };
  const single = found.state === 'present' && !found.multiValued && found.values.length === 1;
  if (single) return { kind: 'value', value: found.values[0] };
  return defaultValue !== undefined ? { kind: 'value', value: defaultValue } : { kind: 'absent' };
}

function substitute(template: string, ctx: RequestContext, forPattern: boolean): Substitution {
  if (!template.includes('${')) return { kind: 'value', value: template };
  const parts = parsedTemplates.get(template, parseTemplate);
  let value = '';
  let unknown: Substitution | undefined;
  for (const part of parts) {
    if (part.kind === 'text') {
      value += part.text;
    } else if (part.kind === 'escape') {
      value += forPattern ? encodeLiteral(part.char) : part.char;
    } else {
      const resolved = resolveVariable(part.key, part.defaultValue, ctx);
      // A null variable makes the whole value null whatever else is unknown, so `absent` wins over `unknown`.
      if (resolved.kind === 'absent') return { kind: 'absent', key: part.key };
      if (resolved.kind === 'unknown') unknown ??= { kind: 'unknown', reason: resolved.reason, key: part.key };
      else value += forPattern ? encodeLiteralWildcards(resolved.value) : resolved.value;
    }
  }
  return unknown ?? { kind: 'value', value };
}

/** Replaces every policy variable in `template` with its request value; `${*}`, `${?}`, `${$}` become `*`, `?`, `$`. */
export function substitutePolicyVariables(template: string, ctx: RequestContext): Substitution {
  return substitute(template, ctx, false);
}

/**
 * Like {@link substitutePolicyVariables}, for values that are wildcard patterns (StringLike, ArnLike…): a `*` or `?`
 * that comes from `${*}`/`${?}` or from a substituted request value must match itself only, so it is emitted as
 * {@link LITERAL_STAR}/{@link LITERAL_QUESTION}; the glob compiler turns those back into literal characters.
 * (The docs do not say whether a `*` inside a substituted value is a wildcard; IAM names and tag values cannot
 * contain `*` or `?`, and treating them literally is the reading that never widens a match.)
 */
export function substituteForPattern(template: string, ctx: RequestContext): Substitution {
  return substitute(template, ctx, true);
}

function encodeLiteral(char: '*' | '?' | '$'): string {
  return char === '*' ? LITERAL_STAR : char === '?' ? LITERAL_QUESTION : '$';
}

function encodeLiteralWildcards(value: string): string {
  if (!value.includes('*') && !value.includes('?')) return value;
  return value.replace(/\*/g, LITERAL_STAR).replace(/\?/g, LITERAL_QUESTION);
}

/** Turns an encoded pattern back into the text a human wrote/would read (for evidence output). */
export function decodePatternLiterals(pattern: string): string {
  if (!pattern.includes(LITERAL_STAR) && !pattern.includes(LITERAL_QUESTION)) return pattern;
  return pattern.replace(/\uE000/g, '*').replace(/\uE001/g, '?');
}
