// The export panel (issue 8, "from the app") on the overview, a diagnosis and a fault detail, in Chromium
// over the real backend: the preview is the text report of that selection, and "Save" in browser mode
// downloads the file built by the backend (nothing is uploaded).
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultBundle } from '../../main/services/ingest/default-bundle';
import { allFaults } from '../../main/storage/faults';
import { tempDir } from '../helpers/tmp';
import { startE2eApp, type E2eApp } from './harness';

/** Report text property (DOMAIN.md §6): every line at most 72 columns, except quoted log lines (indented). */
function overlongUnquoted(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 72 && !/^ {2,}\S/.test(l) && !/^\s*\S+:\/\/\S+$/.test(l));
}

describe('report export from the app (browser mode)', () => {
  let app: E2eApp;
  let bundleId = 0;
  let seedFaultId = 0;

  beforeAll(async () => {
    app = await startE2eApp(tempDir(), async (ctx) => {
      bundleId = (await ensureDefaultBundle(ctx)) ?? 0;
      seedFaultId = allFaults(ctx.db, bundleId).find((f) => f.kind === 'kvm_unsupported_fsc')?.id ?? 0;
    });
  });
  afterAll(() => app?.close());

  const preview = async (page: Page, panel: ReturnType<Page['getByTestId']>): Promise<string> => {
    await panel.getByText('Preview the text report').click();
    const pre = panel.getByTestId('export-preview');
    await pre.waitFor({ timeout: 20_000 });
    return (await pre.textContent()) ?? '';
  };

  it('the overview previews the bundle report and downloads it as text and HTML', async () => {
    const page = await app.newPage(`#/bundle/${bundleId}`);
    const panel = page.getByTestId('export-panel').filter({ hasText: 'Report of this bundle' });
    await panel.waitFor({ timeout: 20_000 });
    const text = await preview(page, panel);
    expect(text).toContain('Unaligned guest access to a passed-through BAR');
    expect(text).toContain('8c47ce3e1d2c');
    expect(overlongUnquoted(text)).toEqual([]);

    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-save-html').click()]);
    expect(download.suggestedFilename()).toBe('gpu-passthrough-6.1-report.html');
    const html = readFileSync((await download.path())!, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>') || html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<svg');
    expect(await panel.getByTestId('export-status').textContent()).toContain('Downloaded gpu-passthrough-6.1-report.html');
    await app.screenshot(page, 'ui-export-overview');
  });

  it('a diagnosis exports the report of that diagnosis only', async () => {
    const page = await app.newPage(`#/bundle/${bundleId}`);
    const diagnosis = page.locator('[data-testid="diagnosis"][data-rule="vfio-bar-s2-device-unaligned"]');
    await diagnosis.waitFor({ timeout: 20_000 });
    await diagnosis.getByText('Report of this diagnosis').click();
    const text = await preview(page, diagnosis.getByTestId('export-panel'));
    expect(text).toMatch(/Selection: +diagnosis/);
    expect(text).toContain('Unaligned guest access');
  });

  it('the fault detail exports the report of that fault', async () => {
    expect(seedFaultId).toBeGreaterThan(0);
    const page = await app.newPage(`#/fault/${seedFaultId}`);
    const panel = page.getByTestId('export-panel');
    await panel.waitFor({ timeout: 20_000 });
    const text = await preview(page, panel);
    expect(text).toContain('0x92000061');
    expect(text).toContain('Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061');
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('export-save-text').click()]);
    expect(readFileSync((await download.path())!, 'utf8')).toBe(text);
  });
});
