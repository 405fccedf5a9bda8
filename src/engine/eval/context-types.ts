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
  /**
   * The policy evaluator's results for this context (policy-evaluator.ts), set by the evaluator on first use; no
   * one else reads or writes it. A field rather than a WeakMap entry: a context lives for one diagnosis, and
   * V8's young-generation collector keeps WeakMap entries with young keys alive until a full collection, so
   * every diagnosis's results were copied to the old generation (bench:engine's heap grew by ~550 MB of such
   * garbage over 80,000 diagnoses).
   */
  evaluatorResults?: object;
}

/** Three-valued logic result of a condition, statement element or policy. */
export type Tri = true | false | 'unknown';
