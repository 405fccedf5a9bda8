import { ConfigError, readOrganizationConfig, readPipelineConfig } from '../../src/pipeline/config';

const BASE = { FINDINGS_TABLE_NAME: 't', FINDINGS_TOPIC_ARN: 'arn:aws:sns:us-east-1:111111111111:t' };

describe('organization deployment configuration', () => {
  it('is absent in the single-account stack (no TRUSTGAP_DEPLOYMENT, or "account")', () => {
    expect(readPipelineConfig(BASE).organization).toBeUndefined();
    expect(readPipelineConfig({ ...BASE, TRUSTGAP_DEPLOYMENT: 'account' }).organization).toBeUndefined();
  });

  it('reads ORGANIZATION_ID, READER_ROLE_NAME and ORGANIZATIONS_ACCESS, with the contract defaults', () => {
    expect(readOrganizationConfig({ TRUSTGAP_DEPLOYMENT: 'organization', ORGANIZATION_ID: 'o-abcdef1234' })).toEqual({
      organizationId: 'o-abcdef1234',
      readerRoleName: 'trustgap-reader',
      organizationsAccess: 'management-reader',
    });
    expect(
      readOrganizationConfig({
        TRUSTGAP_DEPLOYMENT: 'organization',
        ORGANIZATION_ID: 'o-abcdef1234',
        READER_ROLE_NAME: 'audit-reader',
        ORGANIZATIONS_ACCESS: 'delegated-admin',
      }),
    ).toEqual({
      organizationId: 'o-abcdef1234',
      readerRoleName: 'audit-reader',
      organizationsAccess: 'delegated-admin',
    });
  });

  it.each([
    [{ TRUSTGAP_DEPLOYMENT: 'org' }, /TRUSTGAP_DEPLOYMENT/],
    [{ TRUSTGAP_DEPLOYMENT: 'organization' }, /ORGANIZATION_ID is not set/],
    [{ TRUSTGAP_DEPLOYMENT: 'organization', ORGANIZATION_ID: 'org-1' }, /ORGANIZATION_ID must look like/],
    [
      { TRUSTGAP_DEPLOYMENT: 'organization', ORGANIZATION_ID: 'o-abcdef1234', READER_ROLE_NAME: 'a/b' },
      /READER_ROLE_NAME/,
    ],
    [
      { TRUSTGAP_DEPLOYMENT: 'organization', ORGANIZATION_ID: 'o-abcdef1234', ORGANIZATIONS_ACCESS: 'root' },
      /ORGANIZATIONS_ACCESS/,
    ],
  ])('fails the cold start on a bad setting %p', (env, message) => {
    expect(() => readOrganizationConfig(env)).toThrow(ConfigError);
    expect(() => readOrganizationConfig(env)).toThrow(message);
  });
});
