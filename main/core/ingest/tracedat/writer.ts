// A small trace.dat v6 writer, for tests and benchmarks: real recordings of arm64 KVM hosts in trace.dat
// form are not public, so traces with known content are written here and read back (and compared with
// Debian's trace-cmd where it is installed). It writes what trace-cmd.dat.v6.5.txt describes: the initial
// format, header_page/header_event as tracefs prints them for the given long size, the event formats by
// system, empty kallsyms and printk sections, saved cmdlines, and "flyrecord" with each CPU's ring-buffer
// pages (kernel/trace/ring_buffer.c layout: u64 page timestamp, long commit, then events with a u32
// type_len/time_delta header; time extends when a delta does not fit in 27 bits). Options are written as
// given, and BUFFER for instances (`trace-cmd record -B`): its u64 offset and name; at that offset the instance's own
// "flyrecord" and CPU table follow the top buffer's data (trace-cmd's tracecmd_buffer_instance_handle reads
// them there).

import { parseEventFormat, type EventFormat } from './format';

export interface WriterEvent {
  readonly cpu: number;
  readonly tsNs: bigint;
  /** The event's format id (its `ID:` line). */
  readonly id: number;
  readonly pid: number;
  /** Field values by name; numbers for fields up to 32 bits, bigint or number for 64-bit ones, strings for char arrays. */
  readonly values: Readonly<Record<string, number | bigint | string>>;
  /** The instance the event was recorded in (one of WriterOptions.instances); the top buffer when absent. */
  readonly instance?: string;
}

export interface WriterOptions {
  readonly bigEndian?: boolean;
  readonly longSize?: 4 | 8;
  readonly pageSize?: number;
  /** Formats grouped by system: { kvm: [format text, ...] }. */
  readonly systems: Readonly<Record<string, readonly string[]>>;
  readonly cmdlines?: ReadonlyMap<number, string>;
  readonly cpus: number;
  readonly kallsyms?: string;
  /** Buffer instances besides the top one, by name, in the order of their BUFFER options. */
  readonly instances?: readonly string[];
  /** Further options to write as they are: id and body (trace-cmd.dat.v6.5.txt, OPTIONS). */
  readonly options?: readonly { readonly id: number; readonly data: Uint8Array }[];
}

const TS_DELTA_MAX = 2 ** 27 - 1;

/** header_page as tracefs prints it (kernel/trace/ring_buffer.c ring_buffer_print_page_header). */
export function headerPageText(longSize: 4 | 8, pageSize: number): string {
  const data = 8 + longSize;
  return (
    `\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n` +
    `\tfield: local_t commit;\toffset:8;\tsize:${longSize};\tsigned:1;\n` +
    `\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n` +
    `\tfield: char data;\toffset:${data};\tsize:${pageSize - data};\tsigned:0;\n`
  );
}

/** header_event as tracefs prints it (kernel/trace/ring_buffer.c ring_buffer_print_entry_header). */
export const HEADER_EVENT_TEXT =
  '# compressed entry header\n\ttype_len    :    5 bits\n\ttime_delta  :   27 bits\n\tarray       :   32 bits\n\n' +
  '\tpadding     : type == 29\n\ttime_extend : type == 30\n\ttime_stamp : type == 31\n\tdata max type_len  == 28\n';

class Out {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  length = 0;

