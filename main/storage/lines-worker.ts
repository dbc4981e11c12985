// The line reader thread: receives pieces of each big log file (whole lines, storage/line-pieces.ts) and
// answers each with the lines read from it (line-producer.ts: decoded, split, tokenized, packed into
// blocks), while the importing thread stores and assembles the lines of earlier pieces or reads a piece
// itself when this thread is behind. It touches no database. Started by lines-parallel.ts.
import { parentPort } from 'node:worker_threads';
import { LineProducer } from './line-producer';
import { transfers, type WorkerReply, type WorkerRequest } from './lines-protocol';

const port = parentPort;
if (port === null) throw new Error('lines-worker must run in a worker thread');

const files = new Map<number, LineProducer>();

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
