// An input's whole content as a random-access source, for the formats whose readers need one (trace.dat,
// binary journal files), which a stream from an archive does not give: held in memory up to SPOOL_THRESHOLD
// (or up to IN_MEMORY_MAX when its size is announced) and spooled to a temporary file beyond, so memory stays
// bounded whatever the size.
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ByteSource } from '../../core/ingest/tracedat/file';
import type { ImportContext, ImportInput } from './importer';
import type { DiskFile } from './source-items';
import { readAsync } from './read-at';

const SPOOL_THRESHOLD = 16 * 1024 * 1024;
/**
 * An input of known size up to this is read into one buffer of that size: writing a temporary file and
 * reading it back cost the importing thread ~0.2 s per 58 MB (the bench's 2M events), more than the copy.
 */
const IN_MEMORY_MAX = 64 * 1024 * 1024;

export interface Spooled extends ByteSource {
  /** Whether the bytes are in a file (else in memory). */
  readonly onDisk: boolean;
  /** The file the bytes are in (a temporary one, until close, or the input's own), or null when they are in memory. */
  readonly path: string | null;
  /**
   * The walk's descriptor of the input's own file, when the bytes are read there (sources.ts DiskFile.fd):
   * a reader on another thread reads by it, for the path may name another file by now (a log rotated).
   * Open until the importer is done; never closed by the reader.
   */
  readonly fd: number | null;
  /** The bytes in memory (null on disk): a reader on another thread may take a copy or the buffer. */
  readonly bytes: Uint8Array | null;
  close(): void;
}

/** Where spool() keeps an input: tests lower these to take the temporary-file path with small inputs. */
export const spoolLimits = { spoolAt: SPOOL_THRESHOLD, inMemoryMax: IN_MEMORY_MAX };

/**
 * The whole input as a random-access source: in memory when small or of a known size up to IN_MEMORY_MAX,
 * else a temporary file (or the input's own file, when it is one on disk).
 */
export async function spool(input: ImportInput, ctx: Pick<ImportContext, 'signal' | 'progress'>, limits = spoolLimits): Promise<Spooled> {
  if (input.disk !== undefined) return fromDisk(input.disk, ctx, limits);
  const parts: Buffer[] = [];
  // The input's bytes in one buffer of its announced size (null: kept in parts, then a file).
  let whole: Uint8Array | null = input.size !== null && input.size <= limits.inMemoryMax ? new Uint8Array(input.size) : null;
  let size = 0;
  let fd: number | null = null;
  let dir: string | null = null;
  for await (const chunk of input.chunks()) {
    ctx.signal.throwIfAborted();
    // Beyond the threshold, or beyond the announced size (the file grew): a temporary file.
    if (fd === null && size + chunk.length > (whole === null ? limits.spoolAt : whole.length)) {
      dir = mkdtempSync(join(tmpdir(), 'faultline-spool-'));
      fd = openSync(join(dir, 'trace.dat'), 'w+');
      if (whole !== null) writeSync(fd, whole.subarray(0, size));
      for (const p of parts) writeSync(fd, p);
      whole = null;
      parts.length = 0;
    }
    if (fd !== null) writeSync(fd, chunk);
    else if (whole !== null) whole.set(chunk, size);
    else parts.push(chunk);
    size += chunk.length;
    ctx.progress(size, 0);
  }
  if (fd === null) {
    let bytes: Uint8Array;
    if (whole !== null) bytes = whole.subarray(0, size);
    else {
      const all = Buffer.concat(parts, size);
      bytes = new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
    }
    return inMemory(bytes);
  }
  const file = fd;
  return {
    size,
    onDisk: true,
    path: join(dir!, 'trace.dat'),
    fd: null,
    bytes: null,
    read: readAt(file, size),
    close() {
      closeSync(file);
      if (dir !== null) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * An input that is a file on disk, unchanged: read into memory in one read on the thread pool (streaming it
 * cost the importing thread ~0.1 s per 58 MB in chunks and copies), or beyond IN_MEMORY_MAX read where it
 * is, without a copy.
 */
async function fromDisk(disk: DiskFile, ctx: Pick<ImportContext, 'signal' | 'progress'>, limits: typeof spoolLimits): Promise<Spooled> {
  await disk.claim();
  // The walk's descriptor: the file sniffed, whatever the path names now. A small file has none (the walk
  // read it at once) and is opened here.
  const shared = disk.fd;
  const fd = shared ?? openSync(disk.path, 'r');
  const release = (): void => {
    if (shared === null) closeSync(fd);
  };
  const size = fstatSync(fd).size;
  if (size > limits.inMemoryMax) {
    ctx.progress(size, 0);
    // The file is the input's own: closing leaves it where it is.
    return { size, onDisk: true, path: disk.path, fd: shared, bytes: null, read: readAt(fd, size), close: release };
  }
  try {
    const whole = new Uint8Array(size);
    let n = 0;
    while (n < size) {
      ctx.signal.throwIfAborted();
      const bytesRead = await readAsync(fd, whole, n, size - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    ctx.progress(n, 0);
    return inMemory(whole.subarray(0, n));
  } finally {
    release();
  }
}

/** Bytes in memory as a spooled input. */
function inMemory(bytes: Uint8Array): Spooled {
  const size = bytes.length;
  return { size, onDisk: false, path: null, fd: null, bytes, read: (o, n) => bytes.subarray(o, Math.min(o + n, size)), close: () => undefined };
}

/** Reads `n` bytes at `o` of an open file of `size` bytes (fewer at its end), into a buffer of their own. */
export function readAt(fd: number, size: number): (o: number, n: number) => Uint8Array {
  return (o, n) => {
    const len = Math.max(0, Math.min(n, size - o));
    const b = new Uint8Array(len);
    readSync(fd, b, 0, len, o);
    return b;
  };
}
