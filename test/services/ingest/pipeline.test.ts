// Bad input never stops a bundle; re-ingest replaces; cancel and crashes leave the database consistent.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/storage/db';
import { allFaults } from '../../../main/storage/faults';
import { listBundles, insertBundle } from '../../../main/storage/bundles';
import { pageLines } from '../../../main/storage/lines';
import { ingestingFingerprint } from '../../../main/storage/ingest';
import { ingestBundle } from '../../../main/services/ingest/pipeline';
import { SAMPLES_DIR } from '../../../main/services/paths';
import { tempDir } from '../../helpers/tmp';
import { withUnlistableFolder } from '../../helpers/unlistable';

const FSC_LINE = '[  412.883121] kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061\n';

function bundleDir(files: Record<string, string | Buffer>): string {
  const dir = tempDir();
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  return dir;
}

describe('bad input never stops the bundle', () => {
  it('skips binary junk, stores unknown text, notes empty files, and reads the log next to them', async () => {
    const dir = bundleDir({
      'a/junk.bin': randomBytes(200_000),
      'b/notes.txt': 'Dear all,\nthe host was rebooted on Tuesday.\n',
      'c/empty': '',
      'd/dmesg': '[    1.000000] Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]\n' + FSC_LINE,
    });
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [dir]);
    expect(s.files.map((f) => [f.path, f.format])).toEqual([
      ['a/junk.bin', 'binary'],
      ['b/notes.txt', 'text'],
      ['c/empty', 'empty'],
      ['d/dmesg', 'dmesg'],
    ]);
    expect(s.diagnostics.map((d) => d.kind).sort()).toEqual(['binary-skipped', 'empty-file', 'format-unknown']);
    expect(allFaults(db, s.bundleId!).map((f) => f.esr)).toEqual(['0x92000061']);
    db.close();
  });

  it('replaces invalid UTF-8 and names the line', async () => {
    const dir = bundleDir({ dmesg: Buffer.concat([Buffer.from('[    0.500000] ok\n[    0.600000] bad \xff\xfe byte\n', 'latin1'), Buffer.from(FSC_LINE)]) });
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [dir]);
    const d = s.diagnostics.find((x) => x.kind === 'invalid-utf8');
    expect(d?.example).toMatch(/^dmesg:2 /);
    const [file] = db.prepare(`SELECT id FROM files`).pluck().all() as number[];
    expect(pageLines(db, file!, 2, 1)[0]?.text).toContain('\uFFFD');
    expect(allFaults(db, s.bundleId!)).toHaveLength(1);
    db.close();
  });

  it('cuts a multi-megabyte line and goes on', async () => {
    const dir = bundleDir({ dmesg: `[    0.100000] ${'x'.repeat(5 * 1024 * 1024)}\n${FSC_LINE}` });
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [dir]);
    expect(s.diagnostics.find((d) => d.kind === 'line-truncated')?.example).toMatch(/^dmesg:1 /);
    expect(s.lines).toBe(2);
    expect(allFaults(db, s.bundleId!).map((f) => f.line)).toEqual([2]);
    db.close();
  });

  it('reports a folder that cannot be listed and stores the rest', async () => {
    const dir = bundleDir({ dmesg: FSC_LINE });
    const db = openDatabase(join(tempDir(), 'x.db'));
    await withUnlistableFolder(dir, 'var', async (rel) => {
      const s = await ingestBundle(db, [dir]);
      expect(s.bundleId).not.toBeNull();
      expect(s.files.map((f) => f.path)).toEqual(['dmesg']);
      expect(s.faults).toBe(1);
      expect(s.diagnostics.map((d) => [d.kind, d.severity])).toEqual([['file-unreadable', 'error']]);
      expect(s.diagnostics[0]!.example.startsWith(`${rel} cannot list `)).toBe(true);
      expect(listBundles(db).map((b) => b.status)).toEqual(['complete']);
    });
    db.close();
  });

  it('reports a missing input and reads the others', async () => {
    const dir = bundleDir({ dmesg: FSC_LINE });
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [join(dir, 'nope'), join(dir, 'dmesg')]);
    expect(s.diagnostics.map((d) => [d.kind, d.severity])).toContainEqual(['input-missing', 'error']);
    expect(s.faults).toBe(1);
    db.close();
  });
});

