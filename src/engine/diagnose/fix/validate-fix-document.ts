import { listPrincipals } from '../../eval/principal-matcher';
import { CURRENT_POLICY_VERSION, toArray } from '../../iam/policy-document';
import type { NamedPolicy, PolicyDocument, PolicyKind, PolicyStatement } from '../../iam/policy-types';
import { hasWildcard, policyGrammarProblems } from '../policy-grammar';
import {
  fixDocumentText,
  INLINE_AGGREGATE_QUOTA,
  MANAGED_POLICY_QUOTA,
  ORGANIZATION_POLICY_QUOTA,
  policyTextLength,
  type SizeCheck,
  sizeProblem,
  storedPolicyLength,
  trustSizeCheck,
} from '../policy-size';
import type { FixContext } from './fix-context';
import type { FixStep } from './fix-types';
import { policyArg } from './shell';

/**
 * Every corrected document trustgap proposes must be one IAM accepts: the grammar (policy-grammar.ts) and the size
 * quotas (policy-size.ts). A step's document is first put in the valid form where that keeps its meaning (Version
 * 2012-10-17, a partial-wildcard principal as the account plus an ArnLike aws:PrincipalArn condition), then checked;
 * a document that is still invalid makes the fix unverified, and the step says why.
 */
export interface DocumentVerdict {
  /** Why IAM would reject the document; empty when it is valid. */
  invalid: string[];
  warnings: string[];
}

/** Where a document goes, for the size quota that applies to it. */
export interface DocumentTarget {
  kind: PolicyKind;
  /** The document it replaces (trust, a managed or inline policy), when there is one. */
  original?: PolicyDocument;
  /** Inline policies: "user alice", "role deploy", "group devs", and the sizes of the owner's other inline policies. */
  inlineOwner?: string;
  otherInlineLength?: number;
  /** A customer managed policy (or a permissions boundary). */
  managed?: boolean;
}

/** `text` is the document's compact JSON text (what Organizations counts; IAM counts it without white space). */
function sizeCheckFor(doc: PolicyDocument, target: DocumentTarget, text: string): SizeCheck | undefined {
  if (target.kind === 'trust') return trustSizeCheck(doc, target.original, policyTextLength(text));
  if (target.kind === 'scp' || target.kind === 'rcp')
    return {
      length: text.length,
      limit: ORGANIZATION_POLICY_QUOTA,
      quota: `${target.kind.toUpperCase()} size quota`,
    };
  if (target.inlineOwner) {
    const type = target.inlineOwner.split(' ')[0] as keyof typeof INLINE_AGGREGATE_QUOTA;
    const limit = INLINE_AGGREGATE_QUOTA[type];
    if (!limit) return undefined;
    return {
      length: policyTextLength(text) + (target.otherInlineLength ?? 0),
      limit,
      quota: `aggregate inline policy quota of a ${type} (all inline policies of ${target.inlineOwner} together)`,
    };
  }
  if (target.managed)
    return { length: policyTextLength(text), limit: MANAGED_POLICY_QUOTA, quota: 'managed policy size quota' };
  return undefined;
}

/** Grammar and size verdict for a document bound for `target`. */
export function validateFixDocument(doc: PolicyDocument, target: DocumentTarget): DocumentVerdict {
  return verdictOf(doc, target, JSON.stringify(doc));
}

/** validateFixDocument with the document's JSON text already at hand (checkFixStep: the text its command quotes). */
function verdictOf(doc: PolicyDocument, target: DocumentTarget, text: string): DocumentVerdict {
  const problems = policyGrammarProblems(doc, target.kind);
  const invalid = problems
    .filter((p) => p.severity === 'invalid')
    .map((p) => (p.statement ? `statement ${p.statement}: ${p.message}` : p.message));
  const check = sizeCheckFor(doc, target, text);
  const tooLong = check && sizeProblem(check);
  if (tooLong) invalid.push(tooLong);
  return { invalid, warnings: problems.filter((p) => p.severity === 'warning').map((p) => p.message) };
}

/** "${" is literal text in a Version-less or 2008-10-17 document; "${$}{" keeps it literal under 2012-10-17. */
function keepLiteral(value: string): string {
  return value.split('${').join('${$}{');
}

