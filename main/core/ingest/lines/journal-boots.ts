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

const KEY = new TextEncoder().encode('_BOOT_ID');
/** The key, its separator and 32 hex digits fit in this many bytes. */
const SPAN = 64;
const VALUE_RE = /^_BOOT_ID(?:=|"\s*:\s*")([0-9a-fA-F]{32})(?![0-9a-fA-F])/;
const MONOTONIC_FIELDS = ['__MONOTONIC_TIMESTAMP', '_SOURCE_MONOTONIC_TIMESTAMP'] as const;
const ascii = new TextDecoder('latin1');

/** Where KEY first is in `b` from `from` on; -1 if not there. */
function findKey(b: Uint8Array, from: number): number {
  for (let at = b.indexOf(KEY[0]!, from); at >= 0 && at + KEY.length <= b.length; at = b.indexOf(KEY[0]!, at + 1)) {
    let k = 1;
    while (k < KEY.length && b[at + k] === KEY[k]) k++;
    if (k === KEY.length) return at;
  }
  return -1;
}

/** Finds the distinct boot ids of a journal stream, chunk by chunk, stopping at two. */
export class BootIdScanner {
  private readonly boots = new Set<string>();
  private carry: Uint8Array = new Uint8Array(0);

  get count(): number {
    return this.boots.size;
  }

  /** The stream's end: a boot id in its last bytes is read. */
  end(): void {
    const at = findKey(this.carry, 0);
    if (at >= 0) this.read(this.carry, at);
    this.carry = new Uint8Array(0);
  }

  push(chunk: Uint8Array): void {
    if (this.boots.size >= 2) return;
    // The bytes kept from the chunk before: a key cut between two chunks is found whole.
    let bytes = chunk;
    if (this.carry.length > 0) {
      bytes = new Uint8Array(this.carry.length + chunk.length);
      bytes.set(this.carry, 0);
      bytes.set(chunk, this.carry.length);
    }
    let keep = Math.max(0, bytes.length - KEY.length + 1);
    for (let at = findKey(bytes, 0); at >= 0 && this.boots.size < 2; at = findKey(bytes, at + KEY.length)) {
      if (at + SPAN > bytes.length) {
        keep = at; // the value may be in the next chunk
        break;
      }
      this.read(bytes, at);
    }
    this.carry = bytes.slice(keep);
  }

  private read(b: Uint8Array, at: number): void {
    const m = VALUE_RE.exec(ascii.decode(b.subarray(at, at + SPAN)));
    if (m !== null && this.boots.size < 2) this.boots.add(m[1]!.toLowerCase());
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
