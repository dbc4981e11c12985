// Each boot has a monotonic clock of its own: a journal stream of several boots (`journalctl -o json`,
// `-o export`, `-o verbose` or `-o json-pretty` without `--boot`, as sosreport's COS plugin collects
// `journalctl -o export`) restarts that clock at each boot, so its entries cannot all be placed on it:
// a fault of last week's boot would sit among today's messages, and two boots' entries could be taken for
// copies of each other. As for a journal file that spans boots (journal-file.ts), such a stream's entries
// go on the realtime clock; a stream of one boot keeps the monotonic one, which lines up with dmesg.
//
// The boots are told apart by each entry's _BOOT_ID (systemd.journal-fields(7)), found in the stream as
// journalctl wrote it, before it is converted: `_BOOT_ID=5a1e…` (export, verbose) or `"_BOOT_ID":"5a1e…"`
// (json; `"_BOOT_ID" : "5a1e…"` in json-pretty).

const KEY = Buffer.from('_BOOT_ID');
/** The key, its separator and 32 hex digits fit in this many bytes. */
const SPAN = 64;
const VALUE_RE = /^_BOOT_ID(?:=|"\s*:\s*")([0-9a-fA-F]{32})(?![0-9a-fA-F])/;
const MONOTONIC_FIELDS = ['__MONOTONIC_TIMESTAMP', '_SOURCE_MONOTONIC_TIMESTAMP'] as const;

/** Finds the distinct boot ids of a journal stream, chunk by chunk, stopping at two. */
export class BootIdScanner {
  private readonly boots = new Set<string>();
  private carry: Buffer = Buffer.alloc(0);

  get count(): number {
    return this.boots.size;
  }

  /** The stream's end: a boot id in its last bytes is read. */
  end(): void {
    if (this.carry.length === 0) return;
    const m = VALUE_RE.exec(this.carry.toString('latin1', this.carry.indexOf(KEY)));
    if (m !== null && this.boots.size < 2) this.boots.add(m[1]!.toLowerCase());
    this.carry = Buffer.alloc(0);
  }

  push(chunk: Buffer): void {
    if (this.boots.size >= 2) return;
    // The bytes kept from the chunk before: a key cut between two chunks is found whole.
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    let at = bytes.indexOf(KEY);
    let complete = bytes.length;
    while (at >= 0 && this.boots.size < 2) {
      if (at + SPAN > bytes.length) {
        complete = at; // the value may be in the next chunk
        break;
      }
      const m = VALUE_RE.exec(bytes.toString('latin1', at, at + SPAN));
      if (m !== null) this.boots.add(m[1]!.toLowerCase());
      at = bytes.indexOf(KEY, at + KEY.length);
    }
    this.carry = Buffer.from(bytes.subarray(Math.max(Math.min(complete, bytes.length - KEY.length + 1), 0)));
  }
}

/** One entry's JSON line on the realtime clock: its monotonic stamps left out (a line not JSON is kept). */
export function withoutMonotonic(line: string): string {
  let o: unknown;
  try {
    o = JSON.parse(line.charCodeAt(0) === 0x1e ? line.slice(1) : line); // json-seq: an RS before each record
  } catch {
    return line;
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return line;
  const entry = o as Record<string, unknown>;
  if (!MONOTONIC_FIELDS.some((f) => f in entry)) return line;
  for (const f of MONOTONIC_FIELDS) delete entry[f];
  return JSON.stringify(entry);
}
