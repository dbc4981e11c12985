// The ingest operations over the one API map (main/api/dispatch), against a real SQLite file.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BundleSummary, FaultDetail, FaultPage, IngestProgressEvent, LinePage, SearchResult } from '../../preload/contract';
import { FAULT_KIND_NAMES } from '../../preload/contract-ingest';
import { FAULT_KINDS } from '../../main/core/ingest/fault-record';
import { dispatch } from '../../main/api/dispatch';
import { ingestJobs } from '../../main/services/ingest/jobs';
import { ensureDefaultBundle } from '../../main/services/ingest/default-bundle';
import { SAMPLES_DIR } from '../../main/services/paths';
import { testContext } from '../helpers/app';

async function call<T>(ctx: ReturnType<typeof testContext>, op: string, req: unknown): Promise<T> {
  const r = await dispatch(ctx, op, req);
  if (!r.ok) throw new Error(`${op}: ${r.error.message}`);
  return r.value as T;
}

describe('ingest API', () => {
  it('the contract lists the same fault kinds as the core', () => {
    expect([...FAULT_KIND_NAMES]).toEqual([...FAULT_KINDS]);
  });

  it('ingests through a job with progress events, then pages faults, lines and search', async () => {
    const ctx = testContext();
    const events: IngestProgressEvent[] = [];
    ctx.events.subscribe((name, p) => name === 'ingest:progress' && events.push(p));
    const { jobId } = await call<{ jobId: string }>(ctx, 'bundles:ingest', { paths: [join(SAMPLES_DIR, 'gpu-passthrough-6.1')] });
    await ingestJobs(ctx).idle();
    const last = events.at(-1)!;
    expect([last.jobId, last.done, last.cancelled, last.error, last.phase]).toEqual([jobId, true, false, null, 'done']);
    expect(events.some((e) => e.phase === 'indexing')).toBe(true);
    const bundleId = last.bundleId!;

    // The totals count fault events as the report does: a group of identical trace faults counts each one.
    const summary = (await call<BundleSummary[]>(ctx, 'bundles:list', {})).find((b) => b.id === bundleId)!;
    const all = await call<FaultPage>(ctx, 'faults:list', { bundleId, limit: 500 });
    expect(summary.faults).toBe(all.total);
    expect(summary.faultEvents).toBe(all.items.reduce((n, f) => n + f.count, 0));
    expect(summary.faultEvents).toBeGreaterThan(summary.faults); // the sample's trace holds a group

    const page = await call<FaultPage>(ctx, 'faults:list', { bundleId, kind: 'kvm_unsupported_fsc' });
    expect(page.total).toBe(1);
    const item = page.items[0]!;
    expect([item.esr, item.el, item.timeNs, item.clock, item.file, item.headline]).toEqual([
      '0x92000061', 2, '412883121000', 'monotonic', 'sos_commands/kernel/dmesg', '[  412.883121] kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061',
    ]);

    const detail = await call<FaultDetail>(ctx, 'faults:get', { id: item.id, context: 2 });
    expect(detail.decode).toMatchObject({ esr: '0x92000061', ec: 0x24, fields: { wnr: 1, dfsc: 0x21 } });
    expect(detail.source.lines.map((l) => [l.lineNo, l.inRecord])).toEqual([[153, false], [154, false], [155, true], [156, false], [157, false]]);

    const lines = await call<LinePage>(ctx, 'lines:page', { bundleId, file: 'sos_commands/kernel/dmesg', fromLine: 1, limit: 2 });
    expect([lines.totalLines, lines.clock, lines.lines[0]!.text]).toEqual([159, 'monotonic', '[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]']);

    const found = await call<SearchResult>(ctx, 'lines:search', { bundleId, query: 'Unsupported FSC ESR_EL2=0x92000061' });
    expect(found.pendingLines).toBe(0);
    expect(found.hits.map((h) => [h.file, h.lineNo])).toContainEqual(['sos_commands/kernel/dmesg', 155]);
    expect(found.hits.every((h) => /Unsupported FSC/.test(h.text) && /0x92000061/.test(h.text))).toBe(true);
    const odd = await dispatch(ctx, 'lines:search', { bundleId, query: 'NEAR( "unbalanced' });
    expect(odd.ok).toBe(true);
  });

  it('cancels a queued job; unknown bundles and faults are not_found', async () => {
    const ctx = testContext();
    const { jobId } = await call<{ jobId: string }>(ctx, 'bundles:ingest', { paths: [join(SAMPLES_DIR, 'gpu-passthrough-6.12')] });
    expect(await call(ctx, 'bundles:cancel', { jobId })).toEqual({ cancelled: true });
    await ingestJobs(ctx).idle();
    expect(await call(ctx, 'bundles:list', {})).toEqual([]);
    const missing = await dispatch(ctx, 'faults:get', { id: 999 });
    expect(missing.ok ? null : missing.error.code).toBe('not_found');
    expect((await dispatch(ctx, 'faults:list', { bundleId: 42 })).ok).toBe(false);
  });

  it('the default sample is ingested once and reused while its content is unchanged', async () => {
    const ctx = testContext();
    const id = await ensureDefaultBundle(ctx);
    expect(id).not.toBeNull();
    expect(await ensureDefaultBundle(ctx)).toBe(id);
    expect((await call<{ defaultBundleId: number | null }>(ctx, 'app:info', {})).defaultBundleId).toBe(id);
  });
});
