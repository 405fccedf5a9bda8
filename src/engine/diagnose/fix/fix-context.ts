import type { PolicySet } from '../../eval/authorization';
import type { CallerProfile } from '../../eval/caller-profile';
import type { RequestContext } from '../../eval/context-types';
import type { NormalizedEvent } from '../../event/types';
import type { PolicyDocument, PolicyStatement } from '../../iam/policy-types';
import { policyArg, roleNameOf, shellQuote } from './shell';

/** What every fix builder needs: the call, the caller, and the policies as patched so far. */
export interface FixContext {
  event: NormalizedEvent;
  caller: CallerProfile;
  set: PolicySet;
  /** Every action the call needs (sts:AssumeRole*, plus sts:TagSession / sts:SetSourceIdentity when used). */
  actions: string[];
  roleArn: string;
  /** The request context of the call, for fixes that re-read conditions. */
  requestContext?: RequestContext;
  /**
   * Build the policy alternative: widen deliberate narrowings and admit out-of-scope identities instead of changing
   * the request or refusing. Never used for the recommended fix.
   */
  widenGuardrails?: boolean;
  /** Federated providers the trust names that do not exist in the role's account (a recreated issuer). */
  absentProviders?: ReadonlySet<string>;
}

export function updateTrustCommand(roleArn: string, doc: PolicyDocument): string {
  return `aws iam update-assume-role-policy --role-name ${shellQuote(roleNameOf(roleArn))} --policy-document ${policyArg(doc)}`;
}

/** A trust statement that names exactly this caller (never "*", never a whole account) for the needed actions. */
export function trustStatementForCaller(ctx: FixContext): PolicyStatement | undefined {
  const { caller, event } = ctx;
  const actions = [...ctx.actions];
  const sid = 'TrustGapAllowCaller';
  switch (caller.type) {
    case 'IAMUser':
    case 'AssumedRole':
    case 'FederatedUser':
      return caller.principalArn
        ? { Sid: sid, Effect: 'Allow', Principal: { AWS: caller.principalArn }, Action: actions }
        : undefined;
    case 'AWSService':
      return caller.serviceName
        ? { Sid: sid, Effect: 'Allow', Principal: { Service: caller.serviceName }, Action: actions }
        : undefined;
    case 'WebIdentityUser': {
      const wi = event.caller.webIdentity;
      if (!caller.federatedPrincipal || !caller.claimKeyPrefix || wi?.sub === undefined || wi.aud === undefined)
        return undefined;
      const p = caller.claimKeyPrefix;
      return {
        Sid: sid,
        Effect: 'Allow',
        Principal: { Federated: caller.federatedPrincipal },
        Action: actions,
        Condition: { StringEquals: { [`${p}:aud`]: wi.aud, [`${p}:sub`]: wi.sub } },
      };
    }
    case 'SAMLUser': {
      const sub = event.caller.userName;
      if (!caller.federatedPrincipal || !sub) return undefined;
      return {
        Sid: sid,
        Effect: 'Allow',
        Principal: { Federated: caller.federatedPrincipal },
        Action: actions,
        Condition: { StringEquals: { 'saml:sub': sub } },
      };
    }
    default:
      return undefined;
  }
}

/** The value a trust Principal entry should hold to name this caller. */
export function callerPrincipalValue(ctx: FixContext): string | undefined {
  const c = ctx.caller;
  return c.principalArn ?? c.serviceName ?? c.federatedPrincipal;
}
