// The trace.dat reader thread: reads a trace.dat's records in time order and packs them a storage chunk at
// a time (core/ingest/tracedat/producer.ts), while the importing thread assembles and stores the batches
// before (trace-dat.ts). Started by trace-dat-parallel.ts; the protocol is there.
import { closeSync, openSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { CHUNK_EVENTS } from '../../../core/ingest/ftrace/chunk';
import type { ByteSource } from '../../../core/ingest/tracedat/file';
import { TraceDatProducer, type PackedBatch } from '../../../core/ingest/tracedat/producer';
import { TraceDatReader } from '../../../core/ingest/tracedat/reader';
import { decompress } from './trace-dat-codecs';
import { readAt } from '../spool';
import { MAX_IN_FLIGHT, type FromReader, type ToReader } from './trace-dat-parallel';

const port = parentPort;
if (port === null) throw new Error('trace-dat-worker must run in a worker thread');

const send = (m: FromReader, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

let inFlight = 0;
let acked: (() => void) | null = null;

/** The file by the walk's descriptor (the importing thread's, left open), else opened here by its path. */
function fileSource(path: string, shared: number | null, size: number): ByteSource & { close(): void } {
  if (shared !== null) return { size, read: readAt(shared, size), close: () => undefined };
  const fd = openSync(path, 'r');
  return { size, read: readAt(fd, size), close: () => closeSync(fd) };
}

async function run(m: Extract<ToReader, { type: 'open' }>): Promise<void> {
  const src = m.bytes !== null ? { size: m.bytes.length, read: (o: number, n: number) => m.bytes!.subarray(o, Math.min(o + n, m.bytes!.length)), close: () => undefined } : fileSource(m.path!, m.fd, m.size);
  try {
    const opened = TraceDatReader.open(src, decompress);
    if (!opened.ok) throw new Error(opened.error);
    const stream = opened.value.stream();
    if (!stream.ok) throw new Error(stream.error);
    const producer = new TraceDatProducer(opened.value, stream.value, (b: PackedBatch) => {
      inFlight++;
      const u = b.chunk.unpacked;
      send({ type: 'batch', batch: b }, [u.ts.buffer, u.ints.buffer, b.chunk.raw.buffer, b.kvm.buffer] as ArrayBuffer[]);
    });
    for (let more = true; more; ) {
      more = producer.pump(CHUNK_EVENTS);
      while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (acked = resolve));
    }
    send({ type: 'done', report: producer.finish() });
  } finally {
    src.close();
  }
}

port.on('message', (m: ToReader) => {
  if (m.type === 'ack') {
    inFlight--;
    const wake = acked;
    acked = null;
    wake?.();
    return;
  }
  run(m).catch((e: unknown) => send({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
});
send({ type: 'ready' });
