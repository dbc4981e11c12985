// End-to-end harness: the built renderer (out/renderer) served by the real browser-mode server over a real
// SQLite file, driven in Debian's Chromium through playwright-core (never a downloaded browser).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ApiContext } from '../../main/api/context';
import { createAppContext } from '../../main/services/app-context';
import { PROJECT_ROOT, RENDERER_DIR } from '../../main/services/paths';
import { startWebServer, type WebServer } from '../../main/web/server';

export const CHROMIUM = process.env.FAULTLINE_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(PROJECT_ROOT, 'test-output', 'screenshots');

export interface E2eApp {
  readonly ctx: ApiContext;
  readonly server: WebServer;
  readonly browser: Browser;
  newPage(hash?: string): Promise<Page>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startE2eApp(dataDir: string, prepare?: (ctx: ApiContext) => void | Promise<void>): Promise<E2eApp> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('out/renderer is missing: run `npm run build` first');
  const ctx = createAppContext({ dataDir, dbPath: join(dataDir, 'e2e.db'), transport: 'http' });
  await prepare?.(ctx);
  const server = await startWebServer({ ctx, staticDir: RENDERER_DIR, port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    ctx,
    server,
    browser,
    async newPage(hash = '') {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(server.url + hash);
      return page;
    },
    async screenshot(page, name) {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: false });
      return path;
    },
    async close() {
      await browser.close();
      await server.close();
      ctx.db.close();
    },
  };
}
