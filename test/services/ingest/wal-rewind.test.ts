// A long ingest keeps its WAL near walRestart.bytes instead of letting it grow as big as the load
// (storage/checkpointer.ts): both bulk writers, the log lines' and the trace events', report their commits.
// The WAL file is never truncated, so its size after the ingest is the largest it was.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/storage/db';
import { walRestart } from '../../../main/storage/checkpointer';
import { ingestBundle } from '../../../main/services/ingest/pipeline';
import { formatTracefsLine, synthesizeKvmTrace, tracefsHeader } from '../../../main/core/ingest/ftrace/synthetic';
import { tempDir } from '../../helpers/tmp';

const DEFAULT_BYTES = walRestart.bytes;
afterEach(() => {
  walRestart.bytes = DEFAULT_BYTES;
});

const MB = 1024 * 1024;

async function ingestOne(file: string): Promise<{ walBytes: number; dbBytes: number; chunkBytes: number; lines: number; events: number }> {
  const path = join(tempDir('wal-rewind'), 'f.db');
  const db = openDatabase(path);
  const s = await ingestBundle(db, [file]);
  // Before closing: the last connection to close removes the WAL.
  const sizes = { walBytes: statSync(`${path}-wal`).size, dbBytes: statSync(path).size };
  const chunkBytes = db.prepare(`SELECT coalesce(sum(length(columns) + coalesce(length(args), 0)), 0) FROM trace_chunks`).pluck().get() as number;
  db.close();
  return { ...sizes, chunkBytes, lines: s.lines, events: s.events };
}

describe('the WAL during a long ingest', () => {
  it('stays near walRestart.bytes for a big kernel log', async () => {
    const file = join(tempDir('wal-rewind-log'), 'dmesg');
    const lines = Array.from({ length: 160_000 }, (_, i) => `[${String(i).padStart(5)}.${String(i % 1e6).padStart(6, '0')}] usb 1-1: new high-speed USB device number ${i} using xhci-hcd`);
    writeFileSync(file, lines.join('\n') + '\n');
    walRestart.bytes = MB;
    const r = await ingestOne(file);
    expect(r.lines).toBe(160_000);
    expect(r.dbBytes).toBeGreaterThan(10 * MB);
    expect(r.walBytes).toBeLessThan(4 * MB);
  });

  it('does not hold the event chunks of a big ftrace text dump', async () => {
    const file = join(tempDir('wal-rewind-trace'), 'trace');
    const events = [...synthesizeKvmTrace(150_000)].map(formatTracefsLine);
    writeFileSync(file, tracefsHeader(events.length, 8) + '\n' + events.join('\n') + '\n');
    // The timeline summaries are written in one transaction at the end: the WAL holds at least those.
    // Without rewinds it also holds every chunk of events; with them, about walRestart.bytes of chunks.
    walRestart.bytes = Number.MAX_SAFE_INTEGER;
    const whole = await ingestOne(file);
    walRestart.bytes = 256 * 1024;
    const rewound = await ingestOne(file);
    expect(rewound.events).toBe(150_000);
    expect(rewound.chunkBytes).toBeGreaterThan(MB);
    expect(whole.walBytes).toBeGreaterThan(whole.chunkBytes);
    expect(rewound.walBytes).toBeLessThan(whole.walBytes - rewound.chunkBytes + MB);
  });
});
