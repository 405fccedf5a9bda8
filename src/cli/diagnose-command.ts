import { diagnoseEvent } from '../engine/diagnose/diagnose-event';
import { withCallerRolePath } from '../engine/diagnose/incomplete-input';
import { withoutUndefined } from '../engine/event/json-value';
import type { NormalizedEvent } from '../engine/event/types';
import type { Finding } from '../engine/finding/types';
import { ArgsError, parseArgs } from './args';
import { type CliIo, CliUserError, EXIT_INTERNAL_ERROR, EXIT_OK, EXIT_USAGE_OR_INPUT, oneLine } from './cli-io';
import { type DiagnoseInputOptions, loadDiagnoseInputs } from './diagnose-inputs';
import type { LoadedEvents } from './event-files';
import { groupFindings } from './finding-groups';
import { findingsJsonText } from './finding-json';
import { type CliFacts, FACTS_FLAGS, FACTS_USAGE, type FactsFlags, loadFacts } from './iam-facts-options';
import { renderFinding, renderRunSummary, skippedLine } from './render-finding';
import { safeText, shouldUseColor } from './terminal-text';

/**
 * `trustgap diagnose`: explain denied role assumptions from CloudTrail records or error texts, with IAM facts from
 * `aws iam get-account-authorization-details` snapshots (offline) or, with none, from the same live readers as
 * `trustgap scan` and the Lambda (src/cli/iam-facts-options.ts). See docs/cli.md.
 */

export const DIAGNOSE_USAGE = `Usage: trustgap diagnose --event FILE|DIR|- [--event ...] [--iam-snapshot FILE ...] [options]
       trustgap diagnose --error TEXT|- [--role-arn ARN] [--caller ARN] [--iam-snapshot FILE ...] [options]

Explains why each denied role assumption (sts:AssumeRole, AssumeRoleWithWebIdentity, AssumeRoleWithSAML,
AssumeRoot) in the input was denied, and what change would allow it.

  --event FILE|DIR|-    A CloudTrail record (a trimmed one without eventID/eventTime too), an EventBridge event, or
                        a CloudTrail log file ({"Records":[...]}), optionally gzipped; a directory, read recursively
                        like an AWSLogs/ tree (every *.json and *.json.gz file); or - for standard input. Repeatable.
  --error TEXT|-        The error message the AWS CLI or an SDK printed for the denied call ("An error occurred
                        (AccessDenied) when calling the AssumeRole operation: User: ... is not authorized ..."),
                        or - to read it from standard input.
  --role-arn ARN        The role the call asked for, where the input does not name it (web-identity and SAML error
                        messages never do); it overrides the role of every input.
  --caller ARN          Who made the call (user, role, role session, OIDC or SAML provider ARN), where the input does
                        not name it; it overrides the caller of every input.

IAM facts (each account involved: the caller's and the role owner's; the account ID is read from the ARNs):
${FACTS_USAGE}
  --json                Print a JSON array of findings (the Finding contract), one per event, and nothing else on
                        stdout. The text output groups identical findings (same fingerprint) with a count.
  -h, --help            Show this help.

Exit status: 0 when the input was read (whether or not denials were found), 2 for a bad command line or an
unreadable/invalid input file, 1 if the engine failed on an event (the others are still reported).`;

