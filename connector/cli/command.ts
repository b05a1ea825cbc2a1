/** The shape every `cosell` subcommand has, so the dispatcher can list, document and run it. */

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Directory relative file arguments are resolved against. */
  cwd: string;
  /** stdout is a terminal: progress may redraw in place. */
  isTTY?: boolean;
  /** Ends a long-running command (\`status --watch\`) cleanly, as Ctrl+C does for a person. */
  signal?: AbortSignal;
}

export interface Command {
  name: string;
  /** One line for `cosell --help`. */
  summary: string;
  /** Full text for `cosell <name> --help`. */
  help: string;
  /** Runs with the arguments after the command name; resolves to the process exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** A mistake in how the command was called (unknown option, unreadable file): reported on stderr, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * What the command was pointed at cannot be used (no store at that path, an unreadable file): one line on stderr,
 * without the usage hint, and the exit code given (2, a configuration error, unless said otherwise).
 */
export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** Usage errors, bad input files and validation errors. */
export const EXIT_USAGE = 2;
