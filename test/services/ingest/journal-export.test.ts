// A journal shipped in the export format (`journalctl -o export`) is read like the same journal in text:
// test/fixtures/journal/rockpro64.export is what systemd's journalctl wrote for the entries of sample 051
// (its SOURCE.md tells how), and gives that sample's two records.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestBundle } from '../../../main/services/ingest/pipeline';
import { openDatabase } from '../../../main/storage/db';
import { allFaults } from '../../../main/storage/faults';
import { listFiles } from '../../../main/storage/bundles';
import { pageLines } from '../../../main/storage/lines';
import { PROJECT_ROOT, SAMPLES_DIR } from '../../../main/services/paths';
import { gatherFindingsInput } from '../../../main/services/report-sources';
import { bundleContextOf } from '../../../main/services/stored-faults';
import { tempDir } from '../../helpers/tmp';

const FIXTURE = new URL('../../fixtures/journal/rockpro64.export', import.meta.url);
const SAMPLE = join(PROJECT_ROOT, '..', 'shared', 'samples', 'logs', '051-memabort-journalctl-short-monotonic-two-oopses-rockpro64.log');

async function ingest(paths: string[]) {
  const db = openDatabase(join(tempDir(), 'j.db'));
  const s = await ingestBundle(db, paths);
  return { db, s };
}

const recordsOf = (db: ReturnType<typeof openDatabase>, bundleId: number) =>
  allFaults(db, bundleId).map((f) => ({ kind: f.kind, esr: f.esr, far: f.far, cpu: f.cpu, pid: f.pid, comm: f.comm, timeNs: f.timeNs }));

describe('a journal in the export format', () => {
  it('gives the records of the same journal in text, at the kernel\'s own times', async () => {
    const dir = tempDir();
    copyFileSync(FIXTURE, join(dir, 'journal.export'));
    const { db, s } = await ingest([join(dir, 'journal.export')]);
    expect(s.files.map((f) => [f.path, f.format, f.lines, f.faults])).toEqual([['journal.export', 'journal-export', 71, 2]]);
    expect(s.diagnostics.find((d) => d.kind === 'journal-export')).toMatchObject({ severity: 'info', count: 1 });

    const text = await ingest([SAMPLE]);
    const fromText = recordsOf(text.db, text.s.bundleId!);
    expect(fromText.map((r) => [r.kind, r.esr])).toEqual([['mem_abort', '0x96000004'], ['mem_abort', '0x96000004']]);
    // The entries carry the kernel's printk time (_SOURCE_MONOTONIC_TIMESTAMP), which the fixture sets 3 µs
    // before the time the text shows (journald's own receive time): the records are otherwise the same.
    expect(recordsOf(db, s.bundleId!)).toEqual(fromText.map((r) => ({ ...r, timeNs: r.timeNs! - 3000n })));

    // The stored lines are the entries' messages; a service's colours are removed as from any other line.
    const file = listFiles(db, s.bundleId!)[0]!;
    const lines = pageLines(db, file.id, 1, 71);
    expect(lines[0]?.text).toBe('Unable to handle kernel read from unreadable memory at virtual address 0000000000000010');
    expect(lines.find((l) => l.text.includes('worker died'))?.text).toBe('nfsd: worker died\nrestarting');
    db.close();
    text.db.close();
  });

  it('is found inside a sosreport-like archive by its content', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'sos/var/log'), { recursive: true });
    copyFileSync(FIXTURE, join(root, 'sos/var/log/journal'));
    const archive = join(tempDir(), 'sos.tar.xz');
    execFileSync('tar', ['cJf', archive, '-C', root, 'sos']);
    const { db, s } = await ingest([archive]);
    expect(s.files.map((f) => [f.path, f.format, f.faults])).toEqual([['sos/var/log/journal', 'journal-export', 2]]);
    db.close();
  });

  it('cut inside an entry keeps the entries before it and says where it stopped', async () => {
    const bytes = readFileSync(FIXTURE);
    // Cut inside the binary MESSAGE of the service entry (the last, 71st).
    const binaryAt = bytes.indexOf('MESSAGE\n');
    expect(binaryAt).toBeGreaterThan(0);
    const dir = tempDir();
    writeFileSync(join(dir, 'cut.export'), bytes.subarray(0, binaryAt + 20));
    const { db, s } = await ingest([join(dir, 'cut.export')]);
    expect(s.files.map((f) => [f.path, f.lines, f.faults])).toEqual([['cut.export', 70, 2]]);
    const d = s.diagnostics.find((x) => x.kind === 'journal-export-corrupt');
    expect(d?.severity).toBe('data-loss');
    expect(d?.example).toMatch(/^cut\.export:70 journal export entry 71 \(byte \d+\): the stream ends inside a binary field; the entries before it were read \(read up to line 70\)$/);
    db.close();
  });

  it('that is not the format from its first entry is reported, and the rest of the bundle is read', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.export'), '__CURSOR=s=1\nMESSAGE\n\x05\x00\x00\x00\x00\x00\x00\x00abc');
    copyFileSync(SAMPLE, join(dir, 'dmesg.log'));
    const { db, s } = await ingest([dir]);
    expect(s.faults).toBe(2);
    expect(s.diagnostics.find((x) => x.kind === 'journal-export-corrupt')?.example).toBe(
      'broken.export journal export entry 1 (byte 13): the stream ends inside a binary field; nothing before it was a whole entry',
    );
    db.close();
  });
});

