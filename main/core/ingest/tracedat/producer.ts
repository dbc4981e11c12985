// The first half of a trace.dat's ingest: its records read in time order (reader.ts) and packed a storage
// chunk at a time (ftrace/chunk.ts: the raw records and their columns), with what the summaries need from
// each KVM record, as ids into small tables that come with the batch that first uses them: kvm_exit's
// reason and class, a fault's group key (and, the first time, the fault's fields and text). The assembler
// (ftrace/assembler.ts addPacked) does the rest: counts, exits paired with entries, fault groups, threads,
// timeline. A batch holds plain data and typed arrays only, so that the two halves can run on two threads
// (services/ingest/importers/trace-dat-worker.ts) or one after the other on one.
import { CHUNK_EVENTS, ChunkBuilder, type ColumnArrays, type EncodedChunk } from '../ftrace/chunk';
import { CommIds } from '../ftrace/comm-ids';
import type { Fields } from '../ftrace/kvm-events';
import { kvmDecoderFor, type KvmDecoder } from './kvm-binary';
import type { DatRecord, RecordStream, TraceDatReader } from './reader';
import { recordData } from './record';
import { renderContextOf } from './report';
import type { RenderContext } from './print-eval';
import { renderEventText } from './render';

/** A chunk of events as the producer packed it (EncodedChunk without what the consumer derives). */
export interface PackedChunk {
  readonly seq: number;
  readonly count: number;
  /** The first event's time: a bigint where the trace's times count from an epoch (ring-buffer.ts TimeBase). */
  readonly baseTs: number | bigint;
  readonly minTs: number;
  readonly maxTs: number;
  readonly unpacked: ColumnArrays;
  readonly raw: Uint8Array;
  readonly nameSet: string;
}

export interface ExitKind {
  readonly ret: string;
  readonly ec: number;
  readonly ecName: string;
}

/** A fault group key seen for the first time, with the fields and text of the record that showed it. */
export interface FirstFault {
  readonly key: string;
  readonly fields: Fields;
  readonly text: string;
}

export interface PackedBatch {
  readonly chunk: PackedChunk;
  /**
   * Per event, for kvm_exit: its index in the exit kinds, for kvm_guest_fault and kvm_mmio_nisv: its group
   * key's index in the first faults; -1 where the record's payload could not be read; 0 for other events.
   */
  readonly kvm: Int32Array;
  /** Event names, comms, exit kinds and fault keys first used by this batch; their ids follow the earlier ones. */
  readonly names: readonly string[];
  readonly comms: readonly string[];
  readonly exits: readonly ExitKind[];
  readonly faults: readonly FirstFault[];
}

/** What the producer found besides the events. */
export interface ProducerReport {
  readonly events: number;
  /** The event type ids that occurred (their formats are stored with the trace). */
  readonly used: readonly number[];
  /** Pages with events lost before them: how many, and the first few as diagnostics. */
  readonly droppedPages: number;
  readonly dropped: readonly { readonly line: number; readonly message: string }[];
  /** Why reading stopped early (corrupt data), or null. */
  readonly error: string | null;
  /** CPUs whose data was corrupt, each named (RecordStream.problems): the others were read. */
  readonly problems: readonly string[];
}

const DROPPED_EXAMPLES = 20;

const enum Kind {
  Other,
  Exit,
  Fault,
}

interface TypeInfo {
  readonly nameId: number;
  readonly kind: Kind;
  readonly decode: KvmDecoder | null;
  readonly text: () => string;
}

export class TraceDatProducer {
  private readonly chunks: ChunkBuilder;
  private readonly types: (TypeInfo | undefined)[] = [];
  private readonly used: number[] = [];
  private readonly nameIds = new Map<string, number>();
  /** New comms go to the batch being built. */
  private readonly commIds = new CommIds((comm) => this.comms.push(comm));
  /** Exit kinds by reason, then by class (ecName follows from the class). */
  private readonly exitIds = new Map<string, number[]>();
  private exitCount = 0;
  private readonly faultIds = new Map<string, number>();
  // What the batch being built adds to the tables, and its events' KVM codes.
  private names: string[] = [];
  private comms: string[] = [];
  private exits: ExitKind[] = [];
  private faults: FirstFault[] = [];
  private kvm = new Int32Array(CHUNK_EVENTS);
  private n = 0;
  private events = 0;
  private droppedPages = 0;
  private readonly dropped: { line: number; message: string }[] = [];
  private error: string | null = null;
  private current: DatRecord | null = null;
  private readonly onRecord = (rec: DatRecord): void => this.add(rec);
  /** One render context for every fault text (its kallsyms are parsed on first use, once). */
  private readonly render: RenderContext;

