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
//   - an ENTRY: seqnum, realtime and monotonic (µs), boot id, xor hash, then its items: the offsets of its
//     DATA objects (le32 each in COMPACT files, else le64 offset and le64 hash);
//   - a DATA: hash, next hash, next field, entry, entry array and entry count (le64 each), in COMPACT files
//     two le32 more, then the payload `NAME=value`; compressed (object flag 1 XZ, 2 LZ4, 4 ZSTD) when big.
// The entries are read in file order (the order journald appended them, seqnum order) by walking every
// object from the header to the tail object, as `journalctl --verify` does; the hash tables are not needed.

/** The fields journal-json.ts reads; the entry's own timestamps are added from the ENTRY object. */
const KEPT: ReadonlySet<string> = new Set(['MESSAGE', 'PRIORITY', '_PID', '_HOSTNAME', 'SYSLOG_IDENTIFIER', '_TRANSPORT', '_SOURCE_MONOTONIC_TIMESTAMP']);

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
  /** Fields kept but not read: compressed with a codec not available here. */
  fieldsSkipped: number;
}

const le64 = (v: DataView, at: number): number => v.getUint32(at, true) + v.getUint32(at + 4, true) * 2 ** 32;

/**
 * The entries of a journal file as JSON lines, a batch at a time (each ends with a newline). Throws
 * JournalFileError where the file stops being readable, after the batches before it.
 */
export function* readJournalFile(src: JournalFileSource, decompress: JournalDecompress, stats: JournalFileStats): Generator<string> {
  if (src.size < 160) throw new JournalFileError(1, 0, 'shorter than a journal file header');
  const header = new DataView(src.read(0, 160).slice().buffer);
  if (!detectJournalFile(new Uint8Array(header.buffer, 0, 8))) throw new JournalFileError(1, 0, 'no journal file signature');
  const compact = (header.getUint32(12, true) & INCOMPATIBLE_COMPACT) !== 0;
  const headerSize = le64(header, 88);
  const tail = Math.min(le64(header, 136), src.size - OBJECT_HEADER);
  const itemSize = compact ? 4 : 16;
  const dataPayloadAt = compact ? 72 : 64;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let out = '';
  let inBatch = 0;
  let failure: JournalFileError | null = null;
  try {
    for (let at = headerSize; at > 0 && at <= tail; ) {
      if (at % 8 !== 0) throw new JournalFileError(stats.entries + 1, at, 'an object not 8-byte aligned');
      const oh = new DataView(src.read(at, OBJECT_HEADER).slice().buffer);
      const type = oh.getUint8(0);
      const size = le64(oh, 8);
      if (size < OBJECT_HEADER || size > MAX_OBJECT || at + size > src.size) {
        // A file being written when it was copied ends in objects not written yet: zeros from here on.
        if (type === 0 && size === 0) break;
        throw new JournalFileError(stats.entries + 1, at, `an object of ${size} bytes`);
      }
      if (type === OBJECT_ENTRY && size >= ENTRY_ITEMS_AT) {
        const entry = new DataView(src.read(at, size).slice().buffer);
        const fields: Record<string, string> = {
          __REALTIME_TIMESTAMP: String(le64(entry, 24)),
          __MONOTONIC_TIMESTAMP: String(le64(entry, 32)),
        };
        for (let i = ENTRY_ITEMS_AT; i + itemSize <= size; i += itemSize) {
          const dataAt = compact ? entry.getUint32(i, true) : le64(entry, i);
          const field = readData(src, dataAt, dataPayloadAt, decompress, decoder, stats);
          if (field !== null && !(field[0] in fields)) fields[field[0]] = field[1];
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

/** The kept field of the DATA object at `at` as [name, value]; null for any other field or a bad offset. */
function readData(src: JournalFileSource, at: number, payloadAt: number, decompress: JournalDecompress, decoder: { decode(b: Uint8Array): string }, stats: JournalFileStats): [string, string] | null {
  if (at <= 0 || at % 8 !== 0 || at + payloadAt > src.size) return null;
  const oh = new DataView(src.read(at, OBJECT_HEADER).slice().buffer);
  const size = le64(oh, 8);
  if (oh.getUint8(0) !== OBJECT_DATA || size < payloadAt || size > MAX_OBJECT || at + size > src.size) return null;
  let payload = src.read(at + payloadAt, size - payloadAt);
  const flags = oh.getUint8(1);
  if (flags !== 0) {
    const algorithm = flags & OBJECT_COMPRESSED_ZSTD ? 'zstd' : flags & OBJECT_COMPRESSED_XZ ? 'xz' : flags & OBJECT_COMPRESSED_LZ4 ? 'lz4' : null;
    const plain = algorithm === null ? null : decompress(algorithm, payload);
    if (plain === null) {
      // Which field it was is inside the compressed bytes: counted whatever it was.
      stats.fieldsSkipped++;
      return null;
    }
    payload = plain;
  }
  const eq = payload.indexOf(0x3d);
  if (eq <= 0 || eq > 64) return null;
  const name = decoder.decode(payload.subarray(0, eq));
  return KEPT.has(name) ? [name, decoder.decode(payload.subarray(eq + 1))] : null;
}
