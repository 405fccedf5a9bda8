/**
 * Turns the compact organization description (model.ts) into the team emulator's options
 * (test/support/aws-emulator): one IAM fixture per account in the recorded-response shape, the reader role in every
 * account that has one, the central function's own key, an STS rule that lets only trustgap-diagnoser assume
 * reader roles (the member template's trust), and the Organizations description.
 */
import type { EmulatorOptions, IamAccountFixture, OrganizationDescription } from '../aws-emulator';
import type { Doc, LoopbackAccount, LoopbackOptions } from './model';

/** The central function's access key: it signs as the trustgap-diagnoser role of the central account. */
export const CENTRAL_ACCESS_KEY = 'AKIACENTRALDIAGNOSER';

const enc = (doc: Doc) => encodeURIComponent(JSON.stringify(doc));
const CREATED = '2024-01-01T00:00:00Z';
const idOf = (prefix: string, name: string) =>
  `${prefix}${name.toUpperCase().replace(/[^A-Z0-9]/g, '')}EXAMPLE0000000`.slice(0, 21);

function readerRole(readerRoleName: string, centralAccountId: string) {
  return {
    name: readerRoleName,
    trust: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${centralAccountId}:role/trustgap-diagnoser` },
          Action: 'sts:AssumeRole',
        },
      ],
    },
  };
}

function iamFixture(account: LoopbackAccount, readerRoleName: string, centralAccountId: string): IamAccountFixture {
  const id = account.id;
  const f: Record<string, Record<string, unknown>> = {};
  const put = (api: string, key: string, value: unknown) => {
    f[api] ??= {};
    f[api][key] = value;
  };
  const roles = [...(account.roles ?? [])];
  if (account.reader !== false) roles.push(readerRole(readerRoleName, centralAccountId));
  const listed: unknown[] = [];
  for (const r of roles) {
    const path = r.path ?? '/';
    const boundary = r.boundary
      ? { PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: r.boundary } }
      : {};
    const role = {
      Path: path,
      RoleName: r.name,
      RoleId: idOf('AROA', r.name),
      Arn: `arn:aws:iam::${id}:role${path}${r.name}`,
      CreateDate: CREATED,
      AssumeRolePolicyDocument: enc(r.trust),
      MaxSessionDuration: 3600,
      ...boundary,
      Tags: Object.entries(r.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    };
    listed.push(role);
    put('GetRole', r.name, { Role: role });
    put('ListRolePolicies', r.name, { PolicyNames: Object.keys(r.inline ?? {}), IsTruncated: false });
    put('GetRolePolicy', r.name, inlineMap('RoleName', r.name, r.inline));
    put('ListAttachedRolePolicies', r.name, attachedList(r.attached));
  }
  for (const u of account.users ?? []) {
    const path = u.path ?? '/';
    const arn = `arn:aws:iam::${id}:user${path}${u.name}`;
    put('GetUser', u.name, {
      User: { Path: path, UserName: u.name, UserId: idOf('AIDA', u.name), Arn: arn, CreateDate: CREATED, Tags: [] },
    });
    put('ListUserPolicies', u.name, { PolicyNames: Object.keys(u.inline ?? {}), IsTruncated: false });
    put('GetUserPolicy', u.name, inlineMap('UserName', u.name, u.inline));
    put('ListAttachedUserPolicies', u.name, attachedList(u.attached));
    const groups = (u.groups ?? []).map((g) => ({
      Path: '/',
      GroupName: g,
      GroupId: idOf('AGPA', g),
      Arn: `arn:aws:iam::${id}:group/${g}`,
      CreateDate: CREATED,
    }));
    put('ListGroupsForUser', u.name, { Groups: groups, IsTruncated: false });
  }
  for (const g of account.groups ?? []) {
    put('ListGroupPolicies', g.name, { PolicyNames: Object.keys(g.inline ?? {}), IsTruncated: false });
    put('GetGroupPolicy', g.name, inlineMap('GroupName', g.name, g.inline));
    put('ListAttachedGroupPolicies', g.name, attachedList(g.attached));
  }
  for (const [name, doc] of Object.entries(account.policies ?? {})) {
    const arn = `arn:aws:iam::${id}:policy/${name}`;
    put('GetPolicy', arn, {
      Policy: { PolicyName: name, PolicyId: idOf('ANPA', name), Arn: arn, Path: '/', DefaultVersionId: 'v1' },
    });
    put('GetPolicyVersion', arn, {
      v1: { PolicyVersion: { Document: enc(doc), VersionId: 'v1', IsDefaultVersion: true } },
    });
  }
  f.ListRoles = { Roles: listed, IsTruncated: false };
  return Object.assign(f, { accountId: id }) as IamAccountFixture;
}

function inlineMap(field: string, owner: string, inline: Record<string, Doc> = {}): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(inline).map(([name, doc]) => [name, { [field]: owner, PolicyName: name, PolicyDocument: enc(doc) }]),
  );
}

function attachedList(arns: string[] = []): unknown {
  return {
    AttachedPolicies: arns.map((arn) => ({ PolicyName: arn.split('/').pop(), PolicyArn: arn })),
    IsTruncated: false,
  };
}

function targetType(id: string): 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT' {
  return id.startsWith('r-') ? 'ROOT' : id.startsWith('ou-') ? 'ORGANIZATIONAL_UNIT' : 'ACCOUNT';
}

export function toEmulatorOptions(o: LoopbackOptions): EmulatorOptions {
  const org = o.organization;
  const organization: OrganizationDescription | undefined = org && {
    OrganizationId: org.id,
    ManagementAccountId: org.managementAccountId,
    EnabledPolicyTypes: [
      ...(org.scpsEnabled ? ['SERVICE_CONTROL_POLICY'] : []),
      ...(org.rcpsEnabled ? ['RESOURCE_CONTROL_POLICY'] : []),
    ],
    Policies: org.policies.map((p) => ({
      Id: p.id,
      Name: p.name,
      Type: p.type,
      AwsManaged: p.awsManaged,
      Content: JSON.stringify(p.content),
    })),
    Targets: [org.rootId, ...Object.keys(org.parents)].map((t) => ({
      Id: t,
      Type: targetType(t),
      ParentId: org.parents[t],
      PolicyIds: org.policies.filter((p) => p.targets.includes(t)).map((p) => p.id),
    })),
  };
  const diagnoserSession = `arn:aws:sts::${o.centralAccountId}:assumed-role/trustgap-diagnoser/`;
  return {
    iamAccounts: o.accounts.map((a) => iamFixture(a, o.readerRoleName, o.centralAccountId)),
    principals: {
      [CENTRAL_ACCESS_KEY]: {
        accountId: o.centralAccountId,
        arn: `${diagnoserSession}fn`,
        userId: 'AROACENTRALDIAGNOSER:fn',
      },
    },
    // The reader role trusts exactly the central function's role (member template); nothing else is assumed here.
    assumeRule: (caller, roleArn) =>
      caller.arn.startsWith(diagnoserSession) && roleArn.endsWith(`:role/${o.readerRoleName}`),
    organization,
  };
}