const DIAGNOSE_FLAGS = {
  event: { type: 'string', multiple: true },
  error: { type: 'string' },
  'role-arn': { type: 'string' },
  caller: { type: 'string' },
  ...FACTS_FLAGS,
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface DiagnoseOptions {
  inputs: DiagnoseInputOptions;
  facts: FactsFlags;
  json: boolean;
}

function parseDiagnoseArgs(argv: string[]): DiagnoseOptions | 'help' {
  const { flags, positionals } = parseArgs(argv, DIAGNOSE_FLAGS);
  if (flags.help) return 'help';
  if (positionals.length > 0) throw new ArgsError(`unexpected argument '${positionals[0]}'`);
  if (flags.event === undefined && flags.error === undefined)
    throw new ArgsError('missing required flag --event (or --error)');
  return {
    inputs: {
      eventPaths: flags.event ?? [],
      errorText: flags.error,
      supplied: withoutUndefined({ roleArn: flags['role-arn'], callerArn: flags.caller }),
    },
    facts: withoutUndefined({
      'iam-snapshot': flags['iam-snapshot'],
      org: flags.org,
      organization: flags.organization,
      'reader-role-name': flags['reader-role-name'],
      'organizations-access': flags['organizations-access'],
    }),
    json: flags.json === true,
  };
}

function writeLine(write: (s: string) => void, text: string): void {
  write(`${text}\n`);
}

/**
 * Runs `trustgap diagnose` with the arguments after the command name. Returns the exit code; writes findings to
 * io.stdout, and errors and (with --json) skipped-record notes to io.stderr.
 */
export async function runDiagnoseCommand(argv: string[], io: CliIo): Promise<number> {
  let opts: DiagnoseOptions | 'help';
  try {
    opts = parseDiagnoseArgs(argv);
  } catch (err) {
    if (!(err instanceof ArgsError)) throw err;
    writeLine(io.stderr, `trustgap diagnose: ${safeText(err.message)} (see trustgap diagnose --help)`);
    return EXIT_USAGE_OR_INPUT;
  }
  if (opts === 'help') {
    writeLine(io.stdout, DIAGNOSE_USAGE);
    return EXIT_OK;
  }

  let loaded: LoadedEvents;
  let facts: CliFacts;
  try {
    // Inputs first: a bad file is reported before any AWS call is made for live facts.
    loaded = await loadDiagnoseInputs(opts.inputs, io.readStdin);
    facts = await loadFacts(opts.facts);
  } catch (err) {
    if (!(err instanceof CliUserError)) throw err;
    writeLine(io.stderr, `trustgap diagnose: ${safeText(err.message)}`);
    return EXIT_USAGE_OR_INPUT;
  }

  try {
    return await diagnoseAll(loaded, facts, opts, io);
  } finally {
    facts.close();
  }
}

async function diagnoseAll(loaded: LoadedEvents, facts: CliFacts, opts: DiagnoseOptions, io: CliIo): Promise<number> {
  const results: Array<{ finding: Finding; event: NormalizedEvent }> = [];
  let engineFailures = 0;
  for (const { event, source } of loaded.events) {
    try {
      // A role session named by ARN alone (error text, --caller) needs the role's path from the facts.
      const completed = await withCallerRolePath(event, facts.scope({}));
      // As in the Lambda: the scope reads the identity policies of the role that issued the calling session only.
      const callerRoleArn = completed.caller.type === 'AssumedRole' ? completed.caller.issuerArn : undefined;
      results.push({ finding: await diagnoseEvent(completed, facts.scope({ callerRoleArn })), event: completed });
    } catch (err) {
      engineFailures++;
      const message = oneLine(err instanceof Error ? err.message : String(err));
      writeLine(
        io.stderr,
        `trustgap diagnose: internal error on event ${safeText(event.eventId)} from ${safeText(source)}: ${safeText(message)}`,
      );
    }
  }

  const findings = results.map((r) => r.finding);
  if (opts.json) {
    writeLine(io.stdout, findingsJsonText(findings));
    for (const s of loaded.skipped) writeLine(io.stderr, `trustgap diagnose: skipped ${skippedLine(s)}`);
  } else {
    const color = shouldUseColor(io.stdoutIsTTY, io.env ?? process.env);
    const groups = groupFindings(results);
    groups.forEach((group, i) => {
      const { finding, event } = group;
      writeLine(
        io.stdout,
        renderFinding(finding, { color, index: i + 1, total: groups.length, event, occurrences: group }),
      );
      writeLine(io.stdout, '');
    });
    writeLine(io.stdout, renderRunSummary(findings, loaded.skipped, { color, distinct: groups.length }));
  }
  return engineFailures > 0 ? EXIT_INTERNAL_ERROR : EXIT_OK;
}
