import type { ConditionClauseResult } from '../../eval/conditions';
import type { ContextLookup } from '../../eval/context-types';
import { globMatch } from '../../eval/glob';
import type { PolicyDocument, PolicyStatement } from '../../iam/policy-types';
import { rawValuesIfVariable } from '../clause-evidence';
import type { GapCandidate } from '../gap-types';
import { hasWildcard, withoutVariables } from '../policy-grammar';
import { type FixContext, updateTrustCommand } from './fix-context';
import type { FixStep } from './fix-types';
import { type RequestFix, requestFixForClause, stsCommand } from './request-fixes';
import { shellQuote } from './shell';
import { claimScope, patternKeepsScope } from './trust-scope';

/**
 * Keys that exist to protect the role: widening the policy to the caller's value would defeat them, so the fix is on
 * the caller's side (pass the ExternalId, use MFA, call from the allowed network or time window).
 */
const CALLER_SIDE_KEYS = new Set([
  'sts:externalid',
  'aws:multifactorauthpresent',
  'aws:multifactorauthage',
  'aws:sourceip',
  'aws:sourcevpce',
  'aws:sourcevpc',
  'aws:currenttime',
  'aws:epochtime',
  'aws:securetransport',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:requestedregion',
]);

const POSITIVE_LIST_OPERATOR =
  /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)(IfExists)?$/;
const NEGATED_LIST_OPERATOR =
  /^(ForAnyValue:|ForAllValues:)?(StringNotEquals|StringNotEqualsIgnoreCase|StringNotLike|ArnNotEquals|ArnNotLike)(IfExists)?$/;

const REQUEST_FLAG: Record<string, string> = {
  'sts:rolesessionname': '--role-session-name',
  'sts:sourceidentity': '--source-identity',
};

/**
 * A condition that ties a request value to the caller through a policy variable (e.g. sts:RoleSessionName must equal
 * ${aws:username}) is fixed by sending the value it resolves to; adding the literal value to the policy would unbind
 * it from the caller for everyone.
 */
function variableBoundRequestFix(
  clause: ConditionClauseResult,
  st: PolicyStatement,
  ctx: FixContext,
): RequestFix | undefined {
  const flag = REQUEST_FLAG[clause.key.toLowerCase()];
  const raw = rawValuesIfVariable(clause, st);
  const value = clause.expected[0];
  if (!flag || !raw || value === undefined || /[*?]/.test(value)) return undefined;
  return {
    overrides: { [clause.key.toLowerCase()]: { state: 'present', values: [value], multiValued: false } },
    summary: `The role requires ${clause.key} to be ${raw.join(' or ')}, which is ${JSON.stringify(value)} for this caller; the call sent ${clause.actual ? JSON.stringify(clause.actual[0]) : 'none'}. Send ${flag} ${value}.`,
    command:
      flag === '--role-session-name' ? stsCommand(ctx, '', value) : stsCommand(ctx, ` ${flag} ${shellQuote(value)}`),
  };
}

/** Escapes IAM wildcard characters so a literal value added to a *Like condition matches only itself. */
function literalFor(operator: string, value: string): string {
  if (!/Like/.test(operator)) return value;
  // A value with none of "${", "*", "?" (most) is its own literal: the three replaces would copy it unchanged.
  if (!value.includes('$') && !value.includes('*') && !value.includes('?')) return value;
  return value.replace(/\$\{/g, '${$}{').replace(/\*/g, '${*}').replace(/\?/g, '${?}');
}

function asList(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).map(String);
}

function findConditionEntry(
  st: PolicyStatement,
  clause: ConditionClauseResult,
): { op: string; key: string } | undefined {
  const cond = st.Condition;
  if (!cond || !Object.hasOwn(cond, clause.operator)) return undefined;
  // Spelled as in the block (see rawValuesIfVariable): a direct lookup keeps many-key blocks linear.
  return Object.hasOwn(cond[clause.operator], clause.key) ? { op: clause.operator, key: clause.key } : undefined;
}

