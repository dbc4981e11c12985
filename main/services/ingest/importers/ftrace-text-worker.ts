// The ftrace text tokenizer thread: receives a text trace's bytes (or reads them from its file on disk, by
// the descriptor the walk opened), decodes and tokenizes them (TextBatcher) and sends the events back in
// batches, one per storage chunk, while the importing thread assembles the previous ones. Started by
// ftrace-text-parallel.ts; the protocol is there.
import { parentPort } from 'node:worker_threads';
import { StringDecoder } from 'node:string_decoder';
import { readSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import { TextBatcher, type ParsedBatch } from '../../../core/ingest/ftrace/text-batches';
import { readsArgs } from '../../../core/ingest/ftrace/assembler';
import type { ToTokenizer, FromTokenizer } from './ftrace-text-parallel';

const port = parentPort;
if (port === null) throw new Error('ftrace-text-worker must run in a worker thread');

const send = (m: FromTokenizer, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
const decoder = new StringDecoder('utf8');

// While every byte so far is ASCII (the common case), a character offset is a byte offset: the input is
// read as latin1 (a copy, where UTF-8 decoding inspects every byte), event lines are scanned from the
// bytes, and each batch's text is the bytes as read, not a string encoded again. From the first other byte
// on, the decoder and the tokenizer's text.
let ascii = true;
// Chunks are decoded in pieces of at most 64 KiB: a string of 128 KiB or more is allocated in V8's
// large-object space, which measured ~6x the cost of the copy (core/ingest/lines/line-splitter.ts).
const PIECE = 64 * 1024;
let offset = 0;
const kept: { start: number; bytes: Buffer }[] = [];

function bytesOf(start: number, end: number): Uint8Array | null {
  if (!ascii) return null;
  const parts: Buffer[] = [];
  for (const k of kept) {
    const a = Math.max(start, k.start);
    const b = Math.min(end, k.start + k.bytes.length);
    if (a < b) parts.push(k.bytes.subarray(a - k.start, b - k.start));
  }
  // A copy of its own: it is transferred to the importing thread.
  const out = new Uint8Array(end - start);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  // Pieces wholly before the batch's end are not needed again (the tokenizer releases its text the same way).
  while (kept.length > 1 && kept[0]!.start + kept[0]!.bytes.length <= end) kept.shift();
  return out;
}

const batcher = new TextBatcher(
  (b: ParsedBatch) => {
    // The text crosses as UTF-8 bytes (what storage compresses): moving them costs less than copying a string.
    let bytes: Uint8Array;
    if (typeof b.text !== 'string') bytes = b.text;
    else {
      const text = Buffer.from(b.text, 'utf8');
      bytes = text.byteOffset === 0 && text.buffer.byteLength === text.byteLength ? new Uint8Array(text.buffer) : new Uint8Array(text);
    }
    send({ type: 'batch', batch: { ...b, text: bytes } }, [b.nums.buffer as ArrayBuffer, b.argsAt.buffer as ArrayBuffer, bytes.buffer as ArrayBuffer]);
  },
  readsArgs,
  bytesOf,
);

/** Tokenizes the next bytes of the input. */
function take(chunk: Buffer): void {
  if (ascii && !isAscii(chunk)) {
    ascii = false;
    kept.length = 0;
  }
  for (let at = 0; at < chunk.length; at += PIECE) {
    const bytes = chunk.subarray(at, Math.min(chunk.length, at + PIECE));
    if (ascii) {
      kept.push({ start: offset, bytes });
      offset += bytes.length;
      batcher.push(bytes.toString('latin1'), bytes);
      const settled = batcher.settled;
      while (kept.length > 1 && kept[0]!.start + kept[0]!.bytes.length <= settled) kept.shift();
    } else {
      batcher.push(decoder.write(bytes));
    }
  }
}

function end(): void {
  batcher.push(decoder.end());
  batcher.end();
  send({ type: 'done', lines: batcher.lines, dialect: batcher.dialect, inputs: batcher.inputs });
}

// A file on disk is read here, FILE_CHUNK at a time, while the importing thread has granted reads (`credit`,
// one more per `more`): it does not wait for the importing thread to read, copy and send each chunk.
const FILE_CHUNK = 1024 * 1024;
// The descriptor is the walk's (sources.ts DiskFile.fd), shared with it: read at explicit positions, never
// closed here.
let file: { fd: number; path: string; at: number } | null = null;
let credit = 0;

function pump(): void {
  while (file !== null && credit > 0) {
    // A buffer of its own per read: the tokenizer keeps views of the bytes until their events are sent.
    const buffer = Buffer.allocUnsafeSlow(FILE_CHUNK);
    let n: number;
    try {
      n = readSync(file.fd, buffer, 0, FILE_CHUNK, file.at);
    } catch (e) {
      throw new Error(`reading ${file.path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    if (n === 0) {
      file = null;
      end();
      return;
    }
    file.at += n;
    take(buffer.subarray(0, n));
    credit--;
    send({ type: 'consumed', lines: batcher.lines, bytes: n });
  }
}

port.on('message', (m: ToTokenizer) => {
  try {
    switch (m.type) {
      case 'chunk':
        take(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
        send({ type: 'consumed', lines: batcher.lines, bytes: m.bytes.byteLength });
        return;
      case 'end':
        end();
        return;
      case 'file':
        file = { fd: m.fd, path: m.path, at: 0 };
        credit = m.credit;
        pump();
        return;
      case 'more':
        credit++;
        pump();
        return;
    }
  } catch (e) {
    file = null;
    send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
});
send({ type: 'ready' });
