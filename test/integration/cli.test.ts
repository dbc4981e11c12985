// The `faultline ingest --json` and `faultline faults --json` contracts (issue 4), as scripts use them.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/index';
import { SAMPLES_DIR } from '../../main/services/paths';
import { runFaultline } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

describe('faultline ingest / faults', () => {
  it('prints one summary object with the contract keys, then the records one JSON object per line', async () => {
    const db = join(tempDir(), 'cli.db');
    const ingest = await runFaultline(['ingest', join(SAMPLES_DIR, 'gpu-passthrough-6.1'), '--db', db, '--json']);
    expect(ingest.code).toBe(0);
    expect(ingest.stderr).toBe('');
    const summary = JSON.parse(ingest.stdout) as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual(['db', 'files', 'faults', 'events', 'lines', 'diagnostics']);
    expect(summary.db).toBe(db);
    const files = summary.files as Record<string, unknown>[];
    expect(Object.keys(files[0]!)).toEqual(['path', 'format', 'lines', 'events', 'faults', 'diagnostics']);
    expect(files.find((f) => f.path === 'sos_commands/kernel/dmesg')).toEqual({ path: 'sos_commands/kernel/dmesg', format: 'dmesg', lines: 159, events: 0, faults: 1, diagnostics: 0 });
    for (const d of summary.diagnostics as Record<string, unknown>[]) expect(Object.keys(d)).toEqual(['id', 'severity', 'count', 'example']);

    const faults = await runFaultline(['faults', '--db', db, '--json']);
    expect(faults.code).toBe(0);
    const records = faults.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.length).toBe(summary.faults);
    const { replay, diagnoses, ...fsc } = records.find((r) => r.kind === 'kvm_unsupported_fsc')!;
    expect(fsc).toEqual({
      kind: 'kvm_unsupported_fsc',
      esr: '0x92000061',
      far: null,
      ipa: null,
      pc: null,
      cpu: null,
      pid: 4325,
      comm: null,
      time_ns: '412883121000',
      clock: 'monotonic',
      source: { file: 'sos_commands/kernel/dmesg', line: 155, end_line: 155 },
      text: '[  412.883121] kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061',
    });
    // issue 6: the seed record, replayed with the bundle's context (6.1 host, vfio-pci BAR), reproduces the
    // recorded ESR and is diagnosed as the unaligned access to a BAR that stage 2 maps Device.
    expect(replay).toMatchObject({ verdict: 'consistent', outcome: { outcome: 'fault', fault: { esr: '0x92000061', stage: 2, type: 'alignment' } } });
    expect(diagnoses).toContain('vfio-bar-s2-device-unaligned');
    const vmm = records.find((r) => r.kind === 'vmm_error')!;
    expect([vmm.pc, vmm.esr, vmm.time_ns, vmm.clock]).toEqual(['0xffff800008a1c2f4', null, null, null]);
  });

  it('draws a progress bar on a terminal, whole where the terminal reports no width', async () => {
    // A pseudo-terminal nobody sized (script(1)) says 0 columns: the bar must not lose its last character.
    for (const columns of [0, 60]) {
      const stderr = Object.assign(new PassThrough(), { isTTY: true, columns });
      let drawn = '';
      stderr.on('data', (d: Buffer) => (drawn += d.toString()));
      const stdout = new PassThrough();
      stdout.resume();
      const db = join(tempDir(), 'bar.db');
      const code = await runCli(['ingest', join(SAMPLES_DIR, 'gpu-passthrough-6.1'), '--db', db], { stdin: Readable.from(['']), stdout, stderr, env: {}, cwd: process.cwd() });
      expect(code).toBe(0);
      const frames = drawn.split('\r\x1b[K').filter((f) => f !== '');
      expect(frames.length).toBeGreaterThan(1);
      expect(frames.some((f) => /^\[#+ *\] \d+% [\d.]+ MB {2}[\d,]+ lines {2}\S/.test(f))).toBe(true);
      for (const f of frames) expect(f.length).toBeLessThanOrEqual(columns === 0 ? 99 : columns - 1);
      if (columns === 0) expect(frames.some((f) => f.endsWith('sos_commands/kernel/dmesg'))).toBe(true);
    }
  });

  it('lists the files with faults and events, and sums up the rest of a bundle of many files', async () => {
    const dir = tempDir();
    cpSync(join(SAMPLES_DIR, 'gpu-passthrough-6.1'), join(dir, 'bundle'), { recursive: true });
    mkdirSync(join(dir, 'bundle', 'sos_commands', 'many'));
    for (let i = 0; i < 60; i++) writeFileSync(join(dir, 'bundle', 'sos_commands', 'many', `out-${String(i).padStart(2, '0')}`), `output ${i}\n`.repeat(i % 3 === 0 ? 2 : 1));
    const r = await runFaultline(['ingest', join(dir, 'bundle'), '--db', join(dir, 'many.db')]);
    expect(r.code).toBe(0);
    const listed = r.stdout.split('\n').filter((l) => /^ {2}\S+ {2}\S+ {2}\d+ lines/.test(l));
    expect(listed.length).toBe(30);
    // every file with a fault or an event is among them
    expect(listed.some((l) => l.startsWith('  sos_commands/kernel/dmesg  dmesg  159 lines, 1 faults'))).toBe(true);
    expect(listed.some((l) => l.startsWith('  sys/kernel/debug/tracing/trace  ftrace-text  34 lines, 22 events, 3 faults'))).toBe(true);
    const json = JSON.parse((await runFaultline(['ingest', join(dir, 'bundle'), '--db', join(dir, 'many2.db'), '--json'])).stdout) as { files: unknown[] };
    const more = json.files.length - 30;
    expect(r.stdout).toMatch(new RegExp(`^ {2}… and ${more} more files, [\\d,]+ lines \\(text \\d+.*\\); --json lists every file$`, 'm'));
  });

  it('exits 2 without a path, 1 when nothing can be read', async () => {
    expect((await runFaultline(['ingest'])).code).toBe(2);
    const r = await runFaultline(['ingest', '/nonexistent/bundle', '--db', join(tempDir(), 'x.db')]);
    expect(r.code).toBe(1);
    expect((await runFaultline(['faults', '--kind', 'nonsense', '--db', join(tempDir(), 'y.db')])).code).toBe(2);
  });
});

describe('faultline faults --json on the upgraded host', () => {
  it('finds no KVM refusal and no seed diagnosis on the 6.12 sample', async () => {
    const db = join(tempDir(), 'cli612.db');
    expect((await runFaultline(['ingest', join(SAMPLES_DIR, 'gpu-passthrough-6.12'), '--db', db, '--json'])).code).toBe(0);
    const faults = await runFaultline(['faults', '--db', db, '--json']);
    const records = faults.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; diagnoses: string[]; count?: number; first_ns?: string });
    expect(records.filter((r) => r.kind === 'kvm_unsupported_fsc' || r.kind === 'vmm_error')).toEqual([]);
    expect(records.flatMap((r) => r.diagnoses)).not.toContain('vfio-bar-s2-device-unaligned');
    for (const r of records.filter((x) => x.kind === 'kvm_guest_fault')) {
      expect(r.count).toBeGreaterThanOrEqual(1);
      expect(r.first_ns).toMatch(/^\d+$/);
    }
  });
});
