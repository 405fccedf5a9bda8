import type { NormalizedEvent } from '../../event/types';
import type { Fix, FixCommandAccount } from '../../finding/types';
import { accountOfArn } from '../../iam/snapshot/iam-arn';
import type { FixContext } from './fix-context';
import type { FixStep } from './fix-types';

function orgLayerOf(step: FixStep) {
  return step.patch.replace?.find((r) => r.layer === 'scp' || r.layer === 'rcp');
}

/** The account whose credentials apply one step: the layer its patch changes decides. */
function stepAccount(step: FixStep, ctx: FixContext, roleAccount: string | undefined): FixCommandAccount {
  const orgLayer = orgLayerOf(step);
  if (orgLayer) {
    const chain = orgLayer.layer === 'scp' ? ctx.set.scps : ctx.set.rcps;
    return { accountId: chain?.managementAccountId ?? null, owner: 'organization' };
  }
  if (step.patch.trust) return { accountId: roleAccount ?? null, owner: 'role' };
  return { accountId: ctx.caller.accountId ?? null, owner: 'caller' };
}

/**
 * One entry per command of the fix, naming the account that runs it — only when the fix spans accounts
 * (cross-account call, or an organization policy); a same-account IAM fix runs where the denial happened.
 * The role's account is read from its ARN once, and the per-step accounts are worked out only when they are listed.
 */
export function commandAccounts(steps: readonly FixStep[], ctx: FixContext): FixCommandAccount[] | undefined {
  const roleAccount = accountOfArn(ctx.roleArn);
  const crossAccount =
    roleAccount !== undefined && ctx.caller.accountId !== undefined && roleAccount !== ctx.caller.accountId;
  if (!crossAccount && !steps.some((step) => orgLayerOf(step) !== undefined)) return undefined;
  const accounts: FixCommandAccount[] = [];
  for (const step of steps) {
    // One object per step, shared by its commands.
    const account = stepAccount(step, ctx, roleAccount);
    for (let i = 0; i < step.commands.length; i++) accounts.push(account);
  }
  return accounts;
}

const OWNER_LABEL: Record<FixCommandAccount['owner'], string> = {
  role: "the role owner's account",
  caller: "the caller's account",
  organization: 'the organization management account',
};

/** A shell comment naming whose credentials run a command, for renderers (terminal, email). */
export function runInComment(account: FixCommandAccount): string {
  return `# run with credentials of ${account.accountId ? `account ${account.accountId} (${OWNER_LABEL[account.owner]})` : OWNER_LABEL[account.owner]}`;
}

/** IAM commands that change the caller's side (its identity policies, boundary, MFA device); the rest the role's. */
const CALLER_SIDE_IAM = new Set([
  'put-user-policy',
  'put-role-policy',
  'put-group-policy',
  'attach-user-policy',
  'attach-role-policy',
  'create-policy-version',
  'put-user-permissions-boundary',
  'put-role-permissions-boundary',
  'list-mfa-devices',
]);

/** Whose credentials run one command of a fix, from the command itself (trustgap writes every one of them). */
function accountOfCommand(command: string, event: NormalizedEvent): FixCommandAccount {
  const caller: FixCommandAccount = { accountId: event.caller.accountId ?? null, owner: 'caller' };
  if (command.startsWith('aws organizations ')) return { accountId: null, owner: 'organization' };
  if (!command.startsWith('aws iam ')) return caller;
  const verb = command.slice('aws iam '.length).split(' ')[0];
  return CALLER_SIDE_IAM.has(verb) ? caller : { accountId: event.role.accountId ?? null, owner: 'role' };
}

/**
 * Every fix of a cross-account call (or with an organization command) says which account runs each command, also the
 * fixes that no policy patch produced (a missing identity provider, an AWS-stated SCP, a role that does not exist).
 * A fix that already names its accounts (commandAccounts above, from its patches) is kept as it is.
 */
export function withCommandAccounts(fix: Fix, event: NormalizedEvent): Fix {
  if (fix.commandAccounts || fix.commands.length === 0) return fix;
  const roleAccount = event.role.accountId;
  const callerAccount = event.caller.accountId;
  const crossAccount = roleAccount !== undefined && callerAccount !== undefined && roleAccount !== callerAccount;
  if (!crossAccount && !fix.commands.some((c) => c.startsWith('aws organizations '))) return fix;
  return { ...fix, commandAccounts: fix.commands.map((c) => accountOfCommand(c, event)) };
}
