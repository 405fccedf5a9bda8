import { parseStatedReason } from '../../../src/engine/event/aws-stated-reason';

const HEAD =
  'User: arn:aws:sts::111122223333:assumed-role/dev/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/app';

describe('parseStatedReason (IAM User Guide, "Troubleshoot access denied error messages")', () => {
  it('reads the old wording, which names no policy type, as nothing stated', () => {
    expect(parseStatedReason(HEAD)).toBeUndefined();
    expect(parseStatedReason('Not authorized to perform sts:AssumeRoleWithWebIdentity')).toBeUndefined();
    expect(parseStatedReason(undefined)).toBeUndefined();
  });

  it('reads "because no … policy allows" as a missing allow in that layer', () => {
    expect(
      parseStatedReason(`${HEAD} because no identity-based policy allows the sts:AssumeRole action`),
    ).toMatchObject({ kind: 'no-allow', layer: 'identity' });
    expect(parseStatedReason(`${HEAD} because no permissions boundary allows the sts:AssumeRole action`)).toMatchObject(
      { kind: 'no-allow', layer: 'boundary' },
    );
  });

  it.each([
    ['service control policy', 'scp'],
    ['resource control policy', 'rcp'],
    ['permissions boundary', 'boundary'],
    ['identity-based policy', 'identity'],
    ['session policy', 'session'],
  ])('reads "with an explicit deny in a %s", with and without the ARN', (words, layer) => {
    expect(parseStatedReason(`${HEAD} with an explicit deny in a ${words}`)).toEqual({
      kind: 'explicit-deny',
      layer,
      text: `with an explicit deny in a ${words}`,
    });
    const arn = 'arn:aws:organizations::210987654321:policy/o-7kq2mz4xwd/service_control_policy/p-rg7x2k4q';
    expect(parseStatedReason(`${HEAD} with an explicit deny in a ${words}: ${arn}`)).toMatchObject({
      kind: 'explicit-deny',
      layer,
      policyArn: arn,
    });
  });

  it('ignores a non-ARN after the colon and stays linear on long hostile text', () => {
    expect(parseStatedReason(`${HEAD} with an explicit deny in a service control policy: p-123`)?.policyArn).toBe(
      undefined,
    );
    const hostile = `${'with an explicit deny in a '.repeat(20000)}x`;
    const t = Date.now();
    parseStatedReason(hostile);
    expect(Date.now() - t).toBeLessThan(1000); // linear: a few ms; quadratic: far beyond
  });
});
