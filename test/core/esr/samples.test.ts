// The decoder against real logs (../shared/samples/logs, ground truth in INDEX.md there): the kernel printed
// its own decode next to each ESR, so the decoder must reproduce that block, and the facts INDEX.md lists.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeEsr, ecRow, renderMemAbortInfo } from '../../../main/core/esr/index';

const LOGS = fileURLToPath(new URL('../../../../shared/samples/logs/', import.meta.url));

// Line prefixes seen in the samples: `<1>`, `[ 16.019269]`, PREEMPT_RT `000: `, syslog `14:04:59 h63 kernel: `,
// journal `[23352.431938] rockpro64 kernel: `, debug `  mem_abort_decode: `.
const PREFIX = /^(?:<\d>)?(?:\[\s*[\d.]+\]\s?)?(?:\d{3}: )?(?:\d\d:\d\d:\d\d )?(?:\S+ kernel: )?(?:\s*(?:mem_abort_decode|show_pte): )?/;

/** Every "Mem abort info:" block of a log, as the kernel printed it (prefixes stripped, blank lines skipped). */
function memAbortBlocks(file: string): string[][] {
  const lines = readFileSync(LOGS + file, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.replace(PREFIX, ''))
    .filter((l) => l.trim() !== '');
  const blocks: string[][] = [];
  lines.forEach((line, i) => {
    if (line !== 'Mem abort info:') return;
    const block = [line];
    for (let j = i + 1; j < lines.length && /^( {2}\S|Data abort info:)/.test(lines[j] as string); j++) block.push(lines[j] as string);
    blocks.push(block);
  });
  return blocks;
}

function esrOf(block: readonly string[]): bigint {
  const m = /ESR = (0x[0-9a-f]+)/.exec(block[1] ?? '');
  if (!m) throw new Error(`no ESR line in ${block.join('|')}`);
  return BigInt(m[1] as string);
}

// file, kernel release (INDEX.md; 024 is a May 2019 posting with the pre-5.4 layout), blocks in the file.
const MEM_ABORT_LOGS: ReadonlyArray<readonly [string, string, number]> = [
  ['008-kvm-rt-kernel-cpu-prefix-alignment-fault-oops.log', '5.2.0-rt1-00008-g5bc0332820fd', 1],
  ['010-kvm-vgic-mmio-guest-abort-null-deref-64k.log', '5.5.0-rc2-14819-g4e11d8f-dirty', 1],
  ['021-memabort-kernelci-printk-level-prefix.log', '5.4.37-rc1', 1],
  ['024-memabort-user-dabt-lower-el-debug-prefix-64k.log', '5.1', 1],
  ['035-memabort-syslog-time-only-double-spaced-two-oopses-cm4.log', '6.1.45-v8-gdc69f9d60872', 2],
  ['051-memabort-journalctl-short-monotonic-two-oopses-rockpro64.log', '5.6.17+', 2],
];

describe.skipIf(!existsSync(LOGS))('real logs', () => {
  describe.each(MEM_ABORT_LOGS)('%s', (file, kernel, count) => {
    const blocks = memAbortBlocks(file);

    it(`has ${count} Mem abort info block(s)`, () => {
      expect(blocks).toHaveLength(count);
    });

    it('renders the kernel block exactly as the log printed it', () => {
      for (const block of blocks) {
        const ours = renderMemAbortInfo(decodeEsr(esrOf(block), { kernel })).trimEnd().split('\n');
        expect(ours).toEqual(block);
      }
    });
  });

  it('008: alignment fault at EL1 (ESR 0x96000021): DABT_CUR, DFSC 0x21 alignment', () => {
    const d = decodeEsr(0x96000021n);
    expect([d.ecInfo.name, d.fsc?.code, d.fsc?.type, d.fsc?.reserved]).toEqual(['DABT_CUR', 0x21, 'alignment', false]);
  });

  it('024: a user-space write fault: DABT_LOW, WnR=1, level 3 translation', () => {
    const d = decodeEsr(0x92000047n);
    const wnr = d.fields.find((f) => f.name === 'ISS')?.children.find((f) => f.name === 'WnR');
    expect([d.ecInfo.name, wnr?.value, d.fsc?.type, d.fsc?.level]).toEqual(['DABT_LOW', 1, 'translation', 3]);
  });

  it('013: SError code 0xbf000002 is IDS=1 (IMPLEMENTATION DEFINED) and Linux panics', () => {
    const text = readFileSync(LOGS + '013-serror-devmem-user-el0-wrapped.log', 'utf8');
    const m = /SError Interrupt on CPU\d+, code (0x[0-9a-f]+) -- (.+)/.exec(text);
    const d = decodeEsr(BigInt(m?.[1] ?? '0'), { kernel: '5.6.0-rc7' });
    expect(d.kernel.className).toBe(m?.[2]);
    expect(d.ecInfo.name).toBe('SERROR');
    expect(d.serror?.ids).toBe(1);
    expect(d.serror?.linuxPanics).toBe(true);
  });

  it('003: hyp BUG ESR:f2000800 is BRK #0x800 (BUG), and HPFAR 0x800800 gives IPA 0x80080000', () => {
    const text = readFileSync(LOGS + '003-kvm-nvhe-hyp-bug-qemu-guest-host.log', 'utf8');
    const esr = /ESR:([0-9a-f]+)/.exec(text)?.[1] ?? '';
    const far = /FAR:([0-9a-f]+)/.exec(text)?.[1] ?? '';
    const hpfar = /HPFAR:([0-9a-f]+)/.exec(text)?.[1] ?? '';
    const d = decodeEsr(BigInt('0x' + esr), { el: 2, far: BigInt('0x' + far), hpfar: BigInt('0x' + hpfar) });
    expect(d.ecInfo.name).toBe('BRK64');
    expect(d.brk?.constant).toBe('BUG_BRK_IMM');
    expect(d.addresses.ipa).toBe(0x80080000n);
    expect(d.kvm?.path).toBe('hyp_bug');
  });

  it('039: kvm_exit HSR_EC 0x0018 is named SYS64 as the tracepoint prints it', () => {
    const text = readFileSync(LOGS + '039-ftrace-kvm-exit-entry-nv-guest-loop-email-wrapped.log', 'utf8');
    const m = /HSR_EC: (0x[0-9a-f]+) \((\w+)\)/.exec(text);
    expect(ecRow(Number(m?.[1])).name).toBe(m?.[2]);
  });
});
