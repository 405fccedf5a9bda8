import type { ContextLookup } from '../../eval/context-types';
import type { NamedPolicy, PolicyDocument } from '../../iam/policy-types';

/** What a fix changes, in a form the evaluator can re-run to verify it. */
export interface FixPatch {
  trust?: PolicyDocument;
  /** Replace an existing identity/boundary/SCP/RCP policy (matched by its source) with a corrected document. */
  replace?: Array<{ layer: 'identity' | 'boundary' | 'scp' | 'rcp'; source: string; document: PolicyDocument }>;
  /** A new inline identity policy for the caller. */
  addIdentity?: NamedPolicy;
  /** Request-side changes (pass an ExternalId, use MFA…), as context overrides keyed by lower-case key name. */
  context?: Record<string, ContextLookup>;
}

export interface FixStep {
  summary: string;
  /** "caller" when the step changes only the request; absent means a policy change. */
  kind?: 'caller' | 'policy';
  /** What a policy step newly lets in; defaults to the caller's principal for a policy step. */
  admits?: string[];
  /** The denied identity lies outside everything the statement admits: this step is the refusal, with the reason. */
  outsideScope?: string;
  /** The guardrail a policy step removes (a deliberate narrowing widened), named in its summary. */
  weakens?: string;
  /** The complete corrected (or new) policy document this step applies, if it is a policy change. */
  document?: PolicyDocument;
  /** Why IAM would reject `document` (grammar or size quota); such a step is never part of a verified fix. */
  invalidDocument?: string[];
  commands: string[];
  patch: FixPatch;
}

export function mergePatches(a: FixPatch, b: FixPatch): FixPatch {
  return {
    trust: b.trust ?? a.trust,
    replace: [
      ...(a.replace ?? []).filter((r) => !(b.replace ?? []).some((x) => x.source === r.source)),
      ...(b.replace ?? []),
    ],
    addIdentity: b.addIdentity ?? a.addIdentity,
    context: Object.assign({}, a.context, b.context),
  };
}
