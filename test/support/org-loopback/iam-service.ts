import type { Doc, LoopbackAccount, LoopbackRole, LoopbackUser } from './model';

/** Answers one IAM query-protocol action for one account, as IAM's XML; null = NoSuchEntity. */
export type XmlAnswer = { xml: string } | { error: string; status: number; message: string };

const enc = (doc: Doc) => encodeURIComponent(JSON.stringify(doc));
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const members = (tag: string, items: string[]) =>
  `<${tag}>${items.map((i) => `<member>${esc(i)}</member>`).join('')}</${tag}>`;
const notFound = (what: string): XmlAnswer => ({
  error: 'NoSuchEntity',
  status: 404,
  message: `${what} cannot be found.`,
});
const CREATED = '2024-01-01T00:00:00Z';

function uid(prefix: string, account: string, name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `${prefix}${account.slice(0, 6)}${h.toString(36).toUpperCase().padStart(8, '0')}`.slice(0, 21);
}

function roleXml(account: string, r: LoopbackRole): string {
  const path = r.path ?? '/';
  const boundary = r.boundary
    ? `<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType><PermissionsBoundaryArn>${r.boundary}</PermissionsBoundaryArn></PermissionsBoundary>`
    : '';
  const tags = Object.entries(r.tags ?? {})
    .map(([k, v]) => `<member><Key>${esc(k)}</Key><Value>${esc(v)}</Value></member>`)
    .join('');
  return `<Path>${path}</Path><RoleName>${r.name}</RoleName><RoleId>${uid('AROA', account, r.name)}</RoleId><Arn>arn:aws:iam::${account}:role${path}${r.name}</Arn><CreateDate>${CREATED}</CreateDate><AssumeRolePolicyDocument>${enc(r.trust)}</AssumeRolePolicyDocument><MaxSessionDuration>3600</MaxSessionDuration>${boundary}<Tags>${tags}</Tags>`;
}

function userXml(account: string, u: LoopbackUser): string {
  const path = u.path ?? '/';
  const boundary = u.boundary
    ? `<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType><PermissionsBoundaryArn>${u.boundary}</PermissionsBoundaryArn></PermissionsBoundary>`
    : '';
  return `<Path>${path}</Path><UserName>${u.name}</UserName><UserId>${uid('AIDA', account, u.name)}</UserId><Arn>arn:aws:iam::${account}:user${path}${u.name}</Arn><CreateDate>${CREATED}</CreateDate>${boundary}<Tags></Tags>`;
}

function attachedXml(arns: string[] = []): string {
  const items = arns.map(
    (arn) => `<member><PolicyName>${arn.split('/').pop()}</PolicyName><PolicyArn>${arn}</PolicyArn></member>`,
  );
  return `<AttachedPolicies>${items.join('')}</AttachedPolicies><IsTruncated>false</IsTruncated>`;
}

export function answerIam(account: LoopbackAccount, action: string, p: URLSearchParams): XmlAnswer {
  const id = account.id;
  const role = (account.roles ?? []).find((r) => r.name === p.get('RoleName'));
  const user = (account.users ?? []).find((u) => u.name === p.get('UserName'));
  const group = (account.groups ?? []).find((g) => g.name === p.get('GroupName'));
  const inline = (owner: { inline?: Record<string, Doc> } | undefined, kind: string, ownerName: string) => {
    const doc = owner?.inline?.[p.get('PolicyName') ?? ''];
    if (!doc) return notFound(`The ${kind} policy ${p.get('PolicyName')}`);
    return {
      xml: `<${kind}Name>${ownerName}</${kind}Name><PolicyName>${p.get('PolicyName')}</PolicyName><PolicyDocument>${enc(doc)}</PolicyDocument>`,
    };
  };
  switch (action) {
    case 'GetRole':
      return role ? { xml: `<Role>${roleXml(id, role)}</Role>` } : notFound(`The role with name ${p.get('RoleName')}`);
    case 'ListRolePolicies':
      return role
        ? { xml: `${members('PolicyNames', Object.keys(role.inline ?? {}))}<IsTruncated>false</IsTruncated>` }
        : notFound('role');
    case 'ListAttachedRolePolicies':
      return role ? { xml: attachedXml(role.attached) } : notFound('role');
    case 'GetRolePolicy':
      return role ? inline(role, 'Role', role.name) : notFound('role');
    case 'GetUser':
      return user ? { xml: `<User>${userXml(id, user)}</User>` } : notFound(`The user with name ${p.get('UserName')}`);
    case 'ListUserPolicies':
      return user
        ? { xml: `${members('PolicyNames', Object.keys(user.inline ?? {}))}<IsTruncated>false</IsTruncated>` }
        : notFound('user');
    case 'ListAttachedUserPolicies':
      return user ? { xml: attachedXml(user.attached) } : notFound('user');
    case 'GetUserPolicy':
      return user ? inline(user, 'User', user.name) : notFound('user');
    case 'ListGroupsForUser': {
      if (!user) return notFound('user');
      const groups = (user.groups ?? []).map(
        (g) =>
          `<member><Path>/</Path><GroupName>${g}</GroupName><GroupId>${uid('AGPA', id, g)}</GroupId><Arn>arn:aws:iam::${id}:group/${g}</Arn><CreateDate>${CREATED}</CreateDate></member>`,
      );
      return { xml: `<Groups>${groups.join('')}</Groups><IsTruncated>false</IsTruncated>` };
    }
    case 'ListGroupPolicies':
      return group
        ? { xml: `${members('PolicyNames', Object.keys(group.inline ?? {}))}<IsTruncated>false</IsTruncated>` }
        : notFound('group');
    case 'ListAttachedGroupPolicies':
      return group ? { xml: attachedXml(group.attached) } : notFound('group');
    case 'GetGroupPolicy':
      return group ? inline(group, 'Group', group.name) : notFound('group');
    case 'GetPolicy':
    case 'GetPolicyVersion': {
      const arn = p.get('PolicyArn') ?? '';
      const name = arn.split('/').pop() ?? '';
      const doc = arn.startsWith(`arn:aws:iam::${id}:policy/`) ? account.policies?.[name] : undefined;
      if (!doc) return notFound(`Policy ${arn}`);
      return action === 'GetPolicy'
        ? {
            xml: `<Policy><PolicyName>${name}</PolicyName><Arn>${arn}</Arn><Path>/</Path><DefaultVersionId>v1</DefaultVersionId><AttachmentCount>1</AttachmentCount><IsAttachable>true</IsAttachable></Policy>`,
          }
        : {
            xml: `<PolicyVersion><Document>${enc(doc)}</Document><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion></PolicyVersion>`,
          };
    }
    case 'ListRoles': {
      const roles = (account.roles ?? []).map((r) => `<member>${roleXml(id, r)}</member>`);
      return { xml: `<Roles>${roles.join('')}</Roles><IsTruncated>false</IsTruncated>` };
    }
    default:
      return { error: 'InvalidAction', status: 400, message: `loopback IAM does not implement ${action}` };
  }
}
