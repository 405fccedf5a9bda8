import { byteLength, truncateFindingForStorage } from '../../../src/adapters/history/truncate';
import type { Finding } from '../../../src/engine/finding/types';

const base: Finding = {
  eventId: 'e',
  eventTime: '2026-05-01T12:00:00Z',
  api: 'AssumeRole',
  errorCode: 'AccessDenied',
  caller: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/a', accountId: '111111111111' },
  role: { arn: 'arn:aws:iam::111111111111:role/r', accountId: '111111111111' },
  cause: 'TRUST_PRINCIPAL_MISSING',
  policy: 'trust',
  summary: 'small',
  evidence: [],
  otherGaps: [],
  warnings: [],
  fix: { kind: 'policy', summary: 'fix', commands: ['aws iam update-assume-role-policy'], verified: true, admits: [] },
  alternatives: [],
  confidence: 'high',
  unknowns: [],
};

test('a finding within budget is stored as is', () => {
  expect(truncateFindingForStorage(base, 10_000)).toBe(base);
});

test('the largest document goes first, replaced by a marker with its size and a preview', () => {
  const big = {
    Version: '2012-10-17',
    Statement: Array.from({ length: 2000 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: 'sts:AssumeRole' })),
  };
  const stored = truncateFindingForStorage({ ...base, fix: { ...base.fix, policyDocument: big } }, 20_000);
  expect(byteLength(stored)).toBeLessThanOrEqual(20_000);
  expect(stored.fix.policyDocument).toMatchObject({ __truncated__: true, originalBytes: byteLength(big) });
  expect(
    (stored.fix.policyDocument as unknown as { preview: string }).preview.startsWith('{"Version":"2012-10-17"'),
  ).toBe(true);
  expect(stored.summary).toBe('small');
});

test('long strings and list tails go next; as a last resort a minimal finding with the marker', () => {
  const noisy = {
    ...base,
    warnings: Array.from({ length: 500 }, (_, i) => ({
      code: 'NEAR_MISS' as const,
      message: `w${i} ${'x'.repeat(3000)}`,
    })),
  };
  const stored = truncateFindingForStorage(noisy, 40_000);
  expect(byteLength(stored)).toBeLessThanOrEqual(40_000);
  expect(stored.warnings).toHaveLength(10);
  expect((stored as unknown as Record<string, unknown>).warningsTruncated).toEqual({
    __truncated__: true,
    droppedEntries: 490,
  });

  const hopeless = { ...base, summary: 'y'.repeat(50_000), fix: { ...base.fix, summary: 'z'.repeat(50_000) } };
  const minimal = truncateFindingForStorage(hopeless, 3_000);
  expect(byteLength(minimal)).toBeLessThanOrEqual(3_000);
  expect(minimal.summary).toMatch(/^y+… \[__truncated__: 50000 bytes\]$/);
  expect(minimal).toMatchObject({ cause: 'TRUST_PRINCIPAL_MISSING', __truncated__: true });
});
