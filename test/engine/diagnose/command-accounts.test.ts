import { runInComment, withCommandAccounts } from '../../../src/engine/diagnose/fix/command-accounts';
import type { NormalizedEvent } from '../../../src/engine/event/types';
import type { Fix } from '../../../src/engine/finding/types';

const crossAccount: NormalizedEvent = {
  eventId: 'e',
  eventTime: '',
  api: 'AssumeRole',
  errorCode: 'AccessDenied',
  caller: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/alice', accountId: '111111111111' },
  role: { arn: 'arn:aws:iam::222222222222:role/deploy', accountId: '222222222222', name: 'deploy', source: 'supplied' },
  request: { parametersLogged: true },
};
const fix = (commands: string[]): Fix => ({ kind: 'policy', summary: 's', commands, verified: false, admits: [] });

describe('withCommandAccounts: every command of a cross-account fix names the account that runs it', () => {
  it('role-side IAM commands run in the role owner account, identity-side ones in the caller account', () => {
    const done = withCommandAccounts(
      fix([
        "aws iam create-open-id-connect-provider --url 'https://token.actions.githubusercontent.com'",
        "aws iam put-user-policy --user-name alice --policy-name p --policy-document '{}'",
        "aws sts assume-role --role-arn 'arn:aws:iam::222222222222:role/deploy' --role-session-name s",
        "aws organizations describe-policy --policy-id 'p-abc'",
      ]),
      crossAccount,
    );
    expect(done.commandAccounts).toEqual([
      { accountId: '222222222222', owner: 'role' },
      { accountId: '111111111111', owner: 'caller' },
      { accountId: '111111111111', owner: 'caller' },
      { accountId: null, owner: 'organization' },
    ]);
    expect(done.commandAccounts?.map(runInComment)).toEqual([
      "# run with credentials of account 222222222222 (the role owner's account)",
      "# run with credentials of account 111111111111 (the caller's account)",
      "# run with credentials of account 111111111111 (the caller's account)",
      '# run with credentials of the organization management account',
    ]);
  });

  it('leaves a same-account fix, a fix without commands and one that already names its accounts as they are', () => {
    const same = { ...crossAccount, role: { ...crossAccount.role, accountId: '111111111111' } };
    expect(withCommandAccounts(fix(['aws iam update-role --role-name deploy']), same).commandAccounts).toBeUndefined();
    expect(withCommandAccounts(fix([]), crossAccount).commandAccounts).toBeUndefined();
    const named: Fix = { ...fix(['aws iam x']), commandAccounts: [{ accountId: '333333333333', owner: 'role' }] };
    expect(withCommandAccounts(named, crossAccount)).toBe(named);
  });
});
