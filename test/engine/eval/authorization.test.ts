import { authorizeAction, type PolicySet } from '../../../src/engine/eval/authorization';
import { buildCallerProfile } from '../../../src/engine/eval/caller-profile';
import { EventRequestContext } from '../../../src/engine/eval/request-context';
import type { NormalizedEvent } from '../../../src/engine/event/types';
import type { RoleFacts } from '../../../src/engine/iam/iam-facts';
import type { NamedPolicy, PolicyStatement } from '../../../src/engine/iam/policy-types';

const ROLE = 'arn:aws:iam::111111111111:role/Deploy';

function userEvent(account = '111111111111', name = 'alice'): NormalizedEvent {
  return {
    eventId: 'e1',
    eventTime: '2026-11-20T10:00:00Z',
    api: 'AssumeRole',
    errorCode: 'AccessDenied',
    sourceIpAddress: '203.0.113.10',
    caller: {
      type: 'IAMUser',
      arn: `arn:aws:iam::${account}:user/${name}`,
      accountId: account,
      principalId: 'AIDAEXAMPLEEXAMPLE01',
      userName: name,
    },
    role: { arn: ROLE, accountId: '111111111111', name: 'Deploy', source: 'requestParameters' },
    request: { parametersLogged: true, roleSessionName: 's' },
  };
}

function sessionEvent(): NormalizedEvent {
  return {
    ...userEvent(),
    caller: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111111111111:assumed-role/Builder/ci',
      accountId: '111111111111',
      principalId: 'AROAEXAMPLEEXAMPLE01:ci',
      issuerArn: 'arn:aws:iam::111111111111:role/Builder',
      sessionName: 'ci',
    },
  };
}

const trustNaming = (principal: string): NamedPolicy => ({
  kind: 'trust',
  source: 'trust',
  name: 'trust',
  document: { Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] },
});

const identity = (...statements: PolicyStatement[]): NamedPolicy[] => [
  { kind: 'identity', source: 'inline policy p on user alice', name: 'p', document: { Statement: statements } },
];
const allowAssume: PolicyStatement = { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE };

function roleFacts(trust: NamedPolicy): RoleFacts {
  return {
    arn: ROLE,
    name: 'Deploy',
    path: '/',
    roleId: 'AROAROLEROLEROLE0001',
    accountId: '111111111111',
    maxSessionDuration: 3600,
    trustPolicy: trust.document,
    tags: {},
    identityPolicies: [],
  };
}

function decide(event: NormalizedEvent, trust: NamedPolicy, extra: Partial<PolicySet> = {}) {
  const caller = buildCallerProfile(event);
  const ctx = new EventRequestContext(event, caller, { principalTags: {}, principalTagsComplete: true });
  const set: PolicySet = {
    trust,
    role: roleFacts(trust),
    identity: [],
    boundary: null,
    scps: null,
    rcps: null,
    ...extra,
  };
  return authorizeAction(set, { action: 'sts:AssumeRole', resourceArn: ROLE, caller, ctx });
}

