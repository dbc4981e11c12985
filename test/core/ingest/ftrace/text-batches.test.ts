// Batches (the tokenizer's output carried to another thread) against the tokenizer itself: on text mixing
// event lines of both dialects, wrapped and quoted events, stack frames, markers, CRLF, non-ASCII comms,
// timestamps beyond 2^53 ns and junk, cut into arbitrary pieces, replaying the batches gives the same
// events (the arguments of the events the assembler reads), the same callbacks in the same order, and batch
// texts that are exactly the input between the offsets the chunk builder asks for.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_EVENTS } from '../../../../main/core/ingest/ftrace/chunk';
import { readsArgs } from '../../../../main/core/ingest/ftrace/assembler';
import { BatchReader, TextBatcher, type ParsedBatch } from '../../../../main/core/ingest/ftrace/text-batches';
import { FtraceTokenizer, type TokenizerSink } from '../../../../main/core/ingest/ftrace/tokenizer';

interface Record {
  events: unknown[];
  ops: unknown[];
}

function recorder(): { sink: TokenizerSink; got: Record } {
  const got: Record = { events: [], ops: [] };
  const sink: TokenizerSink = {
    event: (e, line, endLine, start, end) =>
      got.events.push([e.comm, e.pid, e.tgid, e.cpu, e.tsNs, e.tsBig, e.name, readsArgs(e.name) ? e.args : '', line, endLine, start, end]),
    marker: (m, line) => got.ops.push(['marker', m, line]),
    other: (text, line) => got.ops.push(['other', text, line]),
    wrapped: (line, parts) => got.ops.push(['wrapped', line, parts]),
  };
  return { sink, got };
}

function pieces(text: string, cuts: number[]): string[] {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const c of at) {
    out.push(text.slice(from, c));
    from = c;
  }
  out.push(text.slice(from));
  return out;
}

function direct(parts: string[]): Record {
  const { sink, got } = recorder();
  const t = new FtraceTokenizer(sink);
  for (const p of parts) t.push(p);
  t.end();
  return got;
}

function batched(parts: string[], text: string): { got: Record; batches: ParsedBatch[] } {
  const { sink, got } = recorder();
  const reader = new BatchReader();
  const batches: ParsedBatch[] = [];
  const b = new TextBatcher((batch) => {
    batches.push(batch);
    if (batch.count > 0) expect(batch.text).toBe(text.slice(batch.textStart, batch.textEnd));
    reader.replay(batch, sink);
  }, readsArgs);
  for (const p of parts) b.push(p);
  b.end();
  return { got, batches };
}

const ts = (i: number): string => `${1000 + Math.floor(i / 1000)}.${String((i % 1000) * 997).padStart(6, '0')}`;
const lineKinds = [
  (i: number) => `       CPU ${i % 4}/KVM-${4250 + (i % 4)}    (   4242) [00${i % 4}] d..1.  ${ts(i)}: kvm_exit: TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff80001073c080`,
  (i: number) => `       CPU ${i % 4}/KVM-${4250 + (i % 4)}    (   4242) [00${i % 4}] d..1.  ${ts(i)}: kvm_entry: PC: 0xffff8000102821f8`,
  (i: number) => `  kvm-vcpu-${i % 3}-8877${i % 3} [001] ...1  ${ts(i)}: kvm_guest_fault: ipa 0x9002000, hsr 0x93c08006, hxfar 0xffff800009002000, pc 0xffff80001073c080`,
  (i: number) => `            bash-1977  [000] ${ts(i)}: sys_enter: NR 63 (3, ...)`,
  (i: number) => `      qému-kvm-${100 + i} [002] d.h1 ${ts(i)}: kvm_mmio_nisv: ipa 0x10001008 esr 0x92000061 far 0xffff800012e01008 pc 0xffff80001073cd5c`,
  (i: number) => `       kvm-vcpu-0-88776   [001] ...1.  ${ts(i)}: kvm_exit: TRAP: `,
  () => `HSR_EC: 0x0018 (SYS64), PC: 0x0000000080528a6c`,
  () => ` => kvm_handle_guest_abort`,
  () => `# tracer: nop`,
  () => `CPU:1 [LOST 12 EVENTS]`,
  () => `##### CPU 2 buffer started ####`,
  () => ``,
  () => `some prose between events`,
  (i: number) => `> > bash-${i} [000] 12.000001: kvm_exit: IRQ: HSR_EC: 0x0000 (UNKNOWN), PC: 0x0`,
  (i: number) => `            bash-1977  [000] ${ts(i)}: sched_switch: prev_comm=bash\r`,
  (i: number) => `            bash-1977  [000] 99999999.${String(i).padStart(6, '0')}: kvm_exit: TRAP: HSR_EC: 0x0001 (WFx), PC: 0x1`,
  () => `            bash-1977  [000] ....  1088.316245: do_sys_open <-do_syscall_64`,
];
const mostlyEvents = [0, 0, 0, 1, 1, 1, 2, 3, 4];

