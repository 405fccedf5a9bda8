import { type ActionAuthorization, authorizeAction, type PolicySet } from '../eval/authorization';
import type { CallerProfile } from '../eval/caller-profile';
import type { RequestContext } from '../eval/context-types';
import type { NormalizedEvent } from '../event/types';

/**
 * sts:TagSession and sts:SetSourceIdentity are authorized separately when the call uses them. A source identity is
 * used also when the calling session already carries one (CloudTrail userIdentity.sessionContext.sourceIdentity):
 * "The value that is set persists when a role is used to assume another role … known as role chaining", so the
 * next role must allow sts:SetSourceIdentity too (IAM User Guide, "Monitor and control actions taken with assumed
 * roles"). Transitive session tags are not shown in userIdentity, so only tags passed with this call count.
 */
export function requiredActions(event: NormalizedEvent): string[] {
  const actions = [`sts:${event.api}`];
  const r = event.request;
  if ((r.tags && Object.keys(r.tags).length > 0) || (r.transitiveTagKeys && r.transitiveTagKeys.length > 0))
    actions.push('sts:TagSession');
  if (r.sourceIdentity || event.caller.sourceIdentity) actions.push('sts:SetSourceIdentity');
  return actions;
}

export interface CallEvaluation {
  auths: ActionAuthorization[];
  allowed: boolean;
}

export function evaluateCall(
  set: PolicySet,
  caller: CallerProfile,
  ctx: RequestContext,
  actions: string[],
  resourceArn: string,
): CallEvaluation {
  const auths = actions.map((action) => authorizeAction(set, { action, resourceArn, caller, ctx }));
  return { auths, allowed: auths.every((a) => a.allowed === true) };
}