describe('journalctl -o short-full and -o short-unix', () => {
  it('give the records of the same journal in -o short-monotonic, at the wall-clock times', async () => {
    const boot = 1_590_969_600; // the epoch second the rewritten journal booted at
    const text = readFileSync(SAMPLE, 'utf8');
    const forms = {
      'short-full': (s: number, f: string) => `Mon ${new Date((boot + s) * 1000).toISOString().slice(0, 19).replace('T', ' ')}.${f} UTC`,
      'short-unix': (s: number, f: string) => `${boot + s}.${f}`,
    };
    const original = await ingest([SAMPLE]);
    const want = recordsOf(original.db, original.s.bundleId!).map((r) => ({ ...r, timeNs: r.timeNs! + BigInt(boot) * 1_000_000_000n }));
    expect(want).toHaveLength(2);
    for (const [name, stamp] of Object.entries(forms)) {
      const dir = tempDir();
      writeFileSync(join(dir, `${name}.log`), text.replace(/^\[\s*(\d+)\.(\d{6})\]/gm, (_, s: string, f: string) => stamp(Number(s), f)));
      const { db, s } = await ingest([join(dir, `${name}.log`)]);
      expect(s.files.map((f) => [f.format, f.faults])).toEqual([['journal', 2]]);
      expect(recordsOf(db, s.bundleId!)).toEqual(want);
      db.close();
    }
    original.db.close();
  });
});

