// A byte stream whose first bytes can be looked at before deciding what it is (archive? compressed? which
// log?), then read from the start. Only the head is held in memory.

export class Peekable {
  private readonly buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private done = false;
  private taken = false;
  /**
   * A read error met while peeking after some bytes had been read: kept, and thrown by rest() after those
   * bytes, so that what was readable reaches the importer (a stream cut within the head an importer peeks,
   * 64 KiB, threw out of the ingest before). An error before any byte is thrown by peek itself.
   */
  private failure: { readonly error: unknown } | null = null;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  static of(iterable: AsyncIterable<Buffer>): Peekable {
    return new Peekable(iterable[Symbol.asyncIterator]());
  }

  /** Up to `n` first bytes (fewer when the stream is shorter, or unreadable beyond them). */
  async peek(n: number): Promise<Buffer> {
    while (this.bufferedBytes < n && !this.done) {
      let r: IteratorResult<Buffer>;
      try {
        r = await this.source.next();
      } catch (e) {
        if (this.bufferedBytes === 0 || isAbort(e)) throw e;
        this.failure = { error: e };
        this.done = true;
        break;
      }
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
    if (this.failure !== null) throw this.failure.error;
  }

  /** Stops reading: the source is closed, whatever is left unread. */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.buffered.length = 0;
    this.bufferedBytes = 0;
    await this.source.return?.(undefined);
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

function isAbort(e: unknown): boolean {
  return (e as { name?: string } | null)?.name === 'AbortError';
}
