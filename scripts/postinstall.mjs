#!/usr/bin/env node
// After `npm install`: get Electron's binary where that is possible, and build better-sqlite3 for
// Electron's ABI beside (not over) the plain-Node build.
//
// Why: Electron's own install script downloads its binary from outside the npm registry. On machines that
// cannot reach it (CI, sandboxes) that script would fail the whole install, so package.json's `allowScripts`
// denies it and this script runs it instead, tolerating failure: the app then runs in browser mode
// (`npm start` says so and falls back). On a desktop the download succeeds and `npm start` opens the window.
// better-sqlite3 is compiled for Node by its own install script (tests, CLI, browser mode need that one);
// Electron needs a build for its own ABI, so we compile a second copy into .electron-native/, which
// main/index.ts passes to better-sqlite3 as `nativeBinding`. Nothing here may fail the install.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const say = (line) => process.stdout.write(`faultline postinstall: ${line}\n`);

// Not require('electron'): with its binary missing, that starts a download attempt of its own.
function electronBinary() {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function installElectron() {
  let installer;
  try {
    installer = require.resolve('electron/install.js');
  } catch {
    return false;
  }
  if (process.env.FAULTLINE_SKIP_ELECTRON === '1') return false;
  const r = spawnSync(process.execPath, [installer], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
  if (r.status === 0 && electronBinary()) return true;
  const reason = (r.stderr?.toString() ?? '').split('\n').find((l) => /error/i.test(l)) ?? `exit ${r.status}`;
  say(`Electron's binary could not be downloaded (${reason.trim().slice(0, 160)}).`);
  say('Faultline will run in browser mode here: `npm start` falls back to it, `npm run serve` always uses it.');
  return false;
}

function buildSqliteForElectron() {
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const src = dirname(require.resolve('better-sqlite3/package.json'));
  const out = join(root, '.electron-native');
  const work = join(out, 'better-sqlite3');
  const target = join(out, 'better_sqlite3.node');
  const stamp = join(out, `electron-${electronVersion}`);
  if (existsSync(target) && existsSync(stamp)) return;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(src, work, { recursive: true, filter: (p) => !p.includes(`${join(src, 'build')}`) });
  const gyp = process.env.npm_config_node_gyp ?? require.resolve('node-gyp/bin/node-gyp.js');
  say(`building better-sqlite3 for Electron ${electronVersion}…`);
  const r = spawnSync(
    process.execPath,
    [gyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
    { cwd: work, stdio: 'inherit' },
  );
  if (r.status !== 0) {
    say('could not build better-sqlite3 for Electron; the desktop window will not open its database (browser mode still works).');
    return;
  }
  copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
  copyFileSync(target, stamp);
  rmSync(work, { recursive: true, force: true });
}

try {
  if (electronBinary() || installElectron()) buildSqliteForElectron();
} catch (e) {
  say(`skipped Electron setup: ${e instanceof Error ? e.message : String(e)}`);
}
