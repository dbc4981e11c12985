// UI: time from opening an ingested bundle to its first complete paint in Chromium (browser mode, the real
// backend over a real SQLite file). Target: under 1 s. "Complete" means every panel of the view holds its
// data (no loading placeholder left: nothing `aria-busy`) and the frame after that has been painted.
// Measured for the embedded sample and for a generated bundle: a dmesg of FAULTLINE_BENCH_UI_LINES lines
// (default 1,000,000) with a KVM "Unsupported FSC" fault every 500 lines, and a raw tracefs trace of
// FAULTLINE_BENCH_UI_EVENTS KVM events (default 10,000,000: kvm_exit/kvm_entry on 8 vCPUs, a guest fault
// every 10,000). Views: the overview (clicked in the bundle list), faults & timeline and log (reached inside
// the app), and a fresh tab opened on the faults address (which loads the renderer too). First = the first
// open in a new tab, best = the best of the others. The timeline's own query (timeline:buckets, 600
// buckets, as the view asks) is timed too at the widest window and at a 1/1000 window (target < 50 ms).
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { TimelineBuckets } from '../preload/contract';
import type { ApiContext } from '../main/api/context';
import { dispatch } from '../main/api/dispatch';
import { ensureDefaultBundle } from '../main/services/ingest/default-bundle';
import { ingestBundle } from '../main/services/ingest/pipeline';
import { buildSearchIndex } from '../main/services/ingest/search-index';
import { startE2eApp, type E2eApp } from '../test/e2e/harness';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const LINES = Number(process.env.FAULTLINE_BENCH_UI_LINES ?? 1_000_000);
const EVENTS = Number(process.env.FAULTLINE_BENCH_UI_EVENTS ?? 10_000_000);
const FAULT_EVERY = 500;
const TARGET_MS = 1000;

async function generateDmesg(path: string): Promise<void> {
  const out = createWriteStream(path);
  let chunk = '';
  for (let i = 0; i < LINES; i++) {
    const ts = (10 + i * 0.000731).toFixed(6).padStart(12, ' ');
    chunk +=
      i % FAULT_EVERY === FAULT_EVERY - 1
        ? `[${ts}] kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061\n`
        : `[${ts}] virbr0: port ${i % 7}(vnet0) entered forwarding state\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise<void>((r) => out.end(() => r()));
}

const TRACE_HEADER = '# tracer: nop\n#\n#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n#              | |         |   |||||     |         |\n';

/** A raw tracefs trace (5-character flags, as Linux >= 5.15 prints): 8 vCPU threads exiting and entering. */
async function generateTrace(path: string): Promise<void> {
  const out = createWriteStream(path);
  let chunk = TRACE_HEADER;
  for (let i = 0; i < EVENTS; i++) {
    const v = i % 8;
    const ns = 400_000_000_000 + i * 1_700; // 1.7 µs apart: 10 M events over 17 s
    const ts = `${Math.floor(ns / 1e9)}.${String(Math.floor((ns % 1e9) / 1000)).padStart(6, '0')}`;
    const task = `CPU ${v}/KVM-${4325 + v} [${String(12 + v).padStart(3, '0')}] d..1. ${ts.padStart(12, ' ')}`;
    if (i % 10_000 === 9_999) chunk += `  ${task}: kvm_guest_fault: ipa 0x8000001000, hsr 0x92000047, hxfar 0xffff800088001000, pc 0xffff800008a1c2f0\n`;
    else if (i % 2 === 0) chunk += `  ${task}: kvm_exit: TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff800008a1c2f0\n`;
    else chunk += `  ${task}: kvm_entry: PC: 0xffff800008a1c2f4\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise<void>((r) => out.end(() => r()));
}

/** Waits until nothing is loading and the next frame is painted; returns ms since `t0`. */
async function untilPainted(page: Page, ready: string, t0: number): Promise<number> {
  // A function, not a string: the app's CSP forbids eval, which a string predicate would need. This file is
  // type-checked without the DOM library, hence the minimal view of `document`.
  await page.waitForFunction(
    (sel: string) => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
      return doc.querySelector(sel) !== null && doc.querySelector('[aria-busy="true"]') === null;
    },
    ready,
    { polling: 'raf', timeout: 60_000 },
  );
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(0))))');
  return performance.now() - t0;
}

interface View {
  readonly name: string;
  readonly open: (page: Page, app: E2eApp, bundleId: number) => Promise<number>;
}

// In-app navigation, as a user does it: the app is loaded once (on the bundle list) and each view is
// reached by a click or an address change inside it. `start` is the other case: a fresh tab opened on the
// bundle's address, loading the renderer too.
const OVERVIEW_READY = '[data-testid="overview"] [data-testid="diagnoses-card"] :is(.diagnoses, .status-empty)';
const FAULTS_READY = '[data-testid="fault-rows"] .list-row[data-fault-id]';
const LOG_READY = '[data-testid="log-lines"] [data-line="1"] .logtext span';

