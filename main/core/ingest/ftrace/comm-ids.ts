// Comms as small ids (a trace's few dozen threads name most of its events), with the last comm of each PID
// slot remembered: a thread's events repeat its comm, so most look-ups compare one PID and one string
// (both the text assembler and the trace.dat producer intern every event's comm).

/** Slots of the per-PID cache (a power of two). */
const PID_SLOTS = 64;

export class CommIds {
  private readonly ids = new Map<string, number>();
  private readonly pids = new Float64Array(PID_SLOTS).fill(Number.NaN);
  private readonly comms: string[] = new Array<string>(PID_SLOTS).fill('');
  private readonly slotIds = new Int32Array(PID_SLOTS);

  /** `added` gets each new comm, in the order of their ids (0, 1, …). */
  constructor(private readonly added: (comm: string) => void) {}

  /** The id of `comm`, a new one the first time. */
  id(comm: string): number {
    let id = this.ids.get(comm);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(comm, id);
      this.added(comm);
    }
    return id;
  }

  /** id(comm), cached for the thread `pid`. */
  idOf(pid: number, comm: string): number {
    const slot = pid & (PID_SLOTS - 1);
    if (this.pids[slot] === pid && this.comms[slot] === comm) return this.slotIds[slot]!;
    const id = this.id(comm);
    this.pids[slot] = pid;
    this.comms[slot] = comm;
    this.slotIds[slot] = id;
    return id;
  }
}
