// Messages between the importing thread and the line writer thread (lines-worker.ts).

/** A batch of one file's lines: numeric columns as typed arrays (transferred, not copied), null as -1. */
export interface LineBatch {
  readonly seq: number;
  readonly fileId: number;
  readonly count: number;
  readonly lineNo: Int32Array;
  readonly ts: BigInt64Array;
  /** 1 where the line has no time. */
  readonly tsNull: Uint8Array;
  readonly cpu: Int32Array;
  readonly pid: Int32Array;
  readonly level: Int8Array;
  /** Every text, one after the other; `textLength` says where each ends (texts may hold any character). */
  readonly texts: string;
  readonly textLength: Int32Array;
}

export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'ack'; readonly seq: number; readonly count: number }
  | { readonly type: 'closed' }
  | { readonly type: 'error'; readonly message: string };
