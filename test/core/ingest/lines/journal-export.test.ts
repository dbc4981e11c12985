import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectJournalExport, JournalExportError, JournalExportReader, MAX_FIELD_BYTES } from '../../../../main/core/ingest/lines/journal-export';
import { parseJournalJson } from '../../../../main/core/ingest/lines/journal-json';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A binary field as the format writes it: NAME, LF, the size as 64-bit little endian, the data, LF. */
function binary(name: string, data: string): Uint8Array {
  const d = enc(data);
  const out = new Uint8Array(name.length + 1 + 8 + d.length + 1);
  out.set(enc(`${name}\n`), 0);
  new DataView(out.buffer).setUint32(name.length + 1, d.length, true);
  out.set(d, name.length + 9);
  out[out.length - 1] = 0x0a;
  return out;
}

function join(...parts: (string | Uint8Array)[]): Uint8Array {
  const bytes = parts.map((p) => (typeof p === 'string' ? enc(p) : p));
  const out = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of bytes) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** Every entry of `stream` read in pieces of `size` bytes, as parsed JSON objects. */
function read(stream: Uint8Array, size = stream.length): Record<string, string>[] {
  const r = new JournalExportReader();
  let text = '';
  for (let at = 0; at < stream.length; at += size) text += r.push(stream.slice(at, at + size));
  text += r.end();
  r.throwIfFailed();
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, string>);
}

// Two entries as `journalctl -o export` writes them (systemd.io/JOURNAL_EXPORT_FORMATS): the second's
// MESSAGE holds an escape sequence and a newline, so it is a binary field.
const STREAM = join(
  '__CURSOR=s=0ff6;i=1;b=5a1e;m=56fe9d202;t=5a706fdc04202;x=26dd\n',
  '__REALTIME_TIMESTAMP=1591023352431106\n__MONOTONIC_TIMESTAMP=23352431106\n_BOOT_ID=5a1e0c3b\n',
  '_TRANSPORT=kernel\nPRIORITY=3\nSYSLOG_IDENTIFIER=kernel\n_SOURCE_MONOTONIC_TIMESTAMP=23352431103\n',
  'MESSAGE=kvm [4242]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061\nMESSAGE=a second value\n\n',
  '__CURSOR=s=0ff6;i=2\n__REALTIME_TIMESTAMP=1591023352431200\n__MONOTONIC_TIMESTAMP=23352431200\n',
  '_TRANSPORT=stdout\nPRIORITY=6\nSYSLOG_IDENTIFIER=qemu-system-aarch64\n_PID=4242\n',
  binary('MESSAGE', '\x1b[31merror: kvm run failed Bad address\x1b[0m\nline two'),
  '_HOSTNAME=altra-01\n\n',
);

