import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Aws, BootstraplessSynthesizer, CfnCondition, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { createForwardingRule, type ForwardingRule } from './forwarder';
import type { OrganizationSettings } from './organization-context';
import { createReaderRole } from './reader-role';

/** The central bus's fixed name, so that member templates can name its ARN before it exists. */
export const CENTRAL_BUS_NAME = 'trustgap-denied-calls';

export function centralBusArn(settings: OrganizationSettings, partition: string = Aws.PARTITION): string {
  return `arn:${partition}:events:${settings.centralRegion}:${settings.centralAccountId}:event-bus/${CENTRAL_BUS_NAME}`;
}

export interface MemberStackProps extends StackProps {
  readonly organization: OrganizationSettings;
  /** Organizations read actions for the reader (the management account's stack only). @default - none */
  readonly organizationsReadActions?: readonly string[];
}

/**
 * What every account gets, in every member region: the forwarding rule; and, in the central region only (IAM is
 * global, one role per account), the reader role. One template for all regions, so one StackSet: a
 * CloudFormation Condition on AWS::Region creates the reader where the central stack runs. No assets, no
 * bootstrap: it deploys as a StackSet body or with `aws cloudformation deploy`.
 */
export class TrustGapMemberStack extends Stack {
  public readonly forwarder: ForwardingRule;
  public readonly readerRole: iam.Role;
  public readonly readerRegionCondition: CfnCondition;

  constructor(scope: Construct, id: string, props: MemberStackProps) {
    super(scope, id, {
      description: 'trustgap member: forwards denied role assumptions to the central bus; read-only reader role',
      synthesizer: new BootstraplessSynthesizer(),
      analyticsReporting: false,
      ...props,
    });
    const { organization } = props;
    this.forwarder = createForwardingRule(this, 'ForwardDeniedCalls', { centralBusArn: centralBusArn(organization) });
    this.readerRegionCondition = new CfnCondition(this, 'IsReaderRegion', {
      expression: Fn.conditionEquals(Aws.REGION, organization.centralRegion),
    });
    this.readerRole = createReaderRole(this, 'ReaderRole', {
      readerRoleName: organization.readerRoleName,
      centralAccountId: organization.centralAccountId,
      organizationId: organization.organizationId,
      organizationsReadActions: props.organizationsReadActions,
    });
    (this.readerRole.node.defaultChild as iam.CfnRole).cfnOptions.condition = this.readerRegionCondition;
  }
}

/**
 * The member template as the StackSet's TemplateBody: a TrustGapMemberStack synthesized in an app of its own
 * (so it is not a deployable stack of the main app), checked with cdk-nag like every other stack.
 */
export function synthesizeMemberTemplate(organization: OrganizationSettings): Record<string, unknown> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'trustgap-member-'));
  try {
    const app = new App({ outdir });
    const stack = new TrustGapMemberStack(app, 'TrustGapMember', { organization });
    const report = new AwsSolutionsChecks().validateScope(stack);
    if (!report.success) {
      throw new Error(`cdk-nag AwsSolutionsChecks failed on the member template: ${JSON.stringify(report.violations)}`);
    }
    return app.synth().getStackArtifact(stack.artifactId).template as Record<string, unknown>;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
