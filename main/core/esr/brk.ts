// What Linux means by a BRK immediate (EC 0x3C, ISS Comment [15:0]).
//
// Source: Linux arch/arm64/include/asm/brk-imm.h (v6.8+: KPROBES 0x004, UPROBES 0x005, KPROBES_SS 0x006,
// KRETPROBES 0x007, FAULT 0x100, KGDB_DYN_DBG 0x400, KGDB_COMPILED_DBG 0x401, BUG 0x800, KASAN 0x900 mask
// 0x0ff, UBSAN 0x5500 mask 0x00ff, CFI base 0x8000 with TARGET=GENMASK(4,0), TYPE=GENMASK(9,5));
// arch/arm64/kernel/traps.c kasan_handler() (KASAN_ESR_RECOVER 0x20, KASAN_ESR_WRITE 0x10, size
// 1 << (esr & 0xf)), cfi_handler() (target register = TARGET field, type register = TYPE field),
// ubsan_handler() (check type = low byte), bug_handler() ("Oops - BUG" for BUG(), WARN() continues).

import type { BrkInfo } from './types';

type Row = readonly [imm: number, mask: number, constant: string, meaning: string];

// Exact immediates first, then ranges (imm & ~mask == base).
const ROWS: readonly Row[] = [
  [0x004, 0, 'KPROBES_BRK_IMM', 'kprobe breakpoint'],
  [0x005, 0, 'UPROBES_BRK_IMM', 'uprobe breakpoint'],
  [0x006, 0, 'KPROBES_BRK_SS_IMM', 'kprobe single-step (out-of-line slot)'],
  [0x007, 0, 'KRETPROBES_BRK_IMM', 'kretprobe return trampoline'],
  [0x100, 0, 'FAULT_BRK_IMM', 'fault on purpose (AARCH64_BREAK_FAULT, e.g. BPF JIT padding)'],
  [0x400, 0, 'KGDB_DYN_DBG_BRK_IMM', 'kgdb dynamic breakpoint'],
  [0x401, 0, 'KGDB_COMPILED_DBG_BRK_IMM', 'kgdb compiled-in breakpoint'],
  [0x800, 0, 'BUG_BRK_IMM', 'BUG() or WARN() (kernel bug trap; at EL2: nVHE hyp BUG/WARN)'],
  [0x900, 0x0ff, 'KASAN_BRK_IMM', 'KASAN tag mismatch (software/hardware tag-based KASAN)'],
  [0x5500, 0x00ff, 'UBSAN_BRK_IMM', 'UBSAN check failure (CONFIG_UBSAN_TRAP)'],
  [0x8000, 0x03ff, 'CFI_BRK_IMM_BASE', 'kCFI indirect call type mismatch (Control-Flow Integrity)'],
];

function detailFor(constant: string, imm: number): string | null {
  switch (constant) {
    case 'KASAN_BRK_IMM': {
      const size = 1 << (imm & 0xf);
      return `${imm & 0x10 ? 'write' : 'read'} of ${size} byte(s), ${imm & 0x20 ? 'recoverable' : 'not recoverable'}`;
    }
    case 'CFI_BRK_IMM_BASE':
      return `target address in X${imm & 0x1f}, expected type in W${(imm >> 5) & 0x1f}`;
    case 'UBSAN_BRK_IMM':
      return `UBSAN check type ${imm & 0xff}`;
    default:
      return null;
  }
}

/** The kernel's meaning of a BRK immediate; `meaning` is null for immediates Linux does not use. */
export function describeBrk(imm: number): BrkInfo {
  const immediate = imm & 0xffff;
  for (const [base, mask, constant, meaning] of ROWS) {
    if ((immediate & ~mask) === base) return { immediate, meaning, constant, detail: detailFor(constant, immediate) };
  }
  return { immediate, meaning: null, constant: null, detail: null };
}
