// MIDR_EL1 -> a CPU name, for the bundle context (`Booting Linux on physical CPU 0x0 [0x413fd0c1]`).
// Field layout: Arm ARM D24.2.110 MIDR_EL1 (Implementer [31:24], Variant [23:20], Architecture [19:16],
// PartNum [15:4], Revision [3:0]). Implementer and part numbers: Linux arch/arm64/include/asm/cputype.h
// (ARM_CPU_IMP_*, *_CPU_PART_*).

const IMPLEMENTERS: Readonly<Record<number, string>> = {
  0x41: 'Arm',
  0x42: 'Broadcom',
  0x43: 'Cavium',
  0x46: 'Fujitsu',
  0x48: 'HiSilicon',
  0x4e: 'NVIDIA',
  0x50: 'APM',
  0x51: 'Qualcomm',
  0x61: 'Apple',
  0x6d: 'Microsoft',
  0xc0: 'Ampere',
};

// Keyed by implementer << 12 | part.
const PARTS: Readonly<Record<number, string>> = {
  [(0x41 << 12) | 0xd03]: 'Cortex-A53',
  [(0x41 << 12) | 0xd04]: 'Cortex-A35',
  [(0x41 << 12) | 0xd05]: 'Cortex-A55',
  [(0x41 << 12) | 0xd07]: 'Cortex-A57',
  [(0x41 << 12) | 0xd08]: 'Cortex-A72',
  [(0x41 << 12) | 0xd09]: 'Cortex-A73',
  [(0x41 << 12) | 0xd0a]: 'Cortex-A75',
  [(0x41 << 12) | 0xd0b]: 'Cortex-A76',
  [(0x41 << 12) | 0xd0c]: 'Neoverse-N1',
  [(0x41 << 12) | 0xd0d]: 'Cortex-A77',
  [(0x41 << 12) | 0xd40]: 'Neoverse-V1',
  [(0x41 << 12) | 0xd41]: 'Cortex-A78',
  [(0x41 << 12) | 0xd44]: 'Cortex-X1',
  [(0x41 << 12) | 0xd46]: 'Cortex-A510',
  [(0x41 << 12) | 0xd47]: 'Cortex-A710',
  [(0x41 << 12) | 0xd48]: 'Cortex-X2',
  [(0x41 << 12) | 0xd49]: 'Neoverse-N2',
  [(0x41 << 12) | 0xd4f]: 'Neoverse-V2',
  [(0x41 << 12) | 0xd80]: 'Cortex-A520',
  [(0x41 << 12) | 0xd81]: 'Cortex-A720',
  [(0x41 << 12) | 0xd82]: 'Cortex-X4',
  [(0x41 << 12) | 0xd84]: 'Neoverse-V3',
  [(0x41 << 12) | 0xd8e]: 'Neoverse-N3',
  [(0x42 << 12) | 0x516]: 'Vulcan',
  [(0x43 << 12) | 0x0a1]: 'ThunderX',
  [(0x43 << 12) | 0x0af]: 'ThunderX2',
  [(0x46 << 12) | 0x001]: 'A64FX',
  [(0x48 << 12) | 0xd01]: 'TSV110',
  [(0x4e << 12) | 0x004]: 'Carmel',
  [(0x50 << 12) | 0x000]: 'X-Gene',
  [(0x51 << 12) | 0xc00]: 'Falkor',
  [(0xc0 << 12) | 0xac3]: 'AmpereOne',
};

/** `0x413fd0c1` -> `Arm Neoverse-N1 r3p1`; unknown parts keep their numbers. */
export function describeMidr(midr: number): string {
  const implementer = (midr >>> 24) & 0xff;
  const variant = (midr >>> 20) & 0xf;
  const part = (midr >>> 4) & 0xfff;
  const revision = midr & 0xf;
  const vendor = IMPLEMENTERS[implementer] ?? `implementer 0x${implementer.toString(16)}`;
  const name = PARTS[(implementer << 12) | part] ?? `part 0x${part.toString(16).padStart(3, '0')}`;
  return `${vendor} ${name} r${variant}p${revision}`;
}
