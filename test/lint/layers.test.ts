// The layer rules of docs/ARCHITECTURE.md are enforced by lint: prove each one bites.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layer rules', () => {
  it('a renderer file importing electron fails lint', async () => {
    const messages = await ruleIds('renderer/components/Bad.tsx', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n");
    expect(messages.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
  });

  it('a renderer file importing node built-ins or main code fails lint', async () => {
    expect((await ruleIds('renderer/x.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n")).join()).toMatch(/no-restricted-imports/);
    expect((await ruleIds('renderer/x.ts', "import { openDatabase } from '../main/storage/db';\nexport const f = openDatabase;\n")).join()).toMatch(/no-restricted-imports/);
  });

  it('a core file importing better-sqlite3, fs or electron fails lint', async () => {
    for (const mod of ['better-sqlite3', 'node:fs', 'fs', 'electron']) {
      const messages = await ruleIds('main/core/esr/bad.ts', `import x from '${mod}';\nexport const y = x;\n`);
      expect(messages.join(), mod).toMatch(/no-restricted-imports/);
    }
  });

  it('ipcMain outside main/ipc fails lint; inside it passes', async () => {
    const code = "import { ipcMain } from 'electron';\nexport const h = ipcMain;\n";
    expect((await ruleIds('main/services/bad.ts', code)).join()).toMatch(/no-restricted-syntax/);
    expect(await ruleIds('main/ipc/ok.ts', code)).toEqual([]);
  });

  it('a deferred transaction in main fails lint; writeTransaction passes', async () => {
    const deferred = "import type { Db } from './db';\nexport const f = (db: Db) => db.transaction(() => db.exec('DELETE FROM bundles'))();\n";
    expect((await ruleIds('main/storage/bad.ts', deferred)).join()).toMatch(/no-restricted-syntax: Use writeTransaction/);
    const immediate = "import { writeTransaction, type Db } from './db';\nexport const f = (db: Db) => writeTransaction(db, () => db.exec('DELETE FROM bundles'));\n";
    expect(await ruleIds('main/storage/ok.ts', immediate)).toEqual([]);
  });

  it('the same pure code passes in core', async () => {
    expect(await ruleIds('main/core/ok.ts', "import { toHex } from './hex';\nexport const h = toHex(1n);\n")).toEqual([]);
  });
});
