// Report rendering (issue 8): both reports (plain text and self-contained HTML) for a bundle with 10,000 faults.
// Target: under 1 second for the pair on this 2-core machine. The inputs mix what a large host bundle holds:
// KVM guest-fault trace events by the thousand, repeated Oopses, SMMU faults, one diagnosed seed case with a
// replay, and import diagnostics; each fault is its own row (no ingest grouping), the worst case for the model.
import { buildReport } from '../main/core/report/model';
import { renderHtml } from '../main/core/report/html';
import { renderText } from '../main/core/report/text';
import type { FaultInput, ReportInput } from '../main/core/report/input';
import { EMPTY_CONTEXT, type FaultKind, type FaultRecord } from '../main/core/ingest/fault-record';
import { seedDiagnosis, seedFaults, seedInput, SEED_CONTEXT } from '../test/core/report/fixtures';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../main/storage/db';
import { finishBundle, insertBundle, insertFile, setBundleContext } from '../main/storage/bundles';
import { insertFaults } from '../main/storage/faults';
import { buildBundleReport } from '../main/services/report';

const FAULTS = 10_000;
const RUNS = 5;
const TARGET_MS = 1000;

// Kinds and ESRs in the proportions of a busy host; text in the kernel's formats (DOMAIN.md §2).
const SHAPES: ReadonlyArray<readonly [FaultKind, bigint | null, (i: number) => string]> = [
  ['kvm_guest_fault', 0x93c08004n, (i) => `kvm_guest_fault: ipa 0x${(0x8000000 + i * 0x1000).toString(16)}, hsr 0x93c08004, hxfar 0x${i.toString(16)}, pc 0xffff80000810c0a8`],
  ['kvm_guest_fault', 0x92000046n, (i) => `kvm_guest_fault: ipa 0x${(0x40000000 + i * 0x1000).toString(16)}, hsr 0x92000046, hxfar 0x0, pc 0xffff800008a1b2c4`],
  ['mem_abort', 0x96000005n, () => 'Unable to handle kernel NULL pointer dereference at virtual address 0000000000000070\n  ESR = 0x0000000096000005\nInternal error: Oops: 0000000096000005 [#1] PREEMPT SMP\npc : wq_worker_running+0x20/0x94'],
  ['smmu_context_fault', null, (i) => `arm-smmu 5040000.iommu: Unhandled context fault: fsr=0x402, iova=0x${(0x7ffe0000 + i).toString(16)}, fsynr=0x1, cbfrsynra=0x0, cb=1`],
  ['kvm_sysreg_trap', 0x62300000n, () => 'kvm [1430]: Unsupported guest sys_reg access at: 80528a6c [80000349]'],
];

function syntheticFault(i: number): FaultInput {
  const [kind, esr, text] = SHAPES[i % SHAPES.length] as (typeof SHAPES)[number];
  const lines = text(i).split('\n').length;
  const record: FaultRecord = {
    kind,
    esr,
    el: kind === 'mem_abort' ? 1 : 2,
    far: null,
    ipa: null,
    pc: null,
    cpu: i % 8,
    pid: 2716,
    comm: 'qemu-system-aarch64',
    timeNs: 4450_000_000_000n + BigInt(i) * 600_000n,
    kernel: '6.1.0-18-arm64',
    source: { file: `var/log/kern.log.${i % 4}`, line: i * 6 + 1, endLine: i * 6 + lines },
    text: text(i),
    extra: {},
  };
  return { id: 100 + i, count: 1, decode: null, replay: null, record };
}

function bigInput(): ReportInput {
  const base = seedInput();
  const faults = [...seedFaults, ...Array.from({ length: FAULTS - seedFaults.length }, (_, i) => syntheticFault(i))];
  const diagnostics = Array.from({ length: 500 }, (_, i) => ({
    kind: i % 2 ? 'truncated-line' : 'unknown-event',
    severity: i % 2 ? ('data-loss' as const) : ('info' as const),
    file: `var/log/kern.log.${i % 4}`,
    line: i * 20,
    message: 'a line was cut by the journal',
  }));
  const events = Array.from({ length: 1000 }, (_, i) => ({
    startNs: 4450_000_000_000n + BigInt(i) * 6_000_000n,
    endNs: 4450_000_000_000n + BigInt(i + 1) * 6_000_000n,
    count: 200 + ((i * 37) % 500),
  }));
  return { ...base, bundle: { ...base.bundle, context: { ...EMPTY_CONTEXT, ...base.bundle.context } }, faults, diagnoses: [seedDiagnosis], diagnostics, events };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** The same 10,000 faults stored in a real database: the report read, replayed, diagnosed and rendered. */
function throughService(): { ms: number[]; findings: number } {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-report-'));
  try {
    const db = openDatabase(join(dir, 'bench.db'));
    const id = insertBundle(db, { name: 'bench', sourcePath: dir, fingerprint: 'bench', createdAt: new Date().toISOString() });
    const ctx = JSON.stringify(SEED_CONTEXT, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v));
    setBundleContext(db, id, ctx);
    const files = new Map<string, number>();
    const fileId = (path: string): number => {
      const known = files.get(path);
      if (known !== undefined) return known;
      const fid = insertFile(db, id, path, 'kernel-log', 0);
      files.set(path, fid);
      return fid;
    };
    const faults = bigInput().faults;
    insertFaults(db, faults.map((f) => ({ bundleId: id, fileId: fileId(f.record.source.file), record: f.record, count: f.count, firstNs: null, lastNs: null })));
    finishBundle(db, id, 'complete', new Date().toISOString());
    const ms: number[] = [];
    let findings = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const report = buildBundleReport(db, id, { kind: 'bundle' });
      if (!report.ok) throw new Error(report.error.message);
      renderText(report.value);
      renderHtml(report.value);
      ms.push(performance.now() - t0);
      findings = report.value.findings.length;
    }
    db.close();
    return { ms, findings };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const input = bigInput();
  const times = { model: [] as number[], text: [] as number[], html: [] as number[], total: [] as number[] };
  let sizes = { text: 0, html: 0, findings: 0 };
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const report = buildReport(input);
    const t1 = performance.now();
    const text = renderText(report);
    const t2 = performance.now();
    const html = renderHtml(report);
    const t3 = performance.now();
    times.model.push(t1 - t0);
    times.text.push(t2 - t1);
    times.html.push(t3 - t2);
    times.total.push(t3 - t0);
    sizes = { text: text.length, html: html.length, findings: report.findings.length };
  }
  const fmt = (ms: number): string => ms.toFixed(1);
  console.log(`report model (10,000 faults, ${sizes.findings} findings)  ${fmt(median(times.model))} ms  (median of ${RUNS})`);
  console.log(`text rendering                            ${fmt(median(times.text))} ms  ${(sizes.text / 1024).toFixed(1)} KiB`);
  console.log(`HTML rendering                            ${fmt(median(times.html))} ms  ${(sizes.html / 1024).toFixed(1)} KiB`);
  console.log(`both reports, 10,000 faults               ${fmt(median(times.total))} ms  target < ${TARGET_MS} ms  ${median(times.total) < TARGET_MS ? 'ok' : 'MISSED'}`);
  console.log(`first run (cold)                          ${fmt(times.total[0] as number)} ms`);
  const svc = throughService();
  console.log(`from the database (read, replay, diagnose, both renderings; ${svc.findings} findings)  ${fmt(median(svc.ms))} ms  first ${fmt(svc.ms[0] as number)} ms`);
}