describe('AssumeRole authorization (AWS same-account and cross-account rules)', () => {
  it('same account: a trust policy naming the user ARN is enough without any identity policy', () => {
    const r = decide(userEvent(), trustNaming('arn:aws:iam::111111111111:user/alice'));
    expect(r.trustLevel).toBe('principal');
    expect(r.layers.identity.required).toBe(false);
    expect(r.allowed).toBe(true);
  });

  it('same account: a trust policy naming only the account (:root) also needs an identity allow', () => {
    const denied = decide(userEvent(), trustNaming('arn:aws:iam::111111111111:root'));
    expect(denied.trustLevel).toBe('account');
    expect(denied.layers.identity.required).toBe(true);
    expect(denied.allowed).toBe(false);
    expect(decide(userEvent(), trustNaming('111111111111'), { identity: identity(allowAssume) }).allowed).toBe(true);
  });

  it('cross account: naming the caller ARN is not enough; the caller account must allow too', () => {
    const ev = userEvent('222222222222');
    expect(decide(ev, trustNaming('arn:aws:iam::222222222222:user/alice')).allowed).toBe(false);
    expect(
      decide(ev, trustNaming('arn:aws:iam::222222222222:user/alice'), { identity: identity(allowAssume) }).allowed,
    ).toBe(true);
  });

  it('an explicit deny in the identity policy overrides a trust grant naming the caller', () => {
    const r = decide(userEvent(), trustNaming('arn:aws:iam::111111111111:user/alice'), {
      identity: identity({ Effect: 'Deny', Action: 'sts:*', Resource: '*' }),
    });
    expect(r.layers.identity.deny).toBe(true);
    expect(r.allowed).toBe(false);
  });

  it('a boundary does not limit a same-account trust grant to the user ARN, but does limit account-level grants', () => {
    const boundary: NamedPolicy = {
      kind: 'boundary',
      source: 'b',
      name: 'b',
      arn: 'arn:aws:iam::111111111111:policy/b',
      document: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
    };
    expect(decide(userEvent(), trustNaming('arn:aws:iam::111111111111:user/alice'), { boundary }).allowed).toBe(true);
    const r = decide(userEvent(), trustNaming('arn:aws:iam::111111111111:root'), {
      identity: identity(allowAssume),
      boundary,
    });
    expect(r.layers.boundary.required).toBe(true);
    expect(r.layers.boundary.allow).toBe(false);
    expect(r.allowed).toBe(false);
  });

  it("a role session named by its role ARN is trusted, but the role's boundary still applies", () => {
    const boundary: NamedPolicy = {
      kind: 'boundary',
      source: 'b',
      name: 'b',
      arn: 'arn:aws:iam::111111111111:policy/b',
      document: { Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
    };
    const trust = trustNaming('arn:aws:iam::111111111111:role/Builder');
    expect(decide(sessionEvent(), trust).trustLevel).toBe('role');
    expect(decide(sessionEvent(), trust).allowed).toBe(true);
    expect(decide(sessionEvent(), trust, { boundary }).allowed).toBe(false);
  });

  it('SCPs: every level must allow and a deny anywhere wins', () => {
    const scp = (document: NamedPolicy['document'], id: string): NamedPolicy => ({
      kind: 'scp',
      source: id,
      name: id,
      arn: id,
      document,
    });
    const full = scp({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, 'p-full');
    const denySts = scp({ Statement: [{ Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*' }] }, 'p-deny');
    const trust = trustNaming('arn:aws:iam::111111111111:user/alice');
    const chain = (ou: NamedPolicy[]) => ({
      levels: [
        { target: 'r-root', scps: [full], rcps: [] },
        { target: 'ou-1', scps: ou, rcps: [] },
      ],
    });
    expect(decide(userEvent(), trust, { scps: chain([full]) }).allowed).toBe(true);
    const noAllow = decide(userEvent(), trust, {
      scps: chain([scp({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }, 'p-s3')]),
    });
    expect(noAllow.allowed).toBe(false);
    expect(noAllow.layers.scp.missingAllowAt).toBe('ou-1');
    const denied = decide(userEvent(), trust, { scps: chain([full, denySts]) });
    expect(denied.layers.scp.deny).toBe(true);
    expect(denied.allowed).toBe(false);
  });

  it('a condition on a key the event cannot tell makes the decision unknown, never false', () => {
    const trust: NamedPolicy = {
      kind: 'trust',
      source: 'trust',
      name: 'trust',
      document: {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111111111111:user/alice' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } },
          },
        ],
      },
    };
    const ev = { ...userEvent(), vpcEndpointId: 'vpce-1' };
    const r = decide(ev, trust);
    expect(r.layers.trust.allow).toBe('unknown');
    expect(r.allowed).toBe('unknown');
  });
});