describe('journal export format', () => {
  it('reads each entry into the JSON form journal-json reads, text and binary fields alike', () => {
    const entries = read(STREAM);
    expect(entries).toEqual([
      {
        __REALTIME_TIMESTAMP: '1591023352431106',
        __MONOTONIC_TIMESTAMP: '23352431106',
        // Carried so that a stream's boots can be counted (journal-boots.ts).
        _BOOT_ID: '5a1e0c3b',
        _TRANSPORT: 'kernel',
        PRIORITY: '3',
        SYSLOG_IDENTIFIER: 'kernel',
        _SOURCE_MONOTONIC_TIMESTAMP: '23352431103',
        // A field given twice keeps its first value.
        MESSAGE: 'kvm [4242]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061',
      },
      {
        __REALTIME_TIMESTAMP: '1591023352431200',
        __MONOTONIC_TIMESTAMP: '23352431200',
        _TRANSPORT: 'stdout',
        PRIORITY: '6',
        SYSLOG_IDENTIFIER: 'qemu-system-aarch64',
        _PID: '4242',
        MESSAGE: '\x1b[31merror: kvm run failed Bad address\x1b[0m\nline two',
        _HOSTNAME: 'altra-01',
      },
    ]);
    const first = parseJournalJson(JSON.stringify(entries[0]));
    // The kernel's own time (the _SOURCE_ field), as for journalctl -o json.
    expect([first?.tsNs, first?.level, first?.ident]).toEqual([23_352_431_103_000n, 3, 'kernel']);
  });

  it('gives the same entries however the stream is cut into chunks', () => {
    const whole = JSON.stringify(read(STREAM));
    for (let size = 1; size <= STREAM.length; size++) expect(JSON.stringify(read(STREAM, size))).toBe(whole);
  });

  it('ends the last entry at the end of the stream without an empty line, or a newline', () => {
    expect(read(enc('__CURSOR=x\nMESSAGE=one\n\n__CURSOR=y\nMESSAGE=two')).map((e) => e.MESSAGE)).toEqual(['one', 'two']);
  });

  it('stops where the stream stops being the format, after the entries before it, naming the entry and byte', () => {
    const bad = join('__CURSOR=a\nMESSAGE=one\n\n__CURSOR=b\nMESSAGE=two\n\n', 'not a field at all\nMESSAGE=three\n\n');
    const r = new JournalExportReader();
    const text = r.push(bad);
    expect(text.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { MESSAGE: string }).MESSAGE)).toEqual(['one', 'two']);
    expect(() => r.end()).toThrow(JournalExportError);
    expect(() => r.throwIfFailed()).toThrow('journal export entry 3 (byte 48): not a field: "not a field at all"');
  });

  it('refuses a binary field that runs past the end of the stream or beyond the size limit', () => {
    const cut = join('__CURSOR=a\nMESSAGE=one\n\n__CURSOR=b\n', binary('MESSAGE', 'x'.repeat(100)).subarray(0, 50));
    const r = new JournalExportReader();
    expect(r.push(cut)).toBe('{"MESSAGE":"one"}\n');
    expect(r.end()).toBe('');
    expect(() => r.throwIfFailed()).toThrow('journal export entry 2 (byte 35): the stream ends inside a binary field');

    const huge = join('MESSAGE\n', new Uint8Array([0, 0, 0, 0x10, 0, 0, 0, 0]), 'x\n');
    const h = new JournalExportReader();
    h.push(huge);
    expect(() => h.throwIfFailed()).toThrow(`a binary field of ${0x10000000} bytes (more than ${MAX_FIELD_BYTES})`);
  });

  it('is recognized from its first bytes, and other KEY=value text is not', () => {
    expect(detectJournalExport(STREAM.subarray(0, 512))).toBe(true);
    // Without the metadata (systemd-cat style input, or --output-fields): the fields of a log entry.
    expect(detectJournalExport(enc('_TRANSPORT=kernel\nPRIORITY=3\nMESSAGE=Mem abort info:\n\n'))).toBe(true);
    expect(detectJournalExport(enc('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\n'))).toBe(false);
    expect(detectJournalExport(enc('[    1.234567] Booting Linux on physical CPU 0x0\n'))).toBe(false);
    expect(detectJournalExport(enc('{"__CURSOR":"s=1","MESSAGE":"x"}\n'))).toBe(false);
    expect(detectJournalExport(enc('MESSAGE=no newline yet'))).toBe(false);
  });

  it('reads what journalctl -o export wrote (test/fixtures/journal: 71 entries, one MESSAGE binary)', () => {
    const bytes = readFileSync(new URL('../../../fixtures/journal/rockpro64.export', import.meta.url));
    const entries = read(bytes, 4096);
    expect(entries).toHaveLength(71);
    expect(entries[0]?.MESSAGE).toBe('Unable to handle kernel read from unreadable memory at virtual address 0000000000000010');
    expect(entries.filter((e) => e.MESSAGE?.includes('\n'))).toEqual([expect.objectContaining({ SYSLOG_IDENTIFIER: 'nfsd-watch', _PID: '1311' })]);
    expect(detectJournalExport(bytes.subarray(0, 512))).toBe(true);
  });
});
