/**
 * EventRequestContext works its keys out group by group, on the first lookup of a key of each group: whichever
 * keys are asked first, each key answers the same, and the unknown keys consulted are listed in lookup order.
 */
import { buildCallerProfile } from '../../../src/engine/eval/caller-profile';
import { EventRequestContext } from '../../../src/engine/eval/request-context';
import type { NormalizedEvent } from '../../../src/engine/event/types';

const event: NormalizedEvent = {
  eventId: 'e1',
  eventTime: '2026-11-20T10:00:00Z',
  api: 'AssumeRoleWithWebIdentity',
  errorCode: 'AccessDenied',
  sourceIpAddress: '203.0.113.10',
  caller: {
    type: 'WebIdentityUser',
    principalId: 'repo:acme/app:ref:refs/heads/main',
    webIdentity: {
      provider: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
      sub: 'repo:acme/app:ref:refs/heads/main',
    },
  },
  role: {
    arn: 'arn:aws:iam::111111111111:role/Deploy',
    accountId: '111111111111',
    name: 'Deploy',
    source: 'requestParameters',
  },
  request: { parametersLogged: false },
};

const KEYS = [
  'aws:SourceIp',
  'AWS:CURRENTTIME',
  'aws:PrincipalArn',
  'aws:userid',
  'aws:MultiFactorAuthPresent',
  'sts:ExternalId',
  'aws:TagKeys',
  'sts:TaskPolicyArn',
  'token.actions.githubusercontent.com:sub',
  'token.actions.githubusercontent.com:aud',
  'token.actions.githubusercontent.com:repository',
  'saml:sub',
  'aws:PrincipalTag/team',
  'aws:RequestTag/env',
];

function contextFor(): EventRequestContext {
  return new EventRequestContext(event, buildCallerProfile(event), { principalTags: {}, principalTagsComplete: true });
}

describe('EventRequestContext', () => {
  it('answers every key the same whichever group is asked first', () => {
    const forward = contextFor();
    const backward = contextFor();
    const answers = KEYS.map((k) => forward.lookup(k));
    const reversed = [...KEYS].reverse().map((k) => backward.lookup(k));
    expect(reversed.reverse()).toEqual(answers);
    expect(answers[0]).toEqual({ state: 'present', values: ['203.0.113.10'], multiValued: false });
    expect(answers[8]).toEqual({ state: 'present', values: ['repo:acme/app:ref:refs/heads/main'], multiValued: false });
    expect(answers[5]).toMatchObject({ state: 'unknown' });
  });

  it('lists the unknown keys consulted in lookup order, once each', () => {
    const ctx = contextFor();
    for (const k of ['token.actions.githubusercontent.com:aud', 'sts:ExternalId', 'aws:SourceIp', 'sts:ExternalId'])
      ctx.lookup(k);
    expect(ctx.unknownKeysConsulted.map((u) => u.key)).toEqual([
      'token.actions.githubusercontent.com:aud',
      'sts:ExternalId',
    ]);
  });
});
