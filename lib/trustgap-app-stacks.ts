import type { App, Stack } from 'aws-cdk-lib';
import { type ContextKey, readContextSettings } from './monitor/context-settings';
import { TrustGapCentralStack } from './organization/central-stack';
import { TrustGapMemberStack } from './organization/member-stack';
import { type OrganizationContextKey, readOrganizationContext } from './organization/organization-context';
import { ORGANIZATIONS_READ_ACTIONS } from './organization/organizations-read-actions';
import { TrustGapStack } from './trustgap-stack';

/**
 * The stacks the CDK context selects. Without `organizationId`: the single-account TrustGapStack, as always.
 * With it: `<stackName>Central` (central account and region; it holds the members' StackSet) and
 * `<stackName>Management` (the management account, which a service-managed StackSet skips; once per member
 * region). Environment-agnostic on purpose: synth needs no credentials; the central stack asserts at deploy
 * time that it runs in the centralAccountId and centralRegion.
 */
export function addTrustGapStacks(app: App): Stack[] {
  const stackName: string = app.node.tryGetContext('stackName') ?? 'TrustGap';
  const organization = readOrganizationContext((key: OrganizationContextKey) => app.node.tryGetContext(key));
  if (organization === undefined) return [new TrustGapStack(app, stackName)];

  const monitor = readContextSettings((key: ContextKey) => app.node.tryGetContext(key));
  return [
    new TrustGapCentralStack(app, `${stackName}Central`, { organization, monitor }),
    new TrustGapMemberStack(app, `${stackName}Management`, {
      organization,
      organizationsReadActions: ORGANIZATIONS_READ_ACTIONS,
      description:
        'trustgap management account: forwarder, and the reader role with Organizations reads (SCPs and RCPs)',
    }),
  ];
}
