// WAL checkpoints during a bulk load. Auto-checkpoints are held off on the loading connection (each would
// copy the freshly written pages a second time, with an fsync, in the middle of the load); once the WAL
// holds a few MB, a checkpointer thread (checkpoint-worker.ts) with a connection of its own checkpoints
// every 100 ms instead, so most of the copying and the fsyncs' waits for the disk overlap the load and
// only its last moments are left for the end. Small loads never start the thread (it costs ~70 ms of CPU
// to start, and it would start beside the line reader thread, both competing for the two cores). Where the
// thread cannot start, the whole checkpoint runs at the end, on the loading connection.
//
// Those PASSIVE checkpoints never let the WAL start over: a WAL is rewound only when a write begins with
// every frame in it already copied, and the load keeps appending while the thread copies. Left alone, the
// WAL grew as big as the load (500 MB beside a 437 MB database for 5M dmesg lines), and the kernel's time
// grew faster than the load (system CPU 0.44 s for 1M lines, 2.7 s for 5M, 7.5 s for 10M). So after
// every walRestart.bytes committed, the loading connection checkpoints once itself, between two commits,
// copying the little the thread has not yet copied: its next write rewinds the WAL.
import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { nativeBindingOf, type Db } from './db';
import { whenReady, workerBeside } from './threads';

export type CheckpointerRequest = { readonly type: 'stop' };
export type CheckpointerReply = { readonly type: 'ready' } | { readonly type: 'stopped'; readonly checkpoints: number };

/** The thread holds a connection and no data: a small heap. */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 };

/** WAL size from which the thread is worth starting, and how often the WAL is looked at until then. */
export const checkpointerStart = { walBytes: 8 * 1024 * 1024, pollMs: 50 };

/** Bytes a load commits between the loading connection's own checkpoints (each lets the WAL rewind). */
export const walRestart = { bytes: 64 * 1024 * 1024 };

/** Bytes committed by the load on each database since its WAL last rewound. */
const loads = new WeakMap<Db, { written: number }>();

/**
 * Bulk writers call this after each commit with about the bytes it wrote: once walRestart.bytes have
 * gone in, a PASSIVE checkpoint on the loading connection copies what is left so that the next write
 * rewinds the WAL. One that cannot copy everything (a reader or the thread's checkpoint in the way) is
 * tried again after the next commit. Outside a load (checkpointDuringLoad) it does nothing.
 */
export function loadCommitted(db: Db, bytes: number): void {
  const load = loads.get(db);
  if (load === undefined) return;
  load.written += bytes;
  if (load.written < walRestart.bytes) return;
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    if (r[0] !== undefined && r[0].busy === 0 && r[0].checkpointed === r[0].log) load.written = 0;
  } catch {
    // busy: after the next commit
  }
}

/** What a load's checkpointing did: checkpoints run by the thread while the load went on. */
export interface LoadCheckpoints {
  readonly inBackground: number;
}

function walBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

async function stop(thread: Worker): Promise<number> {
  const checkpoints = await new Promise<number>((resolve) => {
    thread.once('message', (m: CheckpointerReply) => resolve(m.type === 'stopped' ? m.checkpoints : 0));
    thread.once('exit', () => resolve(0));
    thread.postMessage({ type: 'stop' } satisfies CheckpointerRequest);
  });
  await thread.terminate();
  return checkpoints;
}

/**
 * Defers checkpoints on `db` for a bulk load, with the checkpointer thread started once the load is big;
 * the returned function ends that: it stops the thread, restores the auto-checkpoint setting and
 * checkpoints what is left, so the load is in the database file when it resolves. In-memory databases
 * have no WAL: nothing to do.
 */
export function checkpointDuringLoad(db: Db): () => Promise<LoadCheckpoints> {
  if (db.memory) return async () => ({ inBackground: 0 });
  const previous = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma('wal_autocheckpoint = 0');
  loads.set(db, { written: 0 });
  let starting: Promise<Worker | null> | null = null;
  const poll = setInterval(() => {
    if (starting !== null || walBytes(`${db.name}-wal`) < checkpointerStart.walBytes) return;
    clearInterval(poll);
    starting = whenReady(() => workerBeside(import.meta.url, 'checkpoint-worker', RESOURCE_LIMITS, { path: db.name, nativeBinding: nativeBindingOf(db) }));
    // A thread that fails later costs only its checkpoints: the final one below copies everything left.
    void starting.then((t) => t?.on('error', () => undefined));
  }, checkpointerStart.pollMs);
  poll.unref();
  return async () => {
    clearInterval(poll);
    loads.delete(db);
    const thread = starting === null ? null : await starting;
    const inBackground = thread === null ? 0 : await stop(thread);
    if (db.open) {
      db.pragma(`wal_autocheckpoint = ${previous}`);
      db.pragma('wal_checkpoint(PASSIVE)');
    }
    return { inBackground };
  };
}
