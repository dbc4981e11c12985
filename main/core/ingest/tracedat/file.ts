// A trace.dat's metadata, versions 6 and 7, read from a random-access byte source (trace-cmd's
// Documentation/trace-cmd/trace-cmd.dat.v6.5.txt and trace-cmd.dat.v7.5.txt).
//
// v6 is one fixed sequence: initial format, header_page/header_event, ftrace and event formats, kallsyms,
// printk formats, saved cmdlines, CPU count, options, then "flyrecord" with each CPU's data offset and size.
// v7 adds a compression header ("zstd\0" "1.5.4\0") and turns the rest into sections found through options
// sections: each section is `u16 id, u16 flags (1 = compressed), u32 description string id, u64 size`, a
// compressed one then `u32 compressed size, u32 uncompressed size` and the data.

import { err, ok, type Result } from '../../result';
import { ByteReader, decodeText } from './bytes';

/** Random access to the file's bytes (the service reads a file; tests pass a buffer). */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Uint8Array;
}

/** Decompresses one block with the file's algorithm (`zlib`, `zstd`); core imports no codec itself. */
export type Decompress = (algorithm: string, data: Uint8Array, uncompressedSize: number) => Uint8Array;

export const TRACE_DAT_MAGIC = [0x17, 0x08, 0x44, 0x74, 0x72, 0x61, 0x63, 0x69, 0x6e, 0x67]; // 17 08 44 "tracing"

export interface CpuData {
  readonly cpu: number;
  readonly offset: number;
  readonly size: number;
}

export interface TraceBuffer {
  /** '' for the top instance. */
  readonly name: string;
  readonly clock: string | null;
  readonly pageSize: number;
  readonly compressed: boolean;
  readonly cpus: readonly CpuData[];
}

export interface EventFormatText {
  readonly system: string;
  readonly text: string;
}

export interface TraceDatFile {
  readonly version: number;
  readonly bigEndian: boolean;
  readonly longSize: 4 | 8;
  readonly pageSize: number;
  readonly compression: { readonly name: string; readonly version: string } | null;
  readonly headerPage: string;
  readonly headerEvent: string;
  readonly formats: readonly EventFormatText[];
  readonly kallsyms: string;
  readonly printk: string;
  readonly cmdlines: string;
  /** CPUs of the traced machine (CPUCOUNT option, or the v6 header's count). */
  readonly cpuCount: number;
  readonly clock: string | null;
  readonly uname: string | null;
  readonly tracerVersion: string | null;
  /** OFFSET option: ns added to every timestamp. */
  readonly offsetNs: bigint;
  /** TSC2NSEC option: ns = ((ts * mult) >> shift) + offset. */
  readonly tsc2nsec: { readonly mult: number; readonly shift: number; readonly offset: bigint } | null;
  /** The top instance first, then the instances (`trace-cmd record -B`) in the file's order. */
  readonly buffers: readonly TraceBuffer[];
  /** Instances named in the file whose CPU tables could not be read (a file cut short), with the reason. */
  readonly unreadBuffers: readonly { readonly name: string; readonly error: string }[];
  /** Parts of the metadata that could not be read, the rest being read (a v7 options section cut off). */
  readonly problems: readonly string[];
  /** Options this reader skips, by id. */
  readonly skippedOptions: readonly number[];
}

// Option ids (trace-cmd.dat.v7.5.txt, OPTIONS SECTION; v6 files use the same ids in their options list).
const OPT = {
  DONE: 0,
  BUFFER: 3,
  TRACECLOCK: 4,
  UNAME: 5,
  OFFSET: 7,
  CPUCOUNT: 8,
  VERSION: 9,
  TSC2NSEC: 14,
  HEADER_INFO: 16,
  FTRACE_EVENTS: 17,
  EVENT_FORMATS: 18,
  KALLSYMS: 19,
  PRINTK: 20,
  CMDLINES: 21,
} as const;
/** Options read for their values; the rest (DATE, CPUSTAT, HOOK, PROCMAPS, TRACEID, TIME_SHIFT, GUEST, BUFFER_TEXT) are skipped. */
const KNOWN = new Set<number>(Object.values(OPT));

