import { seededRandom } from '../../../bench/seeded-random';
import { REDACTED_EXTERNAL_ID, redactSecrets } from '../../../src/engine/diagnose/redact-secrets';
import type { Finding } from '../../../src/engine/finding/types';

/**
 * The walk as it was before it was made cheaper (a call per leaf, no length shortcut): the optimized one must return
 * the same values, and share the same unchanged subtrees, for any finding and any secrets.
 */
function referenceRedact(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') {
    let s = value;
    for (const secret of secrets) if (s.includes(secret)) s = s.split(secret).join(REDACTED_EXTERNAL_ID);
    return s;
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = referenceRedact(value[i], secrets);
      if (v === value[i]) continue;
      copy ??= [...value];
      copy[i] = v;
    }
    return copy ?? value;
  }
  if (value && typeof value === 'object') {
    let copy: Record<string, unknown> | undefined;
    for (const k in value) {
      const old = (value as Record<string, unknown>)[k];
      const v = referenceRedact(old, secrets);
      if (v === old) continue;
      copy ??= { ...value };
      copy[k] = v;
    }
    return copy ?? value;
  }
  // A number or boolean spelling a secret (IAM reads a JSON number in a condition as the string it spells).
  if (typeof value === 'number' || typeof value === 'boolean')
    return secrets.some((secret) => String(value).includes(secret)) ? REDACTED_EXTERNAL_ID : value;
  return value;
}

/** Same values, and an object of the result is the input's own object exactly where the reference's is. */
function expectSameShape(actual: unknown, expected: unknown, input: unknown): void {
  expect(actual).toEqual(expected);
  expect(actual === input).toBe(expected === input);
  if (actual && typeof actual === 'object' && input && typeof input === 'object')
    for (const k of Object.keys(input))
      expectSameShape(
        (actual as Record<string, unknown>)[k],
        (expected as Record<string, unknown>)[k],
        (input as Record<string, unknown>)[k],
      );
}

const PIECES = ['ext-1', 'ext-116', 'xt-', 'e', 'ab', 'abc', 'sts:ExternalId', '"', ' ', 'arn:aws:iam::1:role/r', ''];

function randomValue(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 3 || r < 0.45) {
    const parts = Math.floor(next() * 4);
    let s = '';
    for (let i = 0; i < parts; i++) s += PIECES[Math.floor(next() * PIECES.length)];
    return s;
  }
  if (r < 0.55) return [true, false, null, 0, 42, undefined][Math.floor(next() * 6)];
  if (r < 0.75) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  const o: Record<string, unknown> = {};
  const n = Math.floor(next() * 4);
  for (let i = 0; i < n; i++) o[`k${i}`] = randomValue(next, depth + 1);
  return o;
}

function finding(body: unknown, fixSummary = 'fix'): Finding {
  return {
    summary: 'summary',
    body,
    fix: { kind: 'policy', summary: fixSummary, commands: [] },
    alternatives: [],
  } as unknown as Finding;
}

describe('redactSecrets', () => {
  it('walks exactly as the reference walk did, for random findings and secrets', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const next = seededRandom(seed);
      const input = finding(randomValue(next, 0));
      const secretSets = [['ext-116'], ['ext-116', 'ext-1'], ['abc', 'ab'], ['xt-'], ['sts:ExternalId', 'e']];
      const secrets = secretSets[seed % secretSets.length];
      const expected = referenceRedact(input, secrets);
      const actual = redactSecrets(input, secrets);
      if (expected === input) {
        expect(actual).toBe(input);
        continue;
      }
      const { fix, alternatives, ...rest } = actual;
      const { fix: efix, alternatives: ealt, ...erest } = expected as Finding;
      expectSameShape(rest, erest, { ...input, fix: undefined, alternatives: undefined });
      expect(fix).toEqual(efix);
      expect(alternatives).toEqual(ealt);
    }
  });

  it('replaces a secret inside a longer string, and leaves strings shorter than every secret alone', () => {
    const input = finding({ a: 'xx-ext-116-yy', b: 'ext', c: ['ext-116', 'e'], d: { e: 7 } });
    const out = redactSecrets(input, ['ext-116']) as unknown as { body: Record<string, unknown> };
    expect(out.body.a).toBe(`xx-${REDACTED_EXTERNAL_ID}-yy`);
    expect(out.body.b).toBe('ext');
    expect(out.body.c).toEqual([REDACTED_EXTERNAL_ID, 'e']);
    expect(out.body.d).toBe((input as unknown as { body: { d: unknown } }).body.d);
  });

  it('replaces a longer secret before a shorter one it contains, in the order given', () => {
    const input = finding({ s: 'ab-abc' });
    expect((redactSecrets(input, ['abc', 'ab']) as unknown as { body: { s: string } }).body.s).toBe(
      `${REDACTED_EXTERNAL_ID}-${REDACTED_EXTERNAL_ID}`,
    );
    expect((redactSecrets(input, ['ab', 'abc']) as unknown as { body: { s: string } }).body.s).toBe(
      `${REDACTED_EXTERNAL_ID}-${REDACTED_EXTERNAL_ID}c`,
    );
  });

  it('notes on a fix whose document now shows the placeholder', () => {
    const input = {
      ...finding({}),
      fix: { kind: 'policy', summary: 'fix', policyDocument: { Statement: [{ v: ['ext-116'] }] }, commands: [] },
    } as unknown as Finding;
    const out = redactSecrets(input, ['ext-116']);
    expect(out.fix.summary).toMatch(/^fix The document shows <external ID: not shown>/);
    expect(JSON.stringify(out)).not.toContain('ext-116');
  });

  it('returns the finding itself when there are no secrets, or none occurs', () => {
    const input = finding({ a: 'nothing here' });
    expect(redactSecrets(input, [])).toBe(input);
    expect(redactSecrets(input, ['ext-116'])).toBe(input);
  });

  it('hides an external ID written as a JSON number, in the document and in the command text', () => {
    const input = {
      ...finding({ duration: 3600, ok: true }),
      fix: {
        kind: 'policy',
        summary: 'fix',
        policyDocument: { Statement: [{ Condition: { StringEquals: { 'sts:ExternalId': 918273645501 } } }] },
        commands: ['aws iam update-assume-role-policy --policy-document \'{"sts:ExternalId":918273645501}\''],
      },
    } as unknown as Finding;
    const out = redactSecrets(input, ['918273645501']);
    expect(JSON.stringify(out)).not.toContain('918273645501');
    expect(out.fix.summary).toMatch(/^fix The document shows <external ID: not shown>/);
    // Numbers that do not spell the secret are left as they are.
    expect((out as unknown as { body: unknown }).body).toEqual({ duration: 3600, ok: true });
  });
});