describe('a systemd journal file', () => {
  const JOURNAL = new URL('../../fixtures/journal/rockpro64.journal.gz', import.meta.url);

  it('in a tarball of /var/log gives the records of the same journal exported, compressed fields read', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'var/log/journal/3d1219c7c4c5404aaa1f6d2a48adfda4'), { recursive: true });
    writeFileSync(join(root, 'var/log/journal/3d1219c7c4c5404aaa1f6d2a48adfda4/system.journal'), gunzipSync(readFileSync(JOURNAL)));
    const archive = join(tempDir(), 'varlog.tgz');
    execFileSync('tar', ['czf', archive, '-C', root, 'var']);
    const { db, s } = await ingest([archive]);
    expect(s.files.map((f) => [f.path, f.format, f.lines, f.faults])).toEqual([['var/log/journal/3d1219c7c4c5404aaa1f6d2a48adfda4/system.journal', 'journal-file', 72, 2]]);
    expect(s.diagnostics.map((d) => d.kind)).toContain('journal-file');
    const exported = await ingest([FIXTURE.pathname]);
    expect(recordsOf(db, s.bundleId!)).toEqual(recordsOf(exported.db, exported.s.bundleId!));
    const file = listFiles(db, s.bundleId!)[0]!;
    expect(pageLines(db, file.id, 72, 1)[0]?.text).toMatch(/^Modules linked in: mod_000_driver .* mod_049_driver$/);
    db.close();
    exported.db.close();
  });

  it('spanning two boots, places every entry on the realtime clock (each boot has a monotonic clock of its own)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'system.journal'), gunzipSync(readFileSync(new URL('../../fixtures/journal/two-boots.journal.gz', import.meta.url))));
    const { db, s } = await ingest([join(dir, 'system.journal')]);
    const rows = allFaults(db, s.bundleId!).map((f) => [f.kind, f.clock, f.timeNs, f.kernel]);
    // Boot 1: sample 051's oopses (journald's receive times); boot 2, a day later, 5.7.0: the KVM refusal.
    expect(rows).toEqual([
      ['mem_abort', 'realtime', 1_591_023_352_431_106_000n, '5.6.17+'],
      ['mem_abort', 'realtime', 1_591_029_973_397_069_000n, null],
      ['kvm_unsupported_fsc', 'realtime', 1_591_123_352_431_106_000n, '5.7.0'],
    ]);
    db.close();
    // A file of one boot stays on the kernel's monotonic clock, to line up with its dmesg.
    writeFileSync(join(dir, 'one-boot.journal'), gunzipSync(readFileSync(JOURNAL)));
    const one = await ingest([join(dir, 'one-boot.journal')]);
    expect(allFaults(one.db, one.s.bundleId!).map((f) => [f.clock, f.timeNs])).toEqual([
      ['monotonic', 23_352_431_103_000n],
      ['monotonic', 29_973_397_066_000n],
    ]);
    one.db.close();
  });

  it('spanning two boots as a stream (-o export, -o json), places every entry on the realtime clock, as the file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'system.journal'), gunzipSync(readFileSync(new URL('../../fixtures/journal/two-boots.journal.gz', import.meta.url))));
    const file = await ingest([join(dir, 'system.journal')]);
    const expected = recordsOf(file.db, file.s.bundleId!);
    file.db.close();
    expect(expected.map((r) => r.timeNs)).toEqual([1_591_023_352_431_106_000n, 1_591_029_973_397_069_000n, 1_591_123_352_431_106_000n]);
    for (const form of ['two-boots.export.gz', 'two-boots.json.gz']) {
      const { db, s } = await ingest([new URL(`../../fixtures/journal/${form}`, import.meta.url).pathname]);
      expect(s.files.map((f) => [f.lines, f.faults])).toEqual([[75, 3]]);
      expect(recordsOf(db, s.bundleId!)).toEqual(expected);
      expect(new Set(allFaults(db, s.bundleId!).map((f) => f.clock))).toEqual(new Set(['realtime']));
      db.close();
    }
  });

  it('reports the fields it could not decompress, and a file cut while it was written', async () => {
    const bytes = gunzipSync(readFileSync(JOURNAL));
    // The one compressed DATA object (zstd, flag 4) marked LZ4 (flag 2): a codec not read here.
    const lz4 = Buffer.from(bytes);
    const view = new DataView(lz4.buffer, lz4.byteOffset);
    for (let at = Number(view.getBigUint64(88, true)); at <= Number(view.getBigUint64(136, true)); at += Math.ceil(Number(view.getBigUint64(at + 8, true)) / 8) * 8) {
      if (lz4[at] === 1 && lz4[at + 1] === 4) lz4[at + 1] = 2;
    }
    const dir = tempDir();
    writeFileSync(join(dir, 'lz4.journal'), lz4);
    writeFileSync(join(dir, 'cut.journal'), bytes.subarray(0, Number(view.getBigUint64(136, true)) - 2000));
    // Each its own bundle: the same records in two files of one bundle are one record.
    const a = await ingest([join(dir, 'lz4.journal')]);
    expect(a.s.files.map((f) => [f.path, f.lines, f.faults])).toEqual([['lz4.journal', 72, 2]]);
    expect(a.s.diagnostics.find((d) => d.kind === 'journal-file-fields-skipped')?.example).toBe(
      'lz4.journal:72 1 compressed field(s) were not read (LZ4 or XZ, from an older systemd, or damaged) (read up to line 72)',
    );
    const b = await ingest([join(dir, 'cut.journal')]);
    expect(b.s.files.map((f) => [f.path, f.faults])).toEqual([['cut.journal', 2]]);
    expect(b.s.files[0]!.lines).toBeGreaterThan(58);
    expect(b.s.diagnostics.find((d) => d.kind === 'journal-file-corrupt')?.example).toMatch(
      /^cut\.journal:\d+ journal file entry \d+ \(byte \d+\): an object of \d+ bytes; the entries before it were read \(read up to line \d+\)$/,
    );
    a.db.close();
    b.db.close();
  });
});

