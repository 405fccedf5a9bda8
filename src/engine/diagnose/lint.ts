import { isKnownConditionOperator } from '../eval/conditions';
import { globMatchIgnoreCase } from '../eval/glob';
import { statementLabel } from '../eval/policy-evaluator';
import type { FindingPolicy, Warning } from '../finding/types';
import { toArray } from '../iam/policy-document';
import type { NamedPolicy, PolicyStatement } from '../iam/policy-types';
import { boundedDistance } from './closest-role-name';
import { type LintEntry, lintEntry } from './lint-cache';
import {
  actionDataAvailable,
  actionsOf,
  allServiceKeys,
  closestWord,
  conditionKeysNow,
  knownConditionKeyNow,
  serviceExistsNow,
  typoLimit,
} from './lint-catalog';
import { suggestOperator } from './lint-operators';
import { statementMistakes } from './lint-trust-mistakes';
import { unsatisfiableConditions } from './lint-unsatisfiable';

export { suggestOperator };

/**
 * Policy lint: mistakes that make a policy silently not do what its author meant — a misspelt action or condition
 * key never matches, an operator IAM does not know, NotPrincipal where IAM does not support it, a principal that
 * was deleted. Each warning names the policy (source) and the statement (Sid, or #index).
 *
 * Async so that a catalogue read lazily can stay behind the same signature (lint-catalog.ts); the lint itself runs
 * synchronously (lintNow), so that a policy linted for the first time costs no await per condition key and its
 * remembered entry is settled at once (lint-cache.ts).
 */
export async function lintPolicy(policy: NamedPolicy): Promise<Warning[]> {
  // Remembered per document (lint-cache.ts); a settled answer is copied without awaiting its promise again.
  const entry = lintEntry(policy, lintNow);
  return [...(entry.settled ?? (await entry.promise))];
}

/** The remembered lint of the policy (started now when there is none): for callers that lint several at once. */
export function lintEntryOf(policy: NamedPolicy): LintEntry {
  return lintEntry(policy, lintNow);
}

function lintNow(policy: NamedPolicy): readonly Warning[] {
  const out = new Warnings(policy);
  const statements = policy.document.Statement;
  for (let i = 0; i < statements.length; i++) {
    const st = statements[i];
    out.statement = statementLabel(st, i);
    lintStructure(policy, st, out);
    lintActions(st, out);
    lintPrincipals(st, out);
    lintConditions(st, out);
    for (const note of statementMistakes(policy.kind, st)) out.warn(note.code, note.message);
    for (const note of unsatisfiableConditions(st)) out.warn(note.code, note.message);
  }
  return out.list;
}

/**
 * The warnings of one policy, naming it and the statement being linted: one object per lint instead of a `warn`
 * closure and an `at` object per statement. Each warning has the fields, in the order, it always had.
 */
class Warnings {
  readonly list: Warning[] = [];
  readonly policy: FindingPolicy;
  readonly source: string;
  statement = '';

  constructor(policy: NamedPolicy) {
    this.policy = policy.kind as FindingPolicy;
    this.source = policy.source;
  }

  warn(code: Warning['code'], message: string): void {
    this.list.push({ code, message, policy: this.policy, source: this.source, statement: this.statement });
  }
}

const PRINCIPAL_POLICIES = new Set<NamedPolicy['kind']>(['trust', 'rcp']);

function lintStructure(policy: NamedPolicy, st: PolicyStatement, out: Warnings): void {
  if (st.NotPrincipal !== undefined && policy.kind === 'trust') {
    out.warn(
      'NOT_PRINCIPAL_IN_TRUST',
      'NotPrincipal is not supported in a role trust policy (IAM: "You cannot use the NotPrincipal element in an IAM ' +
        'identity-based policy nor in an IAM role trust policy"); name the allowed principals in Principal, or use ' +
        'a Deny with a condition on aws:PrincipalArn',
    );
  } else if (st.NotPrincipal !== undefined) {
    out.warn('INVALID_POLICY', `NotPrincipal is not supported in ${article(policy.kind)} ${policy.kind} policy`);
  }
  if (PRINCIPAL_POLICIES.has(policy.kind)) {
    if (st.Principal === undefined && st.NotPrincipal === undefined) {
      out.warn('INVALID_POLICY', `a ${policy.kind} policy statement needs a Principal`);
    }
  } else if (st.Principal !== undefined) {
    out.warn(
      'INVALID_POLICY',
      `Principal is not allowed in ${article(policy.kind)} ${policy.kind} policy; it applies to whoever it is attached to`,
    );
  }
  if ((st.Action === undefined) === (st.NotAction === undefined)) {
    out.warn('INVALID_POLICY', 'a statement needs exactly one of Action or NotAction');
  }
}

