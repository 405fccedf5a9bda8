import { globMatch, globMatchIgnoreCase } from './glob';

/**
 * IAM wildcard matching for Action and Resource elements (`*` any run, `?` one character), with the engine's one
 * non-backtracking matcher (./glob). Actions compare case-insensitively, ARNs case-sensitively.
 */
export function matchesWildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === value) return true;
  return ignoreCase ? globMatchIgnoreCase(pattern, value) : globMatch(pattern, value);
}

export function matchesAction(pattern: string, action: string): boolean {
  return matchesWildcard(pattern, action, true);
}