function isEmptyObject(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

/** Changes one failed clause so the caller's actual value passes, and nothing else does. */
function widenClauseToActual(st: PolicyStatement, clause: ConditionClauseResult): string | undefined {
  const entry = findConditionEntry(st, clause);
  const actual = clause.actual;
  const block = entry ? st.Condition?.[entry.op] : undefined;
  if (!entry || !block || !actual || actual.length === 0) return undefined;
  const current = asList(block[entry.key]);
  if (POSITIVE_LIST_OPERATOR.test(entry.op)) {
    const added = actual.map((v) => literalFor(entry.op, v)).filter((v) => !current.includes(v));
    const next = [...current, ...added];
    block[entry.key] = next.length === 1 ? next[0] : next;
    return `add ${added.map((v) => JSON.stringify(v)).join(', ')} to ${entry.op} ${entry.key}`;
  }
  if (NEGATED_LIST_OPERATOR.test(entry.op) && /Equals/.test(entry.op)) {
    const ignoreCase = /IgnoreCase/.test(entry.op);
    const next = current.filter(
      (v) => !actual.some((a) => (ignoreCase ? a.toLowerCase() === v.toLowerCase() : a === v)),
    );
    if (next.length === current.length) return undefined;
    if (next.length === 0) delete block[entry.key];
    else block[entry.key] = next.length === 1 ? next[0] : next;
    if (isEmptyObject(block)) delete st.Condition?.[entry.op];
    return `remove ${actual.map((v) => JSON.stringify(v)).join(', ')} from ${entry.op} ${entry.key}`;
  }
  return undefined;
}

/**
 * Fix for a trust statement whose condition failed. Protective keys get a caller-side fix (verified by re-evaluating with
 * the request changed); other keys (token subject/audience, tags, session name…) get the caller's exact value added.
 */
export function conditionFix(
  gap: GapCandidate,
  ctx: FixContext,
  st: PolicyStatement,
  doc: PolicyDocument,
  clauses: ConditionClauseResult[],
): FixStep | undefined {
  const policyChanges: string[] = [];
  const overrides: Record<string, ContextLookup> = {};
  const requestSummaries: string[] = [];
  const requestCommands: string[] = [];
  const admits: string[] = [];
  const weakens: string[] = [];
  let exactValues = false;
  for (const clause of clauses) {
    const literal = literalWildcardChange(st, clause);
    if (literal) {
      policyChanges.push(literal.change);
      admits.push(...literal.admits);
      continue;
    }
    const scope = claimScope(clause);
    if (scope?.kind === 'outside' && !ctx.widenGuardrails) return outsideScopeStep(scope.reason);
    if (scope?.kind === 'narrowing' && !ctx.widenGuardrails) {
      overrides[clause.key.toLowerCase()] = { state: 'present', values: [scope.passing], multiValued: false };
      requestSummaries.push(
        `${scope.request}: the trust admits only ${clause.expected.join(', ')}, and this token has ${clause.actual?.join(', ') ?? 'none'}. Changing the trust instead would remove ${scope.guardrail}.`,
      );
      continue;
    }
    if (scope?.kind === 'narrowing') weakens.push(scope.guardrail);
    const bound = variableBoundRequestFix(clause, st, ctx);
    if (bound) {
      Object.assign(overrides, bound.overrides);
      requestSummaries.push(bound.summary);
      if (bound.command) requestCommands.push(bound.command);
      continue;
    }
    // An allow-list of session tag keys is a deliberate narrowing: drop the extra tags, or (alternative) widen it.
    const tagKeys = clause.key.toLowerCase() === 'aws:tagkeys' ? requestFixForClause(clause, ctx) : undefined;
    if (tagKeys && !ctx.widenGuardrails) {
      Object.assign(overrides, tagKeys.overrides);
      requestSummaries.push(tagKeys.summary);
      if (tagKeys.command) requestCommands.push(tagKeys.command);
      continue;
    }
    if (tagKeys) weakens.push(`the allow-list of session tag keys (${clause.expected.join(', ')})`);
    if (CALLER_SIDE_KEYS.has(clause.key.toLowerCase())) {
      const r = requestFixForClause(clause, ctx);
      if (!r) return undefined;
      Object.assign(overrides, r.overrides);
      requestSummaries.push(r.summary);
      if (r.command) requestCommands.push(r.command);
      continue;
    }
    const change = widenClauseToActual(st, clause);
    if (!change) return undefined;
    exactValues = true;
    policyChanges.push(change);
    admits.push(...(clause.actual ?? []).map((v) => `${clause.key}=${v}`));
  }
  const label = gap.evidence[0]?.statement ?? '';
  if (policyChanges.length === 0) {
    return {
      kind: 'caller',
      summary: requestSummaries.join(' '),
      commands: requestCommands,
      patch: { context: overrides },
    };
  }
  const warning = weakens.length ? `This weakens the guardrail: it removes ${weakens.join(' and ')}. ` : '';
  const summary = `${warning}In trust statement ${label}: ${policyChanges.join('; ')}${exactValues ? ' (this exact value only)' : ''}.${requestSummaries.length ? ` ${requestSummaries.join(' ')}` : ''}`;
  const commands = [updateTrustCommand(ctx.roleArn, doc), ...requestCommands];
  const patch = { trust: doc, context: overrides };
  // Two literals rather than a conditional spread in the middle of one (a slow copy on this hot path); same keys,
  // same order.
  return weakens.length
    ? { kind: 'policy', admits, weakens: weakens.join(' and '), summary, document: doc, commands, patch }
    : { kind: 'policy', admits, summary, document: doc, commands, patch };
}

/** The refusal that stands in for a policy change when the denied identity is outside the statement's scope. */
export function outsideScopeStep(reason: string): FixStep {
  return {
    kind: 'caller',
    outsideScope: reason,
    summary: `No policy change is recommended: ${reason}. This may be an attempt to use the role by an identity it was never meant to trust, not a misconfiguration: find out who made the call. Only if that identity is yours, see the alternatives.`,
    commands: [],
    patch: {},
  };
}

/** StringEquals (and its variants) compare exactly: their "*" and "?" are literal ("Condition operators"). */
const LIKE_FOR: Record<string, string> = {
  StringEquals: 'StringLike',
  StringEqualsIfExists: 'StringLikeIfExists',
  'ForAnyValue:StringEquals': 'ForAnyValue:StringLike',
  'ForAllValues:StringEquals': 'ForAllValues:StringLike',
};

/**
 * A clause that failed only because its operator reads the author's wildcard literally (StringEquals sub
 * "repo:acme-corp/storefront:*"): the fix is the operator the author meant, StringLike, when the pattern then
 * admits the caller's value and keeps its scope exact (never "repo:*").
 */
function literalWildcardChange(
  st: PolicyStatement,
  clause: ConditionClauseResult,
): { change: string; admits: string[] } | undefined {
  const like = LIKE_FOR[clause.operator];
  const entry = findConditionEntry(st, clause);
  const cond = st.Condition;
  if (!like || !entry || !cond || !clause.actual?.length) return undefined;
  const values = asList(cond[entry.op][entry.key]);
  const patterns = values.filter((v) => hasWildcard(withoutVariables(v)));
  const actual = clause.actual;
  if (patterns.length === 0 || !patterns.every((p) => patternKeepsScope(clause.key, p))) return undefined;
  if (!values.some((v) => actual.some((a) => globMatch(v, a)))) return undefined;
  if (cond[like] && Object.keys(cond[like]).some((k) => k.toLowerCase() === entry.key.toLowerCase())) return undefined;
  delete cond[entry.op][entry.key];
  if (isEmptyObject(cond[entry.op])) delete cond[entry.op];
  cond[like] = { ...(cond[like] ?? {}), [entry.key]: values.length === 1 ? values[0] : values };
  return {
    change: `${clause.operator} compares ${entry.key} exactly, so its "*" was a literal character; move ${entry.key} to ${like}, which reads ${patterns.map((p) => JSON.stringify(p)).join(', ')} as the pattern it was written as`,
    admits: patterns.map((p) => `${clause.key}=${p}`),
  };
}
