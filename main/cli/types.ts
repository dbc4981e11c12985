// The shape every `faultline <command>` implements. Commands get their streams injected so that tests run
// them in-process; main/cli/index.ts wires the real process streams.
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Exit codes (issue 2): 0 success, 1 anything else, 2 usage error. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface CliCommand {
  readonly name: string;
  /** The full text of `faultline <name> --help`. */
  readonly help: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** Thrown by argument parsing; the dispatcher prints it and exits 2. */
export class UsageError extends Error {}
