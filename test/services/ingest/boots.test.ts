// Logs of several boots: the kernel's since-boot clock restarts at each, so records of different boots are
// on different clocks (main/core/ingest/boot-clock.ts), the last boot's on `monotonic`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/storage/db';
import { allFaults } from '../../../main/storage/faults';
import { ingestBundle } from '../../../main/services/ingest/pipeline';
import { buildBundleReport } from '../../../main/services/report';
import { renderText } from '../../../main/core/report/text';
import { tempDir } from '../../helpers/tmp';
import { runFaultline } from '../../helpers/cli';
import { testContext } from '../../helpers/app';
import { dispatch } from '../../../main/api/dispatch';
import type { LinePage } from '../../../preload/contract';

const FIXTURES = join(__dirname, '../../fixtures/journal');
const SAMPLES = join(__dirname, '../../../../shared/samples/logs');

function bundleDir(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  return dir;
}

async function ingest(files: Record<string, string>): Promise<ReturnType<typeof allFaults>> {
  const db = openDatabase(join(tempDir(), 'x.db'));
  const s = await ingestBundle(db, [bundleDir(files)]);
  const faults = allFaults(db, s.bundleId!);
  db.close();
  return faults;
}

const extra = (f: { extraJson: string }): { boot?: number; clock?: string; also_in?: string[] } => JSON.parse(f.extraJson);

