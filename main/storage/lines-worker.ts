// The line reader thread: receives each big log file's bytes and answers every chunk with the lines read
// from it (line-producer.ts: decoded, split, tokenized, packed into blocks), while the importing thread
// assembles faults from the previous chunk's lines and stores its blocks. It touches no database.
// Started by lines-parallel.ts.
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
      case 'bytes': {
        const produced = producer(m.fileId).bytes(m.bytes);
        port.postMessage({ type: 'done', seq: m.seq, produced } satisfies WorkerReply, transfers(produced));
        return;
      }
      case 'end': {
        const produced = producer(m.fileId).end();
        files.delete(m.fileId);
        port.postMessage({ type: 'done', seq: m.seq, produced } satisfies WorkerReply, transfers(produced));
        return;
      }
    }
  } catch (e) {
    port.postMessage({ type: 'error', message: (e as Error).message } satisfies WorkerReply);
  }
});
port.postMessage({ type: 'ready' } satisfies WorkerReply);
