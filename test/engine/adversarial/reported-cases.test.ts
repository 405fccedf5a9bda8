/**
 * The cases of the issue 9 audit, as they were reported: each must now give a finding (no hang, no stack overflow),
 * and the right one. Timing is measured by `npm run bench:adversarial`, not here; a generous bound only guards
 * against a return of the exponential behaviour (the first of these took 55 s).
 */
import { performance } from 'node:perf_hooks';
import { diagnoseEvent } from '../../../src/engine/diagnose/diagnose-event';
import { eventFor, REPORTED_SHAPES, snapshotFor } from '../../support/adversarial-shapes';

const shape = (name: string) => {
  const found = REPORTED_SHAPES.find((s) => s.name === name);
  if (!found) throw new Error(name);
  return found;
};

async function diagnose(name: string) {
  const s = shape(name);
  const started = performance.now();
  const finding = await diagnoseEvent(eventFor(s), snapshotFor(s));
  return { finding, ms: performance.now() - started };
}

describe('issue 9 audit cases', () => {
  it('StringLike "*-*-*-*-*-*-*-*-ops" against a 64-character session name is a failed trust condition', async () => {
    const { finding, ms } = await diagnose('session-name-eight-stars');
    expect(finding.cause).toBe('TRUST_CONDITION_FAILED');
    expect(finding.evidence[0]).toMatchObject({ conditionKey: 'sts:RoleSessionName', actual: ['-'.repeat(64)] });
    expect(ms).toBeLessThan(2000);
  });

  it('a 256-character session tag against five wildcards is a failed trust condition', async () => {
    const { finding, ms } = await diagnose('session-tag-five-stars');
    expect(finding.cause).toBe('TRUST_CONDITION_FAILED');
    expect(finding.evidence[0]).toMatchObject({ conditionKey: 'aws:RequestTag/team' });
    expect(ms).toBeLessThan(2000);
  });

  it('a 10,000-key condition block ends in a finding that names the policy too expensive to evaluate', async () => {
    const { finding, ms } = await diagnose('condition-block-10000-keys');
    expect(finding.cause).toBe('UNEXPLAINED');
    expect(finding.policy).toBe('trust');
    expect(finding.summary).toContain('role/target was too expensive to evaluate');
    expect(finding.unknowns.map((u) => u.reason)).toContain('too expensive to evaluate (work budget exhausted)');
    expect(ms).toBeLessThan(2000);
  });

  it('a bare role ARN from an account id that is not 12 digits no longer recurses', async () => {
    const { finding } = await diagnose('bare-role-and-short-account');
    expect(finding.role.arn).toBe('role/target');
    expect(typeof finding.summary).toBe('string');
    expect(finding.cause).not.toBe('ROLE_NOT_FOUND');
  });
});
