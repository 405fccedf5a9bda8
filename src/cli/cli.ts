import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CliIo, EXIT_OK, EXIT_USAGE_OR_INPUT } from './cli-io';
import { safeText } from './terminal-text';

/**
 * The `trustgap` command dispatcher: picks the sub-command from argv[0] and hands it the rest.
 * Sub-commands are loaded on demand so that `trustgap diagnose` never loads the AWS SDK clients that
 * `trustgap findings` needs.
 */

export const CLI_USAGE = `Usage: trustgap <command> [options]

Explains denied AWS role assumptions: the exact policy, statement and condition behind each denial, and the
verified change that would allow it.

Commands:
  diagnose   Diagnose denied AssumeRole* CloudTrail events offline, against IAM snapshots
             (aws iam get-account-authorization-details); no AWS access needed.
  scan       Diagnose denied AssumeRole* calls in bulk (CloudTrail log files), into a local store.
  findings   Query the findings recorded by the deployed trustgap stack (or, with --store, by trustgap scan).
  report     Write a self-contained HTML report (and CSV/JSON exports) from the store or the table.

Options:
  -h, --help     Show this help (or "trustgap <command> --help" for a command's options).
  -v, --version  Print the version.

Example (the embedded demo, no AWS account needed):
  trustgap diagnose --event examples/events \\
    --iam-snapshot examples/snapshot/account-111111111111.json \\
    --iam-snapshot examples/snapshot/account-222222222222.json --org examples/snapshot/organization.json`;

/** The version in package.json, read at run time so it cannot drift from the package. */
export function packageVersion(): string {
  const pkgPath = path.join(__dirname, '..', '..', 'package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      io.stderr(`${CLI_USAGE}\n`);
      return EXIT_USAGE_OR_INPUT;
    case '-h':
    case '--help':
    case 'help':
      io.stdout(`${CLI_USAGE}\n`);
      return EXIT_OK;
    case '-v':
    case '--version':
    case 'version':
      io.stdout(`trustgap ${packageVersion()}\n`);
      return EXIT_OK;
    // require(), not import(): bin/trustgap.js registers tsx's CommonJS hook only, and a dynamic import() would go
    // through Node's ESM loader, which that hook does not cover.
    case 'diagnose': {
      const { runDiagnoseCommand } = require('./diagnose-command') as typeof import('./diagnose-command');
      return await runDiagnoseCommand(rest, io);
    }
    case 'findings': {
      const { runFindingsCommand } = require('./findings-command') as typeof import('./findings-command');
      return await runFindingsCommand(rest, io);
    }
    case 'scan': {
      const { runScanCommand } = require('./scan-command') as typeof import('./scan-command');
      return await runScanCommand(rest, io);
    }
    case 'report': {
      const { runReportCommand } = require('./report-command') as typeof import('./report-command');
      return await runReportCommand(rest, io);
    }
    default:
      io.stderr(
        `trustgap: unknown command '${safeText(command)}' (commands: diagnose, scan, findings, report; see trustgap --help)\n`,
      );
      return EXIT_USAGE_OR_INPUT;
  }
}
