/**
 * Wildcard matching for StringLike/StringNotLike and the ARN operators.
 * AWS (condition operators): StringLike is "Case-sensitive matching. The values can include multi-character match
 * wildcards (*) and single-character match wildcards (?) anywhere in the string"; for ArnEquals/ArnLike "Each of the
 * six colon-delimited components of the ARN is checked separately and each can include multi-character match
 * wildcards (*) or single-character match wildcards (?). The ArnEquals and ArnLike condition operators behave
 * identically." The docs' own example: pattern `arn:aws:someservice:*:111122223333:finance/*` does not ArnLike-match
 * `arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt` – the first `*` matches
 * only `us-east-2`. The sixth component (the resource) is everything after the fifth colon, so it may hold colons.
 *
 * Patterns arrive with literal wildcards encoded by `substituteForPattern` (LITERAL_STAR / LITERAL_QUESTION).
 * Compiled patterns are cached: a diagnosis re-evaluates the same policy text many times per second. Matching is
 * the non-backtracking matcher of ./glob (never a regular expression built from policy text).
 */
import { BoundedCache } from './condition-cache';
import { type CompiledGlob, compileGlob, globMatch, matchCompiledGlob } from './glob';

export { globMatch };

const matchCompiled = matchCompiledGlob;

/** Splits an ARN into its six components; the last keeps any further colons. Null when there are fewer than six. */
export function splitArn(arn: string): string[] | null {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < 5; i++) {
    const colon = arn.indexOf(':', from);
    if (colon < 0) return null;
    parts.push(arn.slice(from, colon));
    from = colon + 1;
  }
  parts.push(arn.slice(from));
  return parts;
}

interface CompiledArnPattern {
  /** Per-component globs, or null when the pattern is not six components long. */
  components: CompiledGlob[] | null;
  whole: CompiledGlob;
}

const arnPatterns = new BoundedCache<CompiledArnPattern>();

function compileArnPattern(pattern: string): CompiledArnPattern {
  const parts = splitArn(pattern);
  return { components: parts ? parts.map(compileGlob) : null, whole: compileGlob(pattern) };
}

/**
 * ArnEquals/ArnLike match. The docs only describe six-component patterns; for a pattern with fewer components
 * (typically a bare `*`) they are silent, and we fall back to a whole-string wildcard match so that `*` means
 * "any ARN" as authors expect. A request value that is not a six-component ARN never matches a six-component pattern.
 */
export function arnMatch(pattern: string, value: string): boolean {
  const compiled = arnPatterns.get(pattern, compileArnPattern);
  if (!compiled.components) return matchCompiled(compiled.whole, value);
  const valueParts = splitArn(value);
  if (!valueParts) return false;
  return compiled.components.every((component, i) => matchCompiled(component, valueParts[i]));
}
