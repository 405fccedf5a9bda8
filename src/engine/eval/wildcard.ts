import { globMatch } from './condition-glob';

/**
 * IAM wildcard matching for Action and Resource elements (`*` any run, `?` one character), sharing the compiled-glob
 * cache of the condition evaluator. Actions compare case-insensitively, ARNs case-sensitively.
 */
export function matchesWildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === '*') return true;
  return ignoreCase ? globMatch(pattern.toLowerCase(), value.toLowerCase()) : globMatch(pattern, value);
}

export function matchesAction(pattern: string, action: string): boolean {
  return matchesWildcard(pattern, action, true);
}
