import type { ConditionClauseResult } from '../../eval/conditions';
import type { ContextLookup } from '../../eval/context-types';
import type { FixContext } from './fix-context';
import { shellQuote } from './shell';

export interface RequestFix {
  overrides: Record<string, ContextLookup>;
  summary: string;
  command?: string;
}

const one = (v: string): ContextLookup => ({ state: 'present', values: [v], multiValued: false });

/** The caller's `aws sts …` command with extra arguments, quoted for the shell. */
export function stsCommand(ctx: Pick<FixContext, 'event' | 'roleArn'>, extra: string, sessionName?: string): string {
  const session = sessionName ?? ctx.event.request.roleSessionName ?? 'trustgap-check';
  const sub =
    ctx.event.api === 'AssumeRoleWithWebIdentity'
      ? 'assume-role-with-web-identity'
      : ctx.event.api === 'AssumeRoleWithSAML'
        ? 'assume-role-with-saml'
        : 'assume-role';
  // Federated calls also need their credential: the token or assertion is the caller's, so it stays a placeholder.
  const credential =
    sub === 'assume-role-with-web-identity'
      ? ' --web-identity-token "$WEB_IDENTITY_TOKEN"'
      : sub === 'assume-role-with-saml'
        ? ` --principal-arn ${shellQuote(ctx.event.request.principalArn ?? '<saml-provider-arn>')} --saml-assertion "$SAML_ASSERTION"`
        : '';
  return `aws sts ${sub} --role-arn ${shellQuote(ctx.roleArn)} --role-session-name ${shellQuote(session)}${credential}${extra}`;
}

function firstAddressIn(cidr: string): string {
  return cidr.split('/')[0];
}

function shiftTime(iso: string, seconds: number): string | undefined {
  const t = /^\d+$/.test(iso) ? Number(iso) * 1000 : Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t + seconds * 1000).toISOString();
}

/**
 * A caller-side fix for a protective condition key, with the context values that make the clause pass so the fix
 * can be verified. Returns undefined when nothing the caller can do would satisfy the clause (e.g. organization
 * membership), so that no unverifiable fix is offered.
 */
export function requestFixForClause(clause: ConditionClauseResult, ctx: FixContext): RequestFix | undefined {
  const key = clause.key.toLowerCase();
  const op = clause.operator.replace(/IfExists$/, '');
  const expected = clause.expected[0];
  switch (key) {
    case 'sts:externalid':
      if (op !== 'StringEquals' || expected === undefined) return undefined;
      return {
        overrides: { 'sts:externalid': one(expected) },
        // The expected value is a shared secret: the caller already has it from the role's owner; never print it.
        summary: `The caller (account ${ctx.caller.accountId ?? 'of the caller'}) must pass the external ID the role's owner gave it; it ${clause.actual ? 'passed a different value' : 'passed none'}. Do not remove the condition: it protects against the confused-deputy problem.`,
        command: stsCommand(ctx, ' --external-id "$EXTERNAL_ID"'),
      };
    case 'aws:multifactorauthpresent':
    case 'aws:multifactorauthage': {
      // The device's ARN is not in the event and need not follow the user's name: look it up rather than guess it.
      const user = ctx.event.caller.type === 'IAMUser' ? ctx.event.caller.userName : undefined;
      const lookup = `aws iam list-mfa-devices${user ? ` --user-name ${shellQuote(user)}` : ''} --query 'MFADevices[0].SerialNumber' --output text`;
      return {
        overrides: { 'aws:multifactorauthpresent': one('true'), 'aws:multifactorauthage': one('0') },
        summary: `The role requires MFA (${clause.operator} ${clause.key}); the call carried ${clause.actual ? JSON.stringify(clause.actual[0]) : 'no MFA'}. Pass the MFA device and a current code with the call: find the device's ARN with \`${lookup}\` (run by the caller, in account ${ctx.caller.accountId ?? 'of the caller'}).`,
        command: `MFA_SERIAL=$(${lookup}) && ${stsCommand(ctx, ' --serial-number "$MFA_SERIAL" --token-code <code-from-device>')}`,
      };
    }
    case 'aws:sourceip':
      if (op !== 'IpAddress' || expected === undefined) return undefined;
      return {
        overrides: { 'aws:sourceip': one(firstAddressIn(expected)) },
        summary: `The role only trusts calls from ${clause.expected.join(', ')}; this call came from ${clause.actual?.[0] ?? 'an unknown address'}. Call from the allowed network (VPN/NAT), or, if that address is legitimately yours, add it to the condition.`,
      };
    case 'aws:currenttime':
    case 'aws:epochtime': {
      const later = /GreaterThan/.test(op);
      const shifted = expected === undefined ? undefined : shiftTime(expected, later ? 60 : -60);
      if (!shifted || !/^Date|^Numeric/.test(op)) return undefined;
      const value = key === 'aws:epochtime' ? String(Math.floor(Date.parse(shifted) / 1000)) : shifted;
      return {
        overrides: { [key]: one(value) },
        summary: `The role can only be assumed ${later ? 'after' : 'before'} ${expected}; the call was made at ${ctx.event.eventTime}. Call inside the window, or extend it if the window has simply lapsed.`,
      };
    }
    case 'aws:sourcevpce':
      if (expected === undefined || !/^String(Equals|Like)$/.test(op)) return undefined;
      return {
        overrides: { 'aws:sourcevpce': one(expected.replace(/\*/g, 'x')) },
        summary: `The role only trusts calls through VPC endpoint ${clause.expected.join(', ')}; call STS through that endpoint.`,
      };
    case 'aws:tagkeys': {
      // ForAllValues:StringEquals on aws:TagKeys is an allow-list of session tag keys (a deliberate narrowing): the
      // caller drops the keys it does not list ("Single-valued vs. multivalued context keys"; "Pass session tags").
      if (clause.operator !== 'ForAllValues:StringEquals' || !clause.actual) return undefined;
      const tags = ctx.event.request.tags ?? {};
      const kept = clause.actual.filter((k) => clause.expected.includes(k) && k in tags);
      const dropped = clause.actual.filter((k) => !kept.includes(k));
      const args = kept.length ? ` --tags ${kept.map((k) => shellQuote(`Key=${k},Value=${tags[k]}`)).join(' ')}` : '';
      return {
        overrides: { 'aws:tagkeys': { state: 'present', values: kept, multiValued: true } },
        summary: `The role accepts only the session tag keys ${clause.expected.join(', ')}; the call also passed ${dropped.join(', ')}. Call without ${dropped.length === 1 ? 'that tag' : 'those tags'}.`,
        command: stsCommand(ctx, args),
      };
    }
    case 'aws:securetransport':
      return { overrides: { 'aws:securetransport': one('true') }, summary: 'Call STS over HTTPS.' };
    case 'aws:requestedregion':
      if (expected === undefined) return undefined;
      return {
        overrides: { 'aws:requestedregion': one(expected) },
        summary: `The role only trusts calls to STS in ${clause.expected.join(', ')}; the call went to ${clause.actual?.[0] ?? 'another region'}.`,
        command: stsCommand(ctx, ` --region ${shellQuote(expected)}`),
      };
    default:
      return undefined;
  }
}
