import type { CallerProfile } from '../eval/caller-profile';
import type { EventRequestContext } from '../eval/request-context';
import { parseStatedReason, type StatedReason } from '../event/aws-stated-reason';
import type { NormalizedEvent } from '../event/types';
import type { Cause, Finding, FindingPolicy, Warning } from '../finding/types';
import { markStated, STATED_EVIDENCE } from './blame';
import { buildFinding } from './finding-builder';
import { shellQuote } from './fix/shell';
import type { GatheredFacts } from './gather-facts';

const REASONS = [
  'a policy changed between the call and this diagnosis (compare the snapshot time with the event time)',
  'a session policy passed when the calling session was created narrowed its permissions (not visible in CloudTrail)',
  'an SCP or RCP that is not visible here (give --org, or run the diagnosis where Organizations is readable)',
  'a VPC endpoint policy on the STS endpoint the call went through',
  'the caller used credentials other than the ones CloudTrail attributes the call to (e.g. a stale profile)',
];

/** The policies as they stand allow the call: say so, list what could still explain the denial. */
export function unexplainedFinding(
  event: NormalizedEvent,
  gathered: GatheredFacts,
  ctx: EventRequestContext,
  warnings: Warning[],
  allowed: boolean,
): Finding {
  const stated = parseStatedReason(event.errorMessage);
  if (stated && stated.layer !== 'trust') return statedReasonFinding(event, gathered, ctx, warnings, stated, allowed);
  return buildFinding(event, {
    cause: 'UNEXPLAINED',
    policy: allowed ? 'none' : 'unknown',
    summary: allowed
      ? `The trust, identity, boundary and organization policies as they stand allow this call. It was denied for a reason they do not show: ${REASONS.join('; ')}.`
      : `No gap can be proven from the policies that are visible. Possible reasons: ${REASONS.join('; ')}.`,
    evidence: [
      {
        policy: 'none',
        source: 'trustgap evaluation',
        statement: allowed ? 'all required policies allow the call' : 'no definite gap found',
      },
    ],
    otherGaps: [],
    warnings,
    fix: {
      kind: 'caller',
      summary: 'Nothing to change in the policies as they stand; check the listed reasons.',
      commands: [],
      verified: false,
      admits: [],
    },
    confidence: allowed ? 'medium' : 'low',
    unknowns: [...gathered.unknowns, ...ctx.unknownKeysConsulted],
  });
}

/** The role's account is not visible (no snapshot / another account): diagnose what the caller's side can show. */
export function roleUnknownFinding(event: NormalizedEvent, caller: CallerProfile, gathered: GatheredFacts): Finding {
  const reason = gathered.role.status === 'unknown' ? gathered.role.reason : 'the role is not known';
  return buildFinding(event, {
    cause: 'UNEXPLAINED',
    policy: 'unknown',
    summary: `The role ${event.role.arn ?? '(not named in the event)'} cannot be read: ${reason}. CloudTrail logs a denied cross-account call only in the caller's account, so the role's side must be read from its own account: give trustgap that account's snapshot, or deploy the organization reader role there.`,
    evidence: [{ policy: 'unknown', source: 'IAM facts', statement: 'role lookup', actual: reason }],
    otherGaps: [],
    warnings: [],
    fix: {
      kind: 'caller',
      summary: `Run trustgap with the role account's snapshot to see the trust side of ${caller.displayName}'s call.`,
      commands: [],
      verified: false,
      admits: [],
    },
    confidence: 'low',
    unknowns: [{ key: 'role trust policy', reason }, ...gathered.unknowns],
  });
}

const STATED_CAUSE: Record<Exclude<StatedReason['layer'], 'trust'>, Record<StatedReason['kind'], Cause>> = {
  scp: { 'explicit-deny': 'SCP_DENY', 'no-allow': 'SCP_DENY' },
  rcp: { 'explicit-deny': 'RCP_DENY', 'no-allow': 'RCP_DENY' },
  boundary: { 'explicit-deny': 'BOUNDARY_EXPLICIT_DENY', 'no-allow': 'BOUNDARY_NO_ALLOW' },
  identity: { 'explicit-deny': 'IDENTITY_EXPLICIT_DENY', 'no-allow': 'IDENTITY_NO_ALLOW' },
  session: { 'explicit-deny': 'IDENTITY_EXPLICIT_DENY', 'no-allow': 'IDENTITY_NO_ALLOW' },
};
const LAYER_WORDS: Record<string, string> = {
  scp: 'a service control policy',
  rcp: 'a resource control policy',
  boundary: 'the permissions boundary',
  identity: 'an identity-based policy',
  session: 'a session policy',
};

