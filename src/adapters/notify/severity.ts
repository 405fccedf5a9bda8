import type { Cause } from '../../engine/finding/types';

export type Severity = 'high' | 'medium' | 'low';

/**
 * The `severity` message attribute, for SNS subscription filter policies (e.g. page on high, email the rest).
 *  - high: a policy was written to stop exactly this call (explicit Deny in trust, identity, boundary, SCP, RCP) —
 *    either someone is doing what the organization forbids or a guardrail is wrong; root credentials in use;
 *    a trust policy that names a deleted principal (access that cannot come back by recreating it).
 *  - medium: configuration gaps — a missing Allow, a failed condition, a missing role or identity provider, or a
 *    denial the engine could not explain.
 *  - low: the caller's side of the request — an expired or invalid token, a too-long session, a disabled region.
 */
const SEVERITY_BY_CAUSE: Record<Cause, Severity> = {
  TRUST_EXPLICIT_DENY: 'high',
  IDENTITY_EXPLICIT_DENY: 'high',
  BOUNDARY_EXPLICIT_DENY: 'high',
  SCP_DENY: 'high',
  RCP_DENY: 'high',
  ROOT_CANNOT_ASSUME: 'high',
  TRUST_PRINCIPAL_DELETED: 'high',
  ROLE_NOT_FOUND: 'medium',
  TRUST_PRINCIPAL_MISSING: 'medium',
  TRUST_CONDITION_FAILED: 'medium',
  TRUST_ACTION_MISSING: 'medium',
  IDENTITY_NO_ALLOW: 'medium',
  BOUNDARY_NO_ALLOW: 'medium',
  IDP_NOT_FOUND: 'medium',
  UNEXPLAINED: 'medium',
  TOKEN_INVALID: 'low',
  TOKEN_EXPIRED: 'low',
  DURATION_TOO_LONG: 'low',
  REGION_DISABLED: 'low',
};

export function severityOf(cause: Cause): Severity {
  return SEVERITY_BY_CAUSE[cause] ?? 'medium';
}
