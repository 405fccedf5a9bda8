/**
 * The trustgap CLI process: wires the real stdout/stderr/exit code to runCli (src/cli/cli.ts).
 * Run through bin/trustgap.js (npx trustgap …) or directly with `tsx bin/trustgap-cli.ts …`.
 */
import { runCli } from '../src/cli/cli';
import { EXIT_INTERNAL_ERROR } from '../src/cli/cli-io';

// `trustgap diagnose … | head` closes the pipe early; that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
}).then(
  (code) => {
    // exitCode rather than exit(): let buffered output to a pipe drain first.
    process.exitCode = code;
  },
  (err: unknown) => {
    // Only bugs get here (user errors are reported by the commands); keep the stack for the bug report.
    process.stderr.write(
      `trustgap: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = EXIT_INTERNAL_ERROR;
  },
);
