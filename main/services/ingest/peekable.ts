// A byte stream whose first bytes can be looked at before deciding what it is (archive? compressed? which
// log?), then read from the start. Only the head is held in memory.

export class Peekable {
  private readonly buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private done = false;
  private taken = false;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  static of(iterable: AsyncIterable<Buffer>): Peekable {
    return new Peekable(iterable[Symbol.asyncIterator]());
  }

  /** Up to `n` first bytes (fewer when the stream is shorter). */
  async peek(n: number): Promise<Buffer> {
    while (this.bufferedBytes < n && !this.done) {
      const r = await this.source.next();
      if (r.done) {
        this.done = true;
        break;
      }
      if (r.value.length === 0) continue;
      this.buffered.push(r.value);
      this.bufferedBytes += r.value.length;
    }
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    if (this.buffered.length > 1) this.buffered.splice(0, this.buffered.length, all);
    return all.length <= n ? all : all.subarray(0, n);
  }

  /** Everything, from the first byte. At most once. */
  async *rest(): AsyncGenerator<Buffer> {
    if (this.taken) throw new Error('stream already consumed');
    this.taken = true;
    while (this.buffered.length > 0) yield this.buffered.shift()!;
    this.bufferedBytes = 0;
    while (!this.done) {
      const r = await this.source.next();
      if (r.done) break;
      yield r.value;
    }
    this.done = true;
  }

  /** Reads and drops whatever the consumer left (archive readers need the entry consumed). */
  async drain(): Promise<void> {
    if (!this.taken) {
      for await (const _ of this.rest()) void _;
      return;
    }
    while (!this.done) {
      const r = await this.source.next();
      if (r.done) this.done = true;
    }
  }
}
