// Real archives built in the test by the real tools (GNU tar, gzip, xz, zstd, Info-ZIP) from the embedded
// sample bundle, and broken or malicious ones built by hand.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import tarStream from 'tar-stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../../main/storage/db';
import { allFaults } from '../../../main/storage/faults';
import { listDiagnostics, listFiles } from '../../../main/storage/bundles';
import { ingestBundle } from '../../../main/services/ingest/pipeline';
import { zipInMemory } from '../../../main/services/ingest/source-zip';
import { PROJECT_ROOT, SAMPLES_DIR } from '../../../main/services/paths';
import { formatTracefsLine, synthesizeKvmTrace, tracefsHeader } from '../../../main/core/ingest/ftrace/synthetic';
import { tempDir } from '../../helpers/tmp';
import { hasTool } from '../../helpers/tools';

const SHARED_LOGS = join(PROJECT_ROOT, '..', 'shared', 'samples', 'logs');

const SAMPLE = 'gpu-passthrough-6.1';


function workDir(): string {
  const dir = tempDir();
  cpSync(join(SAMPLES_DIR, SAMPLE), join(dir, SAMPLE), { recursive: true });
  return dir;
}

async function ingest(paths: string[], limits = {}) {
  const dbPath = join(tempDir(), 'a.db');
  const db = openDatabase(dbPath);
  const s = await ingestBundle(db, paths, { limits });
  const files = s.bundleId === null ? [] : listFiles(db, s.bundleId).map((f) => f.path);
  const faults = s.bundleId === null ? [] : allFaults(db, s.bundleId).map((f) => [f.kind, f.esr, f.file]);
  db.close();
  return { s, files, faults, diags: s.diagnostics.map((d) => d.kind), dbPath };
}

/** The records the folder itself gives (the kernel-log ones checked below), with archive paths. */
let folderFaults: (string | null)[][] | null = null;
async function EXPECTED_FAULTS(prefix: string): Promise<(string | null)[][]> {
  folderFaults ??= (await ingest([join(SAMPLES_DIR, SAMPLE)])).faults;
  return folderFaults.map(([kind, esr, file]) => [kind!, esr!, `${prefix}${file}`]);
}

async function pack(entries: { name: string; body?: string; type?: 'file' | 'symlink' | 'link'; linkname?: string }[]): Promise<Buffer> {
  const p = tarStream.pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => void chunks.push(c as Buffer));
  const done = new Promise<void>((r) => p.on('end', () => r()));
  for (const e of entries) {
    const header = { name: e.name, type: e.type ?? 'file', ...(e.linkname ? { linkname: e.linkname } : {}) };
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null): void => (err ? reject(err) : resolve());
      if (e.type === 'symlink' || e.type === 'link') p.entry(header, cb);
      else p.entry(header, e.body ?? '', cb);
    });
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