/**
 * AWS's own errorMessage names the policy type that denied (and often its ARN): that is evidence, even when the
 * policy itself is not in view (no organization file, a session policy CloudTrail never shows). Where the visible
 * policies allow the call, the finding says that trustgap's evaluation disagrees with AWS, rather than hiding it.
 */
function statedReasonFinding(
  event: NormalizedEvent,
  gathered: GatheredFacts,
  ctx: EventRequestContext,
  warnings: Warning[],
  stated: StatedReason,
  allowed: boolean,
): Finding {
  const layer = stated.layer as Exclude<StatedReason['layer'], 'trust'>;
  const where = `${LAYER_WORDS[layer]}${stated.policyArn ? ` (${stated.policyArn})` : ''}`;
  const policyId = stated.policyArn?.slice(stated.policyArn.lastIndexOf('/') + 1);
  const org = layer === 'scp' || layer === 'rcp';
  const disagreement = !allowed
    ? ''
    : layer === 'session'
      ? ' The trust and identity policies in view allow the call, which is consistent with AWS: a session policy is not stored in IAM and this record does not show it.'
      : ` The ${org ? 'organization ' : ''}policies in view allow the call, so trustgap's evaluation disagrees with AWS here: ${org ? 'the denying policy is not in view (give --org with the organization file)' : 'the denying policy is not in view'}.`;
  return buildFinding(event, {
    cause: STATED_CAUSE[layer][stated.kind],
    policy: layer as FindingPolicy,
    summary: `AWS states that ${stated.kind === 'explicit-deny' ? `an explicit deny in ${where} denied the call` : `no ${LAYER_WORDS[layer].replace(/^(a|an|the) /, '')} allows the call`}.${disagreement}`,
    evidence: [
      {
        policy: layer as FindingPolicy,
        source: stated.policyArn ?? 'errorMessage of the CloudTrail event',
        statement: STATED_EVIDENCE,
        actual: stated.text,
      },
    ],
    otherGaps: [],
    warnings,
    fix:
      layer === 'session'
        ? sessionPolicyFix(event, stated)
        : {
            kind: 'policy',
            summary: org
              ? `Find the statement in ${where} that ${stated.kind === 'explicit-deny' ? 'denies' : 'fails to allow'} this call and exempt exactly this role there (the organization's management account runs these commands); then re-run trustgap with --org to verify the change.`
              : `Find the statement in ${where} that ${stated.kind === 'explicit-deny' ? 'denies' : 'fails to allow'} this call and change it for exactly this role.`,
            commands:
              org && policyId && /^p-[0-9a-z]+$/.test(policyId)
                ? [`aws organizations describe-policy --policy-id ${shellQuote(policyId)}`]
                : [],
            verified: false,
            admits: [],
          },
    // The side AWS names is known: confidence is not lowered for it, only the policy text is not in view.
    confidence: 'high',
    unknowns: [
      ...gathered.unknowns.filter((u) => u.key !== 'session policy' || layer === 'session'),
      ...ctx.unknownKeysConsulted,
      { key: `${layer} policy text`, reason: `AWS named ${where}, but its document is not in view` },
    ].map(markStated),
  });
}

/**
 * A session policy is passed (Policy / PolicyArns) by whoever created the calling session and is not stored in IAM
 * (IAM User Guide, "Session policies"): the remedy is a new session without it, a change to the caller's credentials.
 */
function sessionPolicyFix(event: NormalizedEvent, stated: StatedReason): Finding['fix'] {
  const managed = stated.policyArn?.startsWith('arn:aws:iam::') ? stated.policyArn : undefined;
  return {
    kind: 'caller',
    summary: `A session policy${managed ? ` (${managed}, passed as a managed session policy)` : ''} was passed when the calling session${event.caller.arn ? ` ${event.caller.arn}` : ''} was created, and it denies ${`sts:${event.api}`} on ${event.role.arn ?? 'the role'}. Session policies are not stored in IAM: obtain the session again without that session policy (or with one that allows this call); nothing in IAM changes.`,
    commands: managed
      ? [`aws iam get-policy --policy-arn ${shellQuote(managed)} --query 'Policy.DefaultVersionId' --output text`]
      : [],
    verified: false,
    admits: [],
  };
}