async function home(page: Page, app: E2eApp, id: number): Promise<void> {
  if (!page.url().startsWith(app.server.url.replace(/\?.*$/, ''))) await page.goto(`${app.server.url}#/`);
  await page.evaluate(`window.location.hash = '#/'`);
  await page.getByTestId(`bundle-link-${id}`).waitFor();
}

const VIEWS: readonly View[] = [
  {
    name: 'overview, clicked in the bundle list',
    async open(page, app, id) {
      await home(page, app, id);
      const t0 = performance.now();
      await page.getByTestId(`bundle-link-${id}`).click();
      return untilPainted(page, OVERVIEW_READY, t0);
    },
  },
  {
    name: 'faults & timeline, from the bundle list',
    async open(page, app, id) {
      await home(page, app, id);
      const t0 = performance.now();
      await page.evaluate(`window.location.hash = '#/bundle/${id}/faults'`);
      return untilPainted(page, FAULTS_READY, t0);
    },
  },
  {
    name: 'log, from the bundle list',
    async open(page, app, id) {
      await home(page, app, id);
      const t0 = performance.now();
      await page.evaluate(`window.location.hash = '#/bundle/${id}/log'`);
      return untilPainted(page, LOG_READY, t0);
    },
  },
  {
    name: 'start: a new tab on the faults address (loads the app too)',
    async open(page, app, id) {
      const t0 = performance.now();
      await page.goto(`${app.server.url}#/bundle/${id}/faults`);
      return untilPainted(page, FAULTS_READY, t0);
    },
  },
];

async function measure(app: E2eApp, label: string, bundleId: number): Promise<void> {
  for (const v of VIEWS) {
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      const page = await app.browser.newPage({ viewport: { width: 1440, height: 900 } });
      if (!v.name.startsWith('start')) await page.goto(`${app.server.url}#/`);
      times.push(await v.open(page, app, bundleId));
      if (!v.name.startsWith('start')) times.push(await v.open(page, app, bundleId));
      await page.close();
    }
    const [cold = 0, ...rest] = times;
    const warm = Math.min(...rest);
    const ok = cold < TARGET_MS && warm < TARGET_MS;
    console.log(`ui ${label}: ${v.name}: first ${cold.toFixed(0)} ms, best of ${rest.length} ${warm.toFixed(0)} ms (target < ${TARGET_MS} ms)${ok ? '' : '  OVER TARGET'}`);
  }
}

/** timeline:buckets as the timeline asks it (600 buckets), through the real dispatch: best of five. */
async function timeBuckets(ctx: ApiContext, bundleId: number): Promise<void> {
  const ask = async (window: { fromNs?: string; toNs?: string }): Promise<{ ms: number; r: TimelineBuckets }> => {
    let best = Infinity;
    let r: TimelineBuckets | null = null;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const e = await dispatch(ctx, 'timeline:buckets', { bundleId, buckets: 600, ...window });
      best = Math.min(best, performance.now() - t0);
      if (!e.ok) throw new Error(e.error.message);
      r = e.value as TimelineBuckets;
    }
    return { ms: best, r: r as TimelineBuckets };
  };
  const wide = await ask({});
  const from = BigInt(wide.r.fromNs);
  const span = BigInt(wide.r.toNs) - from;
  const mid = from + span / 2n;
  const narrow = await ask({ fromNs: mid.toString(), toNs: (mid + span / 1000n).toString() });
  for (const [name, m] of [['widest', wide], ['1/1000 of it', narrow]] as const) {
    console.log(`ui timeline query (${name}, ${m.r.tracks.length} tracks, ${m.r.source}): ${m.ms.toFixed(1)} ms (target < 50 ms)${m.ms < 50 ? '' : '  OVER TARGET'}`);
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-ui-'));
  try {
    const input = join(dir, 'big-host', 'sos_commands', 'kernel');
    const tracing = join(dir, 'big-host', 'sys', 'kernel', 'debug', 'tracing');
    mkdirSync(input, { recursive: true });
    mkdirSync(tracing, { recursive: true });
    await generateDmesg(join(input, 'dmesg'));
    await generateTrace(join(tracing, 'trace'));
    let sample = 0;
    let big = 0;
    const app = await startE2eApp(dir, async (ctx) => {
      sample = (await ensureDefaultBundle(ctx)) ?? 0;
      const t0 = performance.now();
      big = (await ingestBundle(ctx.db, [join(dir, 'big-host')])).bundleId ?? 0;
      await buildSearchIndex(ctx.db, big);
      console.log(
        `ui: generated bundle: ${LINES.toLocaleString('en-US')} dmesg lines, ${EVENTS.toLocaleString('en-US')} trace events, ingested and indexed in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      await timeBuckets(ctx, big);
    });
    try {
      await measure(app, 'sample gpu-passthrough-6.1', sample);
      await measure(app, `generated bundle (${LINES.toLocaleString('en-US')} lines, ${EVENTS.toLocaleString('en-US')} events)`, big);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('bench/ui.ts')) await run();
