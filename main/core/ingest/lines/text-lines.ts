// UTF-8 text arriving in chunks, handed on a whole line at a time (the readers that turn a line-based form
// into another: journal-verbose.ts, lava-log.ts).

/** Splits UTF-8 chunks into lines (LF or CRLF ended, without the ending); a line longer than `maxChars` is cut there. */
export class TextLines {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private rest = '';

  constructor(private readonly maxChars: number) {}

  /** Gives each line `chunk` completed to `each`; returns what it returned, joined. */
  push(chunk: Uint8Array, each: (line: string) => string): string {
    const text = this.rest + this.decoder.decode(chunk, { stream: true });
    let out = '';
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      out += each(text.slice(from, nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
      from = nl + 1;
    }
    this.rest = text.slice(from);
    if (this.rest.length > this.maxChars) {
      out += each(this.rest);
      this.rest = '';
    }
    return out;
  }

  /** The input's last line, when it did not end with a line break, given to `each` ('' when there is none). */
  end(each: (line: string) => string): string {
    const tail = this.rest + this.decoder.decode();
    this.rest = '';
    return tail.length > 0 ? each(tail) : '';
  }
}
