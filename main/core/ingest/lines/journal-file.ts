// systemd's journal files (`/var/log/journal/<machine-id>/system.journal`), read into the Journal JSON
// Format's lines (journal-json.ts reads those), one entry a line, in the order they were written. A host
// without rsyslog (Debian 12 and later, most container hosts) keeps its kernel log only there, so a tarball
// of its /var/log holds no text log at all.
//
// The layout (https://systemd.io/JOURNAL_FILE_FORMAT/, systemd src/libsystemd/sd-journal/journal-def.h):
//   - a header: signature "LPKSHHRH", compatible and incompatible flags (le32 at 8 and 12), header_size
//     (le64 at 88), tail_object_offset (le64 at 136), n_entries (le64 at 152);
//   - then objects back to back, each 8-byte aligned: type (u8), flags (u8), 6 reserved bytes, size (le64,
//     the header included); types 1 DATA, 2 FIELD, 3 ENTRY, 4 DATA_HASH_TABLE, 5 FIELD_HASH_TABLE,
//     6 ENTRY_ARRAY, 7 TAG;
//   - an ENTRY: seqnum, realtime and monotonic (µs), boot id (at 40), xor hash, then its items: the offsets of its
//     DATA objects (le32 each in COMPACT files, else le64 offset and le64 hash);
//   - a DATA: hash, next hash, next field, entry, entry array and entry count (le64 each), in COMPACT files
//     two le32 more, then the payload `NAME=value`; compressed (object flag 1 XZ, 2 LZ4, 4 ZSTD) when big.
// The entries are read in file order (the order journald appended them, seqnum order) by walking every
// object from the header to the tail object, as `journalctl --verify` does; the hash tables are not needed.

import { JOURNAL_JSON_FIELDS } from './journal-json';

export const JOURNAL_FILE_SIGNATURE = [0x4c, 0x50, 0x4b, 0x53, 0x48, 0x48, 0x52, 0x48]; // "LPKSHHRH"

// journal-def.h: incompatible header flags, object types and object flags.
const INCOMPATIBLE_COMPACT = 1 << 4;
const OBJECT_DATA = 1;
const OBJECT_ENTRY = 3;
const OBJECT_COMPRESSED_XZ = 1;
const OBJECT_COMPRESSED_LZ4 = 2;
const OBJECT_COMPRESSED_ZSTD = 4;
const OBJECT_HEADER = 16;
const ENTRY_ITEMS_AT = 64;
/** Objects larger than this are taken for damage (journald's own field limit is 64 MiB). */
const MAX_OBJECT = 128 * 1024 * 1024;
/** Entries per batch of JSON lines handed on. */
const BATCH_ENTRIES = 2048;

export interface JournalFileSource {
  readonly size: number;
  read(offset: number, length: number): Uint8Array;
}

/** Decompresses a DATA payload ('zstd', 'xz', 'lz4'); null when the codec is not available. */
export type JournalDecompress = (algorithm: 'zstd' | 'xz' | 'lz4', data: Uint8Array) => Uint8Array | null;

/** Where a journal file stops being readable. */
export class JournalFileError extends Error {
  constructor(
    readonly entry: number,
    readonly offset: number,
    reason: string,
  ) {
    super(`journal file entry ${entry} (byte ${offset}): ${reason}`);
    this.name = 'JournalFileError';
  }
}

export function detectJournalFile(head: Uint8Array): boolean {
  return head.length >= 8 && JOURNAL_FILE_SIGNATURE.every((b, i) => head[i] === b);
}

export interface JournalFileStats {
  entries: number;
  /** Compressed fields not read: their codec is not available here (LZ4, XZ), or their bytes are damaged. */
  fieldsSkipped: number;
}

/** Little-endian integers from bytes (offsets and sizes below 2^53). */
const u32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + b[at + 3]! * 0x1000000;
const u64 = (b: Uint8Array, at: number): number => u32(b, at) + u32(b, at + 4) * 2 ** 32;

