/**
 * The engine's public surface: pure TypeScript, no AWS SDK. A library user (and every benchmark) needs only this:
 *  - IAM facts from snapshot documents: SnapshotIamFacts.fromAuthorizationDetails (parsed objects) or .fromFiles;
 *  - events: normalizeInput / normalizeBuffer turn CloudTrail records into NormalizedEvents;
 *  - diagnosis: diagnoseEvent(event, facts) returns a Finding.
 */

export { findClosestRoleNames } from './diagnose/closest-role-name';
export { diagnoseEvent } from './diagnose/diagnose-event';
export { RoleNameIndex } from './diagnose/role-name-index';
export { InputError, normalizeBuffer, normalizeInput } from './event/normalize';
export type { NormalizedEvent, NormalizeResult, SkippedRecord } from './event/types';
export type { Cause, Evidence, Finding, Fix, Unknown, Warning } from './finding/types';
export { CAUSES } from './finding/types';
export type { IamFacts, IdentityProviderFacts, Lookup, OrgPolicyChain, RoleFacts, UserFacts } from './iam/iam-facts';
export { PolicyParseError, parsePolicyDocument, toArray } from './iam/policy-document';
export type { PolicyDocument, PolicyStatement } from './iam/policy-types';
export type {
  RawAuthorizationDetails,
  RawGroupDetail,
  RawManagedPolicyDetail,
  RawRoleDetail,
  RawUserDetail,
} from './iam/snapshot/authorization-details-types';
export { SnapshotError, SnapshotIamFacts } from './iam/snapshot/snapshot-iam-facts';
