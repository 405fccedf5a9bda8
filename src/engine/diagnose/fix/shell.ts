import type { PolicyDocument, PolicyStatement } from '../../iam/policy-types';
import { fixDocumentText } from '../policy-size';

/** POSIX single-quote quoting: safe for any string, including attacker-controlled values copied from an event. */
export function shellQuote(value: string): string {
  return value.includes("'") ? `'${value.replace(/'/g, `'\\''`)}'` : `'${value}'`;
}

/** The document as a shell argument; its JSON text is the one the size check measures (fixDocumentText). */
export function policyArg(doc: PolicyDocument): string {
  return shellQuote(fixDocumentText(doc));
}

/** Role (or user) name from its ARN; for an account root ARN (AssumeRoot), "root-<account>". */
export function roleNameOf(roleArn: string): string {
  const root = roleArn.endsWith(':root') ? /:(\d{12}):root$/.exec(roleArn) : null;
  return root ? `root-${root[1]}` : roleArn.slice(roleArn.lastIndexOf('/') + 1);
}

/**
 * A copy a fix builder may edit without touching the (shared, cached) original: a new document and Statement list
 * (statements may be added), and a copy of the one statement at `edit`, the only one the builder changes. Builders
 * only ever replace element values (new arrays, new objects) or add keys to a statement, its Principal or a
 * Condition operator block, so copying that statement down to those levels is enough. The other statements are the
 * original objects, never edited: copying every statement of every document a fix touches was garbage for nothing.
 * A builder that edits a statement must name it here (fix-isolation.test.ts diagnoses twice to catch one that
 * does not).
 */
export function cloneDocument(doc: PolicyDocument, edit?: number): PolicyDocument {
  const statements = doc.Statement.slice();
  if (edit !== undefined && statements[edit] !== undefined) statements[edit] = cloneStatement(statements[edit]);
  return { ...doc, Statement: statements };
}

function cloneStatement(st: PolicyStatement): PolicyStatement {
  const copy: PolicyStatement = { ...st };
  if (st.Principal && typeof st.Principal === 'object') copy.Principal = { ...st.Principal };
  if (st.Condition) {
    // Spread, then each block replaced by its copy in place: the keys are the spread's own data properties, so even
    // an operator named "__proto__" is written as a key (as Object.fromEntries did), never as the prototype.
    const condition = { ...st.Condition };
    for (const op of Object.keys(condition)) condition[op] = { ...condition[op] };
    copy.Condition = condition;
  }
  return copy;
}

/** A Sid from free text: IAM allows only [A-Za-z0-9] in Sids. */
export function sidFrom(prefix: string, name: string): string {
  return (prefix + name.replace(/[^A-Za-z0-9]/g, '')).slice(0, 100);
}
