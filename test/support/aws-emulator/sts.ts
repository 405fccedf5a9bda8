import { randomBytes } from 'node:crypto';
import type { EmulatedIam } from './iam';
import { EmulatedError } from './protocol';
import type { EmulatedPrincipal, EmulatorServer, QueryService, RequestContext } from './server';

/** Whether the caller may assume the role (the emulator's stand-in for trust policy plus identity policy). */
export type AssumeRule = (caller: EmulatedPrincipal, roleArn: string) => boolean;

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[^/]+\/)*([^/]+)$/;

/**
 * STS in the awsQuery protocol: AssumeRole (the role must exist in its account's emulated IAM and the rule must
 * allow the caller; the credentials it issues sign as the assumed role, in the role's account) and
 * GetCallerIdentity.
 */
export class EmulatedSts implements QueryService {
  readonly name = 'sts';
  readonly xmlns = 'https://sts.amazonaws.com/doc/2011-06-15/';
  private issued = 0;

  constructor(
    private readonly server: EmulatorServer,
    private readonly iam: EmulatedIam,
    private readonly allow: AssumeRule,
    private readonly clock: () => number = Date.now,
  ) {}

  handle(action: string, form: Record<string, string>, ctx: RequestContext): unknown {
    if (action === 'GetCallerIdentity') {
      return { UserId: ctx.caller.userId, Account: ctx.caller.accountId, Arn: ctx.caller.arn };
    }
    if (action !== 'AssumeRole') throw new EmulatedError(400, 'InvalidAction', `STS action ${action} is not emulated`);
    const roleArn = form.RoleArn ?? '';
    const session = form.RoleSessionName ?? '';
    const match = ROLE_ARN.exec(roleArn);
    if (!match || !/^[\w+=,.@-]{2,64}$/.test(session)) {
      throw new EmulatedError(400, 'ValidationError', `invalid RoleArn or RoleSessionName: ${roleArn} ${session}`);
    }
    const [, accountId, roleName] = match;
    if (!this.iam.hasRole(accountId, roleName) || !this.allow(ctx.caller, roleArn)) {
      throw new EmulatedError(
        403,
        'AccessDenied',
        `User: ${ctx.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
    }
    this.issued += 1;
    const accessKeyId = `ASIAEMULATED${String(this.issued).padStart(8, '0')}`;
    const roleId = `AROAEMULATED${roleName
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .slice(0, 9)}`;
    const assumed: EmulatedPrincipal = {
      accountId,
      arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${session}`,
      userId: `${roleId}:${session}`,
    };
    this.server.addPrincipal(accessKeyId, assumed);
    const seconds = Number(form.DurationSeconds ?? 3600);
    return {
      Credentials: {
        AccessKeyId: accessKeyId,
        SecretAccessKey: randomBytes(20).toString('hex'),
        SessionToken: randomBytes(32).toString('base64'),
        Expiration: new Date(this.clock() + seconds * 1000),
      },
      AssumedRoleUser: { AssumedRoleId: assumed.userId, Arn: assumed.arn },
    };
  }
}
