/**
 * A wrong external ID the caller sent may be another role's secret (or this role's in another case, which
 * redaction, matching exactly, would not catch): evidence and summaries say that it differs, never what it is.
 */

import { clauseEvidence, describeClause, describeClauses } from '../../../src/engine/diagnose/clause-evidence';
import type { ConditionClauseResult } from '../../../src/engine/eval/conditions';

const clause = (key: string, actual: string[] | null): ConditionClauseResult => ({
  operator: 'StringEquals',
  key,
  expected: ['<external ID: not shown>'],
  actual,
  result: false,
});

describe('clause evidence and summaries', () => {
  it('never spell out the external ID the request carried', () => {
    for (const key of ['sts:ExternalId', 'STS:EXTERNALID']) {
      const c = clause(key, ['other-roles-secret-value']);
      expect(describeClause(c)).toBe(
        `StringEquals ${key} expects "<external ID: not shown>", the request had "<a different external ID: not shown>"`,
      );
      expect(describeClauses([c])).not.toContain('other-roles-secret-value');
      expect(clauseEvidence('trust', 'trust policy', 'S1', c).actual).toEqual(['<a different external ID: not shown>']);
    }
  });

  it('show other keys as the request had them, and an absent key as absent', () => {
    expect(describeClause({ ...clause('aws:SourceIp', ['203.0.113.9']), expected: ['198.51.100.0/24'] })).toBe(
      'StringEquals aws:SourceIp expects "198.51.100.0/24", the request had "203.0.113.9"',
    );
    expect(describeClause(clause('sts:ExternalId', null))).toContain('no value (key absent from the request)');
  });
});
