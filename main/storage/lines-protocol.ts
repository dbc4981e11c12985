// Messages between the importing thread and the line reader thread (lines-worker.ts). The importing
// thread sends pieces of each big log file as it reads them (storage/lines.ts LogLineSource); the reader
// thread answers each piece with the lines it read (tokenized, for the fault path) and the line blocks it
// packed, which the importing thread numbers in the file and sends back to be stored (`store`).
import { tokenBuffers } from '../core/ingest/lines/tokenized';
import type { PieceSpec, Produced, ProducedEnd, ProducedPiece, TextFileSpec } from './line-producer';

export type WorkerRequest =
  | { readonly type: 'open'; readonly seq: number; readonly spec: TextFileSpec }
  | { readonly type: 'piece'; readonly seq: number; readonly fileId: number; readonly bytes: Uint8Array; readonly spec: PieceSpec }
  | { readonly type: 'close'; readonly seq: number; readonly fileId: number }
  | { readonly type: 'store'; readonly seq: number; readonly rows: readonly StoreRow[] };

/** A line block to insert, under its final id (storage/lines-sql.ts lineId). */
export interface StoreRow {
  readonly id: number;
  readonly count: number;
  readonly meta: Uint8Array;
  readonly text: Uint8Array;
}

/** Where the thread stores blocks: the database file, opened by the thread on its first `store`. */
export interface LineWorkerData {
  readonly path: string;
  readonly nativeBinding?: string | undefined;
}

/** What a request sends, without the sequence number the client adds. */
export type WorkerCommand = WorkerRequest extends infer R ? (R extends { seq: number } ? Omit<R, 'seq'> : never) : never;

export type WorkerReply =
  | { readonly type: 'ready' }
  | {
      readonly type: 'done';
      readonly seq: number;
      readonly produced: Produced | ProducedEnd | ProducedPiece | null;
      /** A piece's bytes, sent back when it must be read again (ProducedPiece.needsBefore). */
      readonly bytes?: Uint8Array;
    }
  | { readonly type: 'error'; readonly message: string };

/** The arrays of a reply, moved to the importing thread instead of copied. */
export function transfers(p: Produced | ProducedEnd): ArrayBuffer[] {
  return p.packs.flatMap((pack) => [...tokenBuffers(pack.tokens), ...pack.blocks.flatMap((b) => [b.meta.buffer as ArrayBuffer, b.text.buffer as ArrayBuffer])]);
}