describe('archives and compressed files', () => {
  it('reads the sample folder itself', async () => {
    const r = await ingest([join(SAMPLES_DIR, SAMPLE)]);
    const logs = r.faults.filter(([kind]) => kind !== 'kvm_guest_fault');
    expect(logs).toEqual([
      ['kvm_unsupported_fsc', '0x92000061', 'sos_commands/kernel/dmesg'],
      ['vmm_error', null, 'var/log/libvirt/qemu/gpu-vm.log'],
    ]);
  });

  const formats: [string, string[], string][] = [
    ['tar', ['cf'], 'tar'],
    ['tar.gz', ['czf'], 'gzip'],
    ['tar.xz', ['cJf'], 'xz'],
    ['tar.zst', ['--zstd', '-cf'], 'zstd'],
  ];
  for (const [ext, flags, tool] of formats) {
    it.skipIf(!hasTool(tool))(`reads a .${ext} made by GNU tar, recognized by content (no extension)`, async () => {
      const dir = workDir();
      const out = join(dir, `bundle-without-extension-${ext.replace('.', '-')}`);
      execFileSync('tar', [...flags, out, '-C', dir, SAMPLE]);
      const r = await ingest([out]);
      expect(r.faults).toEqual(await EXPECTED_FAULTS(`${SAMPLE}/`));
      expect(r.files).toContain(`${SAMPLE}/sos_commands/pci/lspci_-nnvv`);
      expect(r.diags).not.toContain('archive-corrupt');
    });
  }

  it.skipIf(!hasTool('zip')).each([
    ['in memory', zipInMemory.maxBytes],
    ['from the file', 0],
  ])('reads a .zip made by Info-ZIP (%s)', async (_how, maxBytes) => {
    const saved = zipInMemory.maxBytes;
    zipInMemory.maxBytes = maxBytes;
    onTestFinished(() => {
      zipInMemory.maxBytes = saved;
    });
    const dir = workDir();
    execFileSync('zip', ['-qr', join(dir, 'b.zip'), SAMPLE], { cwd: dir });
    const r = await ingest([join(dir, 'b.zip')]);
    expect(r.faults).toEqual(await EXPECTED_FAULTS(`${SAMPLE}/`));
  });

  it.each([
    ['gzip', ['-k']],
    ['xz', ['-k']],
    ['zstd', ['-q']],
  ])('reads a single %s-compressed log', async (tool, flags) => {
    if (!hasTool(tool)) return;
    const dir = workDir();
    const dmesg = join(dir, SAMPLE, 'sos_commands/kernel/dmesg');
    execFileSync(tool, [...flags, dmesg]);
    const ext = { gzip: '.gz', xz: '.xz', zstd: '.zst' }[tool]!;
    const r = await ingest([dmesg + ext]);
    expect(r.faults).toEqual([['kvm_unsupported_fsc', '0x92000061', `dmesg${ext}`]]);
  });

  it('keeps what comes before the damage of a truncated .tar.gz and says so', async () => {
    const dir = workDir();
    const big = join(dir, SAMPLE, 'a-first.log');
    writeFileSync(big, readFileSync(join(dir, SAMPLE, 'sos_commands/kernel/dmesg')));
    const out = join(dir, 'cut.tar.gz');
    execFileSync('tar', ['czf', out, '-C', dir, SAMPLE]);
    truncateSync(out, Math.floor(statSync(out).size * 0.6));
    const r = await ingest([out]);
    expect(r.s.bundleId).not.toBeNull();
    expect(r.files.length).toBeGreaterThan(0);
    expect(r.diags.some((d) => d === 'compressed-corrupt' || d === 'archive-corrupt')).toBe(true);
  });

  it('keeps every whole member of a .tar.gz cut short, and the readable part of the member cut', async () => {
    // The 13 shared logs, the biggest (008, 15 KB) last: the cut at 95% of the gzip falls inside it.
    const big = '008-kvm-rt-kernel-cpu-prefix-alignment-fault-oops.log';
    const logs = [...readdirSync(SHARED_LOGS).filter((n) => n.endsWith('.log') && n !== big).sort(), big];
    const dir = tempDir();
    const whole = join(dir, 'logs.tar.gz');
    execFileSync('tar', ['czf', whole, '-C', SHARED_LOGS, ...logs]);
    const cut = join(dir, 'cut.tar.gz');
    const bytes = readFileSync(whole);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.95)));
    // GNU tar lists every member it reaches before the cut, then fails.
    const listed = spawnSync('tar', ['tzf', cut], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    expect(listed).toEqual(logs);

    const dbPath = join(tempDir(), 'a.db');
    const db = openDatabase(dbPath);
    const s = await ingestBundle(db, [cut]);
    const files = listFiles(db, s.bundleId!);
    const diagnostics = listDiagnostics(db, s.bundleId!, 100).filter((d) => d.severity !== 'info');
    db.close();
    const linesOf = (name: string): number => readFileSync(join(SHARED_LOGS, name), 'utf8').split('\n').length - 1;
    expect(files.map((f) => f.path)).toEqual([...logs].sort());
    for (const f of files) if (f.path !== big) expect([f.path, f.lines]).toEqual([f.path, linesOf(f.path)]);
    const cutLines = files.find((f) => f.path === big)!.lines;
    expect(cutLines).toBeGreaterThan(0);
    expect(cutLines).toBeLessThan(linesOf(big));
    expect(diagnostics.map((d) => [d.kind, d.file, d.line])).toEqual([
      ['compressed-corrupt', big, cutLines],
      ['compressed-corrupt', 'cut.tar.gz', null],
    ]);
  });

  it('refuses entries that would escape the bundle and reads the others', async () => {
    const dir = tempDir();
    const dmesg = readFileSync(join(SAMPLES_DIR, SAMPLE, 'sos_commands/kernel/dmesg'), 'utf8');
    const tar = await pack([
      { name: '../../etc/cron.d/evil', body: 'x' },
      { name: '/etc/passwd', body: 'root:x:0:0' },
      { name: 'ok/../../escape', body: 'y' },
      { name: 'link-out', type: 'symlink', linkname: '/etc/shadow' },
      { name: 'hard-out', type: 'link', linkname: '../outside' },
      { name: 'bundle/dmesg', body: dmesg },
    ]);
    writeFileSync(join(dir, 'evil.tar.gz'), gzipSync(tar));
    const r = await ingest([join(dir, 'evil.tar.gz')]);
    expect(r.files).toEqual(['bundle/dmesg']);
    expect(r.faults).toEqual([['kvm_unsupported_fsc', '0x92000061', 'bundle/dmesg']]);
    const unsafe = r.s.diagnostics.find((d) => d.kind === 'archive-entry-unsafe');
    expect(unsafe?.count).toBe(5);
    expect(unsafe?.severity).toBe('data-loss');
  });

  it.skipIf(!hasTool('python3'))('refuses zip entries with .. and absolute names', async () => {
    const dir = tempDir();
    const zip = join(dir, 'evil.zip');
    execFileSync('python3', ['-c', `import zipfile\nz=zipfile.ZipFile(${JSON.stringify(zip)},'w')\nz.writestr('../evil','x')\nz.writestr('/abs','y')\nz.writestr('good/dmesg','[    1.000000] kvm [7]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061\\n')\nz.close()`]);
    const r = await ingest([zip]);
    expect(r.files).toEqual(['good/dmesg']);
    expect(r.s.diagnostics.find((d) => d.kind === 'archive-entry-unsafe')?.count).toBe(2);
  });

  it('stops a decompression bomb at the ratio limit', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bomb.gz'), gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x41)));
    const r = await ingest([join(dir, 'bomb.gz')], { maxRatio: 50, ratioFloorBytes: 1024 * 1024 });
    expect(r.diags).toContain('expansion-limit');
  });

  it('stops at the total size limit of a bundle', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'big.gz'), gzipSync(Buffer.from('[    1.000000] x\n'.repeat(200_000))));
    const r = await ingest([join(dir, 'big.gz')], { maxTotalBytes: 1024 * 1024 });
    expect(r.diags).toContain('expansion-limit');
  });
});

