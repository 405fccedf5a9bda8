/**
 * The trustgap CLI process: wires the real stdout/stderr/stdin/exit code to runCli (src/cli/cli.ts).
 * Run through bin/trustgap.js (npx trustgap …) or directly with `tsx bin/trustgap-cli.ts …`.
 */
import { runCli } from '../src/cli/cli';
import { EXIT_INTERNAL_ERROR, oneLine, outputFailureLine, readAllCapped } from '../src/cli/cli-io';
import { safeText } from '../src/cli/terminal-text';
import { MAX_DECOMPRESSED_BYTES } from '../src/engine/event/read-input';
import { errorMessage, errorName } from '../src/errors/aws-error-kinds';

// The AWS SDK warns on every run under Node < 22 that its future versions will need 22 ("NodeVersionSupportWarning",
// @aws-sdk/core emitWarningIfUnsupportedVersion). trustgap supports Node >= 20 (package.json engines), so the banner
// is noise on every `trustgap findings`; this is the SDK's own switch for exactly that warning, and a user who set
// it keeps their value.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A write that fails (`trustgap diagnose … | head -1` closes the pipe early; stdout closed or full) ends the run with
// one line on stderr, never a stack trace. EPIPE is what a closed pipe normally looks like: the exit code stays.
let outputFailed = false;
for (const [name, stream] of [
  ['stdout', process.stdout],
  ['stderr', process.stderr],
] as const) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (outputFailed) return;
    outputFailed = true;
    if (name === 'stdout') {
      try {
        process.stderr.write(outputFailureLine(name, err));
      } catch {
        // stderr is gone too: nothing left to tell.
      }
    }
    process.exit(err.code === 'EPIPE' ? (process.exitCode ?? 0) : EXIT_INTERNAL_ERROR);
  });
}

// The same ceiling as a decompressed input (parseJsonInput): no input trustgap accepts is larger.
const readStdin = (): Promise<Buffer> => readAllCapped(process.stdin, MAX_DECOMPRESSED_BYTES, 'standard input');

runCli(process.argv.slice(2), {
  stdout: (s) => {
    if (!outputFailed) process.stdout.write(s);
  },
  stderr: (s) => {
    if (!outputFailed) process.stderr.write(s);
  },
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
  readStdin,
}).then(
  (code) => {
    // exitCode rather than exit(): let buffered output to a pipe drain first.
    process.exitCode = code;
  },
  (err: unknown) => {
    // AWS refusing a call (no credentials, access denied, no such bucket) is the environment, not a bug: one line.
    if (isAwsRefusal(err)) {
      process.stderr.write(`trustgap: AWS: ${safeText(oneLine(`${errorName(err)}: ${errorMessage(err)}`))}\n`);
      process.exitCode = EXIT_INTERNAL_ERROR;
      return;
    }
    // Only bugs get here (user errors are reported by the commands); keep the stack for the bug report.
    process.stderr.write(
      `trustgap: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = EXIT_INTERNAL_ERROR;
  },
);

/** An error the AWS SDK raised for an answer or for missing credentials (service errors carry $metadata). */
function isAwsRefusal(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.name === 'CredentialsProviderError' || (err as { $metadata?: unknown }).$metadata !== undefined;
}
