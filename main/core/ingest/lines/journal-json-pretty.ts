// `journalctl -o json-pretty`: the Journal JSON Format with each entry's object spread over many lines
// (a field a line, tab-indented; a non-text field's bytes an element a line). Read into one object a line,
// the form journal-json.ts reads: an entry ends where its object closes (braces and brackets counted
// outside strings), and the line breaks and tabs between its tokens become spaces (inside a JSON string
// they are always escaped, so no value changes).
//
// Example (two entries):
//   {
//   	"__CURSOR" : "s=ee88...;i=1;b=5a1e...",
//   	"_SOURCE_MONOTONIC_TIMESTAMP" : "23352431103",
//   	"MESSAGE" : "Unable to handle kernel read from unreadable memory at virtual address 0000000000000010",
//   	"PRIORITY" : "1"
//   }
//   {
//   	"MESSAGE" : [
//   		27,
//   		91,
//   		...
//   	],
//   	...
//   }

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** An object not closed within this many bytes is handed on as it is (journal-json.ts reports it). */
const MAX_OBJECT_BYTES = 16 * 1024 * 1024;

/**
 * Whether a file's first bytes are `-o json-pretty`: an object opening alone on the first line, its first
 * field indented on the next, and a journal field among the first ones.
 */
export function detectJournalJsonPretty(head: Uint8Array): boolean {
  let first = 0;
  while (first < head.length && (head[first] === 0x20 || head[first] === 0x09 || head[first] === 0x0a || head[first] === 0x0d)) first++;
  if (head[first] !== OPEN_BRACE) return false; // most files: not decoded at all
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 4096));
  return /^\s*\{\r?\n[ \t]+"[A-Z_][A-Z0-9_]*" : /.test(text) && /\n[ \t]+"(?:__CURSOR|__REALTIME_TIMESTAMP|MESSAGE|_TRANSPORT|PRIORITY)" : /.test(text);
}

/** Reads `-o json-pretty` chunk by chunk; each call returns the entries it completed, one object a line. */
export class JournalJsonPrettyReader {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: Uint8Array[] = [];
  private partBytes = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  push(chunk: Uint8Array): string {
    let out = '';
    let from = -1; // where the current object's bytes begin in this chunk
    if (this.depth > 0) from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.depth === 0) {
        if (c === OPEN_BRACE) {
          this.depth = 1;
          from = i;
        }
        // Anything else between objects (line breaks, a json-seq record separator) is passed over.
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (--this.depth === 0) {
          out += this.take(chunk.subarray(from, i + 1));
          from = -1;
        }
      }
    }
    if (from >= 0) {
      this.parts.push(chunk.slice(from));
      this.partBytes += chunk.length - from;
      if (this.partBytes > MAX_OBJECT_BYTES) {
        // Not journalctl's output after all: handed on as it is, and reading starts over at the next object.
        out += this.take(new Uint8Array(0));
        this.depth = 0;
        this.inString = false;
        this.escaped = false;
      }
    }
    return out;
  }

  /** What is left of an object the input did not close (journal-json.ts reports it as not an object). */
  end(): string {
    if (this.partBytes === 0) return '';
    return this.take(new Uint8Array(0));
  }

  private take(last: Uint8Array): string {
    let bytes = last;
    if (this.parts.length > 0) {
      bytes = new Uint8Array(this.partBytes + last.length);
      let at = 0;
      for (const p of this.parts) {
        bytes.set(p, at);
        at += p.length;
      }
      bytes.set(last, at);
      this.parts = [];
      this.partBytes = 0;
    }
    return this.decoder.decode(bytes).replace(/[\r\n\t]+/g, ' ') + '\n';
  }
}
