// The line writer thread: receives each big log file's decoded text and stores its lines (split,
// tokenized, packed into blocks: line-text-store.ts) on its own connection, one transaction per batch,
// while the importing thread reads the same text for faults. Started by lines-parallel.ts.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { INSERT_BLOCK_SQL, lineId } from './lines-sql';
import { batchBlocks, type LineColumns } from './line-block';
import { LineTextStore } from './line-text-store';
import type { WorkerReply, WorkerRequest } from './lines-protocol';

const port = parentPort;
if (port === null) throw new Error('lines-worker must run in a worker thread');

const options = workerData as { path: string; nativeBinding?: string };
let db: Database.Database;
try {
  db = new Database(options.path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  db.pragma('busy_timeout = 10000');
  db.pragma('synchronous = NORMAL');
  // Checkpoints wait for the end of the load (they would copy each batch twice meanwhile).
  db.pragma('wal_autocheckpoint = 0');
} catch (e) {
  port.postMessage({ type: 'error', message: (e as Error).message } satisfies WorkerReply);
  throw e;
}
const insert = db.prepare(INSERT_BLOCK_SQL);
const writeBatch = db.transaction((fileId: number, c: LineColumns) => {
  for (const b of batchBlocks(c, c.count, c.texts.join(''))) insert.run(lineId(fileId, b.firstLine), b.count, b.meta, b.text);
});
const files = new Map<number, LineTextStore>();

function store(fileId: number): LineTextStore {
  const s = files.get(fileId);
  if (s === undefined) throw new Error(`file ${fileId} was not opened`);
  return s;
}

port.on('message', (m: WorkerRequest) => {
  try {
    switch (m.type) {
      case 'open':
        files.set(m.spec.fileId, new LineTextStore(m.spec, writeBatch));
        port.postMessage({ type: 'ack', seq: m.seq } satisfies WorkerReply);
        return;
      case 'text':
        store(m.fileId).text(m.text);
        port.postMessage({ type: 'ack', seq: m.seq } satisfies WorkerReply);
        return;
      case 'end': {
        const lines = store(m.fileId).end();
        files.delete(m.fileId);
        port.postMessage({ type: 'ack', seq: m.seq, lines } satisfies WorkerReply);
        return;
      }
      case 'close':
        db.pragma('wal_checkpoint(PASSIVE)');
        db.close();
        port.postMessage({ type: 'closed' } satisfies WorkerReply);
        return;
    }
  } catch (e) {
    port.postMessage({ type: 'error', message: (e as Error).message } satisfies WorkerReply);
  }
});
port.postMessage({ type: 'ready' } satisfies WorkerReply);
