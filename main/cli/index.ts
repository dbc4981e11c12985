// `faultline <command>`: the dispatcher. Exit codes: 0 success, 1 failure, 2 usage (issue 2).
import { commands } from './commands/index';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './types';
import { VERSION } from '../services/version';

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: faultline <command> [options]',
    '',
    'Trace analyzer for arm64 virtualization hosts.',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  --help      show help (also: faultline <command> --help)',
    '  --version   print the version',
    '',
  ].join('\n');
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT_OK;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`faultline: unknown command '${name}' (see faultline --help)\n`);
    return EXIT_USAGE;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help.endsWith('\n') ? command.help : command.help + '\n');
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`faultline ${name}: ${e.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`faultline ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILURE;
  }
}

/**
 * A reader that stops early (`faultline faults --json | head`) closes the pipe: Node ignores SIGPIPE, so
 * the next write fails with EPIPE, an error event that would end the command with a stack trace. The
 * command ends quietly instead, as a command killed by SIGPIPE would, with status 0 (what was read is all
 * the reader wanted). Other stream errors stay errors.
 */
function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

/** Runs with the real process streams when this module is the entry point. */
export async function main(): Promise<void> {
  endQuietlyOnClosedPipe(process.stdout);
  endQuietlyOnClosedPipe(process.stderr);
  const code = await runCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
  process.exitCode = code;
}

const entry = process.argv[1] ?? '';
if (/[\\/]main[\\/]cli[\\/]index\.ts$/.test(entry) || /[\\/]cli\.js$/.test(entry)) void main();
