// Runs `faultline <args>` in-process with captured streams.
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../main/cli/index';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runFaultline(args: readonly string[], options: { stdin?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const errs: Buffer[] = [];
  stdout.on('data', (d: Buffer) => out.push(d));
  stderr.on('data', (d: Buffer) => errs.push(d));
  const code = await runCli(args, {
    stdin: Readable.from([options.stdin ?? '']),
    stdout,
    stderr,
    env: { ...options.env },
    cwd: process.cwd(),
  });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errs).toString('utf8') };
}
