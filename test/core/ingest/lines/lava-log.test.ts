// LAVA job logs (lava_common/log.py's records): the fixture was written by LAVA's own dump (PyYAML's C
// dumper, flow style, double-quoted), test/fixtures/lava/SOURCE.md.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLavaLog, lavaLine, LavaLogReader } from '../../../../main/core/ingest/lines/lava-log';

const FIXTURE = readFileSync(join(__dirname, '../../../fixtures/lava/lava-qemu-arm64.yaml'));
const lines = FIXTURE.toString('utf8').split('\n');

describe('LAVA job logs', () => {
  it('are told from other logs by their first line', () => {
    expect(detectLavaLog(FIXTURE)).toBe(true);
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(detectLavaLog(enc('[    7.913815] Unable to handle kernel NULL pointer dereference\n'))).toBe(false);
    expect(detectLavaLog(enc('{"MESSAGE": "x", "__REALTIME_TIMESTAMP": "1"}\n'))).toBe(false);
    expect(detectLavaLog(enc('- {"dt": "2026-01-04T12:00:01", "lvl": "info", "msg": "cut\n'))).toBe(false);
  });

  it("give the device's lines as printed, with YAML's escapes read, and LAVA's own marked", () => {
    expect(lines.slice(0, 8).map(lavaLine)).toEqual([
      'LAVA info: lava-dispatcher, installed at version: 2024.05',
      'LAVA info: start: 2 boot-qemu-image (timeout 00:05:00) [common]',
      'LAVA debug: qemu-system-aarch64 -cpu max -machine virt,gic-version=3 -nographic -m 4096',
      // `\e` (escape), `\xE9` and `\_` (no-break space) are YAML's, not JSON's
      '\x1b[0mEFI stub: Booting Linux Kernel...\x1b[0m',
      '[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x410fd083]',
      '[    0.000000] Linux version 5.5.0-rc2-14819-g4e11d8f-dirty (build@lab) (gcc version 9.2.0) #1 SMP PREEMPT',
      '[    0.000000] Machine model: linux,dummy-virt caf\u00e9\u00a0lab',
      '[    7.913815] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000038',
    ]);
    expect(lines.slice(-5, -1).map(lavaLine)).toEqual([
      'LAVA input: cat /proc/cmdline',
      'qemu-system-aarch64: terminating on signal 15',
      "LAVA error: Kernel panic - not syncing: matched the job's failure pattern",
      'LAVA results: {"case":"job","definition":"lava","result":"fail"}',
    ]);
    // A line that is not a record is kept.
    expect(lavaLine('lava-run: job 42 cancelled')).toBe('lava-run: job 42 cancelled');
  });

  it('keep a line a record, whatever the chunks the bytes come in', () => {
    const whole = new LavaLogReader();
    const expected = whole.push(FIXTURE) + whole.end();
    expect(expected.split('\n').length).toBe(lines.length);
    for (const size of [1, 7, 100, 4096]) {
      const r = new LavaLogReader();
      let out = '';
      for (let i = 0; i < FIXTURE.length; i += size) out += r.push(FIXTURE.subarray(i, i + size));
      expect(out + r.end()).toBe(expected);
    }
  });
});
