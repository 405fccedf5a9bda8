/**
 * How the condition evaluator asks for request-context values. The context is built from the CloudTrail event
 * and the IAM facts; it answers three ways, because a key the event cannot tell us is *unknown*, not absent:
 *  - present: the request carried the key, with these values (single- or multi-valued);
 *  - absent:  we know the request did not carry the key;
 *  - unknown: we cannot tell from the event and facts (the reason says why).
 */
export type ContextLookup =
  | { state: 'present'; values: string[]; multiValued: boolean }
  | { state: 'absent' }
  | { state: 'unknown'; reason: string };

export interface RequestContext {
  /** Key names are matched case-insensitively, as IAM does. */
  lookup(key: string): ContextLookup;
}

/** Three-valued logic result of a condition, statement element or policy. */
export type Tri = true | false | 'unknown';