/** Bytes of the file through a window of WINDOW bytes: one read serves the objects near each other. */
const WINDOW = 1024 * 1024;
/**
 * DATA objects whose field is remembered by offset (the host, identifier and priority recur in every entry;
 * journald stores a repeated message once), up to so many, and so many characters of values in all (a
 * field may hold megabytes).
 */
const DATA_KEPT = 65_536;
const DATA_KEPT_CHARS = 8 * 1024 * 1024;

class Bytes {
  private start = 0;
  private bytes: Uint8Array = new Uint8Array(0);

  constructor(private readonly src: JournalFileSource) {}

  get size(): number {
    return this.src.size;
  }

  /** `length` bytes at `offset` (fewer past the end): a view, valid until the next call. */
  at(offset: number, length: number): Uint8Array {
    if (offset < this.start || offset + length > this.start + this.bytes.length) {
      this.start = offset;
      this.bytes = this.src.read(offset, Math.min(Math.max(length, WINDOW), this.src.size - offset));
    }
    return this.bytes.subarray(offset - this.start, offset - this.start + length);
  }
}

/**
 * The entries of a journal file as JSON lines, a batch at a time (each ends with a newline). Throws
 * JournalFileError where the file stops being readable, after the batches before it.
 */
export function* readJournalFile(src: JournalFileSource, decompress: JournalDecompress, stats: JournalFileStats): Generator<string> {
  if (src.size < 160) throw new JournalFileError(1, 0, 'shorter than a journal file header');
  const file = new Bytes(src);
  const header = file.at(0, 160).slice();
  if (!detectJournalFile(header)) throw new JournalFileError(1, 0, 'no journal file signature');
  const compact = (u32(header, 12) & INCOMPATIBLE_COMPACT) !== 0;
  const headerSize = u64(header, 88);
  const tail = Math.min(u64(header, 136), src.size - OBJECT_HEADER);
  const itemSize = compact ? 4 : 16;
  const data = new DataReader(file, compact ? 72 : 64, decompress, stats);
  // Each boot has a monotonic clock of its own: the entries of a file that spans boots go on the realtime
  // clock, so that two boots' entries are not placed on one axis (nor taken for copies of each other).
  const oneBoot = sameBoot(file, headerSize, tail, header.subarray(56, 72));
  let out = '';
  let inBatch = 0;
  let failure: JournalFileError | null = null;
  try {
    for (let at = headerSize; at > 0 && at <= tail; ) {
      if (at % 8 !== 0) throw new JournalFileError(stats.entries + 1, at, 'an object not 8-byte aligned');
      const oh = file.at(at, OBJECT_HEADER);
      const type = oh[0]!;
      const size = u64(oh, 8);
      if (size < OBJECT_HEADER || size > MAX_OBJECT || at + size > src.size) {
        // A file being written when it was copied ends in objects not written yet: zeros from here on.
        if (type === 0 && size === 0) break;
        throw new JournalFileError(stats.entries + 1, at, `an object of ${size} bytes`);
      }
      if (type === OBJECT_ENTRY && size >= ENTRY_ITEMS_AT) {
        // The items are copied: reading their DATA objects moves the window.
        const entry = file.at(at, size).slice();
        const fields: Record<string, string> = { __REALTIME_TIMESTAMP: String(u64(entry, 24)) };
        if (oneBoot) fields.__MONOTONIC_TIMESTAMP = String(u64(entry, 32));
        for (let i = ENTRY_ITEMS_AT; i + itemSize <= size; i += itemSize) {
          const field = data.field(compact ? u32(entry, i) : u64(entry, i));
          if (field !== null && !(field[0] in fields) && (oneBoot || field[0] !== '_SOURCE_MONOTONIC_TIMESTAMP')) fields[field[0]] = field[1];
        }
        stats.entries++;
        out += JSON.stringify(fields) + '\n';
        if (++inBatch === BATCH_ENTRIES) {
          yield out;
          out = '';
          inBatch = 0;
        }
      }
      at += Math.ceil(size / 8) * 8;
    }
  } catch (e) {
    if (!(e instanceof JournalFileError)) throw e;
    failure = e;
  }
  // The entries read before the damage go on first.
  if (out !== '') yield out;
  if (failure !== null) throw failure;
}

