// The app shell in a real Chromium over the real HTTP transport and SQLite: what the page shows must come
// from the database through the contract, so a break in any of the three fails this test.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBundle, finishBundle } from '../../main/storage/bundles';
import { tempDir } from '../helpers/tmp';
import { startE2eApp, type E2eApp } from './harness';

describe('app shell in Chromium (browser mode)', () => {
  let app: E2eApp;
  const name = `shell-check-${Date.now()}`;

  beforeAll(async () => {
    app = await startE2eApp(tempDir(), (ctx) => {
      const id = insertBundle(ctx.db, { name, sourcePath: '/tmp/x', fingerprint: name, createdAt: new Date().toISOString() });
      finishBundle(ctx.db, id, 'complete', new Date().toISOString());
    });
  });
  afterAll(() => app?.close());

  it('loads the renderer, calls the API with the token, and shows what SQLite holds', async () => {
    const page = await app.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.getByText(name, { exact: false }).first().waitFor({ timeout: 15_000 });
    // the token left the address bar once taken
    expect(page.url()).not.toContain('token=');
    const shot = await app.screenshot(page, 'shell');
    expect(existsSync(shot)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('the same page without the token cannot reach the API and says so', async () => {
    const page = await app.browser.newPage();
    await page.goto(app.server.url.replace(/\?token=.*$/, ''));
    await page.getByRole('alert').waitFor({ timeout: 15_000 });
    expect(await page.getByRole('alert').textContent()).toMatch(/missing or wrong token/);
  });
});