describe('TextBatcher and BatchReader', () => {
  it('replay the tokenizer exactly, on mixed text cut anywhere', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: lineKinds.length - 1 }), { maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        (kinds, cuts, crlf) => {
          const text = kinds.map((k, i) => lineKinds[k]!(i)).join(crlf ? '\r\n' : '\n');
          const parts = pieces(text, cuts);
          const { got, batches } = batched(parts, text);
          expect(got).toEqual(direct(parts));
          expect(batches.reduce((a, b) => a + b.count, 0)).toBe(got.events.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('release the text of lines that are not events as they are read (memory bounded between events)', () => {
    const b = new TextBatcher(() => undefined, readsArgs);
    let offset = 0;
    for (let i = 0; i < 2000; i++) {
      const piece = `prose line ${i} that is not an event\n`;
      b.push(piece);
      offset += piece.length;
    }
    // Everything read is settled but the last line, which may still be the first half of a wrapped event,
    // and only the last pieces are kept.
    expect(b.settled).toBeGreaterThan(offset - 100);
    expect(b.retainedText).toBeLessThan(200);
    b.push(lineKinds[0]!(1) + '\n' + lineKinds[1]!(2) + '\n');
    const batches: ParsedBatch[] = [];
    const c = new TextBatcher((x) => batches.push(x), readsArgs);
    const text = 'junk\n'.repeat(5000) + lineKinds[0]!(1) + '\n' + 'junk\n'.repeat(5000) + lineKinds[1]!(2) + '\n';
    for (let i = 0; i < text.length; i += 1000) c.push(text.slice(i, i + 1000));
    c.end();
    // The 5,000 junk lines before the first event come in a batch of their own, with no event and no text
    // (callbacks are not held beyond OPS_MAX between events).
    expect(batches[0]!.count).toBe(0);
    expect(batches[0]!.text).toBe('');
    const withEvents = batches.filter((x) => x.count > 0);
    expect(withEvents.map((x) => x.text)).toEqual([text.slice(withEvents[0]!.textStart, withEvents[0]!.textEnd)]);
    expect(withEvents[0]!.textStart).toBe(5 * 5000);
    expect(batches.reduce((n, x) => n + x.ops.length, 0)).toBe(10_000);
  });

  it('cut batches of exactly CHUNK_EVENTS events, each with its own text, on a long trace', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 30 }), fc.integer({ min: 0, max: 2 }), (cuts, extra) => {
        const n = 2 * CHUNK_EVENTS + 17 + extra * 1000;
        const lines: string[] = [];
        for (let i = 0; lines.length < n; i++) lines.push(lineKinds[i % 7 === 6 ? 8 + (i % 5) : mostlyEvents[i % mostlyEvents.length]!]!(i));
        const text = lines.join('\n') + '\n';
        const parts = pieces(text, cuts.map((c) => c * 7919));
        const { got, batches } = batched(parts, text);
        expect(got).toEqual(direct(parts));
        const counts = batches.map((b) => b.count);
        expect(counts.slice(0, -1).every((c) => c === CHUNK_EVENTS)).toBe(true);
        expect(counts.at(-1)).toBeLessThanOrEqual(CHUNK_EVENTS);
      }),
      { numRuns: 12 },
    );
  });
});
