import type { PolicyDocument } from '../../iam/policy-types';

/** POSIX single-quote quoting: safe for any string, including attacker-controlled values copied from an event. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function policyArg(doc: PolicyDocument): string {
  return shellQuote(JSON.stringify(doc));
}

/** Role (or user) name from its ARN; for an account root ARN (AssumeRoot), "root-<account>". */
export function roleNameOf(roleArn: string): string {
  const root = /:(\d{12}):root$/.exec(roleArn);
  return root ? `root-${root[1]}` : roleArn.slice(roleArn.lastIndexOf('/') + 1);
}

export function cloneDocument(doc: PolicyDocument): PolicyDocument {
  return JSON.parse(JSON.stringify(doc)) as PolicyDocument;
}

/** A Sid from free text: IAM allows only [A-Za-z0-9] in Sids. */
export function sidFrom(prefix: string, name: string): string {
  return (prefix + name.replace(/[^A-Za-z0-9]/g, '')).slice(0, 100);
}
