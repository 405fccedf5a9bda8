import type { CallerProfile } from '../eval/caller-profile';
import type { NormalizedEvent } from '../event/types';
import type { RoleFacts } from '../iam/iam-facts';
import type { NamedPolicy } from '../iam/policy-types';

/** AssumeRoot sessions are capped at 15 minutes. */
export const ASSUME_ROOT_MAX_SECONDS = 900;

export function assumeRootTargetArn(event: NormalizedEvent): string | undefined {
  const t = event.request.targetPrincipal;
  if (!t) return undefined;
  const account = /^\d{12}$/.test(t) ? t : /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(t)?.[1];
  return account ? `arn:aws:iam::${account}:root` : undefined;
}

/**
 * AssumeRoot has no role and no trust policy: with centralized root access enabled, a member account accepts the
 * call from its organization's management (or delegated administrator) account, and the caller's own identity
 * policies must allow sts:AssumeRoot on the member account's root. We model that as an account-level "trust" so
 * the ordinary evaluation requires the identity allow, exactly as AWS does.
 */
export function assumeRootPolicySubject(
  event: NormalizedEvent,
  caller: CallerProfile,
  targetArn: string,
): { role: RoleFacts; trust: NamedPolicy } {
  const account = targetArn.split(':')[4];
  const trust: NamedPolicy = {
    kind: 'trust',
    source: `AssumeRoot on ${account} (no trust policy: centralized root access trusts the management or delegated administrator account)`,
    name: 'AssumeRoot',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'CentralizedRootAccess',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${caller.accountId ?? event.recipientAccountId ?? '000000000000'}:root` },
          Action: 'sts:AssumeRoot',
        },
      ],
    },
  };
  const role: RoleFacts = {
    arn: targetArn,
    name: 'root',
    path: '/',
    roleId: account,
    accountId: account,
    maxSessionDuration: ASSUME_ROOT_MAX_SECONDS,
    trustPolicy: trust.document,
    tags: {},
    identityPolicies: [],
  };
  return { role, trust };
}
