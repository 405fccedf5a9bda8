import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type Acknowledgement, acknowledgementsUnder, rawFindings } from './nag-findings';
import { type SynthesizedTrustGap, synthesizeTrustGap } from './synth-trustgap';

const variants: [string, Record<string, string>][] = [
  ['default context', {}],
  [
    'emails and Slack',
    {
      alertEmails: 'secops@example.com,platform@example.com',
      slackWorkspaceId: 'T0123ABCD',
      slackChannelId: 'C0123ABCD',
    },
  ],
];

describe.each(variants)('AwsSolutionsChecks with %s', (_name, context) => {
  let synthesized: SynthesizedTrustGap;
  beforeAll(() => {
    synthesized = synthesizeTrustGap(context);
  });

  it('reports no unacknowledged finding', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(synthesized.stack);
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('acknowledges only findings that really occur, each on the construct that raises it', () => {
    const findings = rawFindings(synthesized.stack);
    for (const acknowledgement of acknowledgementsUnder(synthesized.stack)) {
      const raisedBelow = findings.filter(
        (finding) =>
          finding.ruleName === acknowledgement.id &&
          (finding.constructPath === acknowledgement.constructPath ||
            finding.constructPath.startsWith(`${acknowledgement.constructPath}/`)),
      );
      expect({ acknowledgement, raised: raisedBelow.length > 0 }).toEqual({ acknowledgement, raised: true });
    }
  });

  it('acknowledges nothing at stack or app level', () => {
    const paths = new Set(
      acknowledgementsUnder(synthesized.app).map((acknowledgement) => acknowledgement.constructPath),
    );
    expect(paths.has(synthesized.stack.node.path)).toBe(false);
    expect(paths.has('')).toBe(false);
  });
});

describe('acknowledgement reasons', () => {
  let acknowledgements: Acknowledgement[];
  beforeAll(() => {
    acknowledgements = acknowledgementsUnder(synthesizeTrustGap().stack);
  });

  it('are the expected set', () => {
    expect(acknowledgements.map((acknowledgement) => acknowledgement.id).sort()).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:group/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:oidc-provider/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:policy/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:saml-provider/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:user/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::aws:policy/*]',
      'AwsSolutions-SQS3',
    ]);
  });

  it('say what iam:ListRoles really returns (every trust policy) and why it is still needed', () => {
    const listRoles = acknowledgements.find(
      (acknowledgement) => acknowledgement.id === 'AwsSolutions-IAM5[Resource::*]',
    );
    expect(listRoles?.reason).toContain('trust policy document');
    expect(listRoles?.reason).toContain('ROLE_NOT_FOUND');
    expect(listRoles?.reason).not.toContain('no policies');
  });

  it('each say why (not a placeholder)', () => {
    for (const { id, reason } of acknowledgements) {
      expect({ id, long: reason.length >= 80 }).toEqual({ id, long: true });
    }
  });

  it('are each listed in docs/deploy.md', () => {
    const docs = readFileSync(path.join(__dirname, '..', '..', 'docs', 'deploy.md'), 'utf8');
    for (const { id } of acknowledgements) {
      expect({ id, documented: docs.includes(id) }).toEqual({ id, documented: true });
    }
  });
});
