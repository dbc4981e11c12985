// The decode page and the what-if lattice in Chromium, over the real HTTP transport: what the page shows
// must come from main/core through the contract. Expected values: Arm ARM D24.2.45 and DOMAIN.md §1-3
// (ESR_EL2 0x92000061 = DABT_LOW, WnR 1, DFSC 0x21; guest Normal-NC over KVM < 6.9's Device-nGnRE stage 2 ->
// Device-nGnRE, stage-2 alignment fault; Linux 6.9 maps vfio-pci BARs Normal-NC -> Normal-NC, no fault).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';
import { startE2eApp, type E2eApp } from './harness';

describe('decode page and what-if lattice (browser mode)', () => {
  let app: E2eApp;
  beforeAll(async () => {
    app = await startE2eApp(tempDir());
  });
  afterAll(() => app?.close());

  it('decodes a deep-linked ESR: bits under their fields, the tree, KVM view', async () => {
    const page = await app.newPage('#/decode/0x92000061?el=2');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const card = page.getByTestId('decode-card');
    await card.waitFor({ timeout: 15_000 });
    expect(await card.getAttribute('data-esr')).toBe('0x92000061');
    expect(await page.getByTestId('esr-ec').textContent()).toContain('DABT_LOW');
    expect(await page.getByTestId('esr-fsc').textContent()).toMatch(/0x21.*Alignment fault/);
    // bits 5..0 read 100001 (DFSC 0x21) and bit 6 (WnR) reads 1
    const bitsText = async (hi: number, lo: number): Promise<string> => {
      let s = '';
      for (let b = hi; b >= lo; b--) s += (await page.locator(`[data-bit="${b}"]`).textContent())?.trim();
      return s;
    };
    expect(await bitsText(5, 0)).toBe('100001');
    expect(await bitsText(6, 6)).toBe('1');
    expect(await page.locator('[data-bit="6"]').getAttribute('title')).toContain('WnR');
    expect(await page.getByTestId('kvm-message').textContent()).toContain('Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061');
    expect(errors).toEqual([]);
  });

  it('copies the decode as plain text wrapped at 75 columns', async () => {
    const context = await app.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    await page.goto(`${app.server.url}#/decode/0x92000061?el=2`);
    await page.getByTestId('copy-as-text').click();
    await page.getByText('Copied').waitFor({ timeout: 5_000 });
    // page functions as strings: the tests are type-checked without the DOM library
    const text = String(await page.evaluate('navigator.clipboard.readText()'));
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ESR 0x92000061 \(ESR_EL2\)/);
    expect(lines.every((l) => l.length <= 75)).toBe(true);
    expect(text).toMatch(/DFSC\s+\[5:0\]\s+0x21/);
    expect(text).toContain('Unsupported FSC: EC=0x24 xFSC=0x21');
    await context.close();
  });

  it('takes pasted log lines and decodes every ESR in them', async () => {
    const page = await app.newPage('#/decode');
    await page.getByTestId('esr-input').fill('[ 12.5] kvm [77]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061\n[ 13.1]   ESR = 0x0000000096000004');
    await page.getByTestId('decode-submit').click();
    await page.getByTestId('decode-card').nth(1).waitFor({ timeout: 15_000 });
    const esrs = await page.getByTestId('decode-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-esr')));
    expect(esrs).toEqual(['0x92000061', '0x96000004']);
    expect(page.url()).toContain('#/decode/0x92000061,0x0000000096000004');
  });

  it('lattice: stage 1 Normal-NC, stage 2 Device-nGnRE, result Device-nGnRE; kernel 6.9 gives Normal-NC and no fault', async () => {
    const page = await app.newPage('#/what-if');
    const pin = (role: string) => page.locator(`[data-testid="lattice"] [data-lattice-pin="${role}"]`);
    await pin('result').waitFor({ timeout: 15_000 });
    expect(await pin('s1').getAttribute('data-type')).toBe('Normal-NC');
    expect(await pin('s2').getAttribute('data-type')).toBe('Device-nGnRE');
    expect(await pin('result').getAttribute('data-type')).toBe('Device-nGnRE');
    const outcome = page.getByTestId('what-if-outcome');
    expect(await outcome.getAttribute('data-outcome')).toBe('fault');
    expect(await outcome.getAttribute('data-esr')).toBe('0x92000061');

    await page.getByTestId('what-if-kernel-6.9').click();
    await page.locator('[data-testid="lattice"][data-result="Normal-NC"]').waitFor({ timeout: 15_000 });
    expect(await pin('s2').getAttribute('data-type')).toBe('Normal-NC');
    expect(await pin('result').getAttribute('data-type')).toBe('Normal-NC');
    await page.locator('[data-testid="what-if-outcome"][data-outcome="ok"]').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('lattice-alignment').textContent()).toMatch(/allowed/);
  });

  it('switches between light and dark with the toggle', async () => {
    const page = await app.newPage('#/decode');
    await page.getByTestId('theme-toggle').waitFor();
    const theme = async (): Promise<string | null> => (await page.evaluate('document.documentElement.dataset.theme ?? null')) as string | null;
    const before = await theme();
    await page.getByTestId('theme-toggle').click(); // system -> light
    await page.getByTestId('theme-toggle').click(); // light -> dark
    expect(await theme()).toBe('dark');
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(bg).toBe('rgb(21, 24, 28)');
    expect(before).toBe('light');
  });
});
