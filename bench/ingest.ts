// Ingest throughput (issue 4): a generated dmesg and a generated journal (journalctl -o short-precise) of
// FAULTLINE_BENCH_LINES lines each (default 1,000,000), ingested end to end by the built command users run
// (`faultline ingest FILE --db DB --no-index`: read, hash, tokenize, assemble faults, store every line,
// checkpoint) into a fresh SQLite file; the search index is built after the load and timed apart
// (../shared/docs/PERFORMANCE.md). Two times are printed: the ingest as the command reports it (from
// the start of the ingest to the bundle committed and its WAL checkpointed into the database file), which
// is what the target is about, and the command's whole run, which adds Node's start-up and closing the
// database (a fixed ~0.3 s whatever the input).
// The command is watched from /proc: peak RSS (VmHWM) and the CPU time of each of its threads, since on a
// shared machine wall time says more about the neighbours than about us.
// Targets (this 2-core machine): >= 1,000,000 lines/s end to end, peak RSS <= 300 MB whatever the size.
// A sosreport is also thousands of small files (command outputs, /proc and /sys copies): a folder of
// FAULTLINE_BENCH_SMALL_FILES one-line files (default 10,000) measures what each file costs by itself.
// "Whatever the size" is checked on a dmesg FAULTLINE_BENCH_SCALE times as long (default 5): its rate, its
// peak RSS, and the largest its WAL grew (the disk an ingest needs beside the database: a WAL that never
// rewound once grew as big as the load).
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../main/storage/db';
import { buildSearchIndex } from '../main/services/ingest/search-index';
import { CLI, ingestWithCli } from './cli-ingest';
import { machineShareNow } from './machine';

const LINES = Number(process.env.FAULTLINE_BENCH_LINES ?? 1_000_000);
const SCALE = Number(process.env.FAULTLINE_BENCH_SCALE ?? 5);
const SMALL_FILES = Number(process.env.FAULTLINE_BENCH_SMALL_FILES ?? 10_000);

// Ordinary host messages (a KVM host's dmesg), with a varying number so that lines differ.
const MESSAGES = [
  'usb 1-1: new high-speed USB device number %d using xhci-hcd',
  'EXT4-fs (nvme0n1p2): mounted filesystem with ordered data mode. Quota mode: none.',
  'vfio-pci 0000:01:00.0: enabling device (0000 -> 0003)',
  'audit: type=1400 audit(1709633646.%d:2): apparmor="STATUS" operation="profile_load" profile="unconfined" name="libvirtd" pid=1423',
  'virbr0: port %d(vnet0) entered forwarding state',
  'mlx5_core 0003:01:00.0 enP3p1s0f0np0: Link up',
  'IPv6: ADDRCONF(NETDEV_CHANGE): vnet%d: link becomes ready',
  'kvm [%d]: vgic interrupt IRQ9',
  'hrtimer: interrupt took %d ns',
  'device vnet%d entered promiscuous mode',
  'nvme nvme0: I/O %d QID 12 timeout, completion polled',
  'systemd-journald[512]: Time spent on flushing to /var/log/journal is %d us',
];

// Every 50,000 lines a fault: a 5.19+ Oops block, or KVM's Unsupported FSC line.
const OOPS = [
  'Unable to handle kernel paging request at virtual address ffff80001234%d',
  'Mem abort info:',
  '  ESR = 0x0000000096000047',
  '  EC = 0x25: DABT (current EL), IL = 32 bits',
  '  SET = 0, FnV = 0',
  '  EA = 0, S1PTW = 0',
  '  FSC = 0x07: level 3 translation fault',
  'Data abort info:',
  '  ISV = 0, ISS = 0x00000047',
  '  CM = 0, WnR = 1',
  'Internal error: Oops: 0000000096000047 [#%d] PREEMPT SMP',
  'CPU: 5 PID: 812 Comm: modprobe Not tainted 6.1.0-18-arm64 #1',
  'pc : vfio_pci_core_init+0x24/0x80 [vfio_pci_core]',
  'Call trace:',
  ' vfio_pci_core_init+0x24/0x80 [vfio_pci_core]',
  '---[ end trace 0000000000000000 ]---',
];

async function generate(path: string, stamp: (i: number) => string, count: number): Promise<number> {
  const out = createWriteStream(path);
  let batch: string[] = [];
  let faults = 0;
  const flush = async (): Promise<void> => {
    if (!out.write(batch.join(''))) await new Promise<void>((r) => out.once('drain', () => r()));
    batch = [];
  };
  for (let i = 0; i < count; ) {
    if (i > 0 && i % 50_000 === 0) {
      faults++;
      const block = faults % 2 === 0 ? OOPS : ['kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061'];
      for (const m of block) {
        if (i >= count) break;
        batch.push(`${stamp(i)}${m.replace('%d', String(faults))}\n`);
        i++;
      }
      continue;
    }
    batch.push(`${stamp(i)}${MESSAGES[i % MESSAGES.length]!.replace('%d', String(i % 997))}\n`);
    i++;
    if (batch.length >= 10_000) await flush();
  }
  await flush();
  await new Promise<void>((resolve) => out.end(resolve));
  return faults;
}