describe('bundle bookkeeping', () => {
  it('re-ingesting the same content replaces the bundle instead of duplicating it', async () => {
    const db = openDatabase(join(tempDir(), 'x.db'));
    const first = await ingestBundle(db, [join(SAMPLES_DIR, 'gpu-passthrough-6.1')]);
    const counts = (): unknown => db.prepare(`SELECT (SELECT count(*) FROM files), (SELECT coalesce(sum(count), 0) FROM line_blocks), (SELECT count(*) FROM faults)`).raw().get();
    const once = counts();
    const copy = tempDir();
    cpSync(join(SAMPLES_DIR, 'gpu-passthrough-6.1'), join(copy, 'gpu-passthrough-6.1'), { recursive: true });
    const second = await ingestBundle(db, [join(copy, 'gpu-passthrough-6.1')]);
    expect(second.replacedBundleId).toBe(first.bundleId);
    expect(listBundles(db).map((b) => [b.id, b.status])).toEqual([[second.bundleId, 'complete']]);
    expect(counts()).toEqual(once);
    expect(db.prepare(`SELECT count(*) FROM faults`).pluck().get()).toBe(second.faults);
    expect(second.diagnostics.map((d) => d.kind)).toContain('bundle-replaced');
    db.close();
  });

  it('merges the same fault found in dmesg and in kern.log into one record', async () => {
    const dir = bundleDir({
      'sos_commands/kernel/dmesg': FSC_LINE,
      'var/log/kern.log': 'Mar  5 10:16:57 altra-01 kernel: [  412.883121] kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061\n',
    });
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [dir]);
    const faults = allFaults(db, s.bundleId!);
    expect(faults.map((f) => f.file)).toEqual(['sos_commands/kernel/dmesg']);
    expect(JSON.parse(faults[0]!.extraJson).also_in).toEqual(['var/log/kern.log:1']);
    db.close();
  });

  it('a storm of one fault printed in two files is one record per fault, each copy matched in order', async () => {
    // 3,000 identical KVM refusals 2 s apart in dmesg (beyond the 1 s two copies of one line may differ by),
    // and the same in kern.log but for the first 1,000 (rotated away): every kern.log line is the dmesg
    // record of its time, none is new.
    const line = (i: number): string => `[${String(100 + 2 * i).padStart(5)}.000000] kvm [4242]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061`;
    const all = Array.from({ length: 3000 }, (_, i) => line(i));
    const dir = bundleDir({ 'sos_commands/kernel/dmesg': all.join('\n') + '\n', 'var/log/kern.log': all.slice(1000).join('\n') + '\n' });
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [dir]);
    const faults = allFaults(db, s.bundleId!);
    expect(faults.length).toBe(3000);
    expect(new Set(faults.map((f) => f.file))).toEqual(new Set(['sos_commands/kernel/dmesg']));
    const alsoIn = faults.map((f) => (JSON.parse(f.extraJson) as { also_in?: string[] }).also_in ?? []);
    expect(alsoIn.slice(0, 1000).findIndex((a) => a.length > 0)).toBe(-1);
    expect(alsoIn.slice(1000)).toEqual(Array.from({ length: 2000 }, (_, k) => [`var/log/kern.log:${k + 1}`]));
    db.close();
  });

  // A storm of 300 identical refusals 200 µs apart (60 ms in all), as the journal stores kernel entries.
  const stormEntry = (i: number): string =>
    JSON.stringify({
      __REALTIME_TIMESTAMP: String(1_709_633_000_000_000 + 412_883_121 + i * 200),
      __MONOTONIC_TIMESTAMP: String(412_883_130 + i * 200),
      _SOURCE_MONOTONIC_TIMESTAMP: String(412_883_121 + i * 200),
      _TRANSPORT: 'kernel',
      SYSLOG_IDENTIFIER: 'kernel',
      PRIORITY: '3',
      MESSAGE: 'kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061',
    });
  const storm = Array.from({ length: 300 }, (_, i) => i);

  it('a storm split over rotated logs keeps every record: the microsecond stamps tell them apart', async () => {
    // The journal rotated in the middle of the storm: the first 150 entries in one export, the rest in
    // the next. No entry is in both, and all 300 are within a second of each other.
    const dir = bundleDir({
      'journal/system@0001.json': storm.slice(0, 150).map(stormEntry).join('\n') + '\n',
      'journal/system.json': storm.slice(150).map(stormEntry).join('\n') + '\n',
    });
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [dir]);
    const faults = allFaults(db, s.bundleId!);
    expect(faults.length).toBe(300);
    expect(faults.filter((f) => f.file === 'journal/system.json').length).toBe(150);
    expect(faults.filter((f) => (JSON.parse(f.extraJson) as { also_in?: string[] }).also_in !== undefined)).toEqual([]);
    db.close();
  });

  it('the same storm in dmesg and in the journal is one record per fault: copies carry the same microsecond', async () => {
    const dmesgLine = (i: number): string => {
      const us = 412_883_121 + i * 200;
      return `[${String(Math.floor(us / 1e6)).padStart(5)}.${String(us % 1e6).padStart(6, '0')}] kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061`;
    };
    const dir = bundleDir({
      'sos_commands/kernel/dmesg': storm.map(dmesgLine).join('\n') + '\n',
      'sos_commands/logs/journalctl_-o_json': storm.map(stormEntry).join('\n') + '\n',
    });
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [dir]);
    const faults = allFaults(db, s.bundleId!);
    expect(faults.length).toBe(300);
    expect(faults.map((f) => (JSON.parse(f.extraJson) as { also_in?: string[] }).also_in)).toEqual(
      storm.map((i) => [`sos_commands/logs/journalctl_-o_json:${i + 1}`]),
    );
    db.close();
  });

  it('dates without a year take the year of the file date, or the year before where that puts them after it', async () => {
    // A kern.log collected on 3 January 2025: the fault of New Year's Eve is of 2024, not of December 2025.
    const dir = bundleDir({
      'var/log/kern.log': [
        'Dec 31 23:59:58 altra-01 kernel: [  412.883121] kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061',
        'Jan  2 09:00:00 altra-01 kernel: [ 1200.000000] Unable to handle kernel paging request at virtual address ffff800012340000',
        'Jan  2 09:00:00 altra-01 kernel: [ 1200.000001] Mem abort info:',
        'Jan  2 09:00:00 altra-01 kernel: [ 1200.000002]   ESR = 0x0000000096000047',
      ].join('\n') + '\n',
    });
    utimesSync(join(dir, 'var/log/kern.log'), new Date(Date.UTC(2025, 0, 3, 10)), new Date(Date.UTC(2025, 0, 3, 10)));
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [dir]);
    expect(allFaults(db, s.bundleId!).map((f) => [f.kind, new Date(Number(f.timeNs! / 1_000_000n)).toISOString()])).toEqual([
      ['kvm_unsupported_fsc', '2024-12-31T23:59:58.000Z'],
      ['mem_abort', '2025-01-02T09:00:00.000Z'],
    ]);
    expect(s.diagnostics.find((d) => d.kind === 'year-inferred')?.example).toMatch(/read as 2025, or as 2024 where 2025 would put them after the file's date \(Jan 3, 2025\)/);
    db.close();
  });

  it('a cancelled ingest leaves the database as it was', async () => {
    const db = openDatabase(join(tempDir(), 'x.db'));
    await ingestBundle(db, [join(SAMPLES_DIR, 'gpu-passthrough-6.12')]);
    const before = db.prepare(`SELECT (SELECT count(*) FROM bundles), (SELECT coalesce(sum(count), 0) FROM line_blocks), (SELECT count(*) FROM faults)`).raw().get();
    const big = bundleDir({ dmesg: `[    1.000000] usb 1-1: new high-speed USB device number 2 using xhci-hcd\n`.repeat(400_000) });
    const abort = new AbortController();
    const s = await ingestBundle(db, [big], { signal: abort.signal, onProgress: (p) => p.lines > 50_000 && abort.abort() });
    expect(s.cancelled).toBe(true);
    expect(s.bundleId).toBeNull();
    expect(db.prepare(`SELECT (SELECT count(*) FROM bundles), (SELECT coalesce(sum(count), 0) FROM line_blocks), (SELECT count(*) FROM faults)`).raw().get()).toEqual(before);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('removes the partial bundle of an ingest that was killed, and keeps one still running', async () => {
    const db = openDatabase(join(tempDir(), 'x.db'));
    // A process id that cannot be running (above the kernel's pid_max limit of 4194304).
    const dead = insertBundle(db, { name: 'killed', sourcePath: '/x', fingerprint: ingestingFingerprint(99_999_999, 'a'), createdAt: 'then' });
    const alive = insertBundle(db, { name: 'running', sourcePath: '/y', fingerprint: ingestingFingerprint(process.ppid, 'b'), createdAt: 'now' });
    const s = await ingestBundle(db, [bundleDir({ dmesg: FSC_LINE })]);
    const ids = listBundles(db).map((b) => b.id);
    expect(ids).not.toContain(dead);
    expect(ids).toContain(alive);
    expect(s.diagnostics.find((d) => d.kind === 'stale-bundle-removed')?.example).toMatch(/killed/);
    db.close();
  });
});
