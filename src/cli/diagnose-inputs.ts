import { parseRoleArn } from '../engine/event/arn';
import { parseErrorText } from '../engine/event/error-text';
import {
  callerFromArn,
  errorTextEvent,
  type SuppliedIdentities,
  withSuppliedIdentities,
} from '../engine/event/supplied-identity';
import { CliUserError } from './cli-io';
import { type LoadedEvents, loadEvents, STDIN_NAME } from './event-files';

/**
 * Everything `trustgap diagnose` is asked to explain, as normalized calls: the CloudTrail inputs of every --event, and
 * the call an --error text describes; --role-arn and --caller complete or override each of them.
 */
export interface DiagnoseInputOptions {
  eventPaths: string[];
  /** The --error value: the text itself, or `-` for standard input. */
  errorText?: string;
  supplied: SuppliedIdentities;
}

export const ERROR_TEXT_SOURCE = '--error';

function checkSupplied(supplied: SuppliedIdentities): void {
  if (supplied.roleArn !== undefined && !parseRoleArn(supplied.roleArn))
    throw new CliUserError(`--role-arn ${supplied.roleArn}: not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)`);
  if (supplied.callerArn !== undefined && !callerFromArn(supplied.callerArn))
    throw new CliUserError(
      `--caller ${supplied.callerArn}: not the ARN of an IAM user, role, role session, root user, federated user, OIDC provider or SAML provider`,
    );
}

function readStdinOnce(opts: DiagnoseInputOptions, stdin: (() => Promise<Buffer>) | undefined) {
  const uses = opts.eventPaths.filter((p) => p === '-').length + (opts.errorText === '-' ? 1 : 0);
  if (uses > 1) throw new CliUserError("standard input can be read only once: give '-' to one --event or --error");
  if (uses === 1 && !stdin) throw new CliUserError('standard input cannot be read here');
  return stdin;
}

function errorTextInput(text: string, supplied: SuppliedIdentities, loaded: LoadedEvents): void {
  if (text.trim() === '') throw new CliUserError(`${ERROR_TEXT_SOURCE}: the error text is empty`);
  const facts = parseErrorText(text);
  if (facts.api === undefined && facts.errorCode === undefined)
    throw new CliUserError(
      `${ERROR_TEXT_SOURCE}: not an AWS error message of AssumeRole, AssumeRoleWithWebIdentity or AssumeRoleWithSAML (no operation name, error code or "not authorized" wording in it)`,
    );
  loaded.events.push({ event: errorTextEvent(facts, supplied), source: ERROR_TEXT_SOURCE });
}

export async function loadDiagnoseInputs(
  opts: DiagnoseInputOptions,
  stdin: (() => Promise<Buffer>) | undefined,
): Promise<LoadedEvents> {
  checkSupplied(opts.supplied);
  const readStdin = readStdinOnce(opts, stdin);
  const loaded = await loadEvents(opts.eventPaths, readStdin);
  loaded.events = loaded.events.map(({ event, source }) => ({
    event: withSuppliedIdentities(event, opts.supplied),
    source,
  }));
  if (opts.errorText !== undefined) {
    const text = opts.errorText === '-' && readStdin ? (await readStdin()).toString('utf8') : opts.errorText;
    if (opts.errorText === '-') loaded.files.push(STDIN_NAME);
    errorTextInput(text, opts.supplied, loaded);
  }
  return loaded;
}
