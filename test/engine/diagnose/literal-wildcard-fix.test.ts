/**
 * Scenario 58's fix (StringEquals sub "repo:acme-corp/storefront:*" → StringLike) is taken only when the pattern keeps
 * the owner and repository exact: a pattern that reaches into anyone's repository is never made live by a fix.
 */
import * as path from 'node:path';
import { diagnoseEvent } from '../../../src/engine/diagnose/diagnose-event';
import { patternKeepsScope } from '../../../src/engine/diagnose/fix/trust-scope';
import { normalizeInput } from '../../../src/engine/event/normalize';
import type { Finding } from '../../../src/engine/finding/types';
import type { PolicyDocument } from '../../../src/engine/iam/policy-types';
import { SnapshotIamFacts } from '../../../src/engine/iam/snapshot/snapshot-iam-facts';
import { loadScenarios } from '../../fixtures/scenarios/scenario-corpus';

const scenario = loadScenarios(path.join(__dirname, '../../fixtures/scenarios')).find((s) => s.name.startsWith('58-'));
const SUB = 'token.actions.githubusercontent.com:sub';

function diagnoseWithSubPattern(pattern: string): Promise<Finding> {
  if (!scenario) throw new Error('scenario 58 is missing');
  const details = JSON.parse(JSON.stringify(scenario.snapshots[0])) as {
    RoleDetailList: Array<{ RoleName: string; AssumeRolePolicyDocument: PolicyDocument }>;
  };
  const role = details.RoleDetailList.find((r) => r.RoleName === 'storefront-deploy');
  const condition = role?.AssumeRolePolicyDocument.Statement[0].Condition;
  if (!condition) throw new Error('storefront-deploy has no condition');
  condition.StringEquals[SUB] = pattern;
  const facts = SnapshotIamFacts.fromAuthorizationDetails([{ details, source: 'modified.json' }]);
  return diagnoseEvent(normalizeInput(scenario.event).events[0], facts);
}

describe('a wildcard under StringEquals in a GitHub sub', () => {
  it('becomes StringLike when the pattern names the repository exactly', async () => {
    const finding = await diagnoseWithSubPattern('repo:acme-corp/storefront:*');
    expect(finding.fix.verified).toBe(true);
    expect(finding.fix.policyDocument?.Statement[0].Condition?.StringLike?.[SUB]).toBe('repo:acme-corp/storefront:*');
  });

  it.each(['repo:*', 'repo:acme-*/storefront:*'])(
    'is never made live for %s, which reaches other owners',
    async (p) => {
      const finding = await diagnoseWithSubPattern(p);
      const docs = [finding.fix, ...finding.alternatives].map((f) => f.policyDocument).filter((d) => d !== undefined);
      for (const doc of docs) expect(doc.Statement[0].Condition?.StringLike?.[SUB]).toBeUndefined();
      expect(finding.warnings.map((w) => w.code)).toContain('LITERAL_WILDCARD');
    },
  );
});

describe('which patterns a fix may make live', () => {
  it('only token claims whose scope is known, and only with that scope exact', () => {
    expect(patternKeepsScope(SUB, 'repo:acme-corp/storefront:*')).toBe(true);
    expect(patternKeepsScope(SUB, 'repo:acme-*/storefront:*')).toBe(false);
    // No known shape: nothing says which part of the value is the guardrail.
    expect(patternKeepsScope('aws:PrincipalArn', 'arn:aws:iam::*:role/deploy')).toBe(false);
    expect(patternKeepsScope('sts:ExternalId', 'abc*')).toBe(false);
    expect(patternKeepsScope('aws:SourceIdentity', 'alice-*')).toBe(false);
  });
});
