import {
  OrganizationFileError,
  organizationPolicyChain,
  parseOrganizationFile,
} from '../../../../src/engine/iam/snapshot/organization-file';
import orgJson from '../../../fixtures/snapshots/organization.json';

const clone = (): any => JSON.parse(JSON.stringify(orgJson));

describe('parseOrganizationFile', () => {
  const org = parseOrganizationFile(orgJson, 'organization.json');

  it('reads ids, policies in every accepted form, and enabled types', () => {
    expect(org.organizationId).toBe('o-a1b2c3d4e5');
    expect(org.managementAccountId).toBe('999999999999');
    expect(org.scpsEnabled).toBe(true);
    expect(org.rcpsEnabled).toBe(true);
    // describe-policy shape with JSON-string Content
    expect(org.policies.get('p-FullAWSAccess')?.document?.Statement).toEqual([
      { Effect: 'Allow', Action: '*', Resource: '*' },
    ]);
    // AWS-managed by name, no Content: the fixed AWS document
    expect(org.policies.get('p-RCPFullAWSAccess')?.document?.Statement[0]).toMatchObject({
      Principal: '*',
      Action: '*',
    });
    // object Content with a single-object Statement
    expect(org.policies.get('p-denyassume1')?.document?.Statement[0].Sid).toBe('DenyAssumeRoleOutsideOrg');
    // URL-encoded Content
    expect(org.policies.get('p-rcpstsorg1')?.document?.Statement[0].Condition).toEqual({
      StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
      Bool: { 'aws:PrincipalIsAWSService': 'false' },
    });
    // other policy types are kept but never evaluated
    expect(org.policies.get('p-tagpolicy1')).toMatchObject({ type: 'other', document: undefined });
    expect(org.targets.get('ou-a1b2-22222222')?.type).toBe('ou');
  });

  it('builds the chain root → OUs → account with SCPs and RCPs per level', () => {
    const chain = organizationPolicyChain(org, '111111111111')!;
    expect(chain.levels.map((l) => l.target)).toEqual([
      'r-a1b2',
      'ou-a1b2-11111111',
      'ou-a1b2-22222222',
      '111111111111',
    ]);
    expect(chain.levels[1].scps.map((p) => p.arn)).toEqual(['p-FullAWSAccess', 'p-denyassume1']);
    expect(chain.levels[1].rcps.map((p) => p.arn)).toEqual(['p-RCPFullAWSAccess']);
    expect(chain.levels[2].rcps.map((p) => p.name)).toEqual(['RCPFullAWSAccess', 'StsOnlyFromOrg']);
    expect(chain.levels[1].scps[1]).toMatchObject({
      kind: 'scp',
      source: 'SCP p-denyassume1 "DenyAssumeOutsideOrg" attached to ou-a1b2-11111111 (Workloads)',
    });
    expect(chain.scpsApply).toBe(true);
    expect(chain.rcpsApply).toBe(true);
    expect(chain.organizationId).toBe('o-a1b2c3d4e5');
  });

  it('gives the management account no levels: SCPs and RCPs do not apply to it', () => {
    expect(organizationPolicyChain(org, '999999999999')).toEqual({
      organizationId: 'o-a1b2c3d4e5',
      managementAccountId: '999999999999',
      levels: [],
      scpsApply: false,
      rcpsApply: false,
    });
  });

  it('returns undefined for an account that is not in the file, or a non-account target', () => {
    expect(organizationPolicyChain(org, '222222222222')).toBeUndefined();
    expect(organizationPolicyChain(org, 'ou-a1b2-11111111')).toBeUndefined();
  });

  it('infers enabled types from attachments when EnabledPolicyTypes is absent', () => {
    const json = clone();
    delete json.EnabledPolicyTypes;
    json.Policies = json.Policies.filter((p: any) => (p.PolicySummary ?? p).Type !== 'RESOURCE_CONTROL_POLICY');
    for (const t of json.Targets)
      t.PolicyIds = t.PolicyIds.filter((id: string) => !id.includes('RCP') && id !== 'p-rcpstsorg1');
    const parsed = parseOrganizationFile(json, 'org.json');
    expect(parsed.rcpsEnabled).toBe(false);
    const chain = organizationPolicyChain(parsed, '111111111111')!;
    expect(chain.rcpsApply).toBe(false);
    expect(chain.levels.every((l) => l.rcps.length === 0)).toBe(true);
    expect(chain.levels[3].scps).toHaveLength(1);
  });

  const errorCases: Array<[string, (j: any) => void, RegExp]> = [
    ['not an object', (j) => Object.assign(j, { __replace: [] }), /must be a JSON object/],
    ['bad management id', (j) => (j.ManagementAccountId = '9999'), /ManagementAccountId must be a 12-digit/],
    ['policy without Id', (j) => delete j.Policies[2].Id, /Policies\[2\]\.Id is required/],
    ['policy without Type', (j) => delete j.Policies[2].Type, /Policies\[2\]\.Type is required/],
    ['duplicate policy', (j) => j.Policies.push(j.Policies[2]), /policy p-denyassume1 is listed twice/],
    ['SCP without Content', (j) => delete j.Policies[2].Content, /Policies\[2\] \(p-denyassume1\) has no Content/],
    [
      'broken Content',
      (j) => (j.Policies[2].Content = '{"Statement": ['),
      /Policies\[2\] \(p-denyassume1\).*not valid JSON/,
    ],
    ['unknown policy id', (j) => j.Targets[3].PolicyIds.push('p-nope'), /Targets\[3\]\.PolicyIds names p-nope/],
    [
      'unknown parent',
      (j) => (j.Targets[3].ParentId = 'ou-a1b2-99999999'),
      /ParentId ou-a1b2-99999999, which is not in Targets/,
    ],
    ['missing parent', (j) => delete j.Targets[2].ParentId, /ou ou-a1b2-22222222 has no ParentId/],
    [
      'two roots',
      (j) => j.Targets.push({ Id: 'r-zzzz', PolicyIds: ['p-FullAWSAccess', 'p-RCPFullAWSAccess'] }),
      /exactly one ROOT \(found 2\)/,
    ],
    [
      'type mismatch',
      (j) => (j.Targets[3].Type = 'ORGANIZATIONAL_UNIT'),
      /looks like an account, but Type says ORGANIZATIONAL_UNIT/,
    ],
    ['unknown id form', (j) => (j.Targets[3].Id = 'prod'), /cannot tell whether prod is a root, OU or account/],
    ['account as parent', (j) => (j.Targets[2].ParentId = '111111111111'), /has an account \(111111111111\) as parent/],
    [
      'cycle',
      (j) => {
        j.Targets[1].ParentId = 'ou-a1b2-22222222';
      },
      /loops without reaching the root/,
    ],
    [
      'target without SCP',
      (j) => (j.Targets[3].PolicyIds = ['p-RCPFullAWSAccess']),
      /target 111111111111 \(prod-app\) has no SCP attached/,
    ],
    [
      'attached but not enabled',
      (j) => (j.EnabledPolicyTypes = ['SERVICE_CONTROL_POLICY']),
      /RESOURCE_CONTROL_POLICY policies are attached but EnabledPolicyTypes does not list/,
    ],
  ];

  it.each(errorCases)('rejects a file with %s, naming the file and entry', (_name, mutate, message) => {
    let json = clone();
    mutate(json);
    if (json.__replace) json = json.__replace;
    expect(() => parseOrganizationFile(json, 'org.json')).toThrow(OrganizationFileError);
    expect(() => parseOrganizationFile(json, 'org.json')).toThrow(message);
    expect(() => parseOrganizationFile(json, 'org.json')).toThrow(/^org\.json: /);
  });
});
