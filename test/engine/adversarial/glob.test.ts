import { globMatch, globMatchIgnoreCase } from '../../../src/engine/eval/glob';
import { LITERAL_STAR } from '../../../src/engine/eval/variables';
import { WorkBudgetExceeded, withPolicyBudget } from '../../../src/engine/eval/work-budget';

/** A reference matcher by dynamic programming over code points (obviously correct, O(n·m) memory). */
function reference(pattern: string, value: string): boolean {
  const p = [...pattern];
  const v = [...value];
  let row = new Array<boolean>(v.length + 1).fill(false);
  row[0] = true;
  for (const pc of p) {
    const next = new Array<boolean>(v.length + 1).fill(false);
    next[0] = pc === '*' && row[0];
    for (let j = 1; j <= v.length; j++) {
      next[j] = pc === '*' ? next[j - 1] || row[j] : row[j - 1] && (pc === '?' || pc === v[j - 1]);
    }
    row = next;
  }
  return row[v.length];
}

describe('non-backtracking glob matcher', () => {
  const alphabet = ['a', 'b', '-', '*', '?', '😀'];
  it('agrees with a dynamic-programming reference on every short pattern and value', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const word = (max: number, chars: string[]) =>
      Array.from({ length: rand(max) }, () => chars[rand(chars.length)]).join('');
    for (let i = 0; i < 20000; i++) {
      const pattern = word(7, alphabet);
      const value = word(9, ['a', 'b', '-', '😀']);
      expect([pattern, value, globMatch(pattern, value)]).toEqual([pattern, value, reference(pattern, value)]);
    }
  });

  it('has literal fast paths that mean the same as the general scan', () => {
    expect(globMatch('arn:aws:iam::*', 'arn:aws:iam::1:role/x')).toBe(true);
    expect(globMatch('*/x', 'arn:aws:iam::1:role/x')).toBe(true);
    expect(globMatch('*role*', 'arn:aws:iam::1:role/x')).toBe(true);
    expect(globMatch('*role*', 'arn:aws:iam::1:user/x')).toBe(false);
    expect(globMatch('**', '')).toBe(true);
    expect(globMatch('a?', 'a😀')).toBe(true);
    expect(globMatch(`a${LITERAL_STAR}`, 'a*')).toBe(true);
    expect(globMatch(`a${LITERAL_STAR}`, 'ab')).toBe(false);
    expect(globMatchIgnoreCase('STS:Assume*', 'sts:assumerole')).toBe(true);
    expect(globMatchIgnoreCase('sts:assumerole', 'STS:AssumeRole')).toBe(true);
  });

  it('matches the audit patterns in linear steps, and reports an exhausted budget by policy', () => {
    expect(globMatch('*-*-*-*-*-*-*-*-ops', '-'.repeat(64))).toBe(false);
    expect(globMatch('*a*a*a*a*a*b', 'a'.repeat(256))).toBe(false);
    expect(() =>
      withPolicyBudget('policy P', 'trust', () => globMatch('*a*a*a*a*a*b', 'a'.repeat(100_000)), 1000),
    ).toThrow(WorkBudgetExceeded);
    // Outside a policy evaluation nothing is limited, and a budget ends with its evaluation.
    expect(globMatch('*a*a*b', 'a'.repeat(5000))).toBe(false);
  });
});
