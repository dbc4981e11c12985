// Messages between the importing thread and the line reader thread (lines-worker.ts). The importing
// thread sends each big log file's bytes as it reads them; the reader thread answers each chunk with the
// lines it read (tokenized, for the fault path) and the line blocks it packed (for storage).
import { Buffer } from 'node:buffer';
import { batchBuffers } from '../core/ingest/lines/tokenized';
import type { Produced, ProducedEnd, TextFileSpec } from './line-producer';

export type WorkerRequest =
  | { readonly type: 'open'; readonly seq: number; readonly spec: TextFileSpec }
  | { readonly type: 'bytes'; readonly seq: number; readonly fileId: number; readonly bytes: Uint8Array }
  | { readonly type: 'end'; readonly seq: number; readonly fileId: number };

/** What a request sends, without the sequence number the client adds. */
export type WorkerCommand = WorkerRequest extends infer R ? (R extends { seq: number } ? Omit<R, 'seq'> : never) : never;

export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly seq: number; readonly produced: WireProduced | null }
  | { readonly type: 'error'; readonly message: string };

/**
 * A reply's payload as it crosses threads: the typed arrays are moved, and an ASCII batch's texts go as
 * their bytes (moved too) instead of a string, which the structured clone would copy twice.
 */
export interface WireProduced {
  readonly produced: Produced | ProducedEnd;
  /** For each batch, its texts as bytes when it is ASCII (its `texts` is then empty), else null. */
  readonly asciiTexts: readonly (Uint8Array | null)[];
}

export function toWire(p: Produced | ProducedEnd): { wire: WireProduced; transfer: ArrayBuffer[] } {
  const asciiTexts = p.batches.map((b) => (b.ascii ? new Uint8Array(Buffer.from(b.texts, 'latin1')) : null));
  const batches = p.batches.map((b) => (b.ascii ? { ...b, texts: '' } : b));
  const transfer = [
    ...batches.flatMap(batchBuffers),
    ...p.blocks.flatMap((b) => [b.meta.buffer as ArrayBuffer, b.text.buffer as ArrayBuffer]),
    ...asciiTexts.flatMap((t) => (t === null ? [] : [t.buffer as ArrayBuffer])),
  ];
  return { wire: { produced: { ...p, batches }, asciiTexts }, transfer };
}

export function fromWire(w: WireProduced): Produced | ProducedEnd {
  const batches = w.produced.batches.map((b, i) => {
    const bytes = w.asciiTexts[i];
    return bytes ? { ...b, texts: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1') } : b;
  });
  return { ...w.produced, batches };
}
