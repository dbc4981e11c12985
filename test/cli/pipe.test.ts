// The built command with a real pipe on its standard output, read by a reader that stops early (as
// `| head` does): the command must end quietly, not with an EPIPE stack trace.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/faultline.mjs', import.meta.url));
const BUILT = fileURLToPath(new URL('../../out/main/cli.js', import.meta.url));

function readFirstChunkThenClose(args: string[], stdin: string): Promise<{ code: number | null; signal: string | null; stderr: string; got: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let got = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', (d: Buffer) => {
      got = d.toString();
      child.stdout.destroy();
    });
    child.on('error', reject);
    // The command may end before it has read all of its input.
    child.stdin.on('error', () => undefined);
    child.on('close', (code, signal) => resolve({ code, signal, stderr, got }));
    child.stdin.end(stdin);
  });
}

describe.runIf(existsSync(BUILT))('faultline writing into a pipe its reader closes', () => {
  it('ends quietly with status 0 once the reader has gone', async () => {
    // ~20 MB of JSON: far more than a pipe holds, so the command is still writing when the reader leaves.
    const esrs = Array.from({ length: 20_000 }, (_, i) => `0x${(0x92000000 + (i % 64)).toString(16)}`).join('\n');
    const r = await readFirstChunkThenClose(['decode', '--el', '2', '--json'], esrs);
    expect(r.got).toMatch(/^\{"esr":/);
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
  });
});
