import { EmulatedError } from './protocol';
import type { JsonService, RequestContext } from './server';

/** An organization in the shape of trustgap's organization file (docs/snapshots.md, examples/snapshot/). */
export interface OrganizationDescription {
  OrganizationId: string;
  ManagementAccountId: string;
  EnabledPolicyTypes?: string[];
  Policies: { Id: string; Name: string; Type: string; AwsManaged?: boolean; Content?: string; Description?: string }[];
  Targets: {
    Id: string;
    Type: 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';
    Name?: string;
    ParentId?: string;
    PolicyIds: string[];
  }[];
}

const FULL_AWS_ACCESS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
});

/**
 * AWS Organizations in the awsJson1_1 protocol (X-Amz-Target: AWSOrganizationsV20161128.<Operation>):
 * DescribeOrganization answers any member account, as AWS does; the tree and policy reads answer only the accounts
 * in `readers` (the management account, or a delegated administrator), everyone else gets AccessDeniedException.
 * ListRoots, ListParents, ListChildren, ListAccounts and ListPoliciesForTarget page with NextToken / MaxResults.
 */
export class EmulatedOrganizations implements JsonService {
  readonly name = 'organizations';
  readonly targetPrefix = 'AWSOrganizationsV20161128';
  readonly readers: Set<string>;

  constructor(
    private readonly org: OrganizationDescription,
    readers?: Iterable<string>,
  ) {
    this.readers = new Set(readers ?? [org.ManagementAccountId]);
  }

  private arn(kind: string, id: string): string {
    return `arn:aws:organizations::${this.org.ManagementAccountId}:${kind}/${this.org.OrganizationId}/${id}`;
  }

  handle(operation: string, input: Record<string, unknown>, ctx: RequestContext): unknown {
    const member = this.org.Targets.some((t) => t.Type === 'ACCOUNT' && t.Id === ctx.caller.accountId);
    if (!member && ctx.caller.accountId !== this.org.ManagementAccountId) {
      throw new EmulatedError(
        400,
        'AWSOrganizationsNotInUseException',
        'Your account is not a member of an organization.',
      );
    }
    if (operation === 'DescribeOrganization') {
      return {
        Organization: {
          Id: this.org.OrganizationId,
          Arn: `arn:aws:organizations::${this.org.ManagementAccountId}:organization/${this.org.OrganizationId}`,
          FeatureSet: 'ALL',
          MasterAccountId: this.org.ManagementAccountId,
          MasterAccountArn: `arn:aws:organizations::${this.org.ManagementAccountId}:account/${this.org.OrganizationId}/${this.org.ManagementAccountId}`,
          MasterAccountEmail: 'management@example.com',
        },
      };
    }
    if (!this.readers.has(ctx.caller.accountId)) {
      throw new EmulatedError(
        400,
        'AccessDeniedException',
        `You don't have permissions to access this resource (${ctx.caller.arn} is not a management or delegated administrator account).`,
      );
    }
    switch (operation) {
      case 'ListRoots':
        return page(
          this.org.Targets.filter((t) => t.Type === 'ROOT').map((t) => ({
            Id: t.Id,
            Arn: this.arn('root', t.Id),
            Name: t.Name ?? 'Root',
            PolicyTypes: (this.org.EnabledPolicyTypes ?? []).map((Type) => ({ Type, Status: 'ENABLED' })),
          })),
          'Roots',
          input,
        );
      case 'ListParents': {
        const child = this.target(String(input.ChildId));
        const parent = child.ParentId ? this.target(child.ParentId) : undefined;
        return page(parent ? [{ Id: parent.Id, Type: parent.Type }] : [], 'Parents', input);
      }
      case 'ListPoliciesForTarget': {
        const target = this.target(String(input.TargetId));
        const policies = target.PolicyIds.map((id) => this.policy(id)).filter((p) => p.Type === input.Filter);
        return page(
          policies.map((p) => this.summary(p)),
          'Policies',
          input,
        );
      }
      case 'ListChildren': {
        this.target(String(input.ParentId));
        const children = this.org.Targets.filter(
          (t) => t.ParentId === input.ParentId && t.Type === input.ChildType,
        ).map((t) => ({ Id: t.Id, Type: t.Type }));
        return page(children, 'Children', input);
      }
      case 'ListAccounts':
        return page(
          this.org.Targets.filter((t) => t.Type === 'ACCOUNT').map((t) => ({
            Id: t.Id,
            Arn: this.arn('account', t.Id),
            Name: t.Name ?? t.Id,
            Email: `${t.Id}@example.com`,
            Status: 'ACTIVE',
            State: 'ACTIVE',
            JoinedMethod: 'INVITED',
          })),
          'Accounts',
          input,
        );
      case 'DescribePolicy': {
        const p = this.policy(String(input.PolicyId));
        return { Policy: { PolicySummary: this.summary(p), Content: p.Content ?? FULL_AWS_ACCESS } };
      }
      default:
        throw new EmulatedError(400, 'UnknownOperationException', `Organizations ${operation} is not emulated`);
    }
  }

  private target(id: string): OrganizationDescription['Targets'][number] {
    const found = this.org.Targets.find((t) => t.Id === id);
    if (!found) throw new EmulatedError(400, 'TargetNotFoundException', `target ${id} not found`);
    return found;
  }

  private policy(id: string): OrganizationDescription['Policies'][number] {
    const found = this.org.Policies.find((p) => p.Id === id);
    if (!found) throw new EmulatedError(400, 'PolicyNotFoundException', `policy ${id} not found`);
    return found;
  }

  private summary(p: OrganizationDescription['Policies'][number]): Record<string, unknown> {
    const kind = p.Type === 'RESOURCE_CONTROL_POLICY' ? 'resource_control_policy' : 'service_control_policy';
    return {
      Id: p.Id,
      // arn:aws:organizations::<management>:policy/o-…/service_control_policy/p-…; AWS managed: ::aws:policy/<kind>/p-…
      Arn: p.AwsManaged
        ? `arn:aws:organizations::aws:policy/${kind}/${p.Id}`
        : `arn:aws:organizations::${this.org.ManagementAccountId}:policy/${this.org.OrganizationId}/${kind}/${p.Id}`,
      Name: p.Name,
      Description: p.Description ?? '',
      Type: p.Type,
      AwsManaged: p.AwsManaged ?? false,
    };
  }
}

/** Organizations lists page with NextToken (an offset here) and MaxResults (default 20). */
function page<T>(items: T[], key: string, input: Record<string, unknown>): Record<string, unknown> {
  const start = typeof input.NextToken === 'string' ? Number(input.NextToken) : 0;
  const size = typeof input.MaxResults === 'number' ? input.MaxResults : 20;
  const next = start + size;
  return { [key]: items.slice(start, next), ...(next < items.length ? { NextToken: String(next) } : {}) };
}
