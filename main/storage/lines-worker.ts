// The line writer thread: receives batches of parsed lines (columns in typed arrays, texts in one string)
// and inserts them on its own connection, one transaction per batch, while the importing thread goes on
// parsing. Started by lines-parallel.ts; SQL shared with lines.ts (insertSql).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { insertSql, insertTextSql, lineId, ROWS_PER_STATEMENT } from './lines-sql';
import type { LineBatch, WorkerReply } from './lines-protocol';

const COLUMNS = 6;
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
const many = db.prepare(insertSql(ROWS_PER_STATEMENT));
const manyText = db.prepare(insertTextSql(ROWS_PER_STATEMENT));
const one = db.prepare(insertSql(1));
const params: unknown[] = new Array(ROWS_PER_STATEMENT * COLUMNS);
const textParams: unknown[] = new Array(ROWS_PER_STATEMENT * 3);
const single: unknown[] = new Array(COLUMNS);

/** Rows [from, from + n) carry no cpu, pid or level. */
function textOnly(b: LineBatch, from: number, n: number): boolean {
  for (let i = from; i < from + n; i++) if (b.cpu[i]! >= 0 || b.pid[i]! >= 0 || b.level[i]! >= 0) return false;
  return true;
}

function fill(target: unknown[], at: number, b: LineBatch, i: number, text: string): void {
  target[at] = lineId(b.fileId, b.lineNo[i]!);
  target[at + 1] = b.tsNull[i] === 1 ? null : b.ts[i]!;
  target[at + 2] = b.cpu[i]! < 0 ? null : b.cpu[i]!;
  target[at + 3] = b.pid[i]! < 0 ? null : b.pid[i]!;
  target[at + 4] = b.level[i]! < 0 ? null : b.level[i]!;
  target[at + 5] = text;
}

const insertBatch = db.transaction((b: LineBatch) => {
  let offset = 0;
  let row = 0;
  const full = Math.floor(b.count / ROWS_PER_STATEMENT) * ROWS_PER_STATEMENT;
  for (; row < full; row += ROWS_PER_STATEMENT) {
    if (textOnly(b, row, ROWS_PER_STATEMENT)) {
      for (let k = 0; k < ROWS_PER_STATEMENT; k++) {
        const i = row + k;
        const len = b.textLength[i]!;
        textParams[k * 3] = lineId(b.fileId, b.lineNo[i]!);
        textParams[k * 3 + 1] = b.tsNull[i] === 1 ? null : b.ts[i]!;
        textParams[k * 3 + 2] = b.texts.slice(offset, offset + len);
        offset += len;
      }
      manyText.run(textParams);
      continue;
    }
    for (let k = 0; k < ROWS_PER_STATEMENT; k++) {
      const len = b.textLength[row + k]!;
      fill(params, k * COLUMNS, b, row + k, b.texts.slice(offset, offset + len));
      offset += len;
    }
    many.run(params);
  }
  for (; row < b.count; row++) {
    const len = b.textLength[row]!;
    fill(single, 0, b, row, b.texts.slice(offset, offset + len));
    offset += len;
    one.run(single);
  }
});

port.on('message', (m: { type: 'batch'; batch: LineBatch } | { type: 'close' }) => {
  try {
    if (m.type === 'batch') {
      insertBatch(m.batch);
      port.postMessage({ type: 'ack', seq: m.batch.seq, count: m.batch.count } satisfies WorkerReply);
    } else {
      db.pragma('wal_checkpoint(PASSIVE)');
      db.close();
      port.postMessage({ type: 'closed' } satisfies WorkerReply);
    }
  } catch (e) {
    port.postMessage({ type: 'error', message: (e as Error).message } satisfies WorkerReply);
  }
});
port.postMessage({ type: 'ready' } satisfies WorkerReply);
