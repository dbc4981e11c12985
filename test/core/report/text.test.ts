// The plain-text report: properties checked on every report rendered (never a stored copy of the output),
// the seed case's content, and the decode against what real kernels printed (../shared/samples/logs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATTICE } from '../../../main/core/mmu/types';
import { buildReport } from '../../../main/core/report/model';
import { quoteLine, renderText } from '../../../main/core/report/text';
import type { FaultInput, ReportInput } from '../../../main/core/report/input';
import { matchesKernelFormat, textViolations, valueColumns } from './properties';
import { record, SEED_KVM_LINE, SEED_QEMU_LINE, seedFaults, seedInput } from './fixtures';

const LOGS = join(__dirname, '..', '..', '..', '..', 'shared', 'samples', 'logs');

function render(input: ReportInput): { text: string; violations: string[]; report: ReturnType<typeof buildReport> } {
  const report = buildReport(input);
  const text = renderText(report);
  return { text, report, violations: textViolations(report, text) };
}

describe('text report properties', () => {
  it('the checker catches long lines, trailing blanks, non-ASCII and altered decode lines', () => {
    const { report, text } = render(seedInput());
    expect(textViolations(report, text)).toEqual([]);
    const long = text.replace('Paging:', `Paging: ${'x'.repeat(80)}`);
    expect(textViolations(report, long).some((v) => v.includes('columns'))).toBe(true);
    expect(textViolations(report, text.replace('\n\n', ' \n\n')).some((v) => v.includes('trailing'))).toBe(true);
    expect(textViolations(report, text.replace('Kernel:', 'Kernel\u2014')).some((v) => v.includes('ASCII'))).toBe(true);
    expect(textViolations(report, text.replace('WnR = 1', 'WnR=1')).some((v) => v.includes('decode block'))).toBe(true);
    expect(textViolations(report, text.replace('[1]', '[9]')).length).toBeGreaterThan(0);
    expect(matchesKernelFormat('  ESR = 0x92000061')).toBe(true);
    expect(matchesKernelFormat('  ESR = 0x9200006')).toBe(false);
  });

  it('the seed case reads like a kernel report: 6.9 fix commit, lore link, kernel decode, quoted lines whole', () => {
    const { text, violations, report } = render(seedInput());
    expect(violations).toEqual([]);
    // The fix (DOMAIN.md §3(f)): 8c47ce3e1d2c, first in v6.9, in the `<sha> ("subject")` form.
    expect(text).toContain('8c47ce3e1d2c ("KVM: arm64: Set io memory s2 pte as normalnc for');
    expect(text).toMatch(/Fixed in Linux 6\.9 by\s+commit 8c47ce3e1d2c/);
    expect(text).toMatch(/^\s*(Link: )?https:\/\/lore\.kernel\.org\/r\/20240224150546\.368-4-ankita@nvidia\.com$/m);
    expect(text).toMatch(/^\s*Link: https:\/\//m);
    // ESR_EL2 0x92000061 by the Arm ARM: EC [31:26] = 0b100100 (0x24, DABT from a lower EL), IL = 1, ISV = 0,
    // WnR [6] = 1, DFSC [5:0] = 0b100001 (alignment); Linux 6.1 prints the 64-bit ESR and the FSC line.
    for (const l of ['ESR = 0x0000000092000061', 'EC = 0x24: DABT (lower EL), IL = 32 bits', 'FSC = 0x21: alignment fault', 'ISV = 0, ISS = 0x00000061', 'CM = 0, WnR = 1']) {
      expect(text).toContain(`\n    ${l}\n`);
    }
    // Quoted log lines are longer than 72 columns and stay whole, indented.
    expect(SEED_KVM_LINE.length).toBeGreaterThan(72);
    expect(text.split('\n')).toContain(quoteLine(SEED_KVM_LINE));
    expect(text.split('\n')).toContain(quoteLine(SEED_QEMU_LINE));
    expect(text).toMatch(/sos_commands\/kernel\/dmesg:1042:/);
    expect(report.findings).toHaveLength(1);
  });

  it('aligns the key block like syzbot: every value starts in one column', () => {
    const { text, report } = render(seedInput());
    const cols = valueColumns(text, report.header.map((r) => r.key));
    expect(cols.every((c) => c === cols[0] && c > 0)).toBe(true);
    expect(text).toMatch(/^Host: +gpu-host-01$/m);
    expect(text).toMatch(/^Passthrough: +0000:01:00\.0 /m);
  });

  it('draws the lattice as one line per memory type with the stage 1, stage 2 and result markers', () => {
    const { text } = render(seedInput());
    const lines = text.split('\n');
    const head = lines.findIndex((l) => /^ +S1 {2}S2 {2}result$/.test(l));
    expect(head).toBeGreaterThan(0);
    const rows = lines.slice(head + 1, head + 1 + LATTICE.length);
    expect(rows.map((l) => l.trim().split(/\s+/)[0])).toEqual([...LATTICE]);
    const marks = (node: string): string[] => (rows.find((l) => l.trim().split(/\s+/)[0] === node) as string).trim().split(/\s+/).slice(1);
    expect(marks('Normal-NC')).toEqual(['S1', '.', '.']);
    expect(marks('Device-nGnRE')).toEqual(['.', 'S2', '=']);
    expect(marks('Normal-WB')).toEqual(['.', '.', '.']);
  });

  it('makes non-ASCII log text visible as escapes and keeps the line otherwise unchanged', () => {
    const weird = 'kvm [1]: caf\u00e9 \u2014 done\ttab\r';
    const faults: FaultInput[] = [{ ...(seedFaults[1] as FaultInput), record: record({ kind: 'vmm_error', source: { file: 'qemu.log', line: 3, endLine: 3 }, text: weird }) }];
    const { text, violations } = render(seedInput({ faults, diagnoses: [] }));
    expect(violations).toEqual([]);
    expect(text).toContain('    kvm [1]: caf\\xe9 \\u{2014} done  tab');
  });

  it('ranks findings by severity and quotes only one fault of identical repeats', () => {
    const oops = (id: number, t: bigint): FaultInput => ({
      id,
      count: 1,
      decode: null,
      replay: null,
      record: record({ kind: 'mem_abort', esr: 0x96000005n, el: 1, timeNs: t, kernel: '6.1.45-v8-gdc69f9d60872', source: { file: 'syslog', line: id * 10, endLine: id * 10 + 1 }, text: `Unable to handle kernel NULL pointer dereference at virtual address 0000000000000070\nInternal error: Oops: 0000000096000005 [#1] PREEMPT SMP` }),
    });
    const sysreg: FaultInput = { id: 9, count: 3, decode: null, replay: null, record: record({ kind: 'kvm_sysreg_trap', source: { file: 'dmesg', line: 5, endLine: 5 }, text: 'kvm [1430]: Unsupported guest sys_reg access at: 80528a6c [80000349]' }) };
    const { report, text, violations } = render(seedInput({ faults: [sysreg, oops(4, 20n), oops(3, 10n), ...seedFaults] }));
    expect(violations).toEqual([]);
    expect(report.findings.map((f) => f.severity)).toEqual(['critical', 'error', 'warning']);
    const oopses = report.findings[1];
    expect(oopses?.faultCount).toBe(2);
    expect(oopses?.unquoted).toBe(1);
    expect(oopses?.quotes.map((q) => q.first)).toEqual([30]);
    expect(text).toContain('1 more fault like these not quoted.');
    expect(report.findings[2]?.faultCount).toBe(3);
  });
});

// Real "Mem abort info" blocks and the kernels that printed them (INDEX.md). The report's decode must be
// the very lines those kernels printed.
const REAL_BLOCKS = [
  { file: '035-memabort-syslog-time-only-double-spaced-two-oopses-cm4.log', kernel: '6.1.45-v8-gdc69f9d60872', esr: 0x96000005n, after: 'kernel: ' },
  { file: '051-memabort-journalctl-short-monotonic-two-oopses-rockpro64.log', kernel: '5.6.17+', esr: 0x96000004n, after: 'kernel: ' },
  { file: '021-memabort-kernelci-printk-level-prefix.log', kernel: '5.4.37-rc1', esr: 0x96000006n, after: '] ' },
  { file: '008-kvm-rt-kernel-cpu-prefix-alignment-fault-oops.log', kernel: '5.2.0-rt1-00008-g5bc0332820fd', esr: 0x96000021n, after: '000: ' },
] as const;

function printedBlock(file: string, after: string): string[] {
  const lines = readFileSync(join(LOGS, file), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const start = lines.findIndex((l) => l.includes('Mem abort info:'));
  const end = lines.findIndex((l, i) => i > start && /CM = \d+, WnR = \d+/.test(l));
  return lines.slice(start, end + 1).map((l) => l.slice(l.indexOf(after) + after.length));
}

describe('decode in the kernel layout, against real logs', () => {
  it.each(REAL_BLOCKS)('$file: the report prints what $kernel printed', ({ file, kernel, esr, after }) => {
    const expected = printedBlock(file, after);
    expect(expected[0]).toBe('Mem abort info:');
    const fault: FaultInput = {
      id: 1,
      count: 1,
      decode: null,
      replay: null,
      record: record({ kind: 'mem_abort', esr, el: 1, kernel, source: { file, line: 1, endLine: 1 }, text: 'Unable to handle kernel paging request' }),
    };
    const { report, text, violations } = render(seedInput({ faults: [fault], diagnoses: [] }));
    expect(violations).toEqual([]);
    expect(report.findings[0]?.decode?.lines).toEqual(expected);
    expect(text).toContain(expected.map((l) => `  ${l}`).join('\n'));
  });
});
