import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  ORGANIZATION_CONTEXT_KEYS,
  type OrganizationContextKey,
  readOrganizationContext,
} from '../../lib/organization/organization-context';

const VALID = {
  organizationId: 'o-a1b2c3d4e5',
  organizationalUnitIds: 'r-ab12,ou-ab12-11111111',
  memberRegions: 'us-east-1,eu-west-1',
  centralAccountId: '123456789012',
};
const read = (context: Partial<Record<OrganizationContextKey, unknown>>) =>
  readOrganizationContext((key) => context[key]);

describe('readOrganizationContext', () => {
  it('selects the single-account deployment when no organization key is set', () => {
    expect(read({})).toBeUndefined();
    expect(read({ organizationId: '' })).toBeUndefined();
  });

  it('reads the README command, with centralRegion defaulting to the first member region and the default reader name', () => {
    expect(read(VALID)).toEqual({
      organizationId: 'o-a1b2c3d4e5',
      organizationalUnitIds: ['r-ab12', 'ou-ab12-11111111'],
      memberRegions: ['us-east-1', 'eu-west-1'],
      centralAccountId: '123456789012',
      centralRegion: 'us-east-1',
      readerRoleName: 'trustgap-reader',
    });
  });

  it('accepts arrays from cdk.json, an explicit centralRegion and readerRoleName', () => {
    expect(
      read({
        ...VALID,
        organizationalUnitIds: ['ou-ab12-11111111'],
        memberRegions: ['eu-west-1', 'us-gov-west-1'],
        centralRegion: 'us-gov-west-1',
        readerRoleName: 'SecurityTrustgapReader',
      }),
    ).toMatchObject({ centralRegion: 'us-gov-west-1', readerRoleName: 'SecurityTrustgapReader' });
  });

  it.each<[string, Partial<Record<OrganizationContextKey, unknown>>, string]>([
    [
      'a malformed organization id',
      { organizationId: 'o-abc' },
      'organizationId must look like o-abcd123456 (o- and 10 to 32 lowercase letters or digits); got "o-abc".',
    ],
    [
      'an upper-case organization id',
      { organizationId: 'o-A1B2C3D4E5' },
      'organizationId must look like o-abcd123456 (o- and 10 to 32 lowercase letters or digits); got "o-A1B2C3D4E5".',
    ],
    [
      'an empty memberRegions',
      { memberRegions: ' , ' },
      'memberRegions must list at least one region name such as eu-west-1; got none.',
    ],
    [
      'no memberRegions at all',
      { memberRegions: undefined },
      'memberRegions must list at least one region name such as eu-west-1; got none.',
    ],
    [
      'a region that is not one',
      { memberRegions: 'us-east-1,Europe' },
      'memberRegions: "Europe" is not a region name such as eu-west-1.',
    ],
    [
      'an OU id of the wrong shape',
      { organizationalUnitIds: 'r-ab12,ou-ab12' },
      'organizationalUnitIds: "ou-ab12" is not an OU id (ou-abcd-12345678) or a root id (r-abcd).',
    ],
    [
      'an account id given as an OU',
      { organizationalUnitIds: '111111111111' },
      'organizationalUnitIds: "111111111111" is not an OU id (ou-abcd-12345678) or a root id (r-abcd).',
    ],
    [
      'a central account id that is not 12 digits',
      { centralAccountId: '12345678901' },
      'centralAccountId must be a 12-digit account id; got "12345678901".',
    ],
    [
      'a central region outside the member regions',
      { centralRegion: 'ap-south-1' },
      'centralRegion must be one of the memberRegions (us-east-1, eu-west-1): the reader role is created there; got "ap-south-1".',
    ],
    [
      'an invalid reader role name',
      { readerRoleName: 'trustgap reader' },
      'readerRoleName must be an IAM role name (1 to 64 of letters, digits and +=,.@_-); got "trustgap reader".',
    ],
    ['a duplicated region', { memberRegions: 'eu-west-1,eu-west-1' }, 'memberRegions lists the same value twice.'],
  ])('stops on %s with one line naming the key', (_name, change, line) => {
    expect(() => read({ ...VALID, ...change })).toThrow(`Invalid CDK context for trustgap:\n  - ${line}`);
    try {
      read({ ...VALID, ...change });
    } catch (error) {
      expect((error as Error).message.split('\n')).toEqual(['Invalid CDK context for trustgap:', `  - ${line}`]);
    }
  });

  it('refuses organization keys without organizationId', () => {
    expect(() => read({ memberRegions: 'eu-west-1' })).toThrow(
      'organizationId must be set (o-…) to use memberRegions; leave them out for a single-account deployment.',
    );
  });

  it('has every key documented in docs/deploy.md with its default', () => {
    const docs = readFileSync(path.join(__dirname, '..', '..', 'docs', 'deploy.md'), 'utf8').replace(/ *\| */g, '|');
    for (const [key, { default: defaultValue }] of Object.entries(ORGANIZATION_CONTEXT_KEYS)) {
      expect({ key, documented: docs.includes(`|\`${key}\`|${defaultValue}|`) }).toEqual({ key, documented: true });
    }
  });
});