const dmesgStamp = (i: number): string => {
  const us = 1_000_000 + i * 1234;
  return `[${String(Math.floor(us / 1e6)).padStart(5)}.${String(us % 1e6).padStart(6, '0')}] `;
};

const MONTH_DAY = 'Mar 05';
const journalStamp = (i: number): string => {
  const us = 36_000_000_000 + i * 1234;
  const s = Math.floor(us / 1e6);
  const hh = String(Math.floor(s / 3600) % 24).padStart(2, '0');
  const mm = String(Math.floor(s / 60) % 60).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${MONTH_DAY} ${hh}:${mm}:${ss}.${String(us % 1e6).padStart(6, '0')} altra-01 kernel: `;
};

function figure(name: string, value: number, unit: string, target: string): void {
  console.log(`${name.padEnd(40)} ${value.toLocaleString('en-US', { maximumFractionDigits: 1 }).padStart(12)} ${unit.padEnd(10)} (target ${target})`);
}

async function measure(label: string, stamp: (i: number) => string, count = LINES, index = true): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
  try {
    const file = join(dir, label);
    const expectedFaults = await generate(file, stamp, count);
    const mb = statSync(file).size / 1e6;
    const dbPath = join(dir, 'bench.db');
    const load = loadavg()[0]!;
    const machine = machineShareNow();
    const r = await ingestWithCli(file, dbPath);
    const [lines, faults, ingestS] = [r.lines, r.faults, r.seconds];
    if (lines !== count || faults !== expectedFaults) {
      throw new Error(`${label}: read ${lines} lines and ${faults} faults, expected ${count} and ${expectedFaults}`);
    }
    const dbMB = statSync(dbPath).size / 1048576;
    let indexed = 0;
    let indexSeconds = 0;
    if (index) {
      const db = openDatabase(dbPath);
      const t1 = performance.now();
      indexed = await buildSearchIndex(db, undefined);
      indexSeconds = (performance.now() - t1) / 1000;
      db.close();
    }
    console.log(
      `${label}: ${count.toLocaleString('en-US')} lines, ${mb.toFixed(1)} MB, ${faults} faults; ingest ${ingestS.toFixed(2)} s, command ${r.commandSeconds.toFixed(2)} s ` +
        `(CPU: main thread ${r.mainCpuSeconds.toFixed(2)} s, line reader thread ${r.otherCpuSeconds.toFixed(2)} s; load average ${load.toFixed(1)} on ${cpus().length} cores; ` +
        `just before, the machine ran PERFORMANCE.md's regex workload at ${Math.round(machine * 100)}% of its rate)`,
    );
    figure(`${label} ingest, end to end`, count / ingestS, 'lines/s', '>= 1,000,000');
    figure(`${label} ingest, end to end`, mb / ingestS, 'MB/s', '-');
    figure(`${label} whole command (start-up, close)`, count / r.commandSeconds, 'lines/s', '-');
    figure(`${label} ingest, per CPU-second of the busiest thread`, count / Math.max(r.mainCpuSeconds, r.otherCpuSeconds), 'lines/s', '(what two idle cores allow)');
    figure(`${label} ingest peak RSS`, r.maxRssMB, 'MB', '<= 300');
    figure(`${label} ingest peak WAL`, r.maxWalMB, 'MB', `- (beside a database of ${dbMB.toFixed(0)} MB)`);
    if (index) figure(`${label} search index (after the load)`, indexed / indexSeconds, 'lines/s', '- (background)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A sosreport-like folder of SMALL_FILES one-line files, 200 to a directory. */
async function measureSmallFiles(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-'));
  try {
    const root = join(dir, 'sosreport');
    for (let i = 0; i < SMALL_FILES; i++) {
      const sub = join(root, 'sos_commands', `cmd${Math.floor(i / 200)}`);
      if (i % 200 === 0) mkdirSync(sub, { recursive: true });
      writeFileSync(join(sub, `output-${i % 200}`), `output of command ${i}\n`);
    }
    const r = await ingestWithCli(root, join(dir, 'bench.db'));
    if (r.lines !== SMALL_FILES) throw new Error(`small files: read ${r.lines} lines, expected ${SMALL_FILES}`);
    console.log(`small files: ${SMALL_FILES.toLocaleString('en-US')} files of one line; ingest ${r.seconds.toFixed(2)} s (CPU: main thread ${r.mainCpuSeconds.toFixed(2)} s)`);
    figure('small files ingest', SMALL_FILES / r.seconds, 'files/s', '-');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  if (!existsSync(CLI)) {
    console.log(`ingest: ${CLI} is missing; run \`npm run build\` (npm run bench does) to measure the built command`);
    return;
  }
  await measure('dmesg', dmesgStamp);
  await measure('journal', journalStamp);
  // The search index of that one would take half a minute and measure nothing new.
  if (SCALE > 1) await measure(`dmesg x${SCALE}`, dmesgStamp, SCALE * LINES, false);
  if (SMALL_FILES > 0) await measureSmallFiles();
}

if (process.argv[1]?.endsWith('bench/ingest.ts')) await run();
