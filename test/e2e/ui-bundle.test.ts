// The whole UI over the sample bundle (resources/samples/gpu-passthrough-6.1, ingested through the ingest
// service into the temp database) in Chromium, browser mode, real backend and SQLite. What the tests expect
// comes from the sample's own README (its story, read by a person) and DOMAIN.md §1: the guest's write-combined
// mapping (Normal-NC) over KVM 6.1's Device-nGnRE stage 2 for the GPU's BAR combines to Device-nGnRE, the
// unaligned store takes a stage-2 alignment fault (ESR_EL2 0x92000061, "Unsupported FSC"); from Linux 6.9 KVM
// maps vfio-pci BARs Normal-NC and the store completes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultBundle } from '../../main/services/ingest/default-bundle';
import { ingestBundle } from '../../main/services/ingest/pipeline';
import { buildSearchIndex } from '../../main/services/ingest/search-index';
import { tempDir } from '../helpers/tmp';
import { startE2eApp, type E2eApp } from './harness';

const MARKUP = '<img src=x onerror="window.__faultlineXss=1">';

describe('the UI over the sample bundle (browser mode)', () => {
  let app: E2eApp;
  let sampleId = 0;
  let markupId = 0;
  let journalId = 0;
  let bootsId = 0;
  const errors: string[] = [];

  beforeAll(async () => {
    const inputs = tempDir();
    const logDir = join(inputs, 'markup-bundle', 'var', 'log');
    mkdirSync(logDir, { recursive: true });
    writeFileSync(join(logDir, 'messages'), `[    1.000000] booting\n[    2.000000] usb 1-1: product: ${MARKUP}\n[    3.000000] done\n`);
    // A host's /var/log with only its binary journal (test/fixtures/journal: systemd 252's own file).
    const journalDir = join(inputs, 'journal-bundle', 'var', 'log', 'journal', '3d1219c7c4c5404aaa1f6d2a48adfda4');
    mkdirSync(journalDir, { recursive: true });
    writeFileSync(join(journalDir, 'system.journal'), gunzipSync(readFileSync(new URL('../fixtures/journal/rockpro64.journal.gz', import.meta.url))));
    // journalctl -o short-monotonic of two boots (test/fixtures/journal: systemd 252's own output).
    const bootsDir = join(inputs, 'boots-bundle', 'sos_commands', 'logs');
    mkdirSync(bootsDir, { recursive: true });
    writeFileSync(join(bootsDir, 'journalctl_--no-pager_-o_short-monotonic'), readFileSync(new URL('../fixtures/journal/two-boots.short-monotonic', import.meta.url)));
    app = await startE2eApp(tempDir(), async (ctx) => {
      sampleId = (await ensureDefaultBundle(ctx)) ?? 0;
      markupId = (await ingestBundle(ctx.db, [join(inputs, 'markup-bundle')])).bundleId ?? 0;
      journalId = (await ingestBundle(ctx.db, [join(inputs, 'journal-bundle')])).bundleId ?? 0;
      bootsId = (await ingestBundle(ctx.db, [join(inputs, 'boots-bundle')])).bundleId ?? 0;
      await buildSearchIndex(ctx.db, undefined);
    });
  });
  afterAll(() => app?.close());

  const open = async (hash: string): Promise<Page> => {
    const page = await app.newPage(hash);
    page.on('pageerror', (e) => errors.push(e.message));
    return page;
  };

  it('opens the sample first when started without an address', async () => {
    const page = await open('');
    await page.waitForURL(new RegExp(`#/bundle/${sampleId}$`), { timeout: 15_000 });
    await page.getByTestId('bundle-name').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('bundle-name').textContent()).toBe('gpu-passthrough-6.1');
  });

  it('opens the sample from the bundle list and shows the overview', async () => {
    expect(sampleId).toBeGreaterThan(0);
    const page = await open('#/');
    await page.getByTestId(`bundle-link-${sampleId}`).click();
    await page.getByTestId('diagnosis').first().waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('bundle-name').textContent()).toBe('gpu-passthrough-6.1');
    expect(await page.getByTestId('host-kernels').textContent()).toContain('6.1.0-18-arm64');
    expect(await page.getByTestId('devices-card').textContent()).toContain('vfio-pci');
    expect(await page.locator('[data-testid="diagnosis"][data-rule="vfio-bar-s2-device-unaligned"]').count()).toBe(1);
    await app.screenshot(page, 'ui-overview');
  });

  it('keeps the timeline and the fault list linked both ways', async () => {
    const page = await open(`#/bundle/${sampleId}/faults`);
    const rows = page.getByTestId('fault-rows');
    await rows.waitFor({ timeout: 15_000 });
    const fsc = page.locator('.list-row[data-kind="kvm_unsupported_fsc"]');
    const fscId = Number(await fsc.getAttribute('data-fault-id'));

    // list -> timeline: selecting the row marks its marker
    await fsc.click();
    await page.getByTestId('timeline-selected-marker').waitFor({ timeout: 5_000 });
    expect((await page.getByTestId('timeline-selected-marker').getAttribute('data-fault-ids'))?.split(' ')).toContain(String(fscId));

    // timeline -> list: clicking another marker selects its row
    const other = page.locator('.fault-marker:not(.selected)').first();
    const otherIds = ((await other.getAttribute('data-fault-ids')) ?? '').split(' ');
    await other.click();
    await page.locator(`.list-row[aria-selected="true"][data-fault-id="${otherIds[0]}"]`).waitFor({ timeout: 5_000 });

    // keyboard in the list moves the selection, and the marker follows
    await page.locator(`.list-row[data-fault-id="${fscId}"]`).click();
    await rows.press('ArrowUp');
    const moved = await page.locator('.list-row[aria-selected="true"]').getAttribute('data-fault-id');
    expect(moved).not.toBe(String(fscId));
    expect((await page.getByTestId('timeline-selected-marker').getAttribute('data-fault-ids'))?.split(' ')).toContain(moved);

    // a brush over the start of the window filters the list to the faults inside it
    const total = await page.locator('.list-row[data-fault-id]').count();
    const strip = (await page.locator('.timeline-brush .overlay').boundingBox())!;
    await page.mouse.move(strip.x + 2, strip.y + strip.height / 2);
    await page.mouse.down();
    await page.mouse.move(strip.x + strip.width * 0.6, strip.y + strip.height / 2, { steps: 8 });
    await page.mouse.up();
    await page.getByTestId('timeline-brush-label').waitFor({ timeout: 5_000 });
    const inBrush = await page.locator('.list-row[data-fault-id]').count();
    expect(inBrush).toBeGreaterThan(0);
    expect(inBrush).toBeLessThan(total);
    await app.screenshot(page, 'ui-timeline');
    await page.getByTestId('timeline').press('Escape');
    await page.waitForFunction((n: number) => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document;
      return doc.querySelectorAll('.list-row[data-fault-id]').length === n;
    }, total);
  });

  it('finds the Unsupported FSC fault; its lattice marks Normal-NC, Device-nGnRE, Device-nGnRE; kernel 6.9 gives Normal-NC, no fault', async () => {
    const page = await open(`#/bundle/${sampleId}/faults`);
    await page.getByTestId('fault-search').fill('Unsupported FSC');
    const row = page.locator('.list-row[data-kind="kvm_unsupported_fsc"]');
    await row.waitFor({ timeout: 15_000 });
    expect(await page.locator('.list-row[data-fault-id]').count()).toBe(1);
    const id = await row.getAttribute('data-fault-id');
    await page.getByTestId(`open-fault-${id}`).click();
    await page.waitForURL(new RegExp(`#/fault/${id}$`));

    const pin = (role: string) => page.locator(`[data-testid="lattice"] [data-lattice-pin="${role}"]`);
    await pin('result').waitFor({ timeout: 15_000 });
    await app.screenshot(page, 'ui-fault-detail-top');
    expect(await page.getByTestId('fault-esr').textContent()).toContain('0x92000061');
    expect(await page.getByTestId('replay-verdict').getAttribute('data-verdict')).toBe('consistent');
    expect(await page.locator('[data-testid="replay-inputs"] tr[data-input="host kernel"]').getAttribute('data-basis')).toBe('recorded');
    expect(await page.locator('[data-testid="replay-inputs"] tr[data-input="guest mapping"]').getAttribute('data-basis')).toBe('assumed');
    expect(await pin('s1').getAttribute('data-type')).toBe('Normal-NC');
    expect(await pin('s2').getAttribute('data-type')).toBe('Device-nGnRE');
    expect(await pin('result').getAttribute('data-type')).toBe('Device-nGnRE');
    expect(await page.getByTestId('what-if-outcome').getAttribute('data-esr')).toBe('0x92000061');
    await page.getByTestId('lattice').scrollIntoViewIfNeeded();
    await app.screenshot(page, 'ui-fault-detail');

    await page.getByTestId('what-if-kernel-6.9').click();
    await page.locator('[data-testid="lattice"][data-result="Normal-NC"]').waitFor({ timeout: 15_000 });
    expect(await pin('s2').getAttribute('data-type')).toBe('Normal-NC');
    expect(await pin('result').getAttribute('data-type')).toBe('Normal-NC');
    await page.locator('[data-testid="what-if-outcome"][data-outcome="ok"]').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('what-if-outcome').getAttribute('data-esr')).toBe('');
    await page.waitForTimeout(400); // the pins glide to their new place (250 ms)
    await app.screenshot(page, 'ui-fault-detail-kernel-6.9');
  });

  it('shows a log line containing markup as text, in the log view and in search', async () => {
    expect(markupId).toBeGreaterThan(0);
    const page = await open(`#/log/${markupId}?file=var%2Flog%2Fmessages&line=2&q=product`);
    const line = page.locator('[data-testid="log-lines"] [data-line="2"] .logtext');
    await line.waitFor({ timeout: 15_000 });
    await page.getByTestId('search-hits').waitFor({ timeout: 15_000 });
    expect(await line.textContent()).toContain(MARKUP);
    expect(await page.locator('[data-testid="log-lines"] img, [data-testid="search-hits"] img').count()).toBe(0);
    expect(await page.getByTestId('search-hits').textContent()).toContain(MARKUP);
    expect(await page.evaluate('typeof window.__faultlineXss')).toBe('undefined');
  });

  it('shows a journal file\'s entries with their times beside their messages', async () => {
    expect(journalId).toBeGreaterThan(0);
    const file = encodeURIComponent('var/log/journal/3d1219c7c4c5404aaa1f6d2a48adfda4/system.journal');
    const page = await open(`#/log/${journalId}?file=${file}&line=3`);
    const row = page.locator('[data-testid="log-lines"] [data-line="3"]');
    await row.locator('.logtext').waitFor({ timeout: 15_000 });
    // The kernel's printk time of the entry, as journalctl -o short-monotonic prints it.
    expect(await row.locator('.logtime').textContent()).toBe('23352.432196');
    expect(await row.locator('.logtext').textContent()).toBe('  ESR = 0x96000004');
    // A service's message of two lines keeps to its row: the break is shown, the row is not overdrawn.
    const second = await open(`#/log/${journalId}?file=${file}&line=71`);
    const twoLines = second.locator('[data-testid="log-lines"] [data-line="71"] .logtext');
    await twoLines.waitFor({ timeout: 15_000 });
    expect(await twoLines.textContent()).toBe('nfsd: worker died ↵ restarting');
    expect(await twoLines.evaluate((e) => e.scrollHeight <= e.clientHeight)).toBe(true);
    await app.screenshot(second, 'ui-log-journal-file');
  });

  it('lists a log\'s faults of the boot before its last with that boot, and keeps them off the last boot\'s axis', async () => {
    expect(bootsId).toBeGreaterThan(0);
    const page = await open(`#/bundle/${bootsId}/faults`);
    const rows = page.locator('.list-row[data-fault-id]');
    await rows.first().waitFor({ timeout: 15_000 });
    const labels = await rows.evaluateAll((els) => els.map((e) => [e.getAttribute('data-kind'), e.querySelector('.cell')?.textContent ?? '']));
    // Two Oopses of the first boot (on their own axis: most faults are theirs) and the KVM refusal of the
    // second, stamped with the first Oops's microsecond but shown with its boot.
    expect(labels.filter(([k]) => k === 'mem_abort').length).toBe(2);
    expect(labels.find(([k]) => k === 'kvm_unsupported_fsc')?.[1]).toBe('last boot: 23352.431103');
    expect(await page.getByText('time: seconds since boot, in boot -1 of sos_commands/logs/journalctl_--no-pager_-o_short-monotonic').count()).toBe(1);
    const marked = await page.locator('[data-fault-ids]').evaluateAll((els) => els.flatMap((e) => (e.getAttribute('data-fault-ids') ?? '').split(' ')));
    const fsc = await page.locator('.list-row[data-kind="kvm_unsupported_fsc"]').getAttribute('data-fault-id');
    expect(marked.length).toBeGreaterThan(0);
    expect(marked).not.toContain(fsc);
    await app.screenshot(page, 'ui-faults-two-boots');
    // The other axis, picked: the last boot's refusal gets its mark, the first boot's Oopses their boot.
    const picker = page.getByTestId('time-axis');
    expect(await picker.locator('option').allTextContents()).toEqual([
      'seconds since boot, in boot -1 of sos_commands/logs/journalctl_--no-pager_-o_short-monotonic (2 faults)',
      'seconds since boot (1 fault)',
    ]);
    await picker.selectOption({ label: 'seconds since boot (1 fault)' });
    await page.locator(`[data-fault-ids~="${fsc}"]`).first().waitFor({ timeout: 5_000 });
    const relabelled = await rows.evaluateAll((els) => els.map((e) => [e.getAttribute('data-kind'), e.querySelector('.cell')?.textContent ?? '']));
    expect(relabelled.filter(([k]) => k === 'mem_abort').map(([, t]) => t)).toEqual(['boot -1: 23352.431103', 'boot -1: 29973.397066']);
    const oops = await page.locator('.list-row[data-kind="mem_abort"]').first().getAttribute('data-fault-id');
    const detail = await open(`#/fault/${oops}`);
    await detail.getByTestId('fault-header').waitFor({ timeout: 15_000 });
    expect(await detail.getByTestId('fault-header').textContent()).toContain('23352.431103 s since boot, in the boot before the last of its log (boot -1)');
    // The log view draws where the last boot begins (journalctl's `-- Boot … --` line), and says so.
    const file = encodeURIComponent('sos_commands/logs/journalctl_--no-pager_-o_short-monotonic');
    const log = await open(`#/log/${bootsId}?file=${file}&line=74`);
    const start = log.locator('[data-testid="log-lines"] [data-line="74"]');
    await start.locator('.logtext').waitFor({ timeout: 15_000 });
    expect(await start.getAttribute('class')).toContain('boot-start');
    expect(await start.locator('.lineno').getAttribute('title')).toBe("the last boot begins: the kernel's since-boot clock starts again");
    expect(await log.locator('[data-testid="log-lines"] .boot-start').count()).toBe(1);
    await app.screenshot(log, 'ui-log-two-boots');
  });

  it('opens deep links directly and threw no page errors on the way', async () => {
    const page = await open('#/fault/999999');
    await page.getByRole('alert').waitFor({ timeout: 15_000 });
    expect(await page.getByRole('alert').textContent()).toMatch(/not found/);
    expect(errors).toEqual([]);
  });
});
