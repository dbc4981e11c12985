// The HTML report opened from a file in Debian's Chromium with the network cut: it must show the lattice and
// the timeline without loading anything, and markup in log text must stay inert text.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../main/core/report/html';
import { buildReport } from '../../main/core/report/model';
import type { ReportInput } from '../../main/core/report/input';
import { HOSTILE, hostileInput, seedInput } from '../core/report/fixtures';
import { MARKUP, writeHostileBundle } from '../core/report/bundles';
import { ingestBundle } from '../../main/services/ingest/pipeline';
import { SAMPLES_DIR } from '../../main/services/paths';
import { buildBundleReport } from '../../main/services/report';
import type { Report } from '../../main/core/report/model';
import { openDatabase } from '../../main/storage/db';
import { tempDir } from '../helpers/tmp';
import { CHROMIUM, SCREENSHOT_DIR } from './harness';

// The same flags as test/e2e/harness.ts startE2eApp.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Opened {
  readonly page: Page;
  /** Every request the page made, the file itself included. */
  readonly requests: string[];
  readonly dialogs: string[];
  readonly errors: string[];
}

describe('HTML report in Chromium, network disabled', () => {
  let browser: Browser;
  const dir = tempDir('faultline-report-');

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(() => browser?.close());

  /** Ingests `paths` for real and builds the bundle's report from the database. */
  async function reportOf(paths: readonly string[]): Promise<Report> {
    const db = openDatabase(join(tempDir(), 'e2e-report.db'));
    try {
      const summary = await ingestBundle(db, paths);
      const report = buildBundleReport(db, summary.bundleId as number, { kind: 'bundle' });
      if (!report.ok) throw new Error(report.error.message);
      return report.value;
    } finally {
      db.close();
    }
  }

  async function open(name: string, input: ReportInput | Report, colorScheme: 'light' | 'dark' = 'light'): Promise<Opened> {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, renderHtml('findings' in input ? input : buildReport(input)));
    const url = pathToFileURL(file).href;
    const context = await browser.newContext({ viewport: { width: 1100, height: 1500 }, colorScheme, javaScriptEnabled: true });
    const page = await context.newPage();
    const opened: Opened = { page, requests: [], dialogs: [], errors: [] };
    // Every request other than the report file itself is aborted, and recorded.
    await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    page.on('request', (r) => opened.requests.push(r.url()));
    page.on('dialog', (d) => {
      opened.dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => opened.errors.push(e.message));
    await page.goto(url, { waitUntil: 'load' });
    return opened;
  }

  it('the sample bundle\'s report (ingested) shows the lattice and the timeline, loads nothing but itself', async () => {
    const { page, requests, errors } = await open('sample', await reportOf([join(SAMPLES_DIR, 'gpu-passthrough-6.1')]));
    expect(requests).toHaveLength(1);
    expect(errors).toEqual([]);
    for (const selector of ['#finding-1 svg.lattice', 'svg.timeline']) expect((await page.locator(selector).boundingBox())?.width ?? 0).toBeGreaterThan(300);
    expect(await page.locator('#finding-1 svg.lattice').getAttribute('data-result')).toBe('Device-nGnRE');
    expect(await page.locator('#finding-1 pre').filter({ hasText: 'Unsupported FSC: EC=0x24' }).count()).toBe(1);
    expect(await page.getByText('8c47ce3e1d2c').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'report-html.png'), fullPage: true });
    // Printable: in print media long quoted lines wrap instead of being cut, and the page is black on white.
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    expect(await page.evaluate<string>("getComputedStyle(document.querySelector('figure.quote pre')).whiteSpace")).toBe('pre-wrap');
    expect(await page.evaluate<string>('getComputedStyle(document.body).backgroundColor')).toBe('rgb(255, 255, 255)');
    const pdf = await page.pdf({ path: join(SCREENSHOT_DIR, 'report-html.pdf'), format: 'A4' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('markup in ingested logs stays text in Chromium: no element created, nothing runs', async () => {
    const { page, requests, dialogs, errors } = await open('ingested-markup', await reportOf([writeHostileBundle(tempDir())]));
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('style').count()).toBe(1);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests).toHaveLength(1);
    const text = (await page.locator('body').textContent()) ?? '';
    for (const m of MARKUP) expect(text).toContain(m);
    expect(await page.evaluate<string>('getComputedStyle(document.body).display')).toBe('block');
  });

  it('the seed fixture with trace event density: lattice and timeline drawn, dark theme followed', async () => {
    const input = seedInput({
      events: [
        { startNs: 4450000000000n, endNs: 4452000000000n, count: 120 },
        { startNs: 4452000000000n, endNs: 4454000000000n, count: 300 },
        { startNs: 4454000000000n, endNs: 4456000000000n, count: 80 },
      ],
    });
    const { page, requests, errors } = await open('report', input);
    expect(requests).toHaveLength(1);
    expect(errors).toEqual([]);
    for (const selector of ['svg.lattice', 'svg.timeline']) {
      const box = await page.locator(selector).boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(300);
      expect(box?.height ?? 0).toBeGreaterThan(100);
    }
    expect(await page.locator('svg.lattice .mark-s1 text').textContent()).toBe('S1');
    expect(await page.locator('svg.timeline line.fault').count()).toBeGreaterThan(0);
    expect(await page.locator('pre.decode').textContent()).toContain('FSC = 0x21: alignment fault');
    expect(await page.locator('svg.timeline path.events').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'report-html-fixture.png'), fullPage: true });
    // Dark theme: the page background follows prefers-color-scheme.
    const dark = await open('report-dark', input, 'dark');
    const bg = await dark.page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(bg).toBe('rgb(21, 24, 28)');
  });

  it('markup in log text, names and prose stays text: no element created, nothing runs', async () => {
    const { page, requests, dialogs, errors } = await open('hostile', hostileInput());
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('style').count()).toBe(1);
    expect(await page.locator('body i, body b').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests).toHaveLength(1);
    const text = (await page.locator('body').textContent()) ?? '';
    for (const h of HOSTILE) expect(text).toContain(h);
    // The stylesheet still applies after the `</style>` in the logs: the page is laid out, not hidden.
    expect(await page.evaluate<string>('getComputedStyle(document.body).display')).toBe('block');
  });
});
