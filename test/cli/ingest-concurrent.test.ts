// Two processes writing one database: an ingest must wait for the other writer's commits, not fail on
// them. A real second process writes (short transactions, one after the other, as another ingest does):
// SQLite's locks are between connections, and its busy handler only matters across them.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/storage/db';
import { linesToIndex, searchLines } from '../../main/storage/lines';
import { runFaultline } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const require = createRequire(import.meta.url);

// The other writer: a commit every millisecond or so, each holding the write lock for a moment. Where the
// lock is taken it tries again a moment later by itself (SQLite's own busy handler would sleep up to
// 100 ms at a time, leaving the ingest stretches without a commit to meet). It says `ready` once it has
// written, and writes until it is stopped.
const WRITER = `
const Database = require(process.argv[2]);
const db = new Database(process.argv[3]);
const insert = db.prepare("INSERT INTO diagnostics (bundle_id, kind, severity, file, line, message, count) VALUES (1, 'line-wrapped', 'info', 'other.log', ?, 'x', 1)");
const pause = new Int32Array(new SharedArrayBuffer(4));
let n = 0;
const write = () => {
  const until = Date.now() + 20;
  while (Date.now() < until) {
    try {
      insert.run(++n);
    } catch (e) {
      if (e.code !== 'SQLITE_BUSY') throw e;
    }
    Atomics.wait(pause, 0, 0, 0.2);
  }
  setImmediate(write);
};
insert.run(0);
process.stdout.write('ready\\n');
write();
`;

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill();
});

function startWriter(dbPath: string): Promise<ChildProcess> {
  const script = join(tempDir(), 'writer.cjs');
  writeFileSync(script, WRITER);
  const child = spawn(process.execPath, [script, require.resolve('better-sqlite3'), dbPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  running.push(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the writer exited (${code}) before it wrote`)));
    child.stdout!.once('data', () => resolve(child));
  });
}

/** A dmesg of `n` lines with one fault line in the middle. */
function writeLog(dir: string, n: number): string {
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) {
    const t = `[${String(Math.floor(i / 1000)).padStart(5)}.${String((i % 1000) * 1000).padStart(6, '0')}]`;
    lines.push(i === n / 2 ? `${t} kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061` : `${t} usb 1-1: reset high-speed USB device number ${i} using xhci-hcd`);
  }
  const path = join(dir, 'dmesg');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('ingest beside another writer', () => {
  it("waits for the other process's commits and builds the whole search index", async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'shared.db');
    const setup = openDatabase(dbPath);
    setup.prepare(`INSERT INTO bundles (id, name, source_path, fingerprint, status, created_at) VALUES (1, 'other', '/other', 'other', 'complete', 'now')`).run();
    setup.close();
    const log = writeLog(dir, 200_000);
    await startWriter(dbPath);

    const r = await runFaultline(['ingest', log, '--db', dbPath, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);

    const db = openDatabase(dbPath, { readonly: true });
    try {
      const bundle = db.prepare(`SELECT id FROM bundles WHERE name = 'dmesg' AND status = 'complete'`).pluck().get() as number;
      expect(linesToIndex(db, bundle)).toBe(0);
      const files = db.prepare(`SELECT id FROM files WHERE bundle_id = ?`).pluck().all(bundle) as number[];
      expect(searchLines(db, files, 'xFSC', 10).map((h) => h.lineNo)).toEqual([100_000]);
    } finally {
      db.close();
    }
  }, 60_000);
});