function article(kind: string): string {
  return /^[aeiou]/.test(kind) ? 'an' : 'a';
}

function lintActions(st: PolicyStatement, out: Warnings): void {
  if (!actionDataAvailable()) return;
  for (const element of ['Action', 'NotAction'] as const) {
    for (const action of toArray(st[element])) {
      const problem = actionProblem(action);
      if (problem) out.warn(problem.code, `${element} ${JSON.stringify(action)} ${problem.message}`);
    }
  }
}

/**
 * The spelling AWS uses for a misspelt action ('sts:AsumeRole' → 'sts:AssumeRole', 'sst:AssumeRole' →
 * 'sts:AssumeRole'); undefined when the action is valid (action names are case-insensitive, wildcards are fine)
 * or when nothing is close enough to be a typo.
 */
export function suggestActionName(action: string): string | undefined {
  return actionProblem(action)?.suggestion;
}

interface ActionProblem {
  code: 'ACTION_TYPO' | 'UNKNOWN_ACTION';
  message: string;
  suggestion?: string;
}

/**
 * An action's verdict depends only on the action catalogue, which never changes while the process runs, and
 * policies across an account repeat the same few hundred actions: remember it per action string (bounded).
 */
const actionProblems = new Map<string, Readonly<ActionProblem> | undefined>();
const MAX_REMEMBERED_ACTIONS = 20_000;

function actionProblem(action: string): ActionProblem | undefined {
  if (action === '*' || !actionDataAvailable()) return undefined;
  if (actionProblems.has(action)) return actionProblems.get(action);
  const problem = actionProblemUncached(action);
  if (actionProblems.size >= MAX_REMEMBERED_ACTIONS) actionProblems.clear();
  actionProblems.set(action, problem && Object.freeze(problem));
  return problem;
}

function actionProblemUncached(action: string): ActionProblem | undefined {
  const colon = action.indexOf(':');
  if (colon <= 0 || colon === action.length - 1) {
    return { code: 'UNKNOWN_ACTION', message: 'is not of the form service:action' };
  }
  const service = action.slice(0, colon);
  const name = action.slice(colon + 1);
  if (/[*?]/.test(service)) return undefined;
  const actions = actionsOf(service);
  if (actions) {
    if (/[*?]/.test(name)) {
      for (const lower of actions.keys()) if (globMatchIgnoreCase(name, lower)) return undefined;
      return { code: 'UNKNOWN_ACTION', message: `matches no action of ${service.toLowerCase()}` };
    }
    if (actions.has(name.toLowerCase())) return undefined;
    const close = closestWord(name, actions.values(), typoLimit(name.length));
    if (close) {
      const suggestion = `${service.toLowerCase()}:${close}`;
      return {
        code: 'ACTION_TYPO',
        message: `does not exist; did you mean ${JSON.stringify(suggestion)}?`,
        suggestion,
      };
    }
    return { code: 'UNKNOWN_ACTION', message: `is not an action of ${service.toLowerCase()}` };
  }
  // Unknown service prefix: a typo of a real one? Several prefixes may be one edit away (sst → sts, ssm); the
  // one that has this action name wins, else one with a near action name.
  const suggestion = serviceTypoSuggestion(service, name);
  if (suggestion) {
    return {
      code: 'ACTION_TYPO',
      message: `has an unknown service prefix ${JSON.stringify(service)}; did you mean ${JSON.stringify(suggestion)}?`,
      suggestion,
    };
  }
  return { code: 'UNKNOWN_ACTION', message: `has an unknown service prefix ${JSON.stringify(service)}` };
}

function serviceTypoSuggestion(service: string, name: string): string | undefined {
  const limit = typoLimit(service.length);
  const near = (allServiceKeys() ?? []).filter(
    (k) => Math.abs(k.length - service.length) <= limit && boundedDistance(service.toLowerCase(), k, limit) <= limit,
  );
  const wildcard = /[*?]/.test(name);
  for (const k of near) {
    const actions = actionsOf(k);
    if (!actions) continue;
    if (wildcard ? [...actions.keys()].some((a) => globMatchIgnoreCase(name, a)) : actions.has(name.toLowerCase())) {
      return `${k}:${wildcard ? name : actions.get(name.toLowerCase())}`;
    }
  }
  for (const k of near) {
    const close = wildcard ? undefined : closestWord(name, actionsOf(k)?.values() ?? [], typoLimit(name.length));
    if (close) return `${k}:${close}`;
  }
  return undefined;
}

