// The reports of the embedded sample bundles, ingested for real (main/services/ingest/pipeline.ts), and of a
// bundle whose logs carry markup. Properties are checked on every report; nothing is compared with a copy.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../main/core/report/html';
import { renderText } from '../../main/core/report/text';
import { ingestBundle } from '../../main/services/ingest/pipeline';
import { SAMPLES_DIR } from '../../main/services/paths';
import { buildBundleReport } from '../../main/services/report';
import { openDatabase, type Db } from '../../main/storage/db';
import { textViolations } from '../core/report/properties';
import { tempDir } from '../helpers/tmp';
import { MARKUP, writeHostileBundle } from '../core/report/bundles';

async function ingested(paths: readonly string[]): Promise<{ db: Db; bundleId: number }> {
  const db = openDatabase(join(tempDir(), 'sample.db'));
  const summary = await ingestBundle(db, paths);
  if (summary.bundleId === null) throw new Error('ingest cancelled');
  return { db, bundleId: summary.bundleId };
}

describe('report of the sample bundle gpu-passthrough-6.1 (the Unsupported FSC seed case)', () => {
  it('reads like a kernel report: 6.9 fix with its commit, a lore link, the kernel decode, the quoted lines', async () => {
    const { db, bundleId } = await ingested([join(SAMPLES_DIR, 'gpu-passthrough-6.1')]);
    const report = buildBundleReport(db, bundleId, { kind: 'bundle' });
    if (!report.ok) throw new Error(report.error.message);
    const text = renderText(report.value);
    expect(textViolations(report.value, text)).toEqual([]);
    const [first] = report.value.findings;
    expect(first?.id).toBe('diagnosis:vfio-bar-s2-device-unaligned');
    expect(first?.decode?.lines).toContain('  FSC = 0x21: alignment fault');
    // The sample's KVM line and QEMU line (resources/samples/gpu-passthrough-6.1/README.md) are quoted whole.
    expect(text).toContain('    [  412.883121] kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061\n');
    expect(text).toContain('    error: kvm run failed Bad address\n');
    expect(text).toMatch(/Fixed in Linux 6\.9 by\s+commits\s+8c47ce3e1d2c \("KVM: arm64: Set io memory s2 pte as\s+normalnc for\s+vfio pci device"\) \[1\]/);
    expect(text).toMatch(/^\s*(Link: )?https:\/\/lore\.kernel\.org\/r\/\S+@\S+$/m);
    expect(text).toMatch(/^Host: +altra-01$/m);
    expect(text).toMatch(/^VMs: +gpu-vm \(pid 4321, 8 vCPUs\)$/m);
    // The trace (sys/kernel/debug/tracing/trace, 412.880211 .. 412.882603 s) and the KVM message share the
    // kernel's since-boot clock: the timeline spans both and draws the trace's event density.
    expect(report.value.timeline?.clock).toBe('monotonic');
    expect(report.value.timeline?.events.reduce((n, e) => n + e.count, 0)).toBeGreaterThan(0);
    expect(text).toMatch(/^Time range: +412\.880211 s \.\. 412\.883121 s/m);
    db.close();
  });

  it('the 6.12 bundle of the same host has no Unsupported FSC finding, and its report keeps the properties', async () => {
    const { db, bundleId } = await ingested([join(SAMPLES_DIR, 'gpu-passthrough-6.12')]);
    const report = buildBundleReport(db, bundleId, { kind: 'bundle' });
    if (!report.ok) throw new Error(report.error.message);
    const text = renderText(report.value);
    expect(textViolations(report.value, text)).toEqual([]);
    expect(report.value.findings.map((f) => f.id)).not.toContain('diagnosis:vfio-bar-s2-device-unaligned');
    expect(text).not.toContain('Unsupported FSC: EC=');
    db.close();
  });
});

describe('markup in log text, through ingest', () => {
  it('reaches both reports as text: quoted whole in the text report, escaped in the HTML report', async () => {
    const { db, bundleId } = await ingested([writeHostileBundle(tempDir())]);
    const report = buildBundleReport(db, bundleId, { kind: 'bundle' });
    if (!report.ok) throw new Error(report.error.message);
    const text = renderText(report.value);
    expect(textViolations(report.value, text)).toEqual([]);
    for (const m of MARKUP) expect(text).toContain(m);
    const html = renderHtml(report.value);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    expect(html).toContain('ESR_EL2=0x92000061 &lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('error: kvm run failed &lt;img src=x onerror=alert(1)&gt;');
    db.close();
  });
});
