// A zip archive without its central directory (a support bundle whose upload or copy was cut short: the
// directory is the archive's last part), read entry by entry from the local file headers that precede
// each entry's data. yauzl, which reads whole archives, refuses these by design: the directory is the
// authority on what an archive holds. Here it is gone, and the local headers are all there is.
//
// The format is PKWARE's APPNOTE.TXT (6.3.10): the local file header (§4.3.7), general purpose flags
// (§4.4.4), compression methods (§4.4.5: 0 stored, 8 deflated), DOS date and time (§4.4.6), the data
// descriptor after the data when bit 3 is set (§4.3.9), the ZIP64 extended information extra field
// (§4.5.3) and the central directory header that follows the last entry (§4.3.12).
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';

const LOCAL_HEADER = 0x04034b50;
const LOCAL_HEADER_SIZE = 30;
const DATA_DESCRIPTOR = 0x08074b50;
const ZIP64_EXTRA = 0x0001;
const STORED = 0;
const DEFLATED = 8;
const FLAG_ENCRYPTED = 0x1;
const FLAG_DESCRIPTOR = 0x8;
const FLAG_UTF8 = 0x800;

export interface SalvagedEntry {
  /** The name as stored: UTF-8 when flag bit 11 says so, else CP437 read as Latin-1 (as for yauzl's entries). */
  readonly name: string;
  /** Where its local header starts in the file (what the directory's entry points to, §4.3.12). */
  readonly headerAt: number;
  /** Compressed size, when the local header gives it (not for entries with a data descriptor). */
  readonly compressedSize: number | null;
  readonly uncompressedSize: number | null;
  readonly mtimeMs: number;
  /** The entry's uncompressed bytes; an archive cut inside them ends with an error. Call at most once. */
  data(): AsyncIterable<Buffer>;
  /** The stored (compressed) bytes data() has taken so far: with what it gave, the expansion ratio. */
  storedRead(): number;
  /** Why the entry cannot be read (encrypted, an unknown method): skipped, its data is not offered. */
  readonly skipped: string | null;
}

/** Why the salvage stopped before the archive's end (null: it reached the central directory or the file's end). */
export interface SalvageEnd {
  stoppedAt: string | null;
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const b = Buffer.alloc(length);
  const { bytesRead } = await fh.read(b, 0, length, position);
  return b.subarray(0, bytesRead);
}

/** File names longer than this, or with control characters, are not a header's: the bytes are not an entry. */
const MAX_NAME = 4096;
const SCAN_WINDOW = 1024 * 1024;

/**
 * Where a stored entry with a data descriptor ends (§4.3.9: its size follows its data): at the first
 * descriptor signature whose compressed size field, 4 or 8 bytes (ZIP64), is the distance from the data's
 * start. Null when there is none before the file's end.
 */
async function storedEnd(fh: FileHandle, start: number, fileSize: number): Promise<number | null> {
  const sig = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
  for (let from = start; from < fileSize; from += SCAN_WINDOW) {
    // A window and the 20 bytes a descriptor after its last signature needs.
    const w = await readAt(fh, from, SCAN_WINDOW + 20);
    for (let i = w.indexOf(sig); i !== -1 && i < SCAN_WINDOW; i = w.indexOf(sig, i + 1)) {
      const size = from + i - start;
      if (i + 12 <= w.length && w.readUInt32LE(i + 8) === size) return size;
      if (i + 16 <= w.length && Number(w.readBigUInt64LE(i + 8)) === size) return size;
    }
  }
  return null;
}

/** DOS date and time (§4.4.6), in local time as the archivers write it. */
function dosTime(date: number, time: number): number {
  return new Date(1980 + (date >> 9), ((date >> 5) & 0xf) - 1, date & 0x1f, time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2).getTime();
}

/** The sizes of a ZIP64 extra field (§4.5.3): each present only where the header's field is 0xFFFFFFFF, in this order. */
function zip64Sizes(extra: Buffer, usize: number, csize: number): { usize: number; csize: number } {
  for (let o = 0; o + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(o);
    const len = extra.readUInt16LE(o + 2);
    if (id === ZIP64_EXTRA) {
      let p = o + 4;
      const end = Math.min(p + len, extra.length);
      if (usize === 0xffffffff && p + 8 <= end) {
        usize = Number(extra.readBigUInt64LE(p));
        p += 8;
      }
      if (csize === 0xffffffff && p + 8 <= end) csize = Number(extra.readBigUInt64LE(p));
      break;
    }
    o += 4 + len;
  }
  return { usize, csize };
}

/**
 * The entries of the zip archive at `path`, read from their local headers from the start of the file, until
 * the central directory, the file's end, or what cannot be read on (`end.stoppedAt` says what). An entry's
 * data must be read or left alone before the next entry is asked for; entries left alone are skipped here.
 */
