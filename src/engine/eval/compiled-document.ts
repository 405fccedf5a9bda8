import type { PolicyStatement } from '../iam/policy-types';
import { type CompiledGlob, compileGlob, matchCompiledGlob } from './glob';
import { hasPolicyVariables } from './variables';

/**
 * What evaluation reads from a statement regardless of the request, worked out once per parsed statement object
 * (policy documents are immutable once parsed, and facts objects hand out the same documents each time). Keyed
 * by the Statement array itself, so documents parsed afresh start cold: nothing is keyed by content or event.
 */
export interface CompiledStatement {
  /** Action / NotAction patterns, lower-cased and compiled (actions compare case-insensitively). */
  actions: readonly CompiledGlob[] | undefined;
  notActions: readonly CompiledGlob[] | undefined;
  resources: readonly ResourcePattern[] | undefined;
  notResources: readonly ResourcePattern[] | undefined;
  stsTypo: boolean;
  label: string;
}

/** A Resource pattern; `glob` is compiled when it holds no policy variable (else it is substituted per request). */
export interface ResourcePattern {
  text: string;
  glob: CompiledGlob | undefined;
}

export interface CompiledDocument {
  /** The statement list this was compiled from. */
  of: readonly PolicyStatement[];
  statements: CompiledStatement[];
  /**
   * The service prefixes ("ec2:", "sts:", lower-cased, colon included) that every Action pattern of the document
   * starts with, when each is plain text or a `prefix*` whose literal part names the service, and no statement has
   * a NotAction or an STS-like typo. An action that starts with none of them matches no statement; and matching such
   * patterns spends no work budget (only the general wildcard scan does), so an identity-side evaluation can answer
   * "nothing applies" without matching each statement, having spent exactly the budget matching would have spent.
   * Undefined when some pattern does not allow that.
   */
  actionServices: readonly string[] | undefined;
}

export function statementLabel(statement: PolicyStatement, index: number): string {
  return statement.Sid ? statement.Sid : `#${index + 1}`;
}

const actionGlob = (pattern: string): CompiledGlob => compileGlob(pattern.toLowerCase());
const resourcePattern = (text: string): ResourcePattern => ({
  text,
  glob: hasPolicyVariables(text) ? undefined : compileGlob(text),
});

const STS_LIKE = /^st[a-z]?s?:/i;

/** An Action that names STS or a near miss of it ("stss:", "st:"): such statements are kept for near-miss evidence. */
function isStsLike(a: string): boolean {
  return a.length > 3 && (a[0] === 's' || a[0] === 'S') && STS_LIKE.test(a);
}

/**
 * The element's patterns mapped by `compile`: a lone string (most elements) without first wrapping it in an array
 * to map, and a list by a loop rather than `map` (one compile per statement per document, on first sight).
 */
function compileElement<T>(v: string | string[], compile: (pattern: string) => T): T[] {
  if (!Array.isArray(v)) return [compile(v)];
  const out: T[] = [];
  for (let i = 0; i < v.length; i++) {
    // A hole (a document built in code, never JSON) stays a hole, as `map` leaves it.
    if (!(i in v)) return v.map(compile);
    out.push(compile(v[i]));
  }
  return out;
}

function anyStsLike(v: string | string[]): boolean {
  if (!Array.isArray(v)) return isStsLike(v);
  for (let i = 0; i < v.length; i++) if (i in v && isStsLike(v[i])) return true;
  return false;
}

export function compileStatement(st: PolicyStatement, index: number): CompiledStatement {
  const action = st.Action;
  return {
    actions: action === undefined ? undefined : compileElement(action, actionGlob),
    notActions: st.NotAction === undefined ? undefined : compileElement(st.NotAction, actionGlob),
    resources: st.Resource === undefined ? undefined : compileElement(st.Resource, resourcePattern),
    notResources: st.NotResource === undefined ? undefined : compileElement(st.NotResource, resourcePattern),
    stsTypo: action !== undefined && anyStsLike(action),
    label: statementLabel(st, index),
  };
}

/** See {@link CompiledDocument.actionServices}. */
function actionServicesOf(statements: readonly CompiledStatement[]): string[] | undefined {
  const services: string[] = [];
  for (const c of statements) {
    if (c.notActions !== undefined || c.stsTypo) return undefined;
    for (const g of c.actions ?? []) {
      // An exact text T matches only T, and `P*` only values starting with P: both start with P's service prefix.
      if (g.kind !== 'exact' && g.kind !== 'prefix') return undefined;
      const colon = g.text.indexOf(':');
      if (colon < 0) return undefined;
      const service = g.text.slice(0, colon + 1);
      if (!services.includes(service)) services.push(service);
    }
  }
  return services;
}

const compiledDocuments = new WeakMap<readonly PolicyStatement[], CompiledDocument>();

/** One WeakMap read per policy evaluation, not one per statement. */
export function compileDocument(statements: readonly PolicyStatement[]): CompiledDocument {
  let c = compiledDocuments.get(statements);
  if (!c) {
    c = compileUncached(statements);
    compiledDocuments.set(statements, c);
  }
  return c;
}

/**
 * The compiled form, not kept. `basis` is the compiled form of the document this one was derived from: a fix's
 * candidate document shares every statement it does not edit with the stored document (fix/fix-context.ts
 * cloneDocument), and a statement shared at the same position compiles the same (an unnamed statement's label is
 * its position), so only the statements the fix wrote are compiled.
 */
export function compileUncached(statements: readonly PolicyStatement[], basis?: CompiledDocument): CompiledDocument {
  const compiled: CompiledStatement[] = [];
  for (let i = 0; i < statements.length; i++)
    compiled.push(
      basis !== undefined && basis.of[i] === statements[i] ? basis.statements[i] : compileStatement(statements[i], i),
    );
  return { of: statements, statements: compiled, actionServices: actionServicesOf(compiled) };
}

/** False when the action starts with none of the document's services: then no statement's Action matches it. */
export function mayMatchAction(doc: CompiledDocument, lowerAction: string): boolean {
  const services = doc.actionServices;
  if (services === undefined) return true;
  for (let i = 0; i < services.length; i++) if (lowerAction.startsWith(services[i])) return true;
  return false;
}

/**
 * Matched on every evaluation of a policy: each evaluation must spend the same work budget (work-budget.ts), so that
 * a policy near the budget gets the same verdict the first time and every later time. (Whole results remembered
 * by the evaluator are the results of evaluations that stayed within the budget; one over it throws and is never
 * remembered.)
 */
export function actionMatches(c: CompiledStatement, lowerAction: string): boolean {
  if (c.actions !== undefined) return anyGlobMatches(c.actions, lowerAction);
  if (c.notActions !== undefined) return !anyGlobMatches(c.notActions, lowerAction);
  return false;
}

/** A loop, not `some` with an arrow: this runs for every statement of every policy evaluated, and the arrow would be
 * a new closure each time. */
function anyGlobMatches(globs: readonly CompiledGlob[], value: string): boolean {
  for (let i = 0; i < globs.length; i++) if (matchCompiledGlob(globs[i], value)) return true;
  return false;
}