  constructor(private readonly le: boolean) {}

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    bigger.set(this.buf.subarray(0, this.length));
    this.buf = bigger;
    this.view = new DataView(bigger.buffer);
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  str(s: string, nul = true): void {
    this.bytes(new TextEncoder().encode(nul ? s + '\0' : s));
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.length++] = v;
  }

  u16(v: number): void {
    this.room(2);
    this.view.setUint16(this.length, v, this.le);
    this.length += 2;
  }

  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.length, v >>> 0, this.le);
    this.length += 4;
  }

  u64(v: bigint | number): void {
    this.room(8);
    this.view.setBigUint64(this.length, BigInt(v), this.le);
    this.length += 8;
  }

  /** Pads with zeros to a multiple of `align`. */
  align(align: number): void {
    const pad = (align - (this.length % align)) % align;
    this.bytes(new Uint8Array(pad));
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** The payload of one event: its common fields and its own fields, at their format offsets. */
export function encodePayload(f: EventFormat, e: WriterEvent, le: boolean): Uint8Array {
  const all = [...f.common, ...f.fields];
  const size = all.reduce((m, fl) => Math.max(m, fl.offset + fl.size), 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  const values: Record<string, number | bigint | string> = { common_type: f.id, common_flags: 0, common_preempt_count: 0, common_pid: e.pid, ...e.values };
  for (const fl of all) {
    const v = values[fl.name];
    if (v === undefined) continue;
    if (typeof v === 'string') {
      out.set(new TextEncoder().encode(v).subarray(0, fl.size - 1), fl.offset);
      continue;
    }
    const big = BigInt.asUintN(fl.size * 8, BigInt(v));
    if (fl.size === 1) view.setUint8(fl.offset, Number(big));
    else if (fl.size === 2) view.setUint16(fl.offset, Number(big), le);
    else if (fl.size === 4) view.setUint32(fl.offset, Number(big), le);
    else if (fl.size === 8) view.setBigUint64(fl.offset, big, le);
  }
  return out;
}

/** One CPU's events (sorted by time) as ring-buffer pages, page by page. */
export function* encodeCpuPages(events: Iterable<{ ts: bigint; payload: Uint8Array }>, pageSize: number, longSize: 4 | 8, le: boolean): Generator<Uint8Array> {
  const data = 8 + longSize;
  let body = new Out(le);
  let pageTs = -1n;
  let last = 0n;
  const finish = (): Uint8Array => {
    const page = new Out(le);
    page.u64(pageTs);
    if (longSize === 8) page.u64(BigInt(body.length));
    else page.u32(body.length);
    page.bytes(body.result());
    page.bytes(new Uint8Array(pageSize - page.length));
    return page.result();
  };
  for (const e of events) {
    const padded = Math.ceil(e.payload.length / 4) * 4;
    const small = padded <= 28 * 4;
    let delta = pageTs < 0n ? 0n : e.ts - last;
    const need = (delta > BigInt(TS_DELTA_MAX) ? 8 : 0) + 4 + (small ? 0 : 4) + padded;
    if (pageTs >= 0n && data + body.length + need > pageSize) {
      yield finish();
      body = new Out(le);
      pageTs = -1n;
    }
    if (pageTs < 0n) {
      pageTs = e.ts;
      delta = 0n;
    }
    let d = Number(delta);
    if (delta > BigInt(TS_DELTA_MAX)) {
      // time extend: type_len 30, delta low 27 bits in the header, the rest in array[0]
      body.u32(header(30, Number(delta & BigInt(TS_DELTA_MAX)), le));
      body.u32(Number(delta >> 27n));
      d = 0;
    }
    body.u32(header(small ? padded / 4 : 0, d, le));
    if (!small) body.u32(e.payload.length + 4);
    body.bytes(e.payload);
    body.align(4);
    last = e.ts;
  }
  if (pageTs >= 0n) yield finish();
}

/** The u32 event header: type_len in the low 5 bits (little-endian files) or the high 5 (big-endian). */
function header(typeLen: number, delta: number, le: boolean): number {
  return le ? ((delta << 5) | typeLen) >>> 0 : ((typeLen << 27) | delta) >>> 0;
}

/** The formats of `opts` by id. */
export function formatsOf(opts: WriterOptions): Map<number, EventFormat> {
  const formats = new Map<number, EventFormat>();
  for (const [system, texts] of Object.entries(opts.systems)) {
    for (const t of texts) {
      const f = parseEventFormat(t, system);
      if ('error' in f) throw new Error(`bad format: ${f.error}`);
      formats.set(f.id, f);
    }
  }
  return formats;
}

/**
 * Everything before the CPU data: header, formats, kallsyms, printk, cmdlines, CPU count, the options (a
 * BUFFER option per instance, its offset zero at `bufferAt[i]`, to be filled), "flyrecord" and the table of
 * CPU data offsets and sizes (zeros at `tableAt`, to be filled), padded to a page boundary.
 */
export function traceDatV6Header(opts: WriterOptions): { bytes: Uint8Array; tableAt: number; bufferAt: number[] } {
  const le = !(opts.bigEndian ?? false);
  const longSize = opts.longSize ?? 8;
  const pageSize = opts.pageSize ?? 4096;
  const out = new Out(le);
  out.bytes(new Uint8Array([0x17, 0x08, 0x44]));
  out.str('tracing', false);
  out.str('6');
  out.u8(le ? 0 : 1);
  out.u8(longSize);
  out.u32(pageSize);
  const block = (text: string, width: 4 | 8): void => {
    const b = new TextEncoder().encode(text);
    if (width === 8) out.u64(b.length);
    else out.u32(b.length);
    out.bytes(b);
  };
  out.str('header_page');
  block(headerPageText(longSize, pageSize), 8);
  out.str('header_event');
  block(HEADER_EVENT_TEXT, 8);
  out.u32(0); // ftrace formats
  const systems = Object.entries(opts.systems);
  out.u32(systems.length);
  for (const [system, texts] of systems) {
    out.str(system);
    out.u32(texts.length);
    for (const t of texts) block(t, 8);
  }
  block(opts.kallsyms ?? '', 4);
  out.u32(0); // printk formats
  block([...(opts.cmdlines ?? new Map<number, string>())].map(([pid, comm]) => `${pid} ${comm}\n`).join(''), 8);
  out.u32(opts.cpus);
  const bufferAt: number[] = [];
  if ((opts.instances ?? []).length > 0 || (opts.options ?? []).length > 0) {
    out.str('options  ');
    for (const o of opts.options ?? []) {
      out.u16(o.id);
      out.u32(o.data.length);
      out.bytes(o.data);
    }
    for (const name of opts.instances ?? []) {
      const nameBytes = new TextEncoder().encode(name + '\0');
      out.u16(OPTION_BUFFER);
      out.u32(8 + nameBytes.length);
      bufferAt.push(out.length);
      out.u64(0);
      out.bytes(nameBytes);
    }
    out.u16(0); // DONE
  }
  out.str('flyrecord');
  const tableAt = out.length;
  out.bytes(new Uint8Array(opts.cpus * 16));
  out.align(pageSize);
  return { bytes: out.result(), tableAt, bufferAt };
}

/** trace-cmd.dat.v6.5.txt, OPTIONS: "BUFFER: id 3, 8 bytes of offset, then the instance's name". */
const OPTION_BUFFER = 3;

/** Fills the CPU table of a header: each CPU's data offset and size. */
export function fillCpuTable(headerBytes: Uint8Array, tableAt: number, cpus: readonly { offset: number; size: number }[], bigEndian = false): void {
  const v = new DataView(headerBytes.buffer, headerBytes.byteOffset, headerBytes.byteLength);
  cpus.forEach((c, i) => {
    v.setBigUint64(tableAt + i * 16, BigInt(c.offset), !bigEndian);
    v.setBigUint64(tableAt + i * 16 + 8, BigInt(c.size), !bigEndian);
  });
}

/** Writes a v6 trace.dat holding `events` (any order; each CPU's are sorted by time), instances after the top buffer. */
export function writeTraceDatV6(opts: WriterOptions, events: readonly WriterEvent[]): Uint8Array {
  const le = !(opts.bigEndian ?? false);
  const longSize = opts.longSize ?? 8;
  const pageSize = opts.pageSize ?? 4096;
  const formats = formatsOf(opts);
  const instances = opts.instances ?? [];
  for (const e of events) if (e.instance !== undefined && !instances.includes(e.instance)) throw new Error(`no instance named ${e.instance}`);
  const cpuData = (instance: string | undefined): Uint8Array[] => {
    const perCpu: Uint8Array[] = [];
    for (let cpu = 0; cpu < opts.cpus; cpu++) {
      const mine = events
        .filter((e) => e.cpu === cpu && e.instance === instance)
        .sort((a, b) => (a.tsNs < b.tsNs ? -1 : a.tsNs > b.tsNs ? 1 : 0))
        .map((e) => {
          const f = formats.get(e.id);
          if (f === undefined) throw new Error(`no format with id ${e.id}`);
          return { ts: e.tsNs, payload: encodePayload(f, e, le) };
        });
      const out = new Out(le);
      for (const p of encodeCpuPages(mine, pageSize, longSize, le)) out.bytes(p);
      perCpu.push(out.result());
    }
    return perCpu;
  };
  const out = new Out(le);
  // A buffer's CPU data from `offset` on: its table entries.
  const place = (perCpu: readonly Uint8Array[], offset: number): { offset: number; size: number }[] =>
    perCpu.map((d) => {
      const t = { offset, size: d.length };
      offset += d.length;
      return t;
    });
  const head = traceDatV6Header(opts);
  const top = cpuData(undefined);
  fillCpuTable(head.bytes, head.tableAt, place(top, head.bytes.length), !le);
  out.bytes(head.bytes);
  for (const d of top) out.bytes(d);
  instances.forEach((name, i) => {
    const at = out.length;
    new DataView(head.bytes.buffer, head.bytes.byteOffset).setBigUint64(head.bufferAt[i]!, BigInt(at), le);
    const sub = new Out(le);
    sub.str('flyrecord');
    const tableAt = sub.length;
    sub.bytes(new Uint8Array(opts.cpus * 16));
    sub.align(pageSize);
    const subHead = sub.result();
    const data = cpuData(name);
    fillCpuTable(subHead, tableAt, place(data, at + subHead.length), !le);
    out.bytes(subHead);
    for (const d of data) out.bytes(d);
  });
  const bytes = out.result();
  // The BUFFER offsets were filled in after the header was copied: copy it again.
  bytes.set(head.bytes, 0);
  return bytes;
}
