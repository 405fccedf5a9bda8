/**
 * The actions one AssumeRole call is authorized for. IAM User Guide, "Monitor and control actions taken with assumed
 * roles": a source identity needs sts:SetSourceIdentity, and once set "The value that is set persists when a role is
 * used to assume another role … known as role chaining", so a session that carries one (CloudTrail
 * userIdentity.sessionContext.sourceIdentity) needs it in the next role's trust too. "Pass session tags in AWS STS":
 * session tags need sts:TagSession.
 */
import { requiredActions } from '../../../src/engine/diagnose/evaluate-call';
import type { NormalizedEvent, NormalizedRequest } from '../../../src/engine/event/types';

function chainedCall(request: Partial<NormalizedRequest>, sessionSourceIdentity?: string): NormalizedEvent {
  return {
    eventId: 'e',
    eventTime: '2026-10-08T16:20:41Z',
    api: 'AssumeRole',
    errorCode: 'AccessDenied',
    caller: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/platform-admin/priya',
      accountId: '111122223333',
      issuerArn: 'arn:aws:iam::111122223333:role/platform-admin',
      ...(sessionSourceIdentity ? { sourceIdentity: sessionSourceIdentity } : {}),
    },
    role: { arn: 'arn:aws:iam::111122223333:role/prod-deployer', source: 'requestParameters' },
    request: { parametersLogged: true, roleSessionName: 'priya-deploy', ...request },
  };
}

describe('requiredActions', () => {
  it.each([
    ['no source identity, no tags', {}, undefined, ['sts:AssumeRole']],
    [
      'a source identity passed with the call',
      { sourceIdentity: 'priya' },
      undefined,
      ['sts:AssumeRole', 'sts:SetSourceIdentity'],
    ],
    [
      'a source identity carried by the calling session',
      {},
      'priya@example.com',
      ['sts:AssumeRole', 'sts:SetSourceIdentity'],
    ],
    ['session tags', { tags: { team: 'data' } }, undefined, ['sts:AssumeRole', 'sts:TagSession']],
    [
      'carried source identity and session tags',
      { tags: { team: 'data' } },
      'priya@example.com',
      ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
    ],
  ])('%s', (_, request, carried, expected) => {
    expect(requiredActions(chainedCall(request as Partial<NormalizedRequest>, carried))).toEqual(expected);
  });
});