/** A read past the file's end: the file was cut short (a copy taken while it was written, a size limit). */
class CutShort extends Error {}

function readAt(src: ByteSource, offset: number, length: number, le: boolean): ByteReader {
  if (offset >= 0 && offset <= src.size && offset + length > src.size) throw new CutShort(`it ends at ${src.size} bytes, inside the ${length} bytes at offset ${offset} that its metadata names`);
  // v7 names its sections by offset from the header on: an offset past the end is where a cut copy stops.
  if (offset > src.size && Number.isSafeInteger(offset)) throw new CutShort(`its metadata names ${length} bytes at offset ${offset}, past its end at ${src.size} bytes`);
  if (offset < 0 || offset + length > src.size) throw new RangeError(`offset ${offset}+${length} beyond the file (${src.size} bytes)`);
  return new ByteReader(src.read(offset, length), le);
}

interface Mutable {
  headerPage: string;
  headerEvent: string;
  formats: EventFormatText[];
  kallsyms: string;
  printk: string;
  cmdlines: string;
  cpuCount: number | null;
  clock: string | null;
  uname: string | null;
  tracerVersion: string | null;
  offsetNs: bigint;
  tsc2nsec: TraceDatFile['tsc2nsec'];
  buffers: TraceBuffer[];
  unreadBuffers: { name: string; error: string }[];
  problems: string[];
  skippedOptions: number[];
}

function emptyMeta(): Mutable {
  return {
    headerPage: '', headerEvent: '', formats: [], kallsyms: '', printk: '', cmdlines: '', cpuCount: null, clock: null,
    uname: null, tracerVersion: null, offsetNs: 0n, tsc2nsec: null, buffers: [], unreadBuffers: [], problems: [], skippedOptions: [],
  };
}

/** Reads the header-info block: "header_page\0", u64 size, text, "header_event\0", u64 size, text. */
function readHeaders(r: ByteReader, m: Mutable): void {
  if (r.cstring() !== 'header_page') throw new Error('missing header_page');
  m.headerPage = r.text(r.u64n());
  if (r.cstring() !== 'header_event') throw new Error('missing header_event');
  m.headerEvent = r.text(r.u64n());
}

function readFtraceFormats(r: ByteReader, m: Mutable): void {
  const n = r.u32();
  for (let i = 0; i < n; i++) m.formats.push({ system: 'ftrace', text: r.text(r.u64n()) });
}

function readEventFormats(r: ByteReader, m: Mutable): void {
  const systems = r.u32();
  for (let s = 0; s < systems; s++) {
    const system = r.cstring();
    const n = r.u32();
    for (let i = 0; i < n; i++) m.formats.push({ system, text: r.text(r.u64n()) });
  }
}

