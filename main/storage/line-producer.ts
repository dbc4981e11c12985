// The reading half of a kernel or VMM log's ingest: bytes in; tokenized lines (for the fault path) and
// packed line blocks (for storage) out. Runs in the line reader thread for a big bundle (lines-worker.ts)
// while the importing thread assembles faults and inserts the blocks, or in the importing thread itself
// for a small one: the same code either way, so both give the same lines. The work splits about evenly:
// decoding, splitting, tokenizing and packing here; fault assembly and SQLite there
// (../shared/docs/PERFORMANCE.md: both cores can work).
import { isAscii } from 'node:buffer';
import type { LogDialect } from '../core/ingest/lines/dialect';
import { LineSplitter } from '../core/ingest/lines/line-splitter';
import { PhysicalLineReader } from '../core/ingest/lines/physical-line';
import { TokenizedBatchBuilder, type TokenizedBatch } from '../core/ingest/lines/tokenized';
import { batchBlocks, BLOCK_LINES, LineColumns, type BlockRow } from './line-block';

/** What the reading half needs to read a file's lines exactly as the importer would. */
export interface TextFileSpec {
  readonly fileId: number;
  readonly dialect: LogDialect;
  readonly yearHint: number;
}

/** The lines read from one input chunk: zero or more tokenized batches and the blocks completed. */
export interface Produced {
  readonly batches: readonly TokenizedBatch[];
  readonly blocks: readonly BlockRow[];
}

/** After the last chunk: the file's line count and whether a date without a year was read. */
export interface ProducedEnd extends Produced {
  readonly lines: number;
  readonly yearInferred: boolean;
}

/** Lines per tokenized batch (a chunk of 256 KiB holds ~3,500 log lines). */
const BATCH_LINES = 8192;

export class LineProducer {
  private readonly splitter: LineSplitter;
  private readonly reader: PhysicalLineReader;
  private tokens = new TokenizedBatchBuilder(BATCH_LINES, true);
  private columns = new LineColumns(BLOCK_LINES);
  private batches: TokenizedBatch[] = [];
  private asciiLines = false;
  private carryAscii = true;
  private blocks: BlockRow[] = [];

  constructor(readonly spec: TextFileSpec) {
    this.reader = new PhysicalLineReader({ dialect: spec.dialect, yearHint: spec.yearHint }, (lineNo) =>
      this.tokens.problem('journal-json-invalid', lineNo, 'not a JSON object'),
    );
    this.splitter = new LineSplitter({
      line: (text, lineNo) => this.line(text, lineNo),
      problem: (kind, lineNo, detail) => this.tokens.problem(kind, lineNo, detail),
    });
  }

  bytes(chunk: Uint8Array): Produced {
    const ascii = isAscii(chunk);
    // The lines ending in this chunk are ASCII when it is and the partial line carried into it was (JSON
    // escapes aside); the partial line it leaves is ASCII when it is, or, without a LF in it, when the
    // one carried in was too.
    this.asciiLines = ascii && this.carryAscii && !this.spec.dialect.json;
    this.carryAscii = chunk.lastIndexOf(10) >= 0 ? ascii : this.carryAscii && ascii;
    if (!this.asciiLines) this.tokens.notAscii();
    // ASCII (most logs) decodes as Latin-1, a copy, where TextDecoder costs twice as much.
    if (ascii && this.splitter.betweenCharacters) {
      this.splitter.pushAscii(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1'));
    } else {
      this.splitter.push(chunk);
    }
    return this.take();
  }

  end(): ProducedEnd {
    this.splitter.end();
    this.packBlock();
    return { ...this.take(), lines: this.splitter.lines, yearInferred: this.reader.yearInferred };
  }

  private line(text: string, lineNo: number): void {
    const l = this.reader.read(text, lineNo);
    this.tokens.add(l.text, l.text.length - l.message.length, lineNo, l.tsNs, l.clock, l.prefixed, l.cpu, l.pid, l.level, l.host, l.ident);
    if (this.tokens.full) this.nextBatch();
    this.columns.add(lineNo, l.tsNs, l.cpu, l.pid, l.level, l.text);
    if (this.columns.count === this.columns.capacity) this.packBlock();
  }

  private nextBatch(): void {
    this.batches.push(this.tokens.finish());
    this.tokens = new TokenizedBatchBuilder(BATCH_LINES, this.asciiLines);
  }

  private packBlock(): void {
    const c = this.columns;
    if (c.count === 0) return;
    this.columns = new LineColumns(BLOCK_LINES);
    for (const b of batchBlocks(c, c.count, c.texts.join(''))) this.blocks.push(b);
  }

  private take(): Produced {
    if (this.tokens.count > 0 || this.tokens.hasProblems) this.nextBatch();
    const out = { batches: this.batches, blocks: this.blocks };
    this.batches = [];
    this.blocks = [];
    return out;
  }
}
