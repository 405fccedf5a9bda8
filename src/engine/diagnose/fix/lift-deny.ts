import type { ConditionClauseResult } from '../../eval/conditions';
import type { FixContext } from './fix-context';
import type { FixStep } from './fix-types';
import { requestFixForClause } from './request-fixes';

/**
 * A Deny that fires only because the caller skipped a protection (no MFA, outside the allowed network) is lifted by
 * the caller doing it, not by weakening the guardrail. Returns the caller-side step when every clause that made the
 * deny apply is of that kind.
 */
export function liftDenyFromCallerSide(
  matched: ConditionClauseResult[],
  ctx: FixContext,
  label: string,
): FixStep | undefined {
  if (matched.length === 0) return undefined;
  const summaries: string[] = [];
  const commands: string[] = [];
  const overrides: NonNullable<FixStep['patch']['context']> = {};
  for (const clause of matched) {
    const key = clause.key.toLowerCase();
    let inverse: ConditionClauseResult | undefined;
    if (
      (key === 'aws:multifactorauthpresent' && clause.expected.includes('false')) ||
      key === 'aws:multifactorauthage'
    ) {
      inverse = { ...clause, operator: 'Bool', expected: ['true'] };
    } else if (key === 'aws:sourceip' && /^NotIpAddress/.test(clause.operator)) {
      inverse = { ...clause, operator: 'IpAddress' };
    }
    const fix = inverse && requestFixForClause(inverse, ctx);
    if (!fix) return undefined;
    Object.assign(overrides, fix.overrides);
    summaries.push(fix.summary);
    if (fix.command) commands.push(fix.command);
  }
  return {
    kind: 'caller',
    summary: `Deny statement ${label} applies because the caller skipped a protection it enforces; keep the guardrail. ${summaries.join(' ')}`,
    commands,
    patch: { context: overrides },
  };
}
