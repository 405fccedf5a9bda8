import * as path from 'node:path';
import { diagnoseEvent } from '../../../src/engine/diagnose/diagnose-event';
import { normalizeInput } from '../../../src/engine/event/normalize';
import type { Finding } from '../../../src/engine/finding/types';
import { SnapshotIamFacts } from '../../../src/engine/iam/snapshot/snapshot-iam-facts';
import { loadScenarios } from '../../fixtures/scenarios/scenario-corpus';

const scenarios = loadScenarios(path.join(__dirname, '../../fixtures/scenarios'));

function findingOf(name: string): Promise<Finding> {
  const s = scenarios.find((x) => x.name === name);
  if (!s) throw new Error(`no scenario ${name}`);
  const facts = SnapshotIamFacts.fromFiles(s.snapshotPaths, s.orgPath);
  return diagnoseEvent(normalizeInput(s.event).events[0], facts);
}

describe('fix.commandAccounts: whose credentials run each command', () => {
  it("names the role owner's account for a cross-account trust-policy fix", async () => {
    const f = await findingOf('19-cross-account-trust-names-old-ci-account');
    expect(f.fix.commands[0]).toMatch(/^aws iam update-assume-role-policy/);
    expect(f.fix.commandAccounts?.[0]).toEqual({ accountId: f.role.accountId, owner: 'role' });
    expect(f.fix.commandAccounts).toHaveLength(f.fix.commands.length);
  });

  it("names the caller's account for a cross-account identity-policy fix", async () => {
    const f = await findingOf('03-cross-account-user-no-identity-allow');
    expect(f.fix.commands[0]).toMatch(/^aws iam put-user-policy/);
    expect(f.fix.commandAccounts?.[0]).toEqual({ accountId: f.caller.accountId, owner: 'caller' });
    expect(f.caller.accountId).not.toBe(f.role.accountId);
  });

  it('names the organization management account for an SCP fix', async () => {
    const f = await findingOf('26-scp-region-deny-without-sts-exemption');
    const i = f.fix.commands.findIndex((c) => c.startsWith('aws organizations update-policy'));
    expect(i).toBeGreaterThanOrEqual(0);
    expect(f.fix.commandAccounts?.[i]).toMatchObject({ owner: 'organization' });
  });

  it('is absent for a same-account IAM fix, which runs where the denial happened', async () => {
    const f = await findingOf('01-same-account-account-trust-needs-identity-allow');
    expect(f.fix.commands.length).toBeGreaterThan(0);
    expect(f.fix.commandAccounts).toBeUndefined();
  });
});
