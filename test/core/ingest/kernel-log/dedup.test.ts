// One fault printed twice (../shared/docs/DOMAIN.md §4: "a serial capture that repeats a 12-line chunk (two
// `Internal error … [#1]` for one fault)"), the copy cut short. Lines from arch/arm64/mm/fault.c
// die_kernel_fault/mem_abort_decode and arch/arm64/kernel/traps.c __die ("Internal error: %s: %x [#%d]").
import { describe, expect, it } from 'vitest';
import { hex, readLog } from './read-log';

const CHUNK = `[   16.007376] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000010
[   16.016300] Mem abort info:
[   16.019269]   ESR = 0x96000006
[   16.051709] Internal error: Oops: 96000006 [#1] PREEMPT SMP`;
const REST = `[   16.133466] CPU: 2 PID: 33 Comm: kworker/2:1 Tainted: G        W         5.4.37-rc1 #1
[   16.159428] pc : snd_soc_dapm_new_dai+0x3c/0x1b0
[   16.300000] ---[ end trace 0123456789abcdef ]---`;

describe('a repeated chunk, one copy cut short', () => {
  it('is one record, with what the fuller copy knows', () => {
    const r = readLog(`${CHUNK}\n${CHUNK}\n${REST}`);
    expect(r.faults.map((f) => [f.kind, hex(f.esr), hex(f.far), f.cpu, f.pid, f.comm, f.kernel, f.timeNs, f.extra.oops, f.extra.reprinted])).toEqual([
      ['mem_abort', '0x96000006', '0x10', 2, 33, 'kworker/2:1', '5.4.37-rc1', 16_007_376_000n, 1, 1],
    ]);
    expect(r.diagnostics.filter((d) => d.id === 'fault-duplicate').map((d) => d.line)).toEqual([5]);
  });

  it('is one record when the copy stops inside its `pc :` symbol', () => {
    const cut = `${CHUNK}\n${REST.split('\n').slice(0, 1).join('\n')}\n[   16.159428] pc : snd_soc_dapm_new_`;
    const r = readLog(`${CHUNK}\n${REST}\n${cut}`);
    expect(r.faults.map((f) => [hex(f.esr), f.cpu, f.extra.pc_symbol])).toEqual([['0x96000006', 2, 'snd_soc_dapm_new_dai+0x3c/0x1b0']]);
    // Another symbol is another fault.
    const other = readLog(`${CHUNK}\n${REST}\n${cut.replace('snd_soc_dapm_new_', 'dw_pcie_')}`);
    expect(other.faults).toHaveLength(2);
  });

  it('stays two when a field both copies know differs, or the `[#N]` does', () => {
    const otherCpu = readLog(`${CHUNK}\n${REST.replace('CPU: 2 PID: 33', 'CPU: 3 PID: 33')}\n${CHUNK}\n${REST}`);
    expect(otherCpu.faults.map((f) => f.cpu)).toEqual([3, 2]);
    const second = readLog(`${CHUNK}\n${CHUNK.replace('[#1]', '[#2]')}\n${REST}`);
    expect(second.faults.map((f) => [f.extra.oops, f.cpu])).toEqual([
      [1, null],
      [2, 2],
    ]);
  });
});

describe('a chunk re-sent from a line inside the report', () => {
  const chunk = CHUNK.split('\n');
  // Another Oops of the same boot, its header lost (DOMAIN.md §4: reports starting at the `ESR =` line):
  // the same lines, printed a second later at their own stamps.
  const later = (lines: string): string => lines.replaceAll('[   16.', '[   17.');

  it('is one record, filled from both copies, at the time the report began', () => {
    // The capture stops after `ESR =` and starts again at `Mem abort info:`: the copy's first stamp is not
    // the original's first.
    const r = readLog([...chunk.slice(0, 3), ...chunk.slice(1), REST].join('\n'));
    expect(r.faults.map((f) => [hex(f.esr), hex(f.far), f.cpu, f.comm, f.extra.oops, f.timeNs, f.extra.reprinted])).toEqual([
      ['0x96000006', '0x10', 2, 'kworker/2:1', 1, 16_007_376_000n, 1],
    ]);
    // A whole report, then its end again from the `Internal error` line.
    const tail = readLog([CHUNK, REST, chunk[3]!, REST].join('\n'));
    expect(tail.faults.map((f) => [f.source.line, f.extra.reprinted])).toEqual([[1, 1]]);
  });

  it('stays two when the second report prints the same lines at its own stamps', () => {
    const r = readLog([...chunk.slice(0, 3), later([...chunk.slice(1), REST].join('\n'))].join('\n'));
    expect(r.faults.map((f) => [hex(f.far), f.cpu, f.timeNs])).toEqual([
      ['0x10', null, 16_007_376_000n],
      [null, 2, 17_016_300_000n],
    ]);
  });
});