  constructor(
    private readonly reader: TraceDatReader,
    private readonly stream: RecordStream,
    private readonly emit: (b: PackedBatch) => void,
  ) {
    this.chunks = new ChunkBuilder(true, (c) => this.flushed(c));
    this.render = renderContextOf(reader);
  }

  /** Reads up to `max` records; false once the stream is done (its end, or corrupt data). */
  pump(max: number): boolean {
    if (this.error !== null) return false;
    const res = this.stream.pump(this.onRecord, max);
    if (!res.ok) {
      this.error = res.error;
      return false;
    }
    return res.value === max;
  }

  /** Emits the last batch; what was found besides the events. */
  finish(): ProducerReport {
    this.chunks.flush();
    return { events: this.events, used: this.used, droppedPages: this.droppedPages, dropped: this.dropped, error: this.error, problems: this.stream.problems };
  }

  get eventsRead(): number {
    return this.events;
  }

  private add(rec: DatRecord): void {
    if (rec.missed !== 0 && ++this.droppedPages <= DROPPED_EXAMPLES) {
      this.dropped.push({ line: rec.index + 1, message: rec.missed > 0 ? `CPU ${rec.cpu}: ${rec.missed} events dropped` : `CPU ${rec.cpu}: events dropped` });
    }
    const t = this.types[rec.type + 1] ?? this.typeInfo(rec);
    this.current = rec;
    let code = 0;
    if (t.kind !== Kind.Other) {
      const k = t.decode === null ? null : t.decode(rec, t.text);
      if (k === null) code = -1;
      else if (t.kind === Kind.Exit) code = k.exit === undefined ? -1 : this.exitId(k.exit.ret, k.exit.ec, k.exit.ecName);
      else code = k.faultKey === undefined || k.fields === undefined ? -1 : this.faultId(k.faultKey, k.fields, k.text ?? t.text);
    }
    // The comm before the sched plugin registers this record's: trace-cmd names a record by what was known.
    const comm = this.commIds.idOf(rec.pid, this.reader.comm(rec.pid));
    if (rec.format !== undefined && rec.format.system === 'sched') this.reader.notePluginComms(rec);
    this.kvm[this.n++] = code;
    if (this.events++ === 0) this.chunks.epoch = rec.epoch;
    this.chunks.addRaw(rec.ts, rec.cpu, rec.pid, comm, t.nameId, rec.index + 1, rec.page, rec.start, rec.end, rec.words);
  }

  private typeInfo(rec: DatRecord): TypeInfo {
    const f = rec.format;
    this.used.push(rec.type);
    const name = f?.name ?? `type ${rec.type}`;
    let nameId = this.nameIds.get(name);
    if (nameId === undefined) {
      nameId = this.nameIds.size;
      this.nameIds.set(name, nameId);
      this.names.push(name);
    }
    const kind = name === 'kvm_exit' ? Kind.Exit : name === 'kvm_guest_fault' || name === 'kvm_mmio_nisv' ? Kind.Fault : Kind.Other;
    const le = !this.reader.file.bigEndian;
    const text = (): string => (f === undefined || this.current === null ? '' : renderEventText(f, recordData(this.current.page.subarray(this.current.start, this.current.end), le, this.reader.file.longSize), this.render));
    const t: TypeInfo = { nameId, kind, decode: f === undefined || kind === Kind.Other ? null : kvmDecoderFor(f, le), text };
    this.types[rec.type + 1] = t;
    return t;
  }

  private exitId(ret: string, ec: number, ecName: string): number {
    let byEc = this.exitIds.get(ret);
    if (byEc === undefined) {
      byEc = [];
      this.exitIds.set(ret, byEc);
    }
    let id = byEc[ec];
    if (id === undefined) {
      id = this.exitCount++;
      byEc[ec] = id;
      this.exits.push({ ret, ec, ecName });
    }
    return id;
  }

  private faultId(key: string, fields: () => Fields, text: () => string): number {
    let id = this.faultIds.get(key);
    if (id === undefined) {
      id = this.faultIds.size;
      this.faultIds.set(key, id);
      this.faults.push({ key, fields: fields(), text: text() });
    }
    return id;
  }

  private flushed(c: EncodedChunk): void {
    const batch: PackedBatch = {
      chunk: { seq: c.seq, count: c.count, baseTs: c.baseTs, minTs: c.minTs, maxTs: c.maxTs, unpacked: c.unpacked, raw: c.raw!, nameSet: c.nameSet },
      kvm: this.kvm.subarray(0, this.n),
      names: this.names,
      comms: this.comms,
      exits: this.exits,
      faults: this.faults,
    };
    // The batch takes the arrays (they may be transferred to another thread): new ones here.
    this.kvm = new Int32Array(CHUNK_EVENTS);
    this.n = 0;
    this.names = [];
    this.comms = [];
    this.exits = [];
    this.faults = [];
    this.emit(batch);
  }
}