describe('a compressed log cut short', () => {
  // What zlib can still decompress of a truncated .gz: the bytes an ingest of it can read.
  const readablePart = (gz: Buffer): Buffer => gunzipSync(gz, { finishFlush: zlibConstants.Z_SYNC_FLUSH });

  async function both(name: string, text: string, keep: number) {
    const dir = tempDir();
    const gz = gzipSync(Buffer.from(text));
    writeFileSync(join(dir, `${name}.gz`), gz.subarray(0, Math.floor(gz.length * keep)));
    const prefix = readablePart(gz.subarray(0, Math.floor(gz.length * keep)));
    mkdirSync(join(dir, 'plain'));
    writeFileSync(join(dir, 'plain', name), prefix);
    const cut = await ingest([join(dir, `${name}.gz`)]);
    const plain = await ingest([join(dir, 'plain', name)]);
    return { cut, plain, prefixLines: prefix.toString('utf8').split('\n').length - (prefix.at(-1) === 10 ? 1 : 0) };
  }

  it('assembles every fault of a kernel log before the damage, as from the same bytes whole', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      const t = `[${String(100 + Math.floor(i / 1000)).padStart(5)}.${String((i % 1000) * 1000).padStart(6, '0')}] `;
      lines.push(t + (i % 2_000 === 1_999 ? `kvm [${4000 + i}]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061` : `usb 1-1: new high-speed USB device number ${i} using xhci-hcd`));
    }
    const r = await both('dmesg', lines.join('\n') + '\n', 0.6);
    const faultsOf = (x: typeof r.cut) => x.faults.map(([kind, esr]) => [kind, esr]);
    expect(faultsOf(r.plain).length).toBeGreaterThan(10);
    expect(faultsOf(r.cut)).toEqual(faultsOf(r.plain));
    expect(r.cut.s.lines).toBe(r.prefixLines);
    expect(r.cut.s.files.map((f) => f.format)).toEqual(['dmesg']);
    const d = r.cut.s.diagnostics.find((x) => x.kind === 'compressed-corrupt');
    expect(d?.example).toMatch(new RegExp(`^dmesg\\.gz:${r.prefixLines} .*read up to line ${r.prefixLines}`));
  });

  it('reads a small log cut within its first 64 KiB up to the damage (it gave nothing before)', async () => {
    // Sample 008 (15 KB): what zlib still decompresses of 60% of it is a few KB, all of it in the head an
    // importer peeks; the error met there used to end the file before a line was read.
    const text = readFileSync(join(SHARED_LOGS, '008-kvm-rt-kernel-cpu-prefix-alignment-fault-oops.log'), 'utf8');
    const r = await both('small.log', text, 0.6);
    expect(r.prefixLines).toBeGreaterThan(20);
    expect(r.cut.s.lines).toBe(r.prefixLines);
    expect(r.cut.faults).toEqual(r.plain.faults.map(([kind, esr, , ...rest]) => [kind, esr, 'small.log.gz', ...rest]));
    expect(r.cut.s.diagnostics.find((x) => x.kind === 'compressed-corrupt')?.example).toMatch(new RegExp(`^small\\.log\\.gz:${r.prefixLines} .*read up to line ${r.prefixLines}\\)$`));
  });

  it('keeps the events of an ftrace dump before the damage with their names, faults and timeline', async () => {
    const events = [...synthesizeKvmTrace(60_000)].map(formatTracefsLine);
    const r = await both('trace', tracefsHeader(events.length, 8) + '\n' + events.join('\n') + '\n', 0.5);
    expect(r.plain.s.events).toBeGreaterThan(20_000);
    expect(r.cut.s.events).toBe(r.plain.s.events);
    expect(r.cut.faults.map(([kind, esr]) => [kind, esr])).toEqual(r.plain.faults.map(([kind, esr]) => [kind, esr]));
    expect(r.cut.s.files.map((f) => f.format)).toEqual(['ftrace-text']);
    // what reading the events back needs: their names, and the timeline summaries
    const stored = (path: string) => {
      const db = openDatabase(path, { readonly: true });
      try {
        return {
          names: db.prepare(`SELECT text FROM trace_strings WHERE kind = 1 ORDER BY id`).pluck().all(),
          events: db.prepare(`SELECT events FROM trace_files`).pluck().get(),
          series: db.prepare(`SELECT count(*) FROM timeline_series`).pluck().get(),
        };
      } finally {
        db.close();
      }
    };
    const cut = stored(r.cut.dbPath);
    expect(cut.names).toContain('kvm_exit');
    expect(cut.series).toBeGreaterThan(0);
    expect(cut).toEqual(stored(r.plain.dbPath));
  });
});

