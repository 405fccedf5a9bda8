import { globMatch } from './condition-glob';

/**
 * IAM wildcard matching for Action and Resource elements (`*` any run, `?` one character), sharing the compiled-glob
 * cache of the condition evaluator. Actions compare case-insensitively, ARNs case-sensitively.
 */
export function matchesWildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    // Most Action and Resource values are literals: compare without the glob machinery or new strings.
    if (pattern.length !== value.length) return false;
    return ignoreCase ? pattern === value || pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  }
  return ignoreCase ? globMatch(pattern.toLowerCase(), value.toLowerCase()) : globMatch(pattern, value);
}

export function matchesAction(pattern: string, action: string): boolean {
  return matchesWildcard(pattern, action, true);
}
