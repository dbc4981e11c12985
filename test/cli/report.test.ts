// `faultline report` in-process: files and stdout, selections, exit codes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/storage/db';
import { finishBundle, insertBundle, setBundleContext } from '../../main/storage/bundles';
import { SAMPLES_DIR } from '../../main/services/paths';
import { runFaultline } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('faultline report', () => {
  const dir = tempDir();
  const dbPath = join(dir, 'r.db');
  const db = openDatabase(dbPath);
  const id = insertBundle(db, { name: 'host-b', sourcePath: '/tmp/host-b', fingerprint: 'cli-report', createdAt: '2026-01-01T00:00:00Z' });
  setBundleContext(db, id, JSON.stringify({ hostname: 'host-b', kernels: ['6.1.0-18-arm64'] }));
  finishBundle(db, id, 'complete', '2026-01-01T00:00:01Z');
  db.close();

  it('writes the text report to stdout and the HTML report to a file', async () => {
    const html = join(dir, 'out.html');
    const r = await runFaultline(['report', '--db', dbPath, '--text', '-', '--html', html]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Faultline report for host-b\n/);
    expect(r.stdout).toMatch(/^Host: +host-b$/m);
    expect(r.stderr).toContain(`wrote the HTML report of host-b to ${html}`);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('exits 2 on usage errors and 1 when the database, bundle or fault does not exist', async () => {
    expect((await runFaultline(['report', '--db', dbPath])).code).toBe(2);
    expect((await runFaultline(['report', '--db', dbPath, '--text', '-', '--html', '-'])).code).toBe(2);
    expect((await runFaultline(['report', '--db', dbPath, '--fault', '1', '--diagnosis', 'd', '--text', '-'])).code).toBe(2);
    expect((await runFaultline(['report', '--db', dbPath, '--fault', 'x', '--text', '-'])).code).toBe(2);
    expect((await runFaultline(['report', '--db', join(dir, 'none.db'), '--text', '-'])).code).toBe(1);
    const noBundle = await runFaultline(['report', '--db', dbPath, '--bundle', String(id + 1), '--text', '-']);
    expect(noBundle.code).toBe(1);
    expect(noBundle.stderr).toContain(`bundle ${id + 1} not found`);
    const noFault = await runFaultline(['report', '--db', dbPath, '--fault', '77', '--text', '-']);
    expect(noFault).toMatchObject({ code: 1, stdout: '' });
    expect((await runFaultline(['report', '--help'])).stdout).toContain('Usage: faultline report');
  });

  it('ingests PATHs into a temporary database and reports them, with no window at all', async () => {
    const txt = join(dir, 'sample.txt');
    const r = await runFaultline(['report', join(SAMPLES_DIR, 'gpu-passthrough-6.1'), '--text', txt, '--html', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<!DOCTYPE html>/);
    expect(r.stderr).toMatch(/^ingested \d+ file\(s\) of gpu-passthrough-6\.1/);
    expect(readFileSync(txt, 'utf8')).toContain('kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061');
    expect((await runFaultline(['report', join(dir, 'missing'), '--text', '-'])).code).toBe(1);
    expect((await runFaultline(['report', join(dir, 'missing'), '--bundle', '1', '--text', '-'])).code).toBe(2);
  });
});