describe('journalctl -o json-pretty', () => {
  it('gives the records of the same journal exported', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'journal.json'), gunzipSync(readFileSync(new URL('../../fixtures/journal/rockpro64.journal.json-pretty.gz', import.meta.url))));
    const { db, s } = await ingest([join(dir, 'journal.json')]);
    expect(s.files.map((f) => [f.format, f.lines, f.faults])).toEqual([['journal-json-pretty', 72, 2]]);
    expect(s.diagnostics.find((d) => d.kind === 'journal-json-pretty')?.severity).toBe('info');
    const exported = await ingest([FIXTURE.pathname]);
    expect(recordsOf(db, s.bundleId!)).toEqual(recordsOf(exported.db, exported.s.bundleId!));
    db.close();
    exported.db.close();
  });
});

describe('the GPU case from a host whose kernel log is only in its journal', () => {
  it('gives the same records, host facts and diagnoses as the sample with its dmesg', async () => {
    // The embedded sample with its dmesg replaced by the same lines in a journal file (fixtures/journal).
    const root = join(tempDir(), 'host');
    cpSync(join(SAMPLES_DIR, 'gpu-passthrough-6.1'), root, { recursive: true });
    rmSync(join(root, 'sos_commands', 'kernel', 'dmesg'));
    mkdirSync(join(root, 'var', 'log', 'journal', '0d5e'), { recursive: true });
    writeFileSync(join(root, 'var', 'log', 'journal', '0d5e', 'system.journal'), gunzipSync(readFileSync(new URL('../../fixtures/journal/gpu-passthrough-6.1.journal.gz', import.meta.url))));
    const journal = await ingest([root]);
    const sample = await ingest([join(SAMPLES_DIR, 'gpu-passthrough-6.1')]);
    const facts = (x: typeof journal) => {
      const records = allFaults(x.db, x.s.bundleId!).map((f) => [f.kind, f.esr, f.timeNs, f.pid, f.kernel].join(' ')).sort();
      const context = bundleContextOf(x.db, x.s.bundleId!);
      const found = gatherFindingsInput(x.db, x.s.bundleId!, { kind: 'bundle' });
      const diagnoses = found.ok ? found.value.diagnoses.map((d) => `${d.ruleId} x${d.faultIds.length}`) : [];
      return { records, kernels: context.kernels, midr: context.midr, diagnoses };
    };
    const fromJournal = facts(journal);
    expect(fromJournal.records).toContain('kvm_unsupported_fsc 0x92000061 412883121000 4325 6.1.0-18-arm64');
    expect(fromJournal.diagnoses.length).toBeGreaterThan(0);
    expect(fromJournal).toEqual(facts(sample));
    journal.db.close();
    sample.db.close();
  });
});

describe('journalctl -o verbose', () => {
  it('gives the records of the same journal exported, its messages with their times', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'journalctl_--all_--this-boot_--no-pager_-o_verbose'), readFileSync(new URL('../../fixtures/journal/rockpro64.journal.verbose', import.meta.url)));
    const { db, s } = await ingest([dir]);
    expect(s.files.map((f) => [f.format, f.lines, f.faults])).toEqual([['journal-verbose', 72, 2]]);
    expect(s.diagnostics.find((d) => d.kind === 'journal-verbose')?.severity).toBe('info');
    const exported = await ingest([FIXTURE.pathname]);
    expect(recordsOf(db, s.bundleId!)).toEqual(recordsOf(exported.db, exported.s.bundleId!));
    db.close();
    exported.db.close();
  });
});
