// WAL checkpoints during a bulk load. Auto-checkpoints are held off on the loading connection (each would
// copy the freshly written pages a second time, with an fsync, in the middle of the load); once the WAL
// holds a few MB, a checkpointer thread (checkpoint-worker.ts) with a connection of its own checkpoints
// every 100 ms instead, so most of the copying and the fsyncs' waits for the disk overlap the load and
// only its last moments are left for the end. Small loads never start the thread (it costs ~70 ms of CPU
// to start, and it would start beside the line reader thread, both competing for the two cores). Where the
// thread cannot start, the whole checkpoint runs at the end, on the loading connection.
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
    const thread = starting === null ? null : await starting;
    const inBackground = thread === null ? 0 : await stop(thread);
    if (db.open) {
      db.pragma(`wal_autocheckpoint = ${previous}`);
      db.pragma('wal_checkpoint(PASSIVE)');
    }
    return { inBackground };
  };
}
