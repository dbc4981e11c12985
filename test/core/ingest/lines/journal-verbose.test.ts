import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JOURNAL_JSON_FIELDS } from '../../../../main/core/ingest/lines/journal-json';
import { detectJournalVerbose, JournalVerboseReader } from '../../../../main/core/ingest/lines/journal-verbose';

const FIXTURES = new URL('../../../fixtures/journal/', import.meta.url);
// journalctl --all -o verbose and -o json of the same journal file (fixtures/journal/SOURCE.md).
const VERBOSE = new Uint8Array(readFileSync(new URL('rockpro64.journal.verbose', FIXTURES)));
const JSON_LINES = readFileSync(new URL('rockpro64.journal.json', FIXTURES), 'utf8').split('\n').filter(Boolean);
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function read(bytes: Uint8Array, size = bytes.length): Record<string, string>[] {
  const r = new JournalVerboseReader();
  let text = '';
  for (let at = 0; at < bytes.length; at += size) text += r.push(bytes.subarray(at, at + size));
  text += r.end();
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, string>);
}

/** What journalctl -o json printed of an entry, on the fields the JSON reader takes (a byte array as its text). */
function expected(line: string): Record<string, string> {
  const o = JSON.parse(line) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    if (!JOURNAL_JSON_FIELDS.has(k)) continue;
    out[k] = typeof v === 'string' ? v : new TextDecoder().decode(Uint8Array.from(v as number[]));
  }
  return out;
}

describe('journalctl -o verbose', () => {
  it('gives each entry the fields journalctl -o json prints of it, times from the cursor included', () => {
    const entries = read(VERBOSE);
    expect(entries).toHaveLength(72);
    expect(entries).toEqual(JSON_LINES.map(expected));
    // The service's message of two lines with colours (a byte array in the JSON form) is whole.
    expect(entries.filter((e) => e.MESSAGE!.endsWith('worker died\x1b[0m\nrestarting'))).toHaveLength(1);
  });

  it('gives the same entries however the bytes are cut', () => {
    const whole = read(VERBOSE);
    for (const size of [1, 2, 5, 64, 4093]) expect(read(VERBOSE, size)).toEqual(whole);
  });

  it('keeps what journalctl printed for a field without --all, and lines that are not the form', () => {
    const text = [
      '-- Logs begin at Mon 2020-06-01 14:55:52 UTC, end at Mon 2020-06-01 16:46:13 UTC. --',
      'Mon 2020-06-01 14:55:52.432535 UTC [s=ee88;i=47;b=5a1e;m=56fe9d797;t=5a706fdc04797;x=10c2]',
      '    _TRANSPORT=stdout',
      '    MESSAGE=[39B blob data]',
      '    MESSAGE=second value, not kept',
      'a line pasted in',
      'Mon 2020-06-01 14:55:52.432600 UTC [s=ee88;i=48;b=5a1e;m=10;t=20;x=10c3]',
      '    MESSAGE=last\r',
      '',
    ].join('\n');
    expect(read(enc(text), 7)).toEqual([
      { __MONOTONIC_TIMESTAMP: String(0x56fe9d797), __REALTIME_TIMESTAMP: String(0x5a706fdc04797), _TRANSPORT: 'stdout', MESSAGE: '[39B blob data]' },
      { MESSAGE: 'a line pasted in' },
      { __MONOTONIC_TIMESTAMP: '16', __REALTIME_TIMESTAMP: '32', MESSAGE: 'last' },
    ]);
  });

  it('is recognized from its first bytes, and the other journal forms and logs are not', () => {
    expect(detectJournalVerbose(VERBOSE.subarray(0, 4096))).toBe(true);
    expect(detectJournalVerbose(enc(`-- Logs begin at Mon 2020-06-01 14:55:52 UTC. --\n${new TextDecoder().decode(VERBOSE.subarray(0, 4096))}`))).toBe(true);
    expect(detectJournalVerbose(enc(`${JSON_LINES[0]}\n`))).toBe(false);
    expect(detectJournalVerbose(enc('Tue 2024-02-27 10:00:05 UTC host kernel: kvm [4242]: Unsupported FSC\n'))).toBe(false);
    expect(detectJournalVerbose(enc('[    1.234567] Booting Linux on physical CPU 0x0\n'))).toBe(false);
    expect(detectJournalVerbose(readFileSync(new URL('rockpro64.export', FIXTURES)).subarray(0, 4096))).toBe(false);
  });
});
