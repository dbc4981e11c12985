// The line reader thread: receives pieces of each big log file (whole lines, storage/line-pieces.ts) and
// answers each with the lines read from it (line-producer.ts: decoded, split, tokenized, packed into
// blocks), while the importing thread assembles the lines of earlier pieces or reads a piece itself when
// this thread is behind. The importing thread numbers each piece's blocks in the file and sends them back:
// this thread stores them, on a connection of its own, so that SQLite's share of the work is off the
// busier importing thread too. Started by lines-parallel.ts.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { LineProducer } from './line-producer';
import { transfers, type LineWorkerData, type StoreRow, type WorkerReply, type WorkerRequest } from './lines-protocol';
import { INSERT_BLOCK_SQL } from './lines-sql';

const port = parentPort;
if (port === null) throw new Error('lines-worker must run in a worker thread');

const files = new Map<number, LineProducer>();

let store: ((rows: readonly StoreRow[]) => void) | null = null;

/** Inserts blocks on this thread's own connection, opened on first use (its commits are not checkpointed here). */
function storeRows(rows: readonly StoreRow[]): void {
  if (store === null) {
    const data = workerData as LineWorkerData | null;
    if (data === null) throw new Error('this line reader thread has no database to store into');
    const db = new Database(data.path, { fileMustExist: true, ...(data.nativeBinding !== undefined ? { nativeBinding: data.nativeBinding } : {}) });
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    // The load's checkpoints are the checkpointer's (storage/checkpointer.ts), not this thread's commits'.
    db.pragma('wal_autocheckpoint = 0');
    const insert = db.prepare(INSERT_BLOCK_SQL);
    store = db.transaction((r: readonly StoreRow[]) => {
      for (const row of r) insert.run(row.id, row.count, row.meta, row.text);
    });
  }
  store(rows);
}

function producer(fileId: number): LineProducer {
  const p = files.get(fileId);
  if (p === undefined) throw new Error(`file ${fileId} was not opened`);
  return p;
}

port.on('message', (m: WorkerRequest) => {
  try {
    switch (m.type) {
      case 'open':
        files.set(m.spec.fileId, new LineProducer(m.spec));
        port.postMessage({ type: 'done', seq: m.seq, produced: null } satisfies WorkerReply);
        return;
      case 'piece': {
        const produced = producer(m.fileId).piece(m.bytes, m.spec);
        const transfer = transfers(produced);
        if (!produced.needsBefore) {
          port.postMessage({ type: 'done', seq: m.seq, produced } satisfies WorkerReply, transfer);
          return;
        }
        port.postMessage({ type: 'done', seq: m.seq, produced, bytes: m.bytes } satisfies WorkerReply, [...transfer, m.bytes.buffer as ArrayBuffer]);
        return;
      }
      case 'store':
        storeRows(m.rows);
        port.postMessage({ type: 'done', seq: m.seq, produced: null } satisfies WorkerReply);
        return;
      case 'close':
        files.delete(m.fileId);
        port.postMessage({ type: 'done', seq: m.seq, produced: null } satisfies WorkerReply);
        return;
    }
  } catch (e) {
    port.postMessage({ type: 'error', message: (e as Error).message } satisfies WorkerReply);
  }
});
port.postMessage({ type: 'ready' } satisfies WorkerReply);
