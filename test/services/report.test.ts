// The report service over a real SQLite database: what it reads for a selection, and the reports it renders.
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../main/core/report/model';
import { renderText } from '../../main/core/report/text';
import { finishBundle, insertBundle, insertDiagnostics, insertFile, setBundleContext } from '../../main/storage/bundles';
import { insertFaults } from '../../main/storage/faults';
import { renderHtml } from '../../main/core/report/html';
import { quoteLine } from '../../main/core/report/text';
import { record, SEED_KVM_LINE, SEED_QEMU_LINE, seedFaults } from '../core/report/fixtures';
import { diagnoseFaults } from '../../main/services/report-sources';
import { diagnoseRecord } from '../../main/core/diagnose/diagnose';
import { buildBundleReport, gatherReportInput, renderReport, reportFileName } from '../../main/services/report';
import { parseContextJson } from '../../main/services/stored-faults';
import { testContext } from '../helpers/app';
import { textViolations } from '../core/report/properties';

// The seed bundle's context as ingest stores it: 64-bit values as lower-case hex strings (migration 0001).
export const SEED_CONTEXT_JSON = JSON.stringify({
  hostname: 'gpu-host-01',
  kernels: ['6.1.0-18-arm64'],
  midr: '0x413fd0c1',
  cpuDescription: 'ARM Neoverse-N1',
  pageSizeKiB: 4,
  vaBits: 48,
  cmdline: 'BOOT_IMAGE=/vmlinuz-6.1.0-18-arm64 root=/dev/nvme0n1p2 iommu.passthrough=0',
  pciDevices: [
    {
      bdf: '0000:01:00.0',
      description: 'VGA compatible controller: NVIDIA Corporation GA102GL [RTX A6000]',
      vendorDevice: '10de:2230',
      driver: 'vfio-pci',
      bars: [{ index: 1, address: '0x8000000000', size: '0x1000000000', prefetchable: true, is64: true }],
    },
  ],
  vms: [{ pid: 2716, name: 'qemu-system-aarch64', vcpus: [{ tid: 2731, index: 0 }] }],
});

