import type { NamedPolicy, PolicyDocument } from '../../iam/policy-types';
import { policyArg, shellQuote } from './shell';

const INLINE_SOURCE = /^inline policy (\S+) on (user|group|role) (\S+)/;

/**
 * The command that replaces `policy`'s document with `doc`: put-*-policy for inline policies, a new default
 * version for customer-managed policies, update-policy for SCPs/RCPs. AWS-managed policies cannot be edited.
 */
export function replacePolicyCommands(policy: NamedPolicy, doc: PolicyDocument): string[] | undefined {
  if (policy.kind === 'scp' || policy.kind === 'rcp') {
    const id = policy.arn ?? /\b(p-[0-9a-z]+)\b/.exec(policy.source)?.[1];
    return id
      ? [`aws organizations update-policy --policy-id ${shellQuote(id)} --content ${policyArg(doc)}`]
      : undefined;
  }
  const inline = INLINE_SOURCE.exec(policy.source);
  if (inline) {
    const [, name, ownerType, owner] = inline;
    return [
      `aws iam put-${ownerType}-policy --${ownerType}-name ${shellQuote(owner)} --policy-name ${shellQuote(name)} --policy-document ${policyArg(doc)}`,
    ];
  }
  if (policy.arn && !/^arn:aws[\w-]*:iam::aws:policy\//.test(policy.arn)) {
    return [
      `aws iam create-policy-version --policy-arn ${shellQuote(policy.arn)} --policy-document ${policyArg(doc)} --set-as-default`,
      `# if the policy already has 5 versions: aws iam list-policy-versions --policy-arn ${shellQuote(policy.arn)}, then delete the oldest non-default one with aws iam delete-policy-version`,
    ];
  }
  return undefined;
}

export function isAwsManaged(policy: NamedPolicy): boolean {
  return !!policy.arn && /^arn:aws[\w-]*:iam::aws:policy\//.test(policy.arn);
}
