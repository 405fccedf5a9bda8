/**
 * What a CLI command is given to talk to the world. Commands never touch process.stdout/exit directly, so tests
 * run them in-process and read what they wrote; bin/trustgap-cli.ts wires this to the real process.
 *
 * stdout/stderr are raw writes: the command adds its own newlines.
 */
export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
  /** Whether stdout is a terminal (colour is only used on one, unless FORCE_COLOR says otherwise). */
  stdoutIsTTY?: boolean;
  /** Whether stderr is a terminal (progress displays are drawn there only when it is). */
  stderrIsTTY?: boolean;
  /** Environment for NO_COLOR / FORCE_COLOR / TERM; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** All of standard input (for `--event -` and `--error -`); absent where there is none to read. */
  readStdin?: () => Promise<Buffer>;
}

/**
 * All of a readable stream (standard input), refused once it passes `maxBytes`: a pipe that never ends, or that
 * carries more than any input trustgap accepts, fails fast instead of filling memory. Reading stops at the limit.
 */
export function readAllCapped(stream: NodeJS.ReadableStream, maxBytes: number, name: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      total += bytes.length;
      if (total > maxBytes) {
        stream.removeListener('data', onData);
        stream.pause();
        (stream as { destroy?: () => void }).destroy?.();
        reject(new CliUserError(`${name}: more than ${maxBytes} bytes; trustgap reads at most that much`));
        return;
      }
      chunks.push(bytes);
    };
    stream.on('data', onData);
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/**
 * The one line printed when standard output cannot be written (the reader of a pipe went away, as with
 * `trustgap diagnose … | head -1`, or stdout is closed or full): what happened, never a stack trace.
 */
export function outputFailureLine(stream: 'stdout' | 'stderr', err: NodeJS.ErrnoException): string {
  const why =
    err.code === 'EPIPE'
      ? 'the reader closed the pipe'
      : err.code === 'EBADF'
        ? 'it is closed'
        : err.code === 'ENOSPC'
          ? 'no space left on the device'
          : oneLine(err.message);
  return `trustgap: cannot write to ${stream} (${err.code ?? 'error'}: ${why}); output stopped\n`;
}

/** Exit codes shared by the commands. */
export const EXIT_OK = 0;
/** The engine failed on an input it accepted (a bug): the other events were still diagnosed. */
export const EXIT_INTERNAL_ERROR = 1;
/** Bad command line or unreadable/invalid input; a one-line message on stderr says which file and what. */
export const EXIT_USAGE_OR_INPUT = 2;

/** A user-facing error: bad flags or input. Its message is one line and is printed as is. */
export class CliUserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUserError';
  }
}

/** One line from any error message: the first line, trimmed, so a multi-line library message never spills. */
export function oneLine(message: string): string {
  const first = message.split(/\r?\n/).find((l) => l.trim() !== '') ?? message;
  return first.trim();
}

/** A plain description of a file-system error code, for "FILE: problem" messages. */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, expected a file';
    case 'ENOTDIR':
      return 'a parent of this path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return oneLine(err instanceof Error ? err.message : String(err));
  }
}
