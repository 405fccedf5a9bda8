import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

/**
 * The real CLI path a user takes after a fresh clone: `npx cdk synth` runs bin/trustgap-app.ts through cdk.json,
 * offline, with no AWS credentials and no Docker, and the cdk-nag plugin registered by the app must pass.
 */
const run = promisify(execFile);
const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');

/** The environment of a machine with no AWS access at all. */
function credentialFreeEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DISABLE_VERSION_CHECK: 'true',
  };
  for (const name of Object.keys(environment)) {
    if (
      /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|DEFAULT_PROFILE|CONTAINER_CREDENTIALS_.*|WEB_IDENTITY_TOKEN_FILE|ROLE_ARN)$/.test(
        name,
      )
    ) {
      delete environment[name];
    }
  }
  environment.AWS_SHARED_CREDENTIALS_FILE = path.join(tmpdir(), 'trustgap-no-credentials');
  environment.AWS_CONFIG_FILE = path.join(tmpdir(), 'trustgap-no-config');
  return environment;
}

function cdkSynth(outdir: string, ...extraArguments: string[]) {
  return run('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--output', outdir, ...extraArguments], {
    cwd: REPOSITORY_ROOT,
    env: credentialFreeEnvironment(),
    maxBuffer: 16 * 1024 * 1024,
  });
}

let outdir: string;
beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'trustgap-cdk-out-'));
});
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

it('npx cdk synth succeeds offline without credentials, and cdk-nag reports nothing', async () => {
  await cdkSynth(outdir);
  const template = JSON.parse(readFileSync(path.join(outdir, 'TrustGap.template.json'), 'utf8'));
  expect(template.Resources).toBeDefined();
  const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  expect(report.pluginReports).toEqual([]);
}, 240_000);

it('bundles one minified handler, no source map, beside the compact IAM catalogue', () => {
  const assets = readdirSync(outdir).filter((entry) => entry.startsWith('asset.'));
  expect(assets).toHaveLength(1);
  const bundle = path.join(outdir, assets[0], 'index.js');
  expect(existsSync(`${bundle}.map`)).toBe(false);
  expect(existsSync(path.join(outdir, assets[0], 'iam-catalogue.json'))).toBe(true);
  const source = readFileSync(bundle, 'utf8');
  // Minified: comments are gone (this phrase is in lambda/handler.ts's header) and lines are long.
  expect(source).not.toContain('Lambda entry point');
  expect(source.length / source.split('\n').length).toBeGreaterThan(500);
  expect(source).not.toMatch(/sourceMappingURL/);
  // A budget, not a measurement: the measured sizes are in docs/deploy.md.
  expect(statSync(bundle).size).toBeLessThan(1024 * 1024);
});

it('fails with a clear message, naming the key, on a bad context value', async () => {
  const failure = await cdkSynth(path.join(outdir, 'bad'), '-c', 'reservedConcurrency=lots').then(
    () => undefined,
    (error: { code: number; stderr: string }) => error,
  );
  expect(failure).toBeDefined();
  expect(failure!.code).not.toBe(0);
  expect(failure!.stderr).toContain('Invalid CDK context for trustgap');
  expect(failure!.stderr).toContain('reservedConcurrency must be an integer from 1 to 100');
  expect(failure!.stderr).not.toMatch(/^\s+at /m); // a configuration mistake is not a crash: no stack trace
}, 240_000);

describe('organization deployment through the CLI', () => {
  const organization = [
    '-c',
    'organizationId=o-a1b2c3d4e5',
    '-c',
    'organizationalUnitIds=r-ab12,ou-ab12-11111111',
    '-c',
    'memberRegions=us-east-1,eu-west-1',
    '-c',
    'centralAccountId=123456789012',
  ];

  it('synthesizes the central and management stacks offline, with the member template inline, and cdk-nag reports nothing', async () => {
    const orgOut = path.join(outdir, 'org');
    await cdkSynth(orgOut, ...organization);
    const stacks = readdirSync(orgOut).filter((entry) => entry.endsWith('.template.json'));
    expect(stacks.sort()).toEqual(['TrustGapCentral.template.json', 'TrustGapManagement.template.json']);
    const central = JSON.parse(readFileSync(path.join(orgOut, 'TrustGapCentral.template.json'), 'utf8'));
    const stackSets = Object.values(central.Resources as Record<string, { Type: string; Properties: any }>).filter(
      (resource) => resource.Type === 'AWS::CloudFormation::StackSet',
    );
    expect(stackSets).toHaveLength(1);
    expect(JSON.parse(stackSets[0].Properties.TemplateBody).Resources).toBeDefined();
    const report = JSON.parse(readFileSync(path.join(orgOut, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
  }, 240_000);

  it('stops with one line naming the key on a bad organization value', async () => {
    const failure = await cdkSynth(
      path.join(outdir, 'bad-org'),
      ...organization.map((argument) =>
        argument.startsWith('centralAccountId=') ? 'centralAccountId=1234' : argument,
      ),
    ).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).not.toBe(0);
    expect(failure?.stderr).toContain(
      'Invalid CDK context for trustgap:\n  - centralAccountId must be a 12-digit account id; got "1234".',
    );
    expect(failure?.stderr).not.toMatch(/^\s+at /m);
  }, 240_000);
});
