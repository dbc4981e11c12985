// One positioned read of an open file on the thread pool (fs.read), as a promise of the bytes read: the
// walk's reads (sources.ts), the fingerprint's blocks (fingerprint.ts) and a trace.dat read into memory
// (spool.ts) share it.
import { read } from 'node:fs';

/** Reads up to `length` bytes at `position` of `fd` into `buffer` from `offset`: the bytes read (0 at the end). */
export function readAsync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => read(fd, buffer, offset, length, position, (e, n) => (e ? reject(e) : resolve(n))));
}
