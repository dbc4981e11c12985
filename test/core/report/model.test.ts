// The report model: selections, ranking, references, quoted lines, import diagnostics.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applySelection, buildReport, formatBytes } from '../../../main/core/report/model';
import { keyLines, quoteBlocks } from '../../../main/core/report/quotes';
import type { DiagnosisInput, FaultInput } from '../../../main/core/report/input';
import { record, SEED_CONTEXT, seedDiagnosis, seedFaults, seedInput } from './fixtures';

const LOGS = join(__dirname, '..', '..', '..', '..', 'shared', 'samples', 'logs');

const extraFault: FaultInput = {
  id: 7,
  count: 1,
  decode: null,
  replay: null,
  record: record({ kind: 'serror', esr: 0xbf000002n, el: 1, timeNs: 5n, source: { file: 'dmesg', line: 1, endLine: 1 }, text: 'SError Interrupt on CPU3, code 0xbf000002 -- SError' }),
};

describe('selections', () => {
  const faults = [...seedFaults, extraFault];
  it('a bundle report covers every fault and diagnosis', () => {
    const r = buildReport(seedInput({ faults }));
    expect(r.findings.flatMap((f) => f.faultIds).sort()).toEqual([1, 2, 7]);
    expect(r.selectionLabel).toBe('whole bundle');
  });
  it('a diagnosis report covers that diagnosis and its faults only, titled after it', () => {
    const r = buildReport(seedInput({ faults, selection: { kind: 'diagnosis', id: 'd1' } }));
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]?.faultIds).toEqual([1, 2]);
    expect(r.title).toBe(seedDiagnosis.title);
  });
  it('a fault report keeps the diagnoses touching it, restricted to that fault', () => {
    const sel = applySelection({ kind: 'fault', id: 2 }, faults, [seedDiagnosis]);
    expect(sel.faults.map((f) => f.id)).toEqual([2]);
    expect(sel.diagnoses[0]?.faultIds).toEqual([2]);
    const r = buildReport(seedInput({ faults, selection: { kind: 'faults', ids: [7] } }));
    expect(r.findings.map((f) => f.id)).toEqual(['faults:serror:0xbf000002']);
    expect(r.references).toEqual([]);
  });
  it('a selection that matches nothing gives an empty report, not an error', () => {
    const r = buildReport(seedInput({ selection: { kind: 'diagnosis', id: 'nope' } }));
    expect(r.findings).toEqual([]);
    expect(r.overview).toBe('No faults in this selection.');
  });
});

describe('findings', () => {
  it('ranks by severity, then by fault count', () => {
    const warn = (id: number, count: number): FaultInput => ({
      id,
      count,
      decode: null,
      replay: null,
      record: record({ kind: 'smmu_context_fault', esr: null, source: { file: 'dmesg', line: id, endLine: id }, text: `arm-smmu 5040000.iommu: Unhandled context fault: fsr=0x402, iova=0x${id}, fsynr=0x1, cbfrsynra=0x0, cb=1` }),
    });
    const sysreg: FaultInput = { ...warn(20, 50), record: record({ kind: 'kvm_sysreg_trap', source: { file: 'dmesg', line: 20, endLine: 20 }, text: 'kvm [1]: Unsupported guest sys_reg access at: 0 [0]' }) };
    const r = buildReport(seedInput({ faults: [warn(10, 2), sysreg, extraFault, ...seedFaults] }));
    expect(r.findings.map((f) => [f.severity, f.faultCount])).toEqual([
      ['critical', 2],
      ['critical', 1],
      ['warning', 50],
      ['warning', 2],
    ]);
    expect(r.findings.map((f) => f.index)).toEqual([1, 2, 3, 4]);
  });

  it('a user-space abort (DABT from a lower EL in ESR_EL1) is a warning, a kernel one an error', () => {
    const abort = (id: number, esr: bigint): FaultInput => ({ id, count: 1, decode: null, replay: null, record: record({ kind: 'mem_abort', esr, el: 1, source: { file: 'f', line: id, endLine: id }, text: 'x' }) });
    // 0x92000047: EC 0x24 DABT_LOW (024 sample: a user page fault); 0x96000004: EC 0x25 DABT_CUR (051 sample).
    const r = buildReport(seedInput({ faults: [abort(1, 0x92000047n), abort(2, 0x96000004n)], diagnoses: [] }));
    expect(r.findings.map((f) => [f.id, f.severity])).toEqual([
      ['faults:mem_abort:0x96000004', 'error'],
      ['faults:mem_abort:0x92000047', 'warning'],
    ]);
  });

  it('numbers references in order of citation and shares a number between diagnoses', () => {
    const second: DiagnosisInput = { ...seedDiagnosis, id: 'd2', severity: 'warning', faultIds: [7], references: [seedDiagnosis.references[2]!, { kind: 'url', url: 'https://example.org/x', title: 'x' }] };
    const r = buildReport(seedInput({ faults: [...seedFaults, extraFault], diagnoses: [seedDiagnosis, second] }));
    expect(r.references.map((x) => x.n)).toEqual([1, 2, 3, 4]);
    expect(r.findings[0]?.diagnosis?.refs).toEqual([1, 2, 3]);
    expect(r.findings[1]?.diagnosis?.refs).toEqual([3, 4]);
    expect(r.references[0]).toMatchObject({ kind: 'commit', text: '8c47ce3e1d2c ("KVM: arm64: Set io memory s2 pte as normalnc for vfio pci device")', url: 'https://git.kernel.org/linus/8c47ce3e1d2c', version: '6.9', role: 'fix' });
    expect(r.references[1]?.url).toBe('https://lore.kernel.org/r/20240224150546.368-4-ankita@nvidia.com');
  });

  it('records which replay inputs were recorded and which assumed', () => {
    const replay = buildReport(seedInput()).findings[0]?.replay;
    expect(replay?.counts).toEqual({ recorded: 1, assumed: 3 });
    expect(replay?.matchesRecorded).toBe(true);
    expect(replay?.lattice?.filter((row) => row.s1 || row.s2 || row.result)).toEqual([
      { node: 'Normal-NC', s1: true, s2: false, result: false },
      { node: 'Device-nGnRE', s1: false, s2: true, result: true },
    ]);
  });
});