describe('a zip archive cut short', () => {
  /** Where the central directory starts (APPNOTE §4.3.16: the end record's offset field), read from the end record. */
  function centralDirectoryOffset(zip: Buffer): number {
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    expect(eocd).toBeGreaterThan(0);
    return zip.readUInt32LE(eocd + 16);
  }

  /** A zip of the sample folder as Python writes one to a pipe: every entry's sizes in a data descriptor after its data. */
  function streamedZip(dir: string): Buffer {
    const script = [
      'import os, sys, zipfile',
      'class Pipe:',
      '  def __init__(self): self.out = sys.stdout.buffer',
      '  def write(self, b): return self.out.write(b)',
      '  def flush(self): self.out.flush()',
      `z = zipfile.ZipFile(Pipe(), 'w', zipfile.ZIP_DEFLATED)`,
      `for root, _, files in sorted(os.walk(${JSON.stringify(SAMPLE)})):`,
      '  for f in sorted(files): z.write(os.path.join(root, f))',
      'z.close()',
    ].join('\n');
    return execFileSync('python3', ['-c', script], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  }

  /** The sample folder zipped by Info-ZIP, then `damage`d: what each gives when ingested. */
  async function wholeAndDamaged(damage: (zip: Buffer) => Buffer) {
    const dir = workDir();
    execFileSync('zip', ['-qr', join(dir, 'b.zip'), SAMPLE], { cwd: dir });
    writeFileSync(join(dir, 'd.zip'), damage(readFileSync(join(dir, 'b.zip'))));
    const full = await ingest([join(dir, 'b.zip')]);
    const damaged = await ingest([join(dir, 'd.zip')]);
    expect(damaged.files.length).toBeGreaterThan(3);
    expect(damaged.files).toEqual(full.files);
    expect(damaged.faults).toEqual(full.faults);
    expect(damaged.s.lines).toBe(full.s.lines);
    return { full, damaged };
  }

  it.skipIf(!hasTool('zip'))('reads every entry of a zip cut where its central directory begins, as the whole zip gives them', async () => {
    const { damaged: cut } = await wholeAndDamaged((whole) => whole.subarray(0, centralDirectoryOffset(whole)));
    const d = cut.s.diagnostics.find((x) => x.kind === 'archive-corrupt');
    expect(d?.example).toMatch(/^d\.zip .*central directory.*read from their own headers/);
  });

  it.skipIf(!hasTool('zip'))('reads every entry of a zip whose end record counts fewer than its directory holds (a wrapped 16-bit count)', async () => {
    let count = 0;
    const { full, damaged: read } = await wholeAndDamaged((whole) => {
      // APPNOTE §4.3.16: the entries on this disk (offset 8) and in all (offset 10) of the end record.
      const eocd = whole.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
      count = whole.readUInt16LE(eocd + 10);
      const low = Buffer.from(whole);
      low.writeUInt16LE(count - 2, eocd + 8);
      low.writeUInt16LE(count - 2, eocd + 10);
      return low;
    });
    const d = read.s.diagnostics.find((x) => x.kind === 'archive-corrupt');
    expect(d?.example).toMatch(new RegExp(`^d\\.zip .*counts ${count - 2} entries but its directory holds more`));
    expect(full.s.diagnostics.find((x) => x.kind === 'archive-corrupt')).toBeUndefined();
  });

  it.skipIf(!hasTool('python3'))('beyond a low count, an entry whose name repeats one read before is read too', async () => {
    const dir = workDir();
    // Python's zipfile writes a repeated name as asked (with a warning): a.log, b.log, then a.log again.
    const script = [
      'import sys, warnings, zipfile',
      "warnings.simplefilter('ignore')",
      "z = zipfile.ZipFile(sys.argv[1], 'w')",
      "z.writestr('logs/a.log', '[    1.000000] first\\n')",
      "z.writestr('logs/b.log', '[    1.000000] b\\n')",
      "z.writestr('logs/a.log', '[    2.000000] second copy\\n')",
      'z.close()',
    ].join('\n');
    execFileSync('python3', ['-c', script, join(dir, 'dup.zip')]);
    const zip = readFileSync(join(dir, 'dup.zip'));
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    expect(zip.readUInt16LE(eocd + 10)).toBe(3);
    zip.writeUInt16LE(2, eocd + 8);
    zip.writeUInt16LE(2, eocd + 10);
    writeFileSync(join(dir, 'dup.zip'), zip);
    const r = await ingest([join(dir, 'dup.zip')]);
    expect(r.files.length).toBe(3);
    expect(r.s.lines).toBe(3);
  });

  it.skipIf(!hasTool('python3'))('reads the entries of a streamed zip (sizes after the data) cut short, up to the cut file', async () => {
    const dir = workDir();
    const whole = streamedZip(dir);
    // Bit 3 of the general purpose flags (APPNOTE §4.4.4): the headers carry no sizes.
    expect(whole.readUInt16LE(6) & 0x8).toBe(0x8);
    writeFileSync(join(dir, 'whole.zip'), whole);
    writeFileSync(join(dir, 'cd.zip'), whole.subarray(0, centralDirectoryOffset(whole)));
    const full = await ingest([join(dir, 'whole.zip')]);
    const atDirectory = await ingest([join(dir, 'cd.zip')]);
    expect(atDirectory.files).toEqual(full.files);
    expect(atDirectory.faults).toEqual(full.faults);
    // Cut inside the data of its biggest entry: the entries before it whole, that one up to the cut.
    const sizes = full.files.map((f) => statSync(join(dir, f)).size);
    const biggest = sizes.indexOf(Math.max(...sizes));
    const name = Buffer.from(full.files[biggest]!);
    const at = whole.indexOf(name) + name.length + 100;
    writeFileSync(join(dir, 'mid.zip'), whole.subarray(0, at));
    const mid = await ingest([join(dir, 'mid.zip')]);
    expect(mid.files).toEqual(full.files.slice(0, biggest + 1));
    const db = openDatabase(mid.dbPath, { readonly: true });
    const inFile = db.prepare(`SELECT kind, message FROM diagnostics WHERE file = ?`).all(full.files[biggest]!);
    db.close();
    expect(inFile).toEqual([{ kind: 'archive-corrupt', message: expect.stringMatching(/^the archive ends in the middle of this file/) }]);
  });

  it.skipIf(!hasTool('python3'))('refuses unsafe names, reads empty entries and stops a bomb in a zip without its directory', async () => {
    const dir = tempDir();
    const zip = join(dir, 'evil.zip');
    execFileSync('python3', [
      '-c',
      `import zipfile\nz=zipfile.ZipFile(${JSON.stringify(zip)},'w',zipfile.ZIP_DEFLATED)\nz.writestr('../evil','x')\nz.writestr('empty.log','')\nz.writestr('good/dmesg','[    1.000000] kvm [7]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061\\n')\nz.writestr('bomb.log',b'A'*(16*1024*1024))\nz.close()`,
    ]);
    const whole = readFileSync(zip);
    writeFileSync(zip, whole.subarray(0, centralDirectoryOffset(whole)));
    const r = await ingest([zip], { maxRatio: 50, ratioFloorBytes: 1024 * 1024 });
    expect(r.files).toEqual(['empty.log', 'good/dmesg']);
    expect(r.faults).toEqual([['kvm_unsupported_fsc', '0x92000061', 'good/dmesg']]);
    // Read on past the empty entry: the archive's one problem is its missing directory.
    expect(r.s.diagnostics.find((d) => d.kind === 'archive-corrupt')?.count).toBe(1);
    expect(r.diags).toEqual(expect.arrayContaining(['archive-entry-unsafe', 'expansion-limit']));
  });

  /** The sample folder's files and an empty one, zipped by Info-ZIP to a pipe (`-` output): every entry streamed. */
  function infoZipStreamed(dir: string, extra: string[] = []): Buffer {
    writeFileSync(join(dir, SAMPLE, 'empty.log'), '');
    return execFileSync('sh', ['-c', `zip -q -r ${extra.join(' ')} - ${SAMPLE} | cat`], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  }

  it.skipIf(!hasTool('zip'))('reads on past empty and stored entries whose sizes follow their data', async () => {
    const dir = workDir();
    for (const [name, extra] of [['deflated', []], ['stored', ['-0']]] as const) {
      const whole = infoZipStreamed(dir, [...extra]);
      writeFileSync(join(dir, `${name}.zip`), whole);
      writeFileSync(join(dir, `${name}-cut.zip`), whole.subarray(0, centralDirectoryOffset(whole)));
      const full = await ingest([join(dir, `${name}.zip`)]);
      const cut = await ingest([join(dir, `${name}-cut.zip`)]);
      expect(full.files).toContain(`${SAMPLE}/empty.log`);
      expect(cut.files).toEqual(full.files);
      expect(cut.faults).toEqual(full.faults);
    }
  });

  it.skipIf(!hasTool('zip'))('skips an encrypted entry of known size and reads the ones after it', async () => {
    const dir = tempDir();
    const log = (n: number) => `[    ${n}.000000] kvm [${n}]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061\n`;
    for (const n of [1, 2, 3]) writeFileSync(join(dir, `dmesg${n}`), log(n));
    execFileSync('zip', ['-q', 'e.zip', 'dmesg1'], { cwd: dir });
    execFileSync('zip', ['-q', '-P', 'secret', 'e.zip', 'dmesg2'], { cwd: dir });
    execFileSync('zip', ['-q', 'e.zip', 'dmesg3'], { cwd: dir });
    const whole = readFileSync(join(dir, 'e.zip'));
    writeFileSync(join(dir, 'cut.zip'), whole.subarray(0, centralDirectoryOffset(whole)));
    const r = await ingest([join(dir, 'cut.zip')]);
    expect(r.files).toEqual(['dmesg1', 'dmesg3']);
    const db = openDatabase(r.dbPath, { readonly: true });
    const skipped = db.prepare(`SELECT file, message FROM diagnostics WHERE kind = 'archive-entry-unreadable'`).all();
    db.close();
    expect(skipped).toEqual([{ file: 'dmesg2', message: 'zip entry skipped: encrypted' }]);
  });

  it.skipIf(!hasTool('zip'))('reads the entries a damaged directory does not give from their own headers, once each', async () => {
    const dir = workDir();
    execFileSync('zip', ['-qr', join(dir, 'b.zip'), SAMPLE], { cwd: dir });
    const whole = readFileSync(join(dir, 'b.zip'));
    const full = await ingest([join(dir, 'b.zip')]);
    // The directory's third header loses its signature (APPNOTE §4.3.12: PK\1\2): its reader stops there.
    const cd = centralDirectoryOffset(whole);
    let third = cd;
    for (let k = 0; k < 3; k++) third = whole.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), third + (k === 0 ? 0 : 1));
    const damaged = Buffer.from(whole);
    damaged[third] = 0;
    writeFileSync(join(dir, 'damaged.zip'), damaged);
    const r = await ingest([join(dir, 'damaged.zip')]);
    expect(r.files).toEqual(full.files);
    expect(r.faults).toEqual(full.faults);
    expect(r.s.diagnostics.find((d) => d.kind === 'archive-corrupt')?.example).toMatch(/damaged.*read from their own headers/);
  });

  it('names a file no importer reads when the archive ends inside it, and counts a binary file as read', async () => {
    const dir = tempDir();
    // Bytes gzip cannot shrink (xorshift32), so that the cut falls inside them.
    const junk = Buffer.alloc(300_000);
    for (let i = 0, x = 2463534242; i < junk.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      junk[i] = x & 0xff;
    }
    const tar = await pack([{ name: 'junk.bin', body: junk.toString('latin1') }, { name: 'dmesg', body: '[    1.000000] hello\n' }]);
    writeFileSync(join(dir, 'cut.tar.gz'), gzipSync(tar).subarray(0, 150_000));
    const r = await ingest([join(dir, 'cut.tar.gz')]);
    const db = openDatabase(r.dbPath, { readonly: true });
    const named = db.prepare(`SELECT kind FROM diagnostics WHERE file = 'junk.bin'`).pluck().all();
    db.close();
    expect(named).toEqual(expect.arrayContaining(['binary-skipped', 'compressed-corrupt']));
    writeFileSync(join(dir, 'plain.bin'), junk);
    const plain = await ingest([join(dir, 'plain.bin')]);
    expect(plain.s.bytes).toBe(junk.length);
  });

  it('stops at bytes that only begin like a zip, with a short message', async () => {
    const dir = tempDir();
    // A local header signature, then a header whose name is 60,000 bytes of control characters.
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(60_000, 26);
    writeFileSync(join(dir, 'fake.zip'), Buffer.concat([head, Buffer.alloc(70_000, 1)]));
    const r = await ingest([join(dir, 'fake.zip')]);
    expect(r.files).toEqual([]);
    const corrupt = r.s.diagnostics.filter((d) => d.kind === 'archive-corrupt');
    expect(corrupt.length).toBe(1);
    expect(corrupt[0]!.count).toBe(2);
    const db = openDatabase(r.dbPath, { readonly: true });
    const messages = db.prepare(`SELECT message FROM diagnostics WHERE kind = 'archive-corrupt'`).pluck().all() as string[];
    db.close();
    expect(messages.some((m) => m.includes('are not a zip entry')) && messages.every((m) => m.length < 300)).toBe(true);
  });
});
