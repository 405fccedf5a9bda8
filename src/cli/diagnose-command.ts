import { diagnoseEvent } from '../engine/diagnose/diagnose-event';
import type { NormalizedEvent } from '../engine/event/types';
import type { Finding } from '../engine/finding/types';
import type { SnapshotIamFacts } from '../engine/iam/snapshot/snapshot-iam-facts';
import { ArgsError, parseArgs } from './args';
import { type CliIo, CliUserError, EXIT_INTERNAL_ERROR, EXIT_OK, EXIT_USAGE_OR_INPUT, oneLine } from './cli-io';
import { loadEvents } from './event-files';
import { findingsJsonText } from './finding-json';
import { loadSnapshotFacts } from './iam-facts-options';
import { renderFinding, renderRunSummary, skippedLine } from './render-finding';
import { safeText, shouldUseColor } from './terminal-text';

/**
 * `trustgap diagnose`: explain denied role assumptions offline, from CloudTrail records and
 * `aws iam get-account-authorization-details` snapshots. See docs/cli.md.
 */

export const DIAGNOSE_USAGE = `Usage: trustgap diagnose --event FILE|DIR --iam-snapshot FILE [--iam-snapshot FILE ...] [--org FILE] [--json]

Explains why each denied role assumption (sts:AssumeRole, AssumeRoleWithWebIdentity, AssumeRoleWithSAML,
AssumeRoot) in the CloudTrail input was denied, and what change would allow it.

  --event FILE|DIR      A CloudTrail record, an EventBridge event, or a CloudTrail log file ({"Records":[...]}),
                        optionally gzipped; or a directory, of which every *.json and *.json.gz file is read.
  --iam-snapshot FILE   Output of \`aws iam get-account-authorization-details\` for one account; repeat the
                        flag for each account involved (caller and role owner). The account ID is read from
                        the file's ARNs.
  --org FILE            Optional organization file with the SCPs/RCPs and OU chain (format: docs/snapshots.md).
  --json                Print a JSON array of findings (the Finding contract) and nothing else on stdout.
  -h, --help            Show this help.

Exit status: 0 when the input was read (whether or not denials were found), 2 for a bad command line or an
unreadable/invalid input file, 1 if the engine failed on an event (the others are still reported).`;

const DIAGNOSE_FLAGS = {
  event: { type: 'string' },
  'iam-snapshot': { type: 'string', multiple: true },
  org: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface DiagnoseOptions {
  eventPath: string;
  snapshotPaths: string[];
  orgPath?: string;
  json: boolean;
}

function parseDiagnoseArgs(argv: string[]): DiagnoseOptions | 'help' {
  const { flags, positionals } = parseArgs(argv, DIAGNOSE_FLAGS);
  if (flags.help) return 'help';
  if (positionals.length > 0) throw new ArgsError(`unexpected argument '${positionals[0]}'`);
  if (flags.event === undefined) throw new ArgsError('missing required flag --event');
  if (flags['iam-snapshot'] === undefined) throw new ArgsError('missing required flag --iam-snapshot');
  return {
    eventPath: flags.event,
    snapshotPaths: flags['iam-snapshot'],
    orgPath: flags.org,
    json: flags.json === true,
  };
}

function loadFacts(opts: DiagnoseOptions): SnapshotIamFacts {
  return loadSnapshotFacts(opts.snapshotPaths, opts.orgPath);
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

  let loaded: ReturnType<typeof loadEvents>;
  let facts: SnapshotIamFacts;
  try {
    loaded = loadEvents(opts.eventPath);
    facts = loadFacts(opts);
  } catch (err) {
    if (!(err instanceof CliUserError)) throw err;
    writeLine(io.stderr, `trustgap diagnose: ${safeText(err.message)}`);
    return EXIT_USAGE_OR_INPUT;
  }

  const results: Array<{ finding: Finding; event: NormalizedEvent }> = [];
  let engineFailures = 0;
  for (const { event, source } of loaded.events) {
    try {
      results.push({ finding: await diagnoseEvent(event, facts), event });
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
    results.forEach(({ finding, event }, i) => {
      writeLine(io.stdout, renderFinding(finding, { color, index: i + 1, total: results.length, event }));
      writeLine(io.stdout, '');
    });
    writeLine(io.stdout, renderRunSummary(findings, loaded.skipped, { color }));
  }
  return engineFailures > 0 ? EXIT_INTERNAL_ERROR : EXIT_OK;
}