describe('logs of several boots', () => {
  it('journalctl -o short-monotonic of two boots: the first boot\'s records on its own clock, the last\'s on monotonic', async () => {
    const faults = await ingest({ 'sos_commands/logs/journalctl_--no-pager_-o_short-monotonic': readFileSync(join(FIXTURES, 'two-boots.short-monotonic'), 'utf8') });
    expect(faults.map((f) => [f.kind, f.timeNs, f.clock, extra(f).boot, f.kernel])).toEqual([
      ['mem_abort', 23_352_431_103_000n, 'monotonic@-1', -1, '5.6.17+'],
      ['mem_abort', 29_973_397_066_000n, 'monotonic@-1', -1, null],
      // Stamped with the first Oops's microsecond, but in the boot after it (journalctl's -- Boot -- line).
      ['kvm_unsupported_fsc', 23_352_431_103_000n, 'monotonic', undefined, '5.7.0'],
    ]);
    expect(faults.map((f) => extra(f).clock)).toEqual(faults.map((f) => f.clock));
  });

  it('says which logs span several boots, and where each begins', async () => {
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [
      bundleDir({
        'a/journal-monotonic': readFileSync(join(FIXTURES, 'two-boots.short-monotonic'), 'utf8'),
        'b/journal-precise': readFileSync(join(FIXTURES, 'two-boots.short-precise'), 'utf8'),
      }),
    ]);
    const boots = s.diagnostics.find((d) => d.kind === 'log-boots');
    expect([boots?.severity, boots?.count]).toEqual(['info', 2]);
    expect(boots?.example).toBe("a/journal-monotonic:74 2 boots: the kernel's since-boot clock starts again at line 74; each fault says its boot (boot -1 for the one before the last, …)");
    const rows = db.prepare(`SELECT file, line, message FROM diagnostics WHERE kind = 'log-boots' ORDER BY file`).all();
    expect(rows).toEqual([
      { file: 'a/journal-monotonic', line: 74, message: boots?.example.replace('a/journal-monotonic:74 ', '') },
      { file: 'b/journal-precise', line: 74, message: '2 boots: the next boot begins at line 74; each fault says its boot (boot -1 for the one before the last, …)' },
    ]);
    db.close();
  });

  it('a serial console capture across a reboot: the Oops before it and the one after it are each on their boot', async () => {
    // Sample 008's Oops (5.2 RT kernel, stamped 122 s), the console's reboot, a new kernel's banner, and
    // sample 010's Oops (stamped 7.9 s) in the boot after it.
    const before = readFileSync(join(SAMPLES, '008-kvm-rt-kernel-cpu-prefix-alignment-fault-oops.log'), 'utf8');
    const after = readFileSync(join(SAMPLES, '010-kvm-vgic-mmio-guest-abort-null-deref-64k.log'), 'utf8');
    const reboot = [
      '[  130.000001] reboot: Restarting system',
      '',
      'U-Boot 2023.01 (Jan 10 2023 - 00:00:00 +0000)',
      '[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x410fd083]',
      '[    0.000000] Linux version 5.5.0-rc2-14819-g4e11d8f-dirty (builder@host) (gcc version 9.2.0) #1 SMP PREEMPT',
    ].join('\n');
    const faults = await ingest({ 'var/log/console.log': `${before}${reboot}\n${after}` });
    expect(faults.map((f) => [f.kind, f.esr, f.timeNs, f.clock, extra(f).boot])).toEqual([
      ['mem_abort', '0x96000021', 122_564_868_000n, 'monotonic@-1', -1],
      ['mem_abort', '0x96000007', 7_913_815_000n, 'monotonic', undefined],
    ]);
  });

  it('a fault of an earlier boot is no copy of the same message in the current boot\'s dmesg', async () => {
    // A kernel thread faults the same way at every boot: same PID, same syndrome and address. The console
    // holds both boots; dmesg holds the current one. Its record is the console's second boot's, not the first's.
    const oops = (stamp: string): string =>
      [
        `[${stamp}] Unable to handle kernel paging request at virtual address ffff800012345678`,
        `[${stamp}] Mem abort info:`,
        `[${stamp}]   ESR = 0x0000000096000047`,
        `[${stamp}] CPU: 5 PID: 88 Comm: kworker/5:1 Not tainted 6.1.0-18-arm64 #1`,
        `[${stamp}] Internal error: Oops: 0000000096000047 [#1] PREEMPT SMP`,
      ].join('\n') + '\n';
    const banner = '[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]\n';
    const faults = await ingest({
      'a/console.log': banner + oops('   45.100001') + banner + oops('   46.200001'),
      'b/dmesg': banner + oops('   46.200001'),
    });
    expect(faults.map((f) => [f.file, f.timeNs, f.clock, extra(f).also_in])).toEqual([
      ['a/console.log', 45_100_001_000n, 'monotonic@-1', undefined],
      ['a/console.log', 46_200_001_000n, 'monotonic', ['b/dmesg:2']],
    ]);
  });

  it("a report puts one log's earlier boot on its axis, not two logs' boots before their last", async () => {
    // The console's boot before its last (one Oops) and the journal's (two Oopses) are not known to be one boot.
    const console = readFileSync(join(SAMPLES, '010-kvm-vgic-mmio-guest-abort-null-deref-64k.log'), 'utf8');
    const db = openDatabase(join(tempDir(), 'x.db'));
    const s = await ingestBundle(db, [
      bundleDir({
        'var/log/console.log': console + '[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x410fd083]\n',
        'sos_commands/logs/journalctl_--no-pager_-o_short-monotonic': readFileSync(join(FIXTURES, 'two-boots.short-monotonic'), 'utf8'),
      }),
    ]);
    expect(allFaults(db, s.bundleId!).map((f) => [f.file, f.clock])).toEqual([
      ['sos_commands/logs/journalctl_--no-pager_-o_short-monotonic', 'monotonic@-1'],
      ['sos_commands/logs/journalctl_--no-pager_-o_short-monotonic', 'monotonic@-1'],
      ['sos_commands/logs/journalctl_--no-pager_-o_short-monotonic', 'monotonic'],
      ['var/log/console.log', 'monotonic@-1'],
    ]);
    const report = buildBundleReport(db, s.bundleId!, { kind: 'bundle' });
    if (!report.ok) throw new Error(report.error.message);
    const text = renderText(report.value);
    expect(text).toMatch(/^Time range: +23352\.431103 s \(boot -1\) \.\. 29973\.397066 s \(boot -1\)/m);
    expect(text).not.toMatch(/^Time range:.*7\.913815/m);
    // Off the axis, the console's Oops keeps its time, with its boot and its log.
    expect(text.replace(/\s+/g, ' ')).toContain('When: 7.913815 s since boot, in boot -1 of var/log/console.log');
    expect(text.replace(/\s+/g, ' ')).toContain('in boot -1 of one log: it spans several boots, and 1 boot followed this one.');
    db.close();
  });

  it('faultline faults names the boot: in --json as the clock of time_ns, in its table beside the time', async () => {
    const dir = bundleDir({ 'journal.txt': readFileSync(join(FIXTURES, 'two-boots.short-monotonic'), 'utf8') });
    const db = join(tempDir(), 'x.db');
    expect((await runFaultline(['ingest', dir, '--db', db])).code).toBe(0);
    const json = (await runFaultline(['faults', '--db', db, '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(json.map((r) => [r.kind, r.time_ns, r.clock])).toEqual([
      ['mem_abort', '23352431103000', 'monotonic@-1'],
      ['mem_abort', '29973397066000', 'monotonic@-1'],
      ['kvm_unsupported_fsc', '23352431103000', 'monotonic'],
    ]);
    const table = (await runFaultline(['faults', '--db', db])).stdout;
    expect(table).toMatch(/^mem_abort +0x96000004 +0x10 +23352\.431103 \(boot -1\) +journal\.txt:1$/m);
    expect(table).toMatch(/^kvm_unsupported_fsc +0x92000061 +- +23352\.431103 +journal\.txt:77$/m);
  });

  it('the log view learns where each boot begins and the clock of its times', async () => {
    const ctx = testContext();
    const file = 'sos_commands/logs/journalctl_--no-pager_-o_short-monotonic';
    const s = await ingestBundle(ctx.db, [bundleDir({ [file]: readFileSync(join(FIXTURES, 'two-boots.short-monotonic'), 'utf8') })]);
    const page = await dispatch(ctx, 'lines:page', { bundleId: s.bundleId, file, fromLine: 74, limit: 1 });
    if (!page.ok) throw new Error(page.error.message);
    const p = page.value as LinePage;
    // Line 74 is journalctl's `-- Boot 9b2c… --`.
    expect(p.lines[0]!.text).toBe('-- Boot 9b2c4d6e8f0a1b2c3d4e5f6a7b8c9d0e --');
    expect(p.boots).toEqual([
      { fromLine: 1, clock: 'monotonic@-1' },
      { fromLine: 74, clock: 'monotonic' },
    ]);
    // A log of one boot has none.
    const one = await ingestBundle(ctx.db, [bundleDir({ dmesg: readFileSync(join(SAMPLES, '010-kvm-vgic-mmio-guest-abort-null-deref-64k.log'), 'utf8') })]);
    const single = await dispatch(ctx, 'lines:page', { bundleId: one.bundleId, file: 'dmesg', fromLine: 1, limit: 1 });
    expect(single.ok && (single.value as LinePage).boots).toBe(null);
  });

  it('a wall clock goes on across boots: the records stay on it, each saying its boot', async () => {
    const ctx = testContext();
    const file = 'sos_commands/logs/journalctl_--no-pager_-o_short-precise';
    const s = await ingestBundle(ctx.db, [bundleDir({ [file]: readFileSync(join(FIXTURES, 'two-boots.short-precise'), 'utf8') })]);
    expect(allFaults(ctx.db, s.bundleId!).map((f) => [f.kind, f.clock, extra(f).boot])).toEqual([
      ['mem_abort', 'realtime', -1],
      ['mem_abort', 'realtime', -1],
      ['kvm_unsupported_fsc', 'realtime', undefined],
    ]);
    const page = await dispatch(ctx, 'lines:page', { bundleId: s.bundleId, file, fromLine: 1, limit: 1 });
    expect(page.ok && (page.value as LinePage).boots).toEqual([
      { fromLine: 1, clock: 'realtime' },
      { fromLine: 74, clock: 'realtime' },
    ]);
  });

  it('what a crashed kernel left (pstore, kdump\'s vmcore-dmesg) is of the boot before the bundle\'s dmesg', async () => {
    const oops = readFileSync(join(SAMPLES, '010-kvm-vgic-mmio-guest-abort-null-deref-64k.log'), 'utf8');
    // The boot after the crash: its own dmesg, stamped before the old Oops's 7.913815 s.
    const now = '[    5.000000] kvm [2001]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061\n';
    // fs/pstore/platform.c pstore_dump: a dmesg record starts with "%s#%d Part%u\n"; console-ramoops is the
    // console of the boot before, as it was.
    const pstore = await ingest({
      'sos_commands/kernel/dmesg': now,
      'sys/fs/pstore/dmesg-ramoops-0': `Oops#1 Part1\n${oops}`,
      'sys/fs/pstore/console-ramoops-0': oops,
    });
    const shown = (f: (typeof pstore)[number]): unknown[] => [f.kind, f.file, f.clock, extra(f).boot ?? 0];
    expect(pstore.map(shown)).toEqual([
      ['kvm_unsupported_fsc', 'sos_commands/kernel/dmesg', 'monotonic', 0],
      // One record for the two pstore files (the same Oops on the same clock).
      ['mem_abort', 'sys/fs/pstore/console-ramoops-0', 'monotonic@-1', -1],
    ]);
    const kdump = await ingest({ 'sos_commands/kernel/dmesg': now, 'var/crash/127.0.0.1-2024-05-24-14:33:12/vmcore-dmesg.txt': oops });
    expect(kdump.map(shown)).toEqual([
      ['kvm_unsupported_fsc', 'sos_commands/kernel/dmesg', 'monotonic', 0],
      ['mem_abort', 'var/crash/127.0.0.1-2024-05-24-14:33:12/vmcore-dmesg.txt', 'monotonic@-1', -1],
    ]);
  });
});
