// Big outputs go out as the reader takes them: `faults --json` and `events --json` wait for the stream to
// drain instead of queueing everything (1.6 GB queued for 100,000 faults, then ENOBUFS on a pipe).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/index';
import { openDatabase } from '../../main/storage/db';
import { ingestBundle } from '../../main/services/ingest/pipeline';
import { formatTracefsLine, synthesizeKvmTrace, tracefsHeader } from '../../main/core/ingest/ftrace/synthetic';
import { tempDir } from '../helpers/tmp';

/** A slow reader: takes a write every few milliseconds; records the most ever queued in front of it. */
function slowReader(): { stream: Writable; maxQueued: () => number; bytes: () => number } {
  let max = 0;
  let total = 0;
  const stream: Writable = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _enc, done) {
      total += chunk.length;
      max = Math.max(max, stream.writableLength);
      setTimeout(done, 1);
    },
  });
  return { stream, maxQueued: () => max, bytes: () => total };
}

async function run(args: string[]) {
  const out = slowReader();
  const code = await runCli(args, { stdin: Readable.from(['']), stdout: out.stream, stderr: new Writable({ write: (_c, _e, d) => d() }), env: {}, cwd: process.cwd() });
  await new Promise<void>((r) => out.stream.end(r));
  return { code, maxQueued: out.maxQueued(), bytes: out.bytes() };
}

describe('a command with a big output and a slow reader', () => {
  it('faults --json keeps at most a batch queued', async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 2000 }, (_, i) => `[${String(100 + 2 * i).padStart(5)}.000000] kvm [4242]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061`);
    writeFileSync(join(dir, 'dmesg'), lines.join('\n') + '\n');
    const db = join(tempDir(), 'out.db');
    const handle = openDatabase(db);
    await ingestBundle(handle, [dir]);
    handle.close();
    const r = await run(['faults', '--db', db, '--json']);
    expect(r.code).toBe(0);
    // ~10 KB a record with its replay: some 20 MB in all, never more than a batch and the buffer waiting
    expect(r.bytes).toBeGreaterThan(10_000_000);
    expect(r.maxQueued).toBeLessThan(4_000_000);
  });

  it('events --json keeps at most a batch queued', async () => {
    const dir = tempDir();
    const events = [...synthesizeKvmTrace(60_000)].map(formatTracefsLine);
    writeFileSync(join(dir, 'trace'), tracefsHeader(events.length, 8) + '\n' + events.join('\n') + '\n');
    const db = join(tempDir(), 'ev.db');
    const handle = openDatabase(db);
    await ingestBundle(handle, [dir]);
    handle.close();
    const r = await run(['events', '--db', db, '--json', '--limit', '60000']);
    expect(r.code).toBe(0);
    expect(r.bytes).toBeGreaterThan(10_000_000);
    expect(r.maxQueued).toBeLessThan(4_000_000);
  });
});
