/**
 * `trustgap diagnose` with no --iam-snapshot reads IAM live, through the same loader as `trustgap scan`
 * (src/cli/iam-facts-options.ts): IAM of the current credentials' account, or with --organization every account
 * through its reader role and SCPs/RCPs from Organizations. IAM, STS and Organizations are the loopback emulator
 * (real SDK clients, AWS_ENDPOINT_URL_IAM/STS/ORGANIZATIONS) with the example organization of the org runtime tests.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Finding } from '../../src/engine/finding/types';
import { type AwsEmulator, startAwsEmulator } from '../support/aws-emulator';
import { runCliCaptured, useEmulatorAsCentral } from '../support/cli-capture';
import { deniedCrossAccount, exampleOrganization, PROD, TOOLS } from '../support/org-fixture/example-organization';
import { toEmulatorOptions } from '../support/org-fixture/to-emulator';

/** An engineer signed in to the role owner's account, for the single-account live read. */
const PROD_ACCESS_KEY = 'AKIAPRODENGINEER0001';

let emulator: AwsEmulator;
let dir: string;
const savedEnv = { ...process.env };
const ci = { type: 'role', account: TOOLS, name: 'ci-runner' } as const;
const alice = { type: 'user', account: TOOLS, name: 'alice' } as const;
const role = (name: string) => `arn:aws:iam::${PROD}:role/${name}`;

beforeAll(async () => {
  const options = toEmulatorOptions(exampleOrganization());
  options.principals = {
    ...options.principals,
    [PROD_ACCESS_KEY]: {
      accountId: PROD,
      arn: `arn:aws:iam::${PROD}:user/engineer`,
      userId: 'AIDAPRODENGINEER0001',
    },
  };
  emulator = await startAwsEmulator(options);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-diagnose-live-'));
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  emulator.resetCalls();
  useEmulatorAsCentral(emulator);
});
afterEach(() => {
  process.env = { ...savedEnv };
});

const diagnose = (...argv: string[]) => runCliCaptured(['diagnose', ...argv]);

function eventFile(name: string, envelope: Record<string, unknown>): string {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(envelope));
  return file;
}

const findingsOf = (stdout: string): Finding[] => JSON.parse(stdout) as Finding[];

test('--organization: both sides read through the reader roles, as the organization deployment does', async () => {
  const files = [
    eventFile('trust', deniedCrossAccount(ci, role('release'), 'trust-1')),
    eventFile('identity', deniedCrossAccount(alice, role('deploy'), 'identity-1')),
    eventFile('scp', deniedCrossAccount(ci, role('scp-guarded'), 'scp-1')),
  ];
  const out = await diagnose(...files.flatMap((f) => ['--event', f]), '--organization', '--json');
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  const causes = findingsOf(out.stdout).map((f) => [f.role.arn, f.cause]);
  expect(causes).toEqual([
    [role('release'), 'TRUST_PRINCIPAL_MISSING'],
    [role('deploy'), 'IDENTITY_NO_ALLOW'],
    [role('scp-guarded'), 'SCP_DENY'],
  ]);
  // The role owner's side (GetRole in PROD) and the caller's (TOOLS) came through the readers.
  expect(emulator.count({ service: 'iam', action: 'GetRole', accountId: PROD })).toBeGreaterThan(0);
  expect(emulator.count({ service: 'iam', accountId: TOOLS })).toBeGreaterThan(0);
  const readers = emulator.calls.filter((c) => c.service === 'sts' && c.action === 'AssumeRole');
  expect(readers.length).toBeGreaterThan(0);
  expect(readers.length).toBeLessThanOrEqual(3);
});

test('an error text, live: the role and the caller come from the message', async () => {
  const error = `An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:sts::${TOOLS}:assumed-role/ci-runner/build is not authorized to perform: sts:AssumeRole on resource: ${role('release')}`;
  const out = await diagnose('--error', error, '--organization', '--json');
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  const [finding] = findingsOf(out.stdout);
  expect(finding.cause).toBe('TRUST_PRINCIPAL_MISSING');
  expect(finding.role.arn).toBe(role('release'));
});

test('single account: live IAM of the credentials’ account; the other account of the call is unknown', async () => {
  process.env.AWS_ACCESS_KEY_ID = PROD_ACCESS_KEY;
  const file = eventFile('single', deniedCrossAccount(ci, role('release'), 'single-1'));
  const out = await diagnose('--event', file, '--json');
  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  const [finding] = findingsOf(out.stdout);
  // The trust policy was read (the role owner's account is the credentials' own): it names another principal.
  expect(finding.cause).toBe('TRUST_PRINCIPAL_MISSING');
  expect(emulator.count({ service: 'iam', action: 'GetRole', accountId: PROD })).toBeGreaterThan(0);
  expect(emulator.count({ service: 'sts', action: 'AssumeRole' })).toBe(0);
  expect(emulator.count({ service: 'organizations' })).toBe(0);
  // The caller's account (TOOLS) was not readable with these credentials: said, not guessed.
  expect(JSON.stringify(finding)).toMatch(/unknown/i);
});

test('a bad input is reported before any AWS call; unusable credentials are one line, exit 2', async () => {
  const broken = path.join(dir, 'broken.json');
  fs.writeFileSync(broken, '{"Records": [');
  const bad = await diagnose('--event', broken, '--organization');
  expect(bad.code).toBe(2);
  expect(emulator.calls).toHaveLength(0);

  process.env.AWS_ACCESS_KEY_ID = 'AKIANOBODYKNOWSTHIS1';
  const file = eventFile('creds', deniedCrossAccount(ci, role('release'), 'creds-1'));
  const unknown = await diagnose('--event', file);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  expect(unknown.stderr).toMatch(/cannot tell whose credentials these are \(InvalidClientTokenId/);

  const mixed = await diagnose(
    '--event',
    file,
    '--organization',
    '--iam-snapshot',
    'examples/snapshot/account-111111111111.json',
  );
  expect(mixed.code).toBe(2);
  expect(mixed.stderr).toMatch(/--organization reads IAM live: drop --iam-snapshot/);
});
