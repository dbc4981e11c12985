// Messages between the importing thread and the line reader thread (lines-worker.ts). The importing
// thread sends each big log file's bytes as it reads them; the reader thread answers each chunk with the
// lines it read (tokenized, for the fault path) and the line blocks it packed (for storage).
import { tokenBuffers } from '../core/ingest/lines/tokenized';
import type { Produced, ProducedEnd, TextFileSpec } from './line-producer';

export type WorkerRequest =
  | { readonly type: 'open'; readonly seq: number; readonly spec: TextFileSpec }
  | { readonly type: 'bytes'; readonly seq: number; readonly fileId: number; readonly bytes: Uint8Array }
  | { readonly type: 'end'; readonly seq: number; readonly fileId: number };

/** What a request sends, without the sequence number the client adds. */
export type WorkerCommand = WorkerRequest extends infer R ? (R extends { seq: number } ? Omit<R, 'seq'> : never) : never;

export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly seq: number; readonly produced: Produced | ProducedEnd | null }
  | { readonly type: 'error'; readonly message: string };

/** The arrays of a reply, moved to the importing thread instead of copied. */
export function transfers(p: Produced | ProducedEnd): ArrayBuffer[] {
  return p.packs.flatMap((pack) => [...tokenBuffers(pack.tokens), ...pack.blocks.flatMap((b) => [b.meta.buffer as ArrayBuffer, b.text.buffer as ArrayBuffer])]);
}
