import { createHash } from 'node:crypto';
import type { NormalizedCaller, NormalizedEvent } from '../engine/event/types';
import type { Finding } from '../engine/finding/types';

/**
 * A finding's fingerprint identifies "the same problem": the same caller, failing on the same role, for the same
 * cause, on the same condition key. Every occurrence of a storm shares one, so it is counted once per occurrence
 * but notified once per fingerprint (and again only after the quiet window).
 *
 * The parts, and why:
 *  - caller: a stable identity, never a per-call value. IAM user → its ARN; role session → the ARN of the role that
 *    issued it (session names change on every CI run); web identity → provider + `sub` (the workload, e.g.
 *    repo:acme/app:ref:refs/heads/main); SAML → provider + user name; another account → that account's root ARN
 *    (arn:aws:iam::<id>:root: the account id is all CloudTrail says); AWS service → the service principal;
 *    federated user and root → their ARN;
 *  - role: the role ARN as requested (a typo'd ARN is its own problem);
 *  - cause: the engine's primary cause;
 *  - conditionKey: the failing condition key of the first evidence, lower-cased (IAM keys are case-insensitive),
 *    so "wrong sub" and "wrong aud" on the same role are two problems with two different fixes.
 * The hash is SHA-256 over the JSON array ["trustgap-fp-v1", caller, role, cause, conditionKey], hex, first 32
 * characters (128 bits). The version tag lets a future change of the recipe start new fingerprints cleanly.
 */
export interface FingerprintParts {
  caller: string;
  role: string;
  cause: string;
  conditionKey: string;
}

export const FINGERPRINT_VERSION = 'trustgap-fp-v1';

function partitionOf(arn: string | undefined): string {
  const part = arn?.split(':')[1];
  return part && /^aws[a-z-]*$/.test(part) ? part : 'aws';
}

/** Strips the session name from an STS assumed-role ARN: arn:aws:sts::A:assumed-role/R/S → …:assumed-role/R. */
function sessionlessArn(arn: string): string {
  const m = /^(arn:[^:]+:sts::\d{12}:assumed-role\/[^/]+)\/.*$/.exec(arn);
  return m ? m[1] : arn;
}

/** The caller part of the fingerprint; also the `callerArn` attribute the byCaller index is keyed on. */
export function callerIdentity(caller: NormalizedCaller, roleArn?: string): string {
  const partition = partitionOf(caller.arn ?? caller.issuerArn ?? roleArn);
  const accountRoot = caller.accountId ? `arn:${partition}:iam::${caller.accountId}:root` : undefined;
  switch (caller.type) {
    case 'IAMUser':
      return (
        caller.arn ??
        (caller.accountId && caller.userName
          ? `arn:${partition}:iam::${caller.accountId}:user/${caller.userName}`
          : (caller.principalId ?? 'IAMUser'))
      );
    case 'AssumedRole':
      return caller.issuerArn ?? (caller.arn ? sessionlessArn(caller.arn) : (caller.principalId ?? 'AssumedRole'));
    case 'WebIdentityUser': {
      const provider = caller.webIdentity?.provider ?? caller.identityProvider ?? 'unknown-provider';
      return `web-identity:${provider}:${caller.webIdentity?.sub ?? caller.userName ?? ''}`;
    }
    case 'SAMLUser': {
      const provider = caller.saml?.provider ?? caller.identityProvider ?? 'unknown-provider';
      return `saml:${provider}:${caller.saml?.userName ?? caller.userName ?? ''}`;
    }
    case 'AWSAccount':
      return accountRoot ?? caller.principalId ?? 'AWSAccount';
    case 'AWSService':
      return `service:${caller.invokedBy ?? 'unknown'}`;
    case 'Root':
      return caller.arn ?? accountRoot ?? 'Root';
    case 'FederatedUser':
    case 'Unknown':
      return caller.arn ?? caller.principalId ?? accountRoot ?? caller.type;
  }
}

export function fingerprintParts(event: NormalizedEvent, finding: Finding): FingerprintParts {
  const role = finding.role.arn ?? event.role.arn ?? 'none';
  return {
    caller: callerIdentity(event.caller, role),
    role,
    cause: finding.cause,
    conditionKey: (finding.evidence[0]?.conditionKey ?? '').toLowerCase(),
  };
}

export function fingerprintOf(parts: FingerprintParts): string {
  const material = JSON.stringify([FINGERPRINT_VERSION, parts.caller, parts.role, parts.cause, parts.conditionKey]);
  return createHash('sha256').update(material).digest('hex').slice(0, 32);
}
