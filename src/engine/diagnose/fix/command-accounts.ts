import type { FixCommandAccount } from '../../finding/types';
import { accountOfArn } from '../../iam/snapshot/iam-arn';
import type { FixContext } from './fix-context';
import type { FixStep } from './fix-types';

/** The account whose credentials apply one step: the layer its patch changes decides. */
function stepAccount(step: FixStep, ctx: FixContext): FixCommandAccount {
  const orgLayer = step.patch.replace?.find((r) => r.layer === 'scp' || r.layer === 'rcp');
  if (orgLayer) {
    const chain = orgLayer.layer === 'scp' ? ctx.set.scps : ctx.set.rcps;
    return { accountId: chain?.managementAccountId ?? null, owner: 'organization' };
  }
  if (step.patch.trust) return { accountId: accountOfArn(ctx.roleArn) ?? null, owner: 'role' };
  return { accountId: ctx.caller.accountId ?? null, owner: 'caller' };
}

/**
 * One entry per command of the fix, naming the account that runs it — only when the fix spans accounts
 * (cross-account call, or an organization policy); a same-account IAM fix runs where the denial happened.
 */
export function commandAccounts(steps: readonly FixStep[], ctx: FixContext): FixCommandAccount[] | undefined {
  const perStep = steps.map((step) => stepAccount(step, ctx));
  const roleAccount = accountOfArn(ctx.roleArn);
  const crossAccount =
    roleAccount !== undefined && ctx.caller.accountId !== undefined && roleAccount !== ctx.caller.accountId;
  if (!crossAccount && !perStep.some((a) => a.owner === 'organization')) return undefined;
  return steps.flatMap((step, i) => step.commands.map(() => perStep[i]));
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