/** IAM unique-ID prefixes (IAM identifiers: "Understand unique ID prefixes"). */
const UNIQUE_ID = /^(AIDA|AROA|AGPA|AIPA|ANPA|ANVA|ASIA|AKIA|ABIA|ACCA|APKA|ASCA)[A-Z0-9]{12,}$/;

function lintPrincipals(st: PolicyStatement, out: Warnings): void {
  for (const element of ['Principal', 'NotPrincipal'] as const) {
    const block = st[element];
    if (block === undefined || block === '*') continue;
    for (const value of toArray(block.AWS)) {
      if (!UNIQUE_ID.test(value)) continue;
      const kind = value.startsWith('AROA') ? 'role' : value.startsWith('AIDA') ? 'user' : 'principal';
      out.warn(
        'UNIQUE_ID_PRINCIPAL',
        `${element} ${value} is a unique ID, not an ARN: IAM shows this when the ${kind} the policy named has been ` +
          'deleted. It matches nothing now — a re-created principal with the same name gets a new ID — so replace ' +
          'it with the ARN of the principal that should be trusted',
      );
    }
  }
}

/** Claim keys of web-identity and SAML providers: "<issuer host[/path]>:<claim>", e.g. oidc.eks.….com/id/X:sub. */
function isProviderKey(prefix: string): boolean {
  return prefix.includes('.') || prefix.includes('/');
}

function lintConditions(st: PolicyStatement, out: Warnings): void {
  for (const [operator, keys] of Object.entries(st.Condition ?? {})) {
    if (!isKnownConditionOperator(operator)) {
      const suggestion = suggestOperator(operator);
      out.warn(
        'INVALID_OPERATOR',
        `condition operator ${JSON.stringify(operator)} is not an IAM operator` +
          (suggestion ? `; did you mean ${JSON.stringify(suggestion)}? (operator names are case-sensitive)` : ''),
      );
    }
    for (const key of Object.keys(keys)) {
      const message = conditionKeyProblem(key);
      if (message) out.warn('UNKNOWN_CONDITION_KEY', `condition key ${JSON.stringify(key)} ${message}`);
    }
  }
}

function conditionKeyProblem(key: string): string | undefined {
  const colon = key.indexOf(':');
  if (colon <= 0 || colon === key.length - 1) return 'is not of the form prefix:name';
  const prefix = key.slice(0, colon);
  // Provider claim keys are whatever the issuer's token carries; the catalogue lists only some, so never flag them.
  if (isProviderKey(prefix)) return undefined;
  const isGlobal = prefix.toLowerCase() === 'aws';
  if (!actionDataAvailable()) return undefined;
  if (knownConditionKeyNow(key)) return undefined;
  const tagStyle = conditionKeysNow(prefix).find(
    (k) => k.includes('/') && k.split('/')[0].toLowerCase() === key.toLowerCase(),
  );
  if (tagStyle) return `needs a name after "/": ${tagStyle.split('/')[0]}/<${tagStyle.split('/')[1]}>`;
  if (!isGlobal && !serviceExistsNow(prefix)) {
    return `has an unknown prefix ${JSON.stringify(prefix)}; it never matches a request`;
  }
  const suggestion = suggestConditionKey(key, prefix);
  return (
    `is not a documented ${isGlobal ? 'global' : prefix.toLowerCase()} condition key, so it is never in the request` +
    (suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : '')
  );
}

/** Near documented key with the same prefix; for tag-style keys ("aws:PrincipalTg/team") the part before "/". */
function suggestConditionKey(key: string, prefix: string): string | undefined {
  const slash = key.indexOf('/');
  const head = slash < 0 ? key : key.slice(0, slash);
  const candidates = conditionKeysNow(prefix)
    .filter((k) => k.toLowerCase().startsWith(`${prefix.toLowerCase()}:`))
    .map((k) => (slash < 0 ? k : k.split('/')[0]));
  const close = closestWord(head, new Set(candidates), typoLimit(head.length - prefix.length - 1));
  if (!close) return undefined;
  return slash < 0 ? close : `${close}${key.slice(slash)}`;
}
