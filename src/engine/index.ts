/** The engine's public surface: pure TypeScript, no AWS SDK. */
export { normalizeInput, normalizeBuffer, InputError } from './event/normalize';
export type { NormalizedEvent, NormalizeResult, SkippedRecord } from './event/types';
export type { IamFacts, Lookup, RoleFacts, UserFacts, OrgPolicyChain, IdentityProviderFacts } from './iam/iam-facts';
export { parsePolicyDocument } from './iam/policy-document';
export { diagnoseEvent } from './diagnose/diagnose-event';
export type { Finding, Cause, Evidence, Fix, Warning, Unknown } from './finding/types';
export { CAUSES } from './finding/types';
