// Names people search for: trapped system registers, BRK immediates.
// Expected values: Linux arch/arm64/include/asm/esr.h ESR_ELx_SYS64_ISS_SYS_* templates (CTR_EL0, CNTVCT_EL0,
// CNTFRQ_EL0 reads), the Arm ARM IMPLEMENTATION DEFINED space (Op0=0b11, CRn=0b1x11), KVM's
// print_sys_reg_msg() line format, arch/arm64/include/asm/brk-imm.h and traps.c kasan_handler()/cfi_handler().
import { describe, expect, it } from 'vitest';
import { decodeEsr, describeBrk, describeSysregTrap, esrToJson } from '../../../main/core/esr/index';

/** esr.h ESR_ELx_SYS64_ISS_SYS_VAL(op0, op1, op2, crn, crm) | direction. */
const sysVal = (op0: number, op1: number, op2: number, crn: number, crm: number, read: boolean, rt = 0): number =>
  (op0 << 20) | (op1 << 14) | (op2 << 17) | (crn << 10) | (crm << 1) | (rt << 5) | (read ? 1 : 0);

describe('trapped system registers', () => {
  it('names the registers esr.h spells out', () => {
    expect(describeSysregTrap(sysVal(3, 3, 1, 0, 0, true), false).name).toBe('CTR_EL0');
    expect(describeSysregTrap(sysVal(3, 3, 2, 14, 0, true), false).name).toBe('CNTVCT_EL0');
    expect(describeSysregTrap(sysVal(3, 3, 0, 14, 0, true), false).name).toBe('CNTFRQ_EL0');
  });

  it('gives the instruction and KVM\'s table line', () => {
    const s = describeSysregTrap(sysVal(3, 3, 2, 14, 0, true, 3), false);
    expect(s.instruction).toBe('MRS X3, CNTVCT_EL0');
    expect(s.kvmLine).toBe(' { Op0( 3), Op1( 3), CRn(14), CRm( 0), Op2( 2), func_read },');
    const w = describeSysregTrap(sysVal(3, 0, 0, 1, 0, false, 1), false);
    expect([w.name, w.instruction, w.kvmLine.endsWith('func_write },')]).toEqual(['SCTLR_EL1', 'MSR SCTLR_EL1, X1', true]);
  });

  it('flags the IMPLEMENTATION DEFINED space and falls back to the generic name', () => {
    const s = describeSysregTrap(sysVal(3, 1, 0, 15, 2, true), false);
    expect(s).toMatchObject({ name: 'S3_1_C15_C2_0', known: false, impdef: true });
    expect(describeSysregTrap(sysVal(3, 0, 0, 1, 0, true), false).impdef).toBe(false);
  });

  it('puts the name in the JSON and the KVM view for EC 0x18', () => {
    const v = BigInt(((0x18 << 26) | (1 << 25) | sysVal(3, 3, 1, 0, 0, true)) >>> 0);
    expect(esrToJson(decodeEsr(v)).sysreg_name).toBe('CTR_EL0');
    expect(decodeEsr(v, { el: 2 }).kvm?.message).toContain('func_read');
  });

  it('reads the register pair of MSRR/MRRS (EC 0x14) from Rt<4:1>', () => {
    const s = describeSysregTrap((3 << 20) | (2 << 10) | (3 << 6) | 1, true);
    expect(s.instruction).toBe('MRRS X6, X7, TTBR0_EL1');
  });
});

describe('BRK immediates', () => {
  it('BUG/WARN, kprobes, kgdb', () => {
    expect(describeBrk(0x800).constant).toBe('BUG_BRK_IMM');
    expect(describeBrk(0x004).constant).toBe('KPROBES_BRK_IMM');
    expect(describeBrk(0x401).constant).toBe('KGDB_COMPILED_DBG_BRK_IMM');
  });

  it('KASAN 0x9xx with the access it encodes (write bit 0x10, size 1 << (imm & 0xf), recover bit 0x20)', () => {
    expect(describeBrk(0x913)).toMatchObject({ constant: 'KASAN_BRK_IMM', detail: 'write of 8 byte(s), not recoverable' });
    expect(describeBrk(0x920).detail).toBe('read of 1 byte(s), recoverable');
  });

  it('kCFI 0x8xxx with its target and type registers, UBSAN 0x55xx', () => {
    expect(describeBrk(0x8000 | (2 << 5) | 1)).toMatchObject({ constant: 'CFI_BRK_IMM_BASE', detail: 'target address in X1, expected type in W2' });
    expect(describeBrk(0x5503)).toMatchObject({ constant: 'UBSAN_BRK_IMM', detail: 'UBSAN check type 3' });
  });

  it('an immediate Linux does not use has no meaning', () => {
    expect(describeBrk(0x1234)).toMatchObject({ meaning: null, constant: null });
  });
});
