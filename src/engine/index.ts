/** The engine's public surface: pure TypeScript, no AWS SDK. */

export { diagnoseEvent } from './diagnose/diagnose-event';
export { InputError, normalizeBuffer, normalizeInput } from './event/normalize';
export type { NormalizedEvent, NormalizeResult, SkippedRecord } from './event/types';
export type { Cause, Evidence, Finding, Fix, Unknown, Warning } from './finding/types';
export { CAUSES } from './finding/types';
export type { IamFacts, IdentityProviderFacts, Lookup, OrgPolicyChain, RoleFacts, UserFacts } from './iam/iam-facts';
export { parsePolicyDocument } from './iam/policy-document';
