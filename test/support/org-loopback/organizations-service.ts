import type { LoopbackOptions, LoopbackOrganization } from './model';

export interface JsonAnswer {
  status: number;
  body: unknown;
}

const error = (type: string, message: string, status = 400): JsonAnswer => ({
  status,
  body: { __type: type, message },
});

/**
 * Organizations (JSON 1.1). DescribeOrganization answers any member; everything else only the management account's
 * reader session (or the central account, standing in for a delegated administrator when `delegatedAdmin`).
 */
export function answerOrganizations(
  org: LoopbackOrganization | undefined,
  account: string,
  options: LoopbackOptions & { delegatedAdminAccountId?: string },
  api: string,
  input: Record<string, unknown>,
): JsonAnswer {
  if (!org) return error('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
  const summary = (id: string) => {
    const p = org.policies.find((x) => x.id === id);
    return (
      p && {
        Id: p.id,
        Arn: `arn:aws:organizations::${org.managementAccountId}:policy/${org.id}/${p.type.toLowerCase()}/${p.id}`,
        Name: p.name,
        Type: p.type,
        AwsManaged: p.awsManaged ?? false,
      }
    );
  };
  if (api === 'DescribeOrganization') {
    return {
      status: 200,
      body: {
        Organization: {
          Id: org.id,
          MasterAccountId: org.managementAccountId,
          Arn: `arn:aws:organizations::${org.managementAccountId}:organization/${org.id}`,
        },
      },
    };
  }
  if (account !== org.managementAccountId && account !== options.delegatedAdminAccountId) {
    return error('AccessDeniedException', `You don't have permissions to access this resource (account ${account}).`);
  }
  switch (api) {
    case 'ListRoots': {
      const types = [
        { Type: 'SERVICE_CONTROL_POLICY', Status: org.scpsEnabled ? 'ENABLED' : 'DISABLED' },
        { Type: 'RESOURCE_CONTROL_POLICY', Status: org.rcpsEnabled ? 'ENABLED' : 'DISABLED' },
      ].filter((t) => t.Status === 'ENABLED');
      return { status: 200, body: { Roots: [{ Id: org.rootId, Name: 'Root', PolicyTypes: types }] } };
    }
    case 'ListParents': {
      const child = String(input.ChildId);
      const parent = org.parents[child];
      if (!parent)
        return error(
          'ChildNotFoundException',
          `We can't find an organizational unit (OU) or AWS account with the ChildId ${child}.`,
        );
      return {
        status: 200,
        body: { Parents: [{ Id: parent, Type: parent.startsWith('r-') ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }] },
      };
    }
    case 'ListPolicies':
      return {
        status: 200,
        body: { Policies: org.policies.filter((p) => p.type === input.Filter).map((p) => summary(p.id)) },
      };
    case 'ListTargetsForPolicy': {
      const p = org.policies.find((x) => x.id === input.PolicyId);
      if (!p) return error('PolicyNotFoundException', `policy ${String(input.PolicyId)} not found`);
      const type = (t: string) =>
        t.startsWith('r-') ? 'ROOT' : t.startsWith('ou-') ? 'ORGANIZATIONAL_UNIT' : 'ACCOUNT';
      return { status: 200, body: { Targets: p.targets.map((t) => ({ TargetId: t, Name: t, Type: type(t) })) } };
    }
    case 'DescribePolicy': {
      const p = org.policies.find((x) => x.id === input.PolicyId);
      if (!p) return error('PolicyNotFoundException', `policy ${String(input.PolicyId)} not found`);
      return { status: 200, body: { Policy: { PolicySummary: summary(p.id), Content: JSON.stringify(p.content) } } };
    }
    default:
      return error('InvalidInputException', `loopback Organizations does not implement ${api}`);
  }
}