export async function* salvageZip(path: string, end: SalvageEnd): AsyncGenerator<SalvagedEntry> {
  const fh = await open(path, 'r');
  try {
    const fileSize = (await fh.stat()).size;
    let pos = 0;
    for (;;) {
      const h = await readAt(fh, pos, LOCAL_HEADER_SIZE);
      if (h.length < 4) return;
      // Anything else than a local header after the entries: the central directory (§4.3.12), or the end.
      if (h.readUInt32LE(0) !== LOCAL_HEADER) return;
      if (h.length < LOCAL_HEADER_SIZE) {
        end.stoppedAt = `the archive ends inside the header of its entry at byte ${pos}`;
        return;
      }
      const flags = h.readUInt16LE(6);
      const method = h.readUInt16LE(8);
      const nameLen = h.readUInt16LE(26);
      const extraLen = h.readUInt16LE(28);
      const meta = await readAt(fh, pos + LOCAL_HEADER_SIZE, nameLen + extraLen);
      if (meta.length < nameLen + extraLen) {
        end.stoppedAt = `the archive ends inside the header of its entry at byte ${pos}`;
        return;
      }
      const rawName = meta.subarray(0, nameLen);
      if (nameLen > MAX_NAME || rawName.some((b) => b < 0x20)) {
        end.stoppedAt = `the bytes at ${pos} are not a zip entry's header`;
        return;
      }
      const name = (flags & FLAG_UTF8) !== 0 ? rawName.toString('utf8') : rawName.toString('latin1');
      const sizes = zip64Sizes(meta.subarray(nameLen), h.readUInt32LE(22), h.readUInt32LE(18));
      const start = pos + LOCAL_HEADER_SIZE + nameLen + extraLen;
      // With a data descriptor the header's sizes are zero (§4.4.4 bit 3): a deflated entry's end is where
      // its deflate stream ends, a stored one's at the descriptor that gives its length (storedEnd).
      const descriptor = (flags & FLAG_DESCRIPTOR) !== 0;
      let csize = descriptor && sizes.csize === 0 ? null : sizes.csize;
      const skipped = (flags & FLAG_ENCRYPTED) !== 0 ? 'encrypted' : method !== STORED && method !== DEFLATED ? `compression method ${method}, not read` : null;
      if (skipped === null && csize === null && method === STORED) csize = await storedEnd(fh, start, fileSize);
      if (csize === null && (skipped !== null || method === STORED)) {
        // Where its data ends is not known: nothing after it can be found.
        end.stoppedAt = `${name} (${skipped ?? 'stored'}) gives its size only after its data, which was not found`;
        return;
      }
      let consumed: number | null = csize;
      let used = false;
      let taken = 0;
      const data = async function* (): AsyncGenerator<Buffer> {
        used = true;
        if (csize === 0) return;
        const source = createReadStream(path, csize === null ? { start } : { start, end: start + csize - 1 });
        if (method === STORED) {
          let n = 0;
          for await (const chunk of source) {
            n += (chunk as Buffer).length;
            taken = n;
            yield chunk as Buffer;
          }
          if (n < csize!) throw new Error('unexpected end of file');
          return;
        }
        const inflate = createInflateRaw();
        source.on('error', (e) => inflate.destroy(e));
        source.pipe(inflate);
        try {
          for await (const chunk of inflate) {
            taken = inflate.bytesWritten;
            yield chunk as Buffer;
          }
          // The compressed bytes the deflate stream took (trailing bytes are left unread by zlib).
          consumed = inflate.bytesWritten;
        } finally {
          source.destroy();
        }
      };
      yield {
        name,
        headerAt: pos,
        compressedSize: csize,
        uncompressedSize: descriptor && sizes.usize === 0 ? null : sizes.usize,
        mtimeMs: dosTime(h.readUInt16LE(12), h.readUInt16LE(10)),
        data,
        storedRead: () => taken,
        skipped,
      };
      if (!used && csize === null) for await (const _ of data()) void _;
      if (consumed === null) return;
      pos = start + consumed;
      if (descriptor) {
        // crc-32, compressed and uncompressed size, 4 or 8 bytes each (ZIP64), after an optional signature.
        const d = await readAt(fh, pos, 4);
        if (d.length === 4 && d.readUInt32LE(0) === DATA_DESCRIPTOR) pos += 4;
        pos += 12;
        // A ZIP64 descriptor's sizes are 8 bytes: the next header is 8 bytes further.
        const next = await readAt(fh, pos, 4);
        if (next.length === 4 && next.readUInt32LE(0) !== LOCAL_HEADER) {
          const wide = await readAt(fh, pos + 8, 4);
          if (wide.length === 4 && wide.readUInt32LE(0) === LOCAL_HEADER) pos += 8;
        }
      }
    }
  } finally {
    await fh.close();
  }
}
