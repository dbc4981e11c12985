import { describe, expect, it } from 'vitest';
import { detectDialect } from '../../../../main/core/ingest/lines/dialect';
import { PhysicalLineReader } from '../../../../main/core/ingest/lines/physical-line';
import { LineTokensBuilder, tokenizedLine } from '../../../../main/core/ingest/lines/tokenized';
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

/** Through the tokens and what storage keeps of each line (text, time, CPU, PID, level), and back. */
function roundTrip(lines: LogLine[], capacity: number): LogLine[] {
  const b = new LineTokensBuilder(capacity);
  for (const l of lines) b.add(l, false);
  const t = b.finish();
  expect(t.count).toBe(lines.length);
  return lines.map((l, k) => tokenizedLine(t, k, l.lineNo, l.text, l.tsNs, l.cpu, l.pid, l.level));
}

describe('line tokens', () => {
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

  it('keep the problems met, and share repeated host and identifier strings', () => {
    const b = new LineTokensBuilder(8);
    for (const l of read(LINES.slice(4, 6), LINES)) b.add(l, false);
    b.problem('binary-junk', 9, 'control characters in a text line');
    const t = b.finish();
    expect(t.strings).toEqual(['h63', 'kernel', 'qemu-system-aarch64']);
    expect(t.problems).toEqual([{ kind: 'binary-junk', lineNo: 9, detail: 'control characters in a text line' }]);
    expect(t.messageStart.length).toBe(2); // cut to the lines added
  });
});
