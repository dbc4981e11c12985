// Messages between the importing thread and the line writer thread (lines-worker.ts). The importing
// thread sends each log file's decoded text as it reads it; the writer thread splits, tokenizes, packs and
// stores the lines (line-text-store.ts).
import type { TextFileSpec } from './line-text-store';

export type WorkerRequest =
  | { readonly type: 'open'; readonly seq: number; readonly spec: TextFileSpec }
  | { readonly type: 'text'; readonly seq: number; readonly fileId: number; readonly text: string }
  | { readonly type: 'end'; readonly seq: number; readonly fileId: number }
  | { readonly type: 'close' };

/** What a request sends, without the sequence number the client adds. */
export type WorkerCommand = WorkerRequest extends infer R ? (R extends { seq: number } ? Omit<R, 'seq'> : never) : never;

export type WorkerReply =
  | { readonly type: 'ready' }
  /** `lines`: for `end`, the number of lines the file had. */
  | { readonly type: 'ack'; readonly seq: number; readonly lines?: number }
  | { readonly type: 'closed' }
  | { readonly type: 'error'; readonly message: string };
