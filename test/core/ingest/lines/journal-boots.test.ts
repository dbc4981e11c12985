import { describe, expect, it } from 'vitest';
import { BootIdScanner, withoutMonotonic } from '../../../../main/core/ingest/lines/journal-boots';

const BOOT_A = '5a1e0c3b9f2d4e6a8b7c1d2e3f405162';
const BOOT_B = '9b2c4d6e8f0a1b2c3d4e5f6a7b8c9d0e';
const entry = (boot: string, i: number, spaced = false): string =>
  spaced
    ? `{ "__MONOTONIC_TIMESTAMP" : "${1000 + i}", "_BOOT_ID" : "${boot}", "MESSAGE" : "entry ${i}" }\n`
    : `{"__REALTIME_TIMESTAMP":"${2000 + i}","__MONOTONIC_TIMESTAMP":"${1000 + i}","_BOOT_ID":"${boot}","MESSAGE":"entry ${i}"}\n`;

function boots(text: string, size: number): number {
  const s = new BootIdScanner();
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) s.push(bytes.subarray(at, at + size));
  s.end();
  return s.count;
}

describe('the boots of a journal stream', () => {
  it('are counted however the stream is cut, a boot id cut between two chunks included', () => {
    const one = Array.from({ length: 20 }, (_, i) => entry(BOOT_A, i)).join('');
    const two = one + entry(BOOT_B, 20);
    const pretty = entry(BOOT_A, 0, true) + entry(BOOT_B.toUpperCase(), 1, true) + entry(BOOT_B, 2, true);
    // -o export and -o verbose: a field a line; the second boot's id is the stream's last bytes.
    const exported = `__CURSOR=s=1;i=1\n_BOOT_ID=${BOOT_A}\nMESSAGE=one\n\n__CURSOR=s=1;i=2\nMESSAGE=two\n_BOOT_ID=${BOOT_B}`;
    const verbose = `Mon 2020-06-01 14:55:52.431106 UTC [s=1;i=1;b=${BOOT_A};m=1;t=2;x=3]\n    _BOOT_ID=${BOOT_A}\n    MESSAGE=one\n`;
    for (const size of [1, 2, 7, 10, 63, 64, 65, 4096]) {
      expect(boots(one, size)).toBe(1);
      expect(boots(two, size)).toBe(2);
      expect(boots(pretty, size)).toBe(2);
      expect(boots(exported, size)).toBe(2);
      expect(boots(verbose, size)).toBe(1);
    }
    expect(boots('{"MESSAGE":"no boot here","_BOOT_ID":"not hex"}\n', 5)).toBe(0);
    expect(boots(`_BOOT_ID=${BOOT_A}ff\n`, 5)).toBe(0);
  });

  it('an entry on the realtime clock keeps every field but its monotonic stamps', () => {
    const line = '{"__REALTIME_TIMESTAMP":"2000","__MONOTONIC_TIMESTAMP":"1000","_SOURCE_MONOTONIC_TIMESTAMP":"999","MESSAGE":"m"}';
    expect(JSON.parse(withoutMonotonic(line))).toEqual({ __REALTIME_TIMESTAMP: '2000', MESSAGE: 'm' });
    expect(JSON.parse(withoutMonotonic(`\x1e${line}`))).toEqual({ __REALTIME_TIMESTAMP: '2000', MESSAGE: 'm' });
    expect(withoutMonotonic('not json')).toBe('not json');
  });
});
