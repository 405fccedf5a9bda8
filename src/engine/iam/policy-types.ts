/** IAM policy document shapes as the engine sees them after parsing (documents may arrive URL-encoded or as objects). */
export type ConditionValue = string | number | boolean;
export type ConditionBlock = Record<string, Record<string, ConditionValue | ConditionValue[]>>;

export type PrincipalBlock = '*' | Record<string, string | string[]>;

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny' | string;
  Principal?: PrincipalBlock;
  NotPrincipal?: PrincipalBlock;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

export type PolicyKind = 'trust' | 'identity' | 'boundary' | 'scp' | 'rcp' | 'session';

/** A policy document together with where it came from, so evidence can name it. */
/** The key of NamedPolicy's evaluator cache (see there). */
export const EVALUATOR_CACHE: unique symbol = Symbol('trustgap.evaluatorCache');

export interface NamedPolicy {
  kind: PolicyKind;
  /** Human-readable origin: a managed policy ARN, or e.g. "inline user/alice:AllowAssume", "group/devs:Assume", "scp p-123 (ou-abcd-1)". */
  source: string;
  name: string;
  /** Managed policy ARN or SCP/RCP id, when there is one. */
  arn?: string;
  document: PolicyDocument;
  /**
   * The document exists for one diagnosis only (a fix's candidate, fix/apply-patch.ts): the evaluator keeps its
   * compiled form with that diagnosis's results, not in the process-wide cache of parsed documents, whose WeakMap
   * entries V8 only clears in a full collection (so each candidate was copied to the old generation as garbage).
   */
  transient?: boolean;
  /**
   * The policy evaluator's compiled form of `document` (policy-evaluator.ts), set by the evaluator on first use; no
   * one else reads or writes it. A symbol key, so JSON, Object.keys and the facts' other readers never see it (a
   * non-enumerable property was tried: bench:engine steady fell from ~21,500 to ~19,400
   * diagnoses/s). It names the statement list it was compiled from, so a copy with another document (which a
   * spread or Object.assign makes, symbol included) takes it only as the basis of its own compiled form. Kept on the
   * policy because the process-wide WeakMap of compiled documents holds every document of the account: reading it
   * cost a cache miss or two per policy evaluated, where this property sits beside `document`.
   */
  [EVALUATOR_CACHE]?: object;
}
