// WAL checkpoints during a bulk load. Auto-checkpoints are held off on the loading connection (each would
// copy the freshly written pages a second time, with an fsync, in the middle of the load); a checkpointer
// thread (checkpoint-worker.ts) with a connection of its own checkpoints every few tens of milliseconds
// instead, so by the end of the load only its last moments are left to copy, and the WAL file is reused
// from its start rather than growing to the size of the load. Where the thread cannot start, the whole
// checkpoint runs at the end, on the loading connection.
import { nativeBindingOf, type Db } from './db';
import { whenReady, workerBeside } from './threads';

export type CheckpointerRequest = { readonly type: 'stop' };
export type CheckpointerReply = { readonly type: 'ready' } | { readonly type: 'stopped'; readonly checkpoints: number };

/** The thread holds a connection and no data: a small heap. */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 };

/** What a load's checkpointing did: checkpoints run by the thread while the load went on. */
export interface LoadCheckpoints {
  readonly inBackground: number;
}

/**
 * Defers checkpoints on `db` for a bulk load and starts the checkpointer thread; the returned function
 * ends that: it stops the thread, restores the auto-checkpoint setting and checkpoints what is left, so
 * the load is in the database file when it resolves. In-memory databases have no WAL: nothing to do.
 */
export async function checkpointDuringLoad(db: Db): Promise<() => Promise<LoadCheckpoints>> {
  if (db.memory) return async () => ({ inBackground: 0 });
  const previous = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma('wal_autocheckpoint = 0');
  const thread = await whenReady(() => workerBeside(import.meta.url, 'checkpoint-worker', RESOURCE_LIMITS, { path: db.name, nativeBinding: nativeBindingOf(db) }));
  // A thread that fails later costs only its checkpoints: the final one below copies everything left.
  thread?.on('error', () => undefined);
  return async () => {
    let inBackground = 0;
    if (thread !== null) {
      inBackground = await new Promise<number>((resolve) => {
        thread.once('message', (m: CheckpointerReply) => resolve(m.type === 'stopped' ? m.checkpoints : 0));
        thread.once('exit', () => resolve(0));
        thread.postMessage({ type: 'stop' } satisfies CheckpointerRequest);
      });
      await thread.terminate();
    }
    if (db.open) {
      db.pragma(`wal_autocheckpoint = ${previous}`);
      db.pragma('wal_checkpoint(PASSIVE)');
    }
    return { inBackground };
  };
}
