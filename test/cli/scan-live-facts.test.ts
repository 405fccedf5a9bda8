/**
 * Facts from the live reader for `trustgap scan` (src/cli/iam-facts-options.ts): with no --iam-snapshot, IAM of the
 * current credentials' account, or with --organization every account through its reader role and SCPs/RCPs from
 * Organizations — the organization deployment's own reader. IAM, STS and Organizations are the loopback emulator
 * (real SDK clients, AWS_ENDPOINT_URL_IAM/STS/ORGANIZATIONS), with the example organization of the org runtime tests.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type AwsEmulator, startAwsEmulator } from '../support/aws-emulator';
import { runCliCaptured, useEmulatorAsCentral } from '../support/cli-capture';
import {
  deniedCrossAccount,
  exampleOrganization,
  LEGACY,
  PROD,
  READER,
  TOOLS,
} from '../support/org-fixture/example-organization';
import { toEmulatorOptions } from '../support/org-fixture/to-emulator';

let emulator: AwsEmulator;
let dir: string;
const savedEnv = { ...process.env };

const ci = { type: 'role', account: TOOLS, name: 'ci-runner' } as const;
const alice = { type: 'user', account: TOOLS, name: 'alice' } as const;
const role = (name: string) => `arn:aws:iam::${PROD}:role/${name}`;
const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
const at = (i: number) => new Date(T0 + i * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

beforeAll(async () => {
  emulator = await startAwsEmulator(toEmulatorOptions(exampleOrganization()));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-scan-live-'));
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  emulator.resetCalls();
  emulator.clearFaults();
  useEmulatorAsCentral(emulator);
});
afterEach(() => {
  process.env = { ...savedEnv };
});

const cli = (...argv: string[]) => runCliCaptured(argv);

function trailFile(name: string, envelopes: Array<Record<string, unknown>>): string {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ Records: envelopes.map((e) => e.detail) }));
  return file;
}

async function problemsIn(store: string): Promise<Array<{ cause: string; role: string; count: number }>> {
  const out = await cli('findings', '--store', store, '--problems', '--json', '--since', '1d');
  expect(out.code).toBe(0);
  return JSON.parse(out.stdout).problems;
}

test('--organization: both sides through the reader roles, SCPs and RCPs from Organizations, a storm diagnosed once', async () => {
  // One CI job retrying: the same session and request, 40 deliveries (eventID and eventTime differ).
  const storm = Array.from({ length: 40 }, (_, i) => {
    const e = deniedCrossAccount(ci, role('release'), `storm-${i}`, at(i)) as { detail: Record<string, any> };
    e.detail.userIdentity.principalId = 'AROALOOPCIRUNNER00001:build-7';
    e.detail.requestID = 'req-storm';
    return e;
  });
  const file = trailFile('org', [
    ...storm,
    deniedCrossAccount(alice, role('deploy'), 'identity-1', at(50)),
    deniedCrossAccount(ci, role('scp-guarded'), 'scp-1', at(51)),
    deniedCrossAccount(ci, role('rcp-guarded'), 'rcp-1', at(52)),
    deniedCrossAccount({ type: 'role', account: LEGACY, name: 'old-ci' }, role('deploy'), 'legacy-1', at(53)),
  ]);
  const store = path.join(dir, 'org.db');
  const out = await cli('scan', file, '--organization', '--store', store, '--json');
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  const summary = JSON.parse(out.stdout);
  expect(summary).toMatchObject({ denied: 44, recorded: 44, findings: 5, diagnosed: 5 });
  expect(summary.facts).toContain(`the ${READER} role of each account`);

  // Each account's reader assumed once (the central account has none and is never read), Organizations read once.
  const assumed = emulator.calls.filter((c) => c.service === 'sts' && c.action === 'AssumeRole');
  expect(assumed.length).toBeLessThanOrEqual(4);
  expect(emulator.count({ service: 'iam', action: 'GetRole', accountId: PROD })).toBeGreaterThan(0);
  expect(emulator.count({ service: 'organizations', action: 'ListPolicies' })).toBe(2);

  const byRole = new Map((await problemsIn(store)).map((p) => [`${p.role.split('/').pop()}:${p.cause}`, p.count]));
  expect(byRole.get('release:TRUST_PRINCIPAL_MISSING')).toBe(40);
  expect(byRole.get('deploy:IDENTITY_NO_ALLOW')).toBe(1);
  expect(byRole.get('scp-guarded:SCP_DENY')).toBe(1);
  expect(byRole.get('rcp-guarded:RCP_DENY')).toBe(1);
  // The legacy account has no reader role: its side is unknown, said with the role that is missing.
  const report = await cli(
    'findings',
    '--store',
    store,
    '--json',
    '--since',
    '1d',
    '--caller',
    `arn:aws:iam::${LEGACY}:role/old-ci`,
  );
  expect(report.stdout).toContain(`arn:aws:iam::${LEGACY}:role/${READER}`);
});

test('no snapshot and no --organization: live IAM of the credentials’ account only; the other account is unknown', async () => {
  const file = trailFile('single', [deniedCrossAccount(ci, role('release'), 'single-1', at(0))]);
  const store = path.join(dir, 'single.db');
  // Signed as trustgap-diagnoser of the central account: both sides of the call are in other accounts.
  const assumed = await cli('scan', file, '--store', store, '--json');
  expect(assumed.code).toBe(0);
  const summary = JSON.parse(assumed.stdout);
  expect(summary.facts).toMatch(
    /^live IAM of account 333333333333, as arn:aws:sts::333333333333:assumed-role\/trustgap-diagnoser\//,
  );
  expect(emulator.count({ service: 'sts', action: 'GetCallerIdentity' })).toBe(1);
  expect(emulator.count({ service: 'sts', action: 'AssumeRole' })).toBe(0);
  expect(emulator.count({ service: 'organizations' })).toBe(0);
  expect(emulator.count({ service: 'iam' })).toBe(0);
  const [problem] = await problemsIn(store);
  expect(problem).toMatchObject({ count: 1, role: role('release') });
  const finding = JSON.parse((await cli('findings', '--store', store, '--json', '--since', '1d')).stdout);
  expect(JSON.stringify(finding)).toMatch(/unknown/i);
});

test('flag mistakes and unusable credentials are one-line usage errors (exit 2), nothing scanned', async () => {
  const file = trailFile('one', [deniedCrossAccount(ci, role('release'), 'x-1', at(0))]);
  const store = path.join(dir, 'errors.db');
  const mixed = await cli(
    'scan',
    file,
    '--store',
    store,
    '--organization',
    '--iam-snapshot',
    'examples/snapshot/account-111111111111.json',
  );
  expect(mixed).toMatchObject({ code: 2 });
  expect(mixed.stderr).toMatch(/--organization reads IAM live: drop --iam-snapshot/);
  const orgFile = await cli('scan', file, '--store', store, '--org', 'examples/snapshot/organization.json');
  expect(orgFile).toMatchObject({ code: 2 });
  expect(orgFile.stderr).toMatch(/--org goes with --iam-snapshot/);
  const access = await cli('scan', file, '--store', store, '--organizations-access', 'sideways', '--organization');
  expect(access.stderr).toMatch(/--organizations-access must be management-reader or delegated-admin/);

  process.env.AWS_ACCESS_KEY_ID = 'AKIANOBODYKNOWSTHIS1';
  const unknown = await cli('scan', file, '--store', store);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  expect(unknown.stderr).toMatch(/cannot tell whose credentials these are \(InvalidClientTokenId/);
});