function upgradeVersion(doc: PolicyDocument, changes: string[]): PolicyDocument {
  if (doc.Version === CURRENT_POLICY_VERSION) return doc;
  let escaped = false;
  const literal = (v: string) => {
    if (!v.includes('${')) return v;
    escaped = true;
    return keepLiteral(v);
  };
  const Statement = doc.Statement.map((st) => {
    const copy: PolicyStatement = { ...st };
    for (const element of ['Resource', 'NotResource'] as const) {
      const v = st[element];
      if (v !== undefined) copy[element] = Array.isArray(v) ? v.map(literal) : literal(v);
    }
    if (st.Condition)
      copy.Condition = Object.fromEntries(
        Object.entries(st.Condition).map(([op, block]) => [
          op,
          Object.fromEntries(
            Object.entries(block).map(([k, v]) => [
              k,
              Array.isArray(v)
                ? v.map((x) => (typeof x === 'string' ? literal(x) : x))
                : typeof v === 'string'
                  ? literal(v)
                  : v,
            ]),
          ),
        ]),
      );
    return copy;
  });
  changes.push(
    `set "Version": "2012-10-17"${escaped ? ' (text that looked like a policy variable is kept literal as ${$}{…})' : ''}`,
  );
  return { Version: CURRENT_POLICY_VERSION, ...(doc.Id !== undefined ? { Id: doc.Id } : {}), Statement };
}

const ACCOUNT_OF_ARN = /^arn:(aws[\w-]*):(?:iam|sts)::(\d{12}):/;

/**
 * A statement whose AWS principals include partial wildcards ("arn:aws:iam::123456789012:role/ci-*"), which IAM
 * rejects, in the form AWS documents instead: Principal the account root, and the pattern as an ArnLike
 * aws:PrincipalArn condition. Exact principals of the same statement stay in it (the condition would narrow them).
 * Undefined when the wildcard is in the account part, which no condition can stand in for.
 */
function splitWildcardPrincipals(st: PolicyStatement): PolicyStatement[] | undefined {
  if (st.Principal === undefined || st.Principal === '*') return [st];
  const aws = toArray(st.Principal.AWS);
  const patterns = aws.filter((v) => v !== '*' && hasWildcard(v));
  if (patterns.length === 0) return [st];
  const accounts = patterns.map((p) => ACCOUNT_OF_ARN.exec(p));
  if (accounts.some((m) => !m)) return undefined;
  const roots = [...new Set(accounts.map((m) => `arn:${m?.[1]}:iam::${m?.[2]}:root`))];
  const exact = aws.filter((v) => !patterns.includes(v));
  const condition = { ...(st.Condition ?? {}) };
  const operator =
    condition.ArnLike && Object.keys(condition.ArnLike).some((k) => k.toLowerCase() === 'aws:principalarn')
      ? 'StringLike'
      : 'ArnLike';
  if (condition[operator] && Object.keys(condition[operator]).some((k) => k.toLowerCase() === 'aws:principalarn'))
    return undefined;
  condition[operator] = {
    ...(condition[operator] ?? {}),
    'aws:PrincipalArn': patterns.length === 1 ? patterns[0] : patterns,
  };
  const { Sid, ...rest } = st;
  const others = Object.fromEntries(Object.entries(st.Principal).filter(([type]) => type !== 'AWS'));
  const pattern: PolicyStatement = {
    ...(Sid ? { Sid: `${Sid}ByArnPattern`.slice(0, 100) } : {}),
    ...rest,
    Principal: { AWS: roots.length === 1 ? roots[0] : roots },
    Condition: condition,
  };
  const remaining = { ...others, ...(exact.length ? { AWS: exact.length === 1 ? exact[0] : exact } : {}) };
  return Object.keys(remaining).length > 0 ? [{ ...st, Principal: remaining }, pattern] : [pattern];
}

/** The document in the valid form where that keeps its meaning, and what was changed. */
export function repairFixDocument(doc: PolicyDocument): { document: PolicyDocument; changes: string[] } {
  const changes: string[] = [];
  let out = upgradeVersion(doc, changes);
  const statements: PolicyStatement[] = [];
  for (const st of out.Statement) {
    let current = st;
    const principal = st.Principal;
    if (principal !== undefined && principal !== '*') {
      const aws = toArray(principal.AWS);
      if (aws.includes('*') && aws.length > 1) {
        current = { ...st, Principal: { ...principal, AWS: '*' } };
        changes.push('wrote "*" alone in Principal.AWS (it already admits every principal)');
      }
    }
    // Unrepairable (a wildcard in the account part) stays as it is: the validation below says why.
    const split = splitWildcardPrincipals(current) ?? [current];
    statements.push(...split);
    if (split.length !== 1 || split[0] !== current) {
      const patterns = listPrincipals(current.Principal).filter(([t, v]) => t === 'AWS' && v !== '*' && hasWildcard(v));
      changes.push(
        `replaced the partial-wildcard principal ${patterns.map(([, v]) => v).join(', ')} (IAM rejects it) by its account with an ArnLike aws:PrincipalArn condition; callers then also need an identity-policy allow, as for any account principal`,
      );
    }
  }
  // Every edit is listed in `changes` (and then the statements differ); without one, each statement was kept as it
  // was and the input is already in valid form: hand it back, so its JSON text and compiled form stay cached.
  if (changes.length === 0) return { document: doc, changes };
  out = { ...out, Statement: statements };
  return { document: out, changes };
}