/** Parses the whole metadata of a trace.dat. */
export function readTraceDat(src: ByteSource, decompress: Decompress): Result<TraceDatFile> {
  try {
    const head = src.read(0, Math.min(src.size, 64));
    for (let i = 0; i < TRACE_DAT_MAGIC.length; i++) if (head[i] !== TRACE_DAT_MAGIC[i]) return err('not a trace.dat (bad magic)');
    const vEnd = head.indexOf(0, 10);
    if (vEnd === -1 || vEnd + 7 > src.size) throw new CutShort(`it ends at ${src.size} bytes, inside its ${vEnd === -1 ? 'version' : 'header'}`);
    const version = Number(decodeText(head.subarray(10, vEnd)));
    if (version !== 6 && version !== 7) return err(`trace.dat version ${version} is not supported (6 and 7 are)`);
    const bigEndian = head[vEnd + 1] === 1;
    const longSize = head[vEnd + 2] === 4 ? 4 : 8;
    const pageSize = new DataView(head.buffer, head.byteOffset + vEnd + 3, 4).getUint32(0, !bigEndian);
    const base = { version, bigEndian, longSize, pageSize } as const;
    const m = emptyMeta();
    let compression: TraceDatFile['compression'] = null;
    if (version === 6) readV6(src, vEnd + 7, !bigEndian, m);
    else compression = readV7(src, vEnd + 7, !bigEndian, decompress, m);
    // v6 buffers use the file's page size; v7 names it per buffer.
    const buffers = m.buffers.map((b) => (b.pageSize > 0 ? b : { ...b, pageSize }));
    const cpuCount = m.cpuCount ?? Math.max(0, ...buffers.flatMap((b) => b.cpus.map((c) => c.cpu + 1)));
    return ok({ ...base, compression, ...m, buffers, cpuCount });
  } catch (e) {
    if (e instanceof CutShort) return err(`trace.dat cut short (or its metadata corrupt): ${e.message}; without it no event can be read`);
    return err(`corrupt trace.dat: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Sequential reads from a byte source, a block at a time (the v6 header is one long sequence). */
class Cursor {
  constructor(
    private readonly src: ByteSource,
    public pos: number,
    private readonly le: boolean,
  ) {}

  block(n: number): ByteReader {
    const r = readAt(this.src, this.pos, n, this.le);
    this.pos += n;
    return r;
  }

  u16(): number {
    return this.block(2).u16();
  }

  u32(): number {
    return this.block(4).u32();
  }

  u64n(): number {
    return this.block(8).u64n();
  }

  text(n: number): string {
    return decodeText(this.block(n).bytes);
  }

  cstring(): string {
    const chunk = this.src.read(this.pos, Math.min(4096, this.src.size - this.pos));
    const end = chunk.indexOf(0);
    if (end === -1 && this.pos + chunk.length >= this.src.size) throw new CutShort(`it ends at ${this.src.size} bytes, inside the name at offset ${this.pos}`);
    if (end === -1) throw new RangeError(`unterminated string at ${this.pos}`);
    this.pos += end + 1;
    return decodeText(chunk.subarray(0, end));
  }
}

function readV6(src: ByteSource, start: number, le: boolean, m: Mutable): void {
  const c = new Cursor(src, start, le);
  if (c.cstring() !== 'header_page') throw new Error('missing header_page');
  m.headerPage = c.text(c.u64n());
  if (c.cstring() !== 'header_event') throw new Error('missing header_event');
  m.headerEvent = c.text(c.u64n());
  const nf = c.u32();
  for (let i = 0; i < nf; i++) m.formats.push({ system: 'ftrace', text: c.text(c.u64n()) });
  const systems = c.u32();
  for (let s = 0; s < systems; s++) {
    const system = c.cstring();
    const n = c.u32();
    for (let i = 0; i < n; i++) m.formats.push({ system, text: c.text(c.u64n()) });
  }
  m.kallsyms = c.text(c.u32());
  m.printk = c.text(c.u32());
  m.cmdlines = c.text(c.u64n());
  const cpus = c.u32();
  m.cpuCount = cpus;
  const instances: { name: string; offset: number }[] = [];
  const list = readV6CpuData(c, cpus, le, m, instances);
  if (list !== null) m.buffers.unshift({ name: '', clock: m.clock, pageSize: 0, compressed: false, cpus: list });
  // An instance's data follows the top buffer's: at the BUFFER option's offset, its own options (if any),
  // "flyrecord" and a table of the same number of CPUs (trace-cmd's tracecmd_buffer_instance_handle).
  for (const { name, offset } of instances) {
    if (offset >= src.size) {
      m.unreadBuffers.push({ name, error: `its CPU table's offset ${offset} is beyond the file's end (${src.size} bytes)` });
      continue;
    }
    try {
      const own = readV6CpuData(new Cursor(src, offset, le), cpus, le, emptyMeta(), []);
      if (own !== null) m.buffers.push({ name, clock: m.clock, pageSize: 0, compressed: false, cpus: own });
      else m.unreadBuffers.push({ name, error: `no "flyrecord" CPU table at offset ${offset}` });
    } catch (e) {
      m.unreadBuffers.push({ name, error: e instanceof Error ? e.message : String(e) });
    }
  }
}

/**
 * From a v6 buffer's "options  " or "flyrecord" on: its options (applied to `m`; BUFFER options listed in
 * `instances`), then its CPU table; null for a "latency  " buffer (the latency tracer's text, no events).
 */
function readV6CpuData(c: Cursor, cpus: number, le: boolean, m: Mutable, instances: { name: string; offset: number }[]): CpuData[] | null {
  let kind = c.cstring();
  if (kind === 'options  ') {
    for (;;) {
      const id = c.u16();
      if (id === OPT.DONE) break;
      const body = c.block(c.u32()).bytes;
      if (id === OPT.BUFFER) {
        // u64 offset, then the instance's name (trace-cmd.dat.v6.5.txt, OPTIONS). One that cannot be read
        // loses that instance only.
        try {
          const offset = new ByteReader(body, le).u64n();
          instances.push({ name: bufferName(body), offset });
        } catch (e) {
          m.unreadBuffers.push({ name: bufferName(body), error: e instanceof Error ? e.message : String(e) });
        }
      } else applyOption(id, body, le, m);
    }
    kind = c.cstring();
  }
  if (kind !== 'flyrecord') return null;
  const list: CpuData[] = [];
  for (let cpu = 0; cpu < cpus; cpu++) list.push({ cpu, offset: c.u64n(), size: c.u64n() });
  return list;
}

function applyOption(id: number, data: Uint8Array, le: boolean, m: Mutable): void {
  const r = new ByteReader(data, le);
  const str = (): string => decodeText(data.subarray(0, data.indexOf(0) === -1 ? data.length : data.indexOf(0))).trim();
  switch (id) {
    case OPT.CPUCOUNT:
      m.cpuCount = r.u32();
      return;
    case OPT.TRACECLOCK: {
      // The trace_clock file: "local global [counter] ...", the selected clock in brackets.
      const sel = /\[(\S+)\]/.exec(str());
      m.clock = sel ? (sel[1] as string) : m.clock;
      return;
    }
    case OPT.UNAME:
      m.uname = str();
      return;
    case OPT.VERSION:
      m.tracerVersion = str();
      return;
    case OPT.OFFSET: {
      // Read as trace-cmd reads it (strtoll: a leading number, decimal or 0x hex; the rest ignored).
      const text = str();
      const n = /^[ \t]*([+-]?)(0[xX][0-9a-fA-F]+|\d+)/.exec(text);
      m.offsetNs = n === null ? 0n : (n[1] === '-' ? -1n : 1n) * BigInt(n[2]!);
      if (n === null || n[0].trim() !== text) m.problems.push(`OFFSET option ${JSON.stringify(text.slice(0, 40))} is not a number: read as ${m.offsetNs} ns`);
      return;
    }
    case OPT.TSC2NSEC:
      m.tsc2nsec = { mult: r.u32(), shift: r.u32(), offset: r.u64() };
      return;
    default:
      if (!KNOWN.has(id)) m.skippedOptions.push(id);
  }
}

const SECTION_HEADER = 16;

/** A v7 section's data (decompressed when flagged), given the offset of its header. */
function readSection(src: ByteSource, offset: number, le: boolean, algo: string | null, decompress: Decompress): { id: number; data: ByteReader } {
  const h = readAt(src, offset, SECTION_HEADER, le);
  const id = h.u16();
  const flags = h.u16();
  h.u32(); // description string id
  const size = h.u64n();
  const body = src.read(offset + SECTION_HEADER, size);
  if (body.length < size) throw new RangeError(`section ${id} at ${offset} holds ${size} bytes but the file ends after ${body.length} of them`);
  if ((flags & 1) === 0) return { id, data: new ByteReader(body, le) };
  if (algo === null) throw new Error(`section ${id} is compressed but the file names no algorithm`);
  const c = new ByteReader(body, le);
  const csize = c.u32();
  const usize = c.u32();
  return { id, data: new ByteReader(decompress(algo, c.bytesOf(csize), usize), le) };
}

function readV7(src: ByteSource, start: number, le: boolean, decompress: Decompress, m: Mutable): TraceDatFile['compression'] {
  const r = readAt(src, start, Math.min(src.size - start, 4096), le);
  const name = r.cstring();
  const version = r.cstring();
  const compression = name === 'none' ? null : { name, version };
  const algo = compression?.name ?? null;
  let next = r.u64n();
  const sections = new Map<number, number>();
  const bufferOptions: Uint8Array[] = [];
  // Options sections chain through their DONE option's "next" offset.
  for (let guard = 0; next !== 0 && guard < 1024; guard++) {
    let data: ByteReader;
    try {
      data = readSection(src, next, le, algo, decompress).data;
    } catch (e) {
      // The first section holds the formats' whereabouts: without it nothing can be read. A later one
      // (instances' BUFFER options, written after the top buffer's data) loses what it holds.
      if (guard === 0) throw e;
      m.problems.push(`the options section at offset ${next} cannot be read (${e instanceof Error ? e.message : String(e)}): the options in it and after it were not read`);
      break;
    }
    next = 0;
    while (data.remaining >= 6) {
      const id = data.u16();
      const size = data.u32();
      const body = data.bytesOf(size);
      if (id === OPT.DONE) {
        next = new ByteReader(body, le).u64n();
        break;
      }
      if (id >= OPT.HEADER_INFO && id <= OPT.CMDLINES) sections.set(id, new ByteReader(body, le).u64n());
      else if (id === OPT.BUFFER) bufferOptions.push(body);
      else applyOption(id, body, le, m);
    }
  }
  const section = (id: number): ByteReader | null => {
    const at = sections.get(id);
    return at === undefined ? null : readSection(src, at, le, algo, decompress).data;
  };
  const hdr = section(OPT.HEADER_INFO);
  if (hdr === null) throw new Error('no HEADER_INFO section');
  readHeaders(hdr, m);
  const ft = section(OPT.FTRACE_EVENTS);
  if (ft !== null) readFtraceFormats(ft, m);
  const ev = section(OPT.EVENT_FORMATS);
  if (ev !== null) readEventFormats(ev, m);
  const ks = section(OPT.KALLSYMS);
  if (ks !== null) m.kallsyms = ks.text(ks.u32());
  const pk = section(OPT.PRINTK);
  if (pk !== null) m.printk = pk.text(pk.u32());
  const cl = section(OPT.CMDLINES);
  if (cl !== null) m.cmdlines = cl.text(cl.u64n());
  for (const body of bufferOptions) {
    try {
      m.buffers.push(readBufferOption(src, body, le));
    } catch (e) {
      m.unreadBuffers.push({ name: bufferName(body), error: e instanceof Error ? e.message : String(e) });
    }
  }
  // The top instance first, as trace-cmd reports it.
  m.buffers.sort((a, b) => (a.name === '' ? -1 : b.name === '' ? 1 : 0));
  return compression;
}

/** BUFFER option: u64 section offset, name, clock, u32 page size, u32 CPUs, then per CPU u32 id, u64 offset, u64 size. */
function readBufferOption(src: ByteSource, body: Uint8Array, le: boolean): TraceBuffer {
  const b = new ByteReader(body, le);
  const sectionAt = b.u64n();
  const name = bufferName(body);
  b.cstring();
  const clock = b.cstring();
  const pageSize = b.u32();
  const n = b.u32();
  const cpus: CpuData[] = [];
  for (let i = 0; i < n; i++) cpus.push({ cpu: b.u32(), offset: b.u64n(), size: b.u64n() });
  const flags = readAt(src, sectionAt, SECTION_HEADER, le);
  flags.u16();
  const compressed = (flags.u16() & 1) === 1;
  return { name, clock: clock === '' ? null : clock, pageSize, compressed, cpus };
}

/** The instance name of a BUFFER option's body (after its u64 offset), as UTF-8, up to its NUL or the end. */
function bufferName(body: Uint8Array): string {
  if (body.length < 8) return '(a BUFFER option too short to name one)';
  const name = body.subarray(8);
  const end = name.indexOf(0);
  return decodeText(end === -1 ? name : name.subarray(0, end));
}
