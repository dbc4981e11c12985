// The WAL checkpointer thread of a bulk load (checkpointer.ts starts it): its own connection to the
// database copies committed WAL frames into the database file every TICK_MS, so the copy and its fsyncs
// (most of a checkpoint's time is waiting for the disk) overlap the load instead of following it.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CheckpointerReply, CheckpointerRequest } from './checkpointer';

const port = parentPort;
if (port === null) throw new Error('checkpoint-worker must run in a worker thread');

/** Between checkpoints: a few tens of MB of WAL at load speed, written while the load goes on. */
const TICK_MS = 100;

const { path, nativeBinding } = workerData as { path: string; nativeBinding?: string };
const db = new Database(path, { fileMustExist: true, ...(nativeBinding !== undefined ? { nativeBinding } : {}) });
// Checkpoints sync the WAL and the database file at NORMAL as at FULL; this matches db.ts.
db.pragma('synchronous = NORMAL');
let checkpoints = 0;

const tick = (): void => {
  // PASSIVE never waits for the writer: it copies the frames committed so far and returns. One that
  // fails (the disk, a lock) is simply tried again at the next tick; the load's end checkpoints anyway.
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    checkpoints++;
  } catch {
    // next tick
  }
};
const timer = setInterval(tick, TICK_MS);

port.on('message', (m: CheckpointerRequest) => {
  if (m.type !== 'stop') return;
  clearInterval(timer);
  db.close();
  port.postMessage({ type: 'stopped', checkpoints } satisfies CheckpointerReply);
});
port.postMessage({ type: 'ready' } satisfies CheckpointerReply);
