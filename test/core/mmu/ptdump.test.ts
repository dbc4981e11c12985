// ptdump parsing. The dump lines below were written by hand from the kernel's format strings, not captured:
// arch/arm64/mm/ptdump.c note_page prints "0x%016lx-0x%016lx   " then "%9lu%c %s" (size with unit K/M/G…,
// level name), then " %s" for each pte_bits[] entry (set or clear string; the AttrIndx rows print only the
// matching name), and nothing when the range has no valid entry. arch/arm64/kvm/ptdump.c uses the same
// printer with stage2_pte_bits[] (" ", R, W, the XN pair, AF, BLK) and the level number as its name.
//
// Worked: a 2 MB tagged linear-map block: size 0x200000 >> 10 = 2048, divisible by 1024 -> "2M", printed
// "%9lu%c" as 8 spaces + "2M"; then " PMD", "  " (valid), "    " (no USR), " RW", " NX", " SHD", " AF",
// "   " (no NG), "    " (no CON), " BLK" (table bit clear), " UXN", "   " (no GP), " MEM/NORMAL-TAGGED".
import { describe, expect, it } from 'vitest';
import { findPtdumpRange, parsePtdump } from '../../../main/core/mmu/ptdump';

const HOST_DUMP = [
  '---[ Linear Mapping start ]---',
  '0xffff000000000000-0xffff000000200000           2M PMD       RW NX SHD AF        BLK UXN    MEM/NORMAL-TAGGED',
  '0xffff000000200000-0xffff000000400000           2M PMD       ro NX SHD AF        BLK UXN    MEM/NORMAL',
  '---[ Linear Mapping end ]---',
  '---[ vmalloc() area ]---',
  '0xffff800008000000-0xffff800008010000          64K PTE       RW NX SHD AF            UXN    DEVICE/nGnRE',
  '0xffff800008010000-0xffff800010000000        8188K PTE',
  '0xffff800010000000-0xffff800010001000           4K PTE       RW NX SHD AF            UXN    MEM/NORMAL-NC',
  '---[ vmalloc() end ]---',
].join('\n');

const KVM_S2_DUMP = [
  '---[ Guest IPA ]---',
  '0x0000000000000000-0x0000000040000000           1G 1',
  '0x0000000040000000-0x0000000040200000           2M 2   R W PXNUXN AF BLK',
  '0x0000000040200000-0x0000000040201000           4K 3   R W px ux  AF',
  '0x0000000040201000-0x0000000040202000           4K 3   R   PXNux  AF',
].join('\n');

describe('parsePtdump, stage 1 (kernel_page_tables)', () => {
  const dump = parsePtdump(HOST_DUMP);

  it('reads every range with its section, level and attributes', () => {
    expect(dump.ranges).toHaveLength(5);
    expect(dump.skipped).toBe(0);
    const [first] = dump.ranges;
    expect(first).toMatchObject({ start: 0xffff000000000000n, end: 0xffff000000200000n, level: 'PMD', stage: 1, section: 'Linear Mapping start', mapped: true });
    expect(first?.s1).toMatchObject({ readOnly: false, pxn: true, uxn: true, shared: true, af: true, ng: false, contiguous: false, block: true, user: false, memType: 'MEM/NORMAL-TAGGED', mairAttr: 0xf0 });
    expect(dump.ranges[1]?.s1).toMatchObject({ readOnly: true, memType: 'MEM/NORMAL', mairAttr: 0xff });
  });

  it('maps memory-type names to the MAIR attributes Linux programs, and marks unmapped ranges', () => {
    expect(dump.ranges[2]?.s1).toMatchObject({ memType: 'DEVICE/nGnRE', mairAttr: 0x04, block: false });
    expect(dump.ranges[3]).toMatchObject({ mapped: false, s1: null, end: 0xffff800010000000n });
    expect(dump.ranges[4]?.s1?.mairAttr).toBe(0x44);
  });

  it('finds the range holding an address (end exclusive)', () => {
    expect(findPtdumpRange(dump, 0xffff800008000abcn)?.s1?.memType).toBe('DEVICE/nGnRE');
    expect(findPtdumpRange(dump, 0xffff000000200000n)?.s1?.memType).toBe('MEM/NORMAL');
    expect(findPtdumpRange(dump, 0xffff800010001000n)).toBeNull();
  });

  it('skips and counts lines that are not part of the dump (a shell prompt, a truncated line)', () => {
    const d = parsePtdump(`# cat /sys/kernel/debug/kernel_page_tables\n${HOST_DUMP}\n0xffff80001000`);
    expect(d.ranges).toHaveLength(5);
    expect(d.skipped).toBe(2);
  });
});

describe('parsePtdump, stage 2 (KVM stage2_page_tables)', () => {
  const dump = parsePtdump(KVM_S2_DUMP);

  it('recognizes stage-2 ranges by their numeric level and reads permissions', () => {
    expect(dump.ranges.map((r) => r.stage)).toEqual([2, 2, 2, 2]);
    expect(dump.ranges[0]).toMatchObject({ mapped: false, level: '1', section: 'Guest IPA' });
    expect(dump.ranges[1]?.s2).toEqual({ read: true, write: true, pxn: true, uxn: true, af: true, block: true });
    expect(dump.ranges[2]?.s2).toEqual({ read: true, write: true, pxn: false, uxn: false, af: true, block: false });
    expect(dump.ranges[3]?.s2).toMatchObject({ read: true, write: false, pxn: true, uxn: false });
  });
});