/**
 * Whether the file's first entry was written in the boot of its last (the header's tail_entry_boot_id, at
 * 56): boots follow each other, so then every entry is of that one boot. An unset tail boot says nothing:
 * taken for one boot.
 */
function sameBoot(file: Bytes, headerSize: number, tail: number, tailBoot: Uint8Array): boolean {
  if (tailBoot.every((b) => b === 0)) return true;
  for (let at = headerSize; at > 0 && at <= tail; ) {
    const oh = file.at(at, OBJECT_HEADER);
    const size = u64(oh, 8);
    if (size < OBJECT_HEADER || at + size > file.size) return true;
    if (oh[0] === OBJECT_ENTRY && size >= ENTRY_ITEMS_AT) {
      const boot = file.at(at + 40, 16);
      return boot.every((b, i) => b === tailBoot[i]);
    }
    at += Math.ceil(size / 8) * 8;
  }
  return true;
}

/** The kept fields of DATA objects, by offset. */
class DataReader {
  private readonly kept = new Map<number, [string, string] | null>();
  private keptChars = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  constructor(
    private readonly file: Bytes,
    private readonly payloadAt: number,
    private readonly decompress: JournalDecompress,
    private readonly stats: JournalFileStats,
  ) {}

  /** The kept field of the DATA object at `at` as [name, value]; null for any other field or a bad offset. */
  field(at: number): [string, string] | null {
    const known = this.kept.get(at);
    if (known !== undefined) return known;
    const field = this.read(at);
    const chars = field === null ? 0 : field[1].length;
    if (this.kept.size >= DATA_KEPT || this.keptChars + chars > DATA_KEPT_CHARS) {
      this.kept.clear();
      this.keptChars = 0;
    }
    this.kept.set(at, field);
    this.keptChars += chars;
    return field;
  }

  /** A payload decompressed; null when the codec is not available here or the bytes are damaged. */
  private decompressed(algorithm: 'zstd' | 'xz' | 'lz4', payload: Uint8Array): Uint8Array | null {
    try {
      return this.decompress(algorithm, payload);
    } catch {
      return null;
    }
  }

  private read(at: number): [string, string] | null {
    const file = this.file;
    if (at <= 0 || at % 8 !== 0 || at + this.payloadAt > file.size) return null;
    const oh = file.at(at, OBJECT_HEADER);
    const size = u64(oh, 8);
    const flags = oh[1]!;
    if (oh[0] !== OBJECT_DATA || size < this.payloadAt || size > MAX_OBJECT || at + size > file.size) return null;
    let payload = file.at(at + this.payloadAt, size - this.payloadAt);
    if (flags !== 0) {
      const algorithm = flags & OBJECT_COMPRESSED_ZSTD ? 'zstd' : flags & OBJECT_COMPRESSED_XZ ? 'xz' : flags & OBJECT_COMPRESSED_LZ4 ? 'lz4' : null;
      const plain = algorithm === null ? null : this.decompressed(algorithm, payload.slice());
      if (plain === null) {
        // Which field it was is inside the compressed bytes: counted whatever it was.
        this.stats.fieldsSkipped++;
        return null;
      }
      payload = plain;
    }
    const eq = payload.subarray(0, 65).indexOf(0x3d);
    if (eq <= 0) return null;
    const name = this.decoder.decode(payload.subarray(0, eq));
    // The entry's own timestamps come from the ENTRY object: names starting with two underscores are
    // journald's metadata, never a DATA field.
    return JOURNAL_JSON_FIELDS.has(name) && !name.startsWith('__') ? [name, this.decoder.decode(payload.subarray(eq + 1))] : null;
  }
}
