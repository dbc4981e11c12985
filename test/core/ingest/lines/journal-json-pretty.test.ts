import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectJournalJsonPretty, JournalJsonPrettyReader } from '../../../../main/core/ingest/lines/journal-json-pretty';

const FIXTURES = new URL('../../../fixtures/journal/', import.meta.url);
// journalctl -o json-pretty and -o json of the same journal file (fixtures/journal/SOURCE.md).
const PRETTY = new Uint8Array(gunzipSync(readFileSync(new URL('rockpro64.journal.json-pretty.gz', FIXTURES))));
const JSON_LINES = readFileSync(new URL('rockpro64.journal.json', FIXTURES), 'utf8').split('\n').filter(Boolean);

function read(bytes: Uint8Array, size: number): string[] {
  const r = new JournalJsonPrettyReader();
  let text = '';
  for (let at = 0; at < bytes.length; at += size) text += r.push(bytes.subarray(at, at + size));
  text += r.end();
  return text.split('\n').filter(Boolean);
}

describe('journalctl -o json-pretty', () => {
  it('gives each entry as one line, the same object journalctl -o json prints', () => {
    const lines = read(PRETTY, 65536);
    expect(lines).toHaveLength(72);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(JSON_LINES.map((l) => JSON.parse(l) as unknown));
    // The entry whose MESSAGE is an array of bytes, an element a line in the pretty form.
    expect(lines.filter((l) => l.includes('"MESSAGE" : [ 27,'))).toHaveLength(1);
  });

  it('gives the same lines however the bytes are cut', () => {
    const whole = read(PRETTY, PRETTY.length);
    for (const size of [1, 2, 3, 7, 64, 4093]) expect(read(PRETTY, size)).toEqual(whole);
  });

  it('keeps braces and quotes inside strings out of the count', () => {
    const text = '{\n\t"MESSAGE" : "a } and a \\" and { [",\n\t"PRIORITY" : "3"\n}\n{\n\t"MESSAGE" : "next"\n}\n';
    expect(read(new TextEncoder().encode(text), 5).map((l) => (JSON.parse(l) as { MESSAGE: string }).MESSAGE)).toEqual(['a } and a " and { [', 'next']);
  });

  it('is recognized from its first bytes, and -o json, JSON of other tools and logs are not', () => {
    expect(detectJournalJsonPretty(PRETTY.subarray(0, 4096))).toBe(true);
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(detectJournalJsonPretty(enc(`${JSON_LINES[0]}\n`))).toBe(false);
    expect(detectJournalJsonPretty(enc('{\n  "name": "faultline",\n  "version": "0.1.0"\n}\n'))).toBe(false);
    expect(detectJournalJsonPretty(enc('[    1.234567] Booting Linux on physical CPU 0x0\n'))).toBe(false);
  });
});