/** Which document a step edits and the quota context for it. */
function targetOf(step: FixStep, doc: PolicyDocument, ctx: FixContext): DocumentTarget | undefined {
  const p = step.patch;
  if (p.trust === doc) return { kind: 'trust', original: ctx.set.role.trustPolicy ?? ctx.set.trust.document };
  const replaced = p.replace?.find((r) => r.document === doc);
  if (replaced) {
    const policy = findReplaced(ctx, replaced.layer, replaced.source);
    return {
      kind: replaced.layer,
      ...inlineContext(ctx, replaced.source),
      managed: !!policy?.arn,
      original: policy?.document,
    };
  }
  if (p.addIdentity?.document === doc) return { kind: 'identity', ...inlineContext(ctx, p.addIdentity.source) };
  return undefined;
}

function findReplaced(ctx: FixContext, layer: string, source: string): NamedPolicy | undefined {
  if (layer === 'identity') return ctx.set.identity?.find((x) => x.source === source);
  if (layer === 'boundary') return ctx.set.boundary ?? undefined;
  const chain = layer === 'scp' ? ctx.set.scps : ctx.set.rcps;
  return chain?.levels.flatMap((l) => [...l.scps, ...l.rcps]).find((x) => x.source === source);
}

const INLINE = /^inline policy \S+ on ((?:user|role|group) \S+)$/;

function inlineContext(ctx: FixContext, source: string): Pick<DocumentTarget, 'inlineOwner' | 'otherInlineLength'> {
  const owner = INLINE.exec(source)?.[1];
  if (!owner) return {};
  // INLINE's capture ends the source: one that does not end with the owner is not the owner's (no regex run for it).
  const others = (ctx.set.identity ?? []).filter(
    (x) => x.source !== source && x.source.endsWith(owner) && INLINE.exec(x.source)?.[1] === owner,
  );
  return { inlineOwner: owner, otherInlineLength: others.reduce((n, x) => n + storedPolicyLength(x.document), 0) };
}

/**
 * The step with its document in the valid form (commands and patch rewritten to match) and, when IAM would still
 * reject it, `invalidDocument` saying why. Steps without a document are returned as they are.
 */
export function checkFixStep(step: FixStep, ctx: FixContext): FixStep {
  const doc = step.document;
  if (!doc) return step;
  const target = targetOf(step, doc, ctx);
  if (!target) return step;
  const { document, changes } = repairFixDocument(doc);
  const verdict = verdictOf(document, target, fixDocumentText(document));
  // Already in valid form (repairFixDocument handed the document back) and accepted: the rewrite below would copy
  // the step with every field as it is.
  if (document === doc && verdict.invalid.length === 0) return step;
  // Every edit repairFixDocument makes is listed in `changes`: without one, the repaired document serializes as the
  // original did and the commands already quote it.
  const commands = changes.length === 0 ? step.commands : rewriteCommands(step.commands, doc, document);
  const swap = (d: PolicyDocument): PolicyDocument => (d === doc ? document : d);
  const patch = {
    ...step.patch,
    ...(step.patch.trust ? { trust: swap(step.patch.trust) } : {}),
    ...(step.patch.replace ? { replace: step.patch.replace.map((r) => ({ ...r, document: swap(r.document) })) } : {}),
    ...(step.patch.addIdentity
      ? { addIdentity: { ...step.patch.addIdentity, document: swap(step.patch.addIdentity.document) } }
      : {}),
  };
  const substantive = changes.filter((c) => !c.startsWith('set "Version"') || c.includes('${$}'));
  return {
    ...step,
    summary:
      step.summary +
      (substantive.length ? ` In the corrected document trustgap also ${substantive.join('; ')}.` : '') +
      (verdict.invalid.length ? ` IAM would reject this document: ${verdict.invalid.join('; ')}.` : ''),
    document,
    commands,
    patch,
    ...(verdict.invalid.length ? { invalidDocument: verdict.invalid } : {}),
  };
}

function rewriteCommands(commands: string[], from: PolicyDocument, to: PolicyDocument): string[] {
  const before = policyArg(from);
  const after = policyArg(to);
  return commands.map((c) => c.split(before).join(after));
}
