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
