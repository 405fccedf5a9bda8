/**
 * The validator decides `verified` end to end: scenario 36 (EC2 not trusted; the fix adds ec2.amazonaws.com) with
 * the role's trust policy padded to just under the default 2,048-character quota, so that the corrected document
 * would go over it. IAM would reject that document, so the fix is not verified and the finding says by how much.
 */
import * as path from 'node:path';
import { diagnoseEvent } from '../../../src/engine/diagnose/diagnose-event';
import { policyLength, TRUST_POLICY_DEFAULT_QUOTA } from '../../../src/engine/diagnose/policy-size';
import { normalizeInput } from '../../../src/engine/event/normalize';
import type { Finding } from '../../../src/engine/finding/types';
import type { PolicyDocument } from '../../../src/engine/iam/policy-types';
import { SnapshotIamFacts } from '../../../src/engine/iam/snapshot/snapshot-iam-facts';
import { loadScenarios } from '../../fixtures/scenarios/scenario-corpus';

const scenario = loadScenarios(path.join(__dirname, '../../fixtures/scenarios')).find((s) => s.name.startsWith('36-'));

type Role = { RoleName: string; AssumeRolePolicyDocument: PolicyDocument };

async function diagnoseWithTrustLength(target: number): Promise<{ finding: Finding; length: number }> {
  if (!scenario) throw new Error('scenario 36 is missing');
  const details = JSON.parse(JSON.stringify(scenario.snapshots[0])) as { RoleDetailList: Role[] };
  const role = details.RoleDetailList.find((r) => r.RoleName === 'app-server-role') as Role;
  const trust = role.AssumeRolePolicyDocument;
  // Other account roots the role also trusts, until the document is `target` characters or just under.
  const padding = { Sid: 'Partners', Effect: 'Allow', Principal: { AWS: [] as string[] }, Action: 'sts:AssumeRole' };
  trust.Statement.push(padding);
  for (let i = 0; ; i++) {
    padding.Principal.AWS.push(`arn:aws:iam::${String(100000000000 + i)}:root`);
    if (policyLength(trust) > target) {
      padding.Principal.AWS.pop();
      break;
    }
  }
  const facts = SnapshotIamFacts.fromAuthorizationDetails([{ details, source: 'padded.json' }]);
  const finding = await diagnoseEvent(normalizeInput(scenario.event).events[0], facts);
  return { finding, length: policyLength(trust) };
}

describe('a corrected trust policy over the length quota', () => {
  it('is not verified, and FIX_DOCUMENT_INVALID says it exceeds the quota and by how much', async () => {
    const { finding, length } = await diagnoseWithTrustLength(TRUST_POLICY_DEFAULT_QUOTA - 5);
    expect(length).toBeLessThanOrEqual(TRUST_POLICY_DEFAULT_QUOTA);
    expect(finding.cause).toBe('TRUST_PRINCIPAL_MISSING');
    const fixed = finding.fix.policyDocument as PolicyDocument;
    const over = policyLength(fixed) - TRUST_POLICY_DEFAULT_QUOTA;
    expect(over).toBeGreaterThan(0);
    expect(finding.fix.verified).toBe(false);
    const warning = finding.warnings.find((w) => w.code === 'FIX_DOCUMENT_INVALID');
    expect(warning?.message).toContain(`${over} over the default "Role trust policy length" quota`);
    expect(finding.fix.summary).toContain('IAM would reject this document');
  });

  it('is verified when the corrected document still fits', async () => {
    const { finding } = await diagnoseWithTrustLength(TRUST_POLICY_DEFAULT_QUOTA - 200);
    expect(finding.fix.verified).toBe(true);
    expect(finding.warnings.map((w) => w.code)).not.toContain('FIX_DOCUMENT_INVALID');
  });
});
