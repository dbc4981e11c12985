// The ftrace text tokenizer thread: receives a text trace's bytes, decodes and tokenizes them (TextBatcher)
// and sends the events back in batches, one per storage chunk, while the importing thread assembles the
// previous ones. Started by ftrace-text-parallel.ts; the protocol is there.
import { parentPort } from 'node:worker_threads';
import { StringDecoder } from 'node:string_decoder';
import { TextBatcher, type ParsedBatch } from '../../../core/ingest/ftrace/text-batches';
import { readsArgs } from '../../../core/ingest/ftrace/assembler';
import type { ToTokenizer, FromTokenizer } from './ftrace-text-parallel';

const port = parentPort;
if (port === null) throw new Error('ftrace-text-worker must run in a worker thread');

const send = (m: FromTokenizer, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
const decoder = new StringDecoder('utf8');
const batcher = new TextBatcher((b: ParsedBatch) => {
  // The text crosses as UTF-8 bytes (what storage compresses): moving them costs less than copying a string.
  const text = Buffer.from(b.text as string, 'utf8');
  const bytes = text.byteOffset === 0 && text.buffer.byteLength === text.byteLength ? new Uint8Array(text.buffer) : new Uint8Array(text);
  send({ type: 'batch', batch: { ...b, text: bytes } }, [b.nums.buffer as ArrayBuffer, b.argsAt.buffer as ArrayBuffer, bytes.buffer as ArrayBuffer]);
}, readsArgs);

port.on('message', (m: ToTokenizer) => {
  try {
    if (m.type === 'chunk') {
      batcher.push(decoder.write(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength)));
      send({ type: 'consumed', lines: batcher.lines });
    } else {
      batcher.push(decoder.end());
      batcher.end();
      send({ type: 'done', lines: batcher.lines, dialect: batcher.dialect });
    }
  } catch (e) {
    send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
});