describe('report service', () => {
  const ctx = testContext();
  const id = insertBundle(ctx.db, { name: 'gpu-passthrough-6.1', sourcePath: '/tmp/gpu', fingerprint: 'report-fp', createdAt: '2026-01-01T00:00:00Z' });
  setBundleContext(ctx.db, id, SEED_CONTEXT_JSON);
  insertDiagnostics(ctx.db, id, [
    { kind: 'truncated-line', severity: 'data-loss', file: 'var/log/syslog', line: 4, message: 'a line was cut' },
    { kind: 'truncated-line', severity: 'data-loss', file: 'var/log/syslog', line: 9, message: 'a line was cut' },
    { kind: 'unknown-format', severity: 'info', file: 'etc/hostname', line: null, message: 'plain lines' },
  ]);
  finishBundle(ctx.db, id, 'complete', '2026-01-01T00:00:01Z');

  it('reads the bundle context back with its 64-bit values, tolerating damage', () => {
    const c = parseContextJson(SEED_CONTEXT_JSON);
    expect(c.pciDevices[0]?.bars[0]).toEqual({ index: 1, address: 0x8000000000n, size: 64n << 30n, prefetchable: true, is64: true });
    expect(c.vms[0]?.vcpus).toEqual([{ tid: 2731, index: 0 }]);
    expect(parseContextJson('{not json').kernels).toEqual([]);
    expect(parseContextJson('{"kernels":[1,"6.9"],"pciDevices":[{"bars":[{"address":"zz"}]}]}')).toMatchObject({ kernels: ['6.9'], pciDevices: [{ bars: [] }] });
  });

  it('gathers the bundle, its context and its import diagnostics for a report', () => {
    const input = gatherReportInput(ctx.db, id, { kind: 'bundle' });
    expect(input.ok).toBe(true);
    if (!input.ok) return;
    expect(input.value.bundle.name).toBe('gpu-passthrough-6.1');
    expect(input.value.bundle.context.hostname).toBe('gpu-host-01');
    expect(input.value.diagnostics.map((d) => d.kind)).toEqual(['truncated-line', 'truncated-line', 'unknown-format']);
    const report = buildReport(input.value);
    const text = renderText(report);
    expect(textViolations(report, text)).toEqual([]);
    expect(text).toMatch(/^Passthrough: +0000:01:00\.0 /m);
    expect(text).toContain('data-loss, truncated-line x2: a line was cut');
  });

  it('refuses an unknown bundle, fault or diagnosis', () => {
    expect(gatherReportInput(ctx.db, id + 50, { kind: 'bundle' })).toEqual({ ok: false, error: { code: 'not_found', message: `bundle ${id + 50} not found` } });
    expect(buildBundleReport(ctx.db, id, { kind: 'fault', id: 999_999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(buildBundleReport(ctx.db, id, { kind: 'diagnosis', id: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('renders either format from the same model and names the file after the bundle', () => {
    const report = buildBundleReport(ctx.db, id, { kind: 'bundle' });
    if (!report.ok) throw new Error(report.error.message);
    expect(renderReport(report.value, 'html')).toMatch(/^<!DOCTYPE html>/);
    expect(renderReport(report.value, 'text')).toMatch(/^Faultline report for gpu-passthrough-6\.1\n=+\n/);
    expect(reportFileName('gpu-passthrough-6.1', 'html')).toBe('gpu-passthrough-6.1-report.html');
    expect(reportFileName('../etc/passwd <x>', 'text')).toBe('etc-passwd-x-report.txt');
  });
});

describe('report service with stored faults (the seed case)', () => {
  const ctx = testContext();
  const id = insertBundle(ctx.db, { name: 'seed', sourcePath: '/tmp/seed', fingerprint: 'report-seed', createdAt: '2026-01-01T00:00:00Z' });
  setBundleContext(ctx.db, id, SEED_CONTEXT_JSON);
  const dmesg = insertFile(ctx.db, id, 'sos_commands/kernel/dmesg', 'kernel-log', 100);
  const qemu = insertFile(ctx.db, id, 'var/log/libvirt/qemu/gpu-vm.log', 'kernel-log', 100);
  const [kvmId, qemuId] = insertFaults(ctx.db, [
    { bundleId: id, fileId: dmesg, record: { ...seedFaults[0]!.record, extra: { clock: 'monotonic' } }, count: 1, firstNs: null, lastNs: null },
    { bundleId: id, fileId: qemu, record: seedFaults[1]!.record, count: 1, firstNs: null, lastNs: null },
  ]) as [number, number];
  finishBundle(ctx.db, id, 'complete', '2026-01-01T00:00:01Z');

  it('diagnoses the stored faults and writes a text report with the 6.9 fix and a lore link', () => {
    const report = buildBundleReport(ctx.db, id, { kind: 'bundle' });
    if (!report.ok) throw new Error(report.error.message);
    const text = renderText(report.value);
    expect(textViolations(report.value, text)).toEqual([]);
    expect(report.value.findings.map((f) => [f.id, f.faultIds])).toEqual([['diagnosis:vfio-bar-s2-device-unaligned', [kvmId, qemuId]]]);
    expect(text).toMatch(/Fixed in Linux 6\.9 by\s+commits\s+8c47ce3e1d2c/);
    expect(text).toMatch(/^\s*(Link: )?https:\/\/lore\.kernel\.org\/r\/\S+$/m);
    expect(text.split('\n')).toContain(quoteLine(SEED_KVM_LINE));
    expect(text.split('\n')).toContain(quoteLine(SEED_QEMU_LINE));
    expect(text).toMatch(/^Time range: +4455\.108833 s$/m);
    const html = renderHtml(report.value);
    expect(html).toContain('data-s1="Normal-NC"');
  });

  it('selects a diagnosis by its rule id, and one fault by id', () => {
    const d = buildBundleReport(ctx.db, id, { kind: 'diagnosis', id: 'vfio-bar-s2-device-unaligned' });
    expect(d.ok && d.value.findings.map((f) => f.faultIds)).toEqual([[kvmId, qemuId]]);
    const one = buildBundleReport(ctx.db, id, { kind: 'fault', id: qemuId });
    expect(one.ok && one.value.findings.map((f) => f.faultIds)).toEqual([[qemuId]]);
    expect(buildBundleReport(ctx.db, id, { kind: 'fault', id: qemuId + 100 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('diagnosing many faults', () => {
  it('shares work between records that differ only in numbers, never between SMMU records', () => {
    const context = parseContextJson(SEED_CONTEXT_JSON);
    const smmu = (id: number, fsr: string) => ({
      id,
      count: 1,
      decode: null,
      replay: null,
      // ../shared/samples/logs/030: FSR 0x402 has TF (bit 1) set; 0x400 does not.
      record: record({ kind: 'smmu_context_fault', source: { file: 'd', line: id, endLine: id }, text: `arm-smmu 5040000.iommu: Unhandled context fault: fsr=${fsr}, iova=0x7ffe35c0, fsynr=0x1, cbfrsynra=0x0, cb=1` }),
    });
    const kvm = (id: number, t: string) => ({
      id,
      count: 1,
      decode: null,
      replay: null,
      record: record({ kind: 'kvm_unsupported_fsc', esr: 0x92000061n, el: 2, kernel: '6.1.0-18-arm64', source: { file: 'd', line: id, endLine: id }, text: `[ ${t}] kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061` }),
    });
    const faults = [smmu(1, '0x402'), smmu(2, '0x400'), kvm(3, '412.883121'), kvm(4, '9999.000001')];
    const { diagnoses } = diagnoseFaults(faults, context);
    const expected = new Map<number, string[]>(faults.map((f) => [f.id, diagnoseRecord(f.record, context).diagnoses.map((d) => d.id)]));
    for (const f of faults) {
      const got = diagnoses.filter((d) => d.faultIds.includes(f.id)).map((d) => d.id);
      expect(got).toEqual(expected.get(f.id));
    }
    expect(expected.get(1)).not.toEqual(expected.get(2));
  });
});