describe('quoted lines', () => {
  it('quotes the lines that carry a real Oops, not its register dump or call trace', () => {
    // 035: the first Oops, from "Unable to handle" to the end of its call trace, as ingest would store it.
    const all = readFileSync(join(LOGS, '035-memabort-syslog-time-only-double-spaced-two-oopses-cm4.log'), 'utf8').split('\n');
    const start = all.findIndex((l) => l.includes('Unable to handle kernel'));
    const end = all.findIndex((l, i) => i > start && l.includes('---[ end trace'));
    const f: FaultInput = {
      id: 1,
      count: 1,
      decode: null,
      replay: null,
      record: record({ kind: 'mem_abort', esr: 0x96000005n, el: 1, source: { file: 'syslog', line: start + 1, endLine: end + 1 }, text: all.slice(start, end + 1).join('\n') }),
    };
    const picked = keyLines(f).map((l) => l.text.replace(/^\d\d:\d\d:\d\d h63 kernel: /, ''));
    expect(picked).toEqual([
      'Unable to handle kernel NULL pointer dereference at virtual address 0000000000000070',
      '  ESR = 0x0000000096000005',
      'Internal error: Oops: 0000000096000005 [#1] PREEMPT SMP',
      'pc : wq_worker_running+0x20/0x94',
    ]);
    expect(keyLines(f)[0]?.line).toBe(start + 1);
  });

  it('joins consecutive lines of a file into one block and drops duplicates', () => {
    const blocks = quoteBlocks([
      { file: 'b', line: 5, text: 'x' },
      { file: 'a', line: 2, text: 'two' },
      { file: 'a', line: 1, text: 'one' },
      { file: 'a', line: 2, text: 'two' },
      { file: 'a', line: 9, text: 'nine' },
    ]);
    expect(blocks).toEqual([
      { file: 'b', first: 5, last: 5, lines: ['x'] },
      { file: 'a', first: 1, last: 2, lines: ['one', 'two'] },
      { file: 'a', first: 9, last: 9, lines: ['nine'] },
    ]);
  });
});

describe('header and diagnostics', () => {
  it('lists the host, kernel, VMs and only the VFIO-bound devices, with lspci-style BAR sizes', () => {
    const r = buildReport(seedInput());
    const row = (k: string): readonly string[] | undefined => r.header.find((h) => h.key === k)?.values;
    expect(row('Kernel')).toEqual(['6.1.0-18-arm64']);
    expect(row('VMs')).toEqual(['qemu-system-aarch64 (pid 2716, 2 vCPUs)']);
    expect(row('Passthrough')?.[0]).toMatch(/^0000:01:00\.0 .*driver vfio-pci$/);
    expect(row('Passthrough')?.join('\n')).not.toContain('mlx5');
    expect(row('Passthrough')?.[2]).toBe('  BAR 1 at 0x8000000000 [size=64G, 64-bit, prefetchable]');
    expect(formatBytes(16n << 20n)).toBe('16M');
    expect(formatBytes(3000n)).toBe('3000');
    expect(SEED_CONTEXT.kernels).toHaveLength(1);
  });

  it('counts import diagnostics by kind, lists data-loss and errors, and ties them to the quoted files', () => {
    const diagnostics = [
      { kind: 'truncated', severity: 'data-loss' as const, file: 'sos_commands/kernel/dmesg', line: 3, message: 'line cut', count: 4 },
      { kind: 'truncated', severity: 'data-loss' as const, file: 'other.log', line: 9, message: 'line cut' },
      { kind: 'unreadable', severity: 'error' as const, file: 'x.tar', line: null, message: 'cannot open' },
      { kind: 'unknown-format', severity: 'info' as const, file: 'a', line: null, message: 'plain' },
    ];
    const r = buildReport(seedInput({ diagnostics }));
    expect(r.diagnostics.map((d) => [d.severity, d.kind, d.count, d.where])).toEqual([
      ['error', 'unreadable', 1, 'x.tar'],
      ['data-loss', 'truncated', 5, 'sos_commands/kernel/dmesg:3'],
    ]);
    expect(r.infoDiagnostics).toBe(1);
    expect(r.findings[0]?.limits.map((l) => [l.kind, l.count])).toEqual([['truncated', 4]]);
  });
});
