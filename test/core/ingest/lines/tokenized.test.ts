import { describe, expect, it } from 'vitest';
import { detectDialect } from '../../../../main/core/ingest/lines/dialect';
import { PhysicalLineReader } from '../../../../main/core/ingest/lines/physical-line';
import { batchLines, TokenizedBatchBuilder } from '../../../../main/core/ingest/lines/tokenized';
import type { LogLine } from '../../../../main/core/ingest/lines/log-line';

// One line of each prefix shape the tokenizer knows, so every column and flag is exercised.
const LINES = [
  '[    1.234567] Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]',
  '<3>[   16.007376] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000010',
  '[  122.336254] 003: BUG: scheduling while atomic',
  '[   46.700000] [    T812] kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061',
  'May 24 14:33:12 h63 kernel: Mem abort info:',
  'May 24 14:33:12.123456 h63 qemu-system-aarch64[4321]: kvm run failed Bad address',
  '2021-05-24T14:33:12+0200 h63 kernel:   ESR = 0x96000004',
  '14:04:59 h63 kernel: SError Interrupt on CPU3, code 0xbf000002 -- SError',
  '               PS:400003c9 PC:0000d93a82c705ac ESR:f2000800',
  '> [   45.100010] Mem abort info:',
  '',
];

function read(lines: readonly string[], dialectLines: readonly string[]): LogLine[] {
  const r = new PhysicalLineReader({ dialect: detectDialect(dialectLines), yearHint: 2021 });
  return lines.map((t, i) => r.read(t, i + 7));
}

function roundTrip(lines: LogLine[], capacity: number): LogLine[] {
  const b = new TokenizedBatchBuilder(capacity);
  for (const l of lines) b.add(l.text, l.text.length - l.message.length, l.lineNo, l.tsNs, l.clock, l.prefixed, l.cpu, l.pid, l.level, l.host, l.ident);
  return batchLines(b.finish());
}

describe('tokenized batches', () => {
  it('give back every LogLine field for field, whatever its prefixes', () => {
    const lines = read(LINES, LINES);
    expect(new Set(lines.map((l) => l.clock)).size).toBeGreaterThan(2); // monotonic, realtime, time-of-day
    expect(roundTrip(lines, LINES.length)).toEqual(lines);
    expect(roundTrip(lines, 64)).toEqual(lines);
  });

  it('carry journal JSON lines, whose text is the MESSAGE', () => {
    const json = ['{"__MONOTONIC_TIMESTAMP":"45100010","PRIORITY":"3","_HOSTNAME":"h63","SYSLOG_IDENTIFIER":"kernel","MESSAGE":"Mem abort info:\\nsecond"}'];
    const lines = read(json, json);
    expect(lines[0]!.text).toBe('Mem abort info:\nsecond');
    expect(roundTrip(lines, 1)).toEqual(lines);
  });

  it('refuse lines out of order (a batch is consecutive lines)', () => {
    const b = new TokenizedBatchBuilder(4);
    b.add('a', 0, 1, null, null, false, null, null, null, null, null);
    expect(() => b.add('b', 0, 3, null, null, false, null, null, null, null, null)).toThrow(/line 3 after line 1/);
  });
});
