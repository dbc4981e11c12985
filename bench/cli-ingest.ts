// Runs the built `faultline ingest` (what users run; `npm run bench` builds first) and watches it from
// /proc while it works: the CPU time of each of its threads and its peak RSS (VmHWM). On a shared machine
// per-thread CPU says more than wall time, which mostly measures the neighbours. Shared by the ingest
// benches (bench/ingest.ts, bench/ftrace.ts).
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built command; FAULTLINE_BENCH_CLI points at another build (to compare two versions at one moment). */
export const CLI = process.env.FAULTLINE_BENCH_CLI ?? fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
const TICKS_PER_S = 100; // USER_HZ of /proc/<pid>/task/<tid>/stat on Linux

export interface IngestFigures {
  /** The ingest's own time, as `faultline ingest` prints it (start to the bundle committed and checkpointed). */
  readonly seconds: number;
  /** Wall time of the whole command (start-up and close included). */
  readonly commandSeconds: number;
  /** CPU seconds of the whole process, of its main thread, and of its busiest other thread. */
  readonly cpuSeconds: number;
  readonly mainCpuSeconds: number;
  readonly otherCpuSeconds: number;
  readonly lines: number;
  readonly events: number;
  readonly faults: number;
  /** Peak resident set (VmHWM), MB. */
  readonly maxRssMB: number;
  /** The largest the database's WAL file was while the command ran, MB (the disk an ingest needs beyond the database). */
  readonly maxWalMB: number;
}

function readThreads(pid: number, into: Map<number, number>): void {
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      into.set(Number(tid), Number(f[11]) + Number(f[12]));
    }
  } catch {
    // the process or a thread ended between the listing and the read
  }
}

function fileMB(path: string): number {
  try {
    return statSync(path).size / (1024 * 1024);
  } catch {
    return 0;
  }
}

function readPeak(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Lets the disk settle before a timed run: the files just generated (and the last run's database) are
 * still being written back from the page cache, and the kernel's writeback would otherwise compete with
 * the command for the two cores (measured: back-to-back runs 15-25% slower than settled ones).
 */
function settle(): void {
  spawnSync('sync');
  spawnSync('sleep', ['2']);
}

/** `faultline ingest FILE --db DB --no-index`, in text mode (its summary line carries the ingest's time). */
export function ingestWithCli(file: string, db: string): Promise<IngestFigures> {
  settle();
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, 'ingest', file, '--db', db, '--no-index'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const ticks = new Map<number, number>();
    let peak = 0;
    let wal = 0;
    const poll = setInterval(() => {
      if (child.pid === undefined) return;
      readThreads(child.pid, ticks);
      peak = Math.max(peak, readPeak(child.pid));
      wal = Math.max(wal, fileMB(`${db}-wal`));
    }, 20);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0) return reject(new Error(`faultline ingest exited with ${code}`));
      // `Ingested 1 file(s) into DB as bundle 1 (trace): 1,000,012 lines, 1,000,000 events, 33 fault record(s) in 1.23 s.`
      const m = /: ([\d,]+) lines, ([\d,]+) events, (\d+) fault record\(s\) in ([\d.]+) s\./.exec(stdout);
      if (m === null) return reject(new Error(`faultline ingest printed no summary line:\n${stdout}`));
      const n = (x: string): number => Number(x.replaceAll(',', ''));
      const main = ticks.get(child.pid!) ?? 0;
      const others = [...ticks].filter(([tid]) => tid !== child.pid).map(([, t]) => t);
      resolve({
        seconds: Number(m[4]),
        commandSeconds: (performance.now() - t0) / 1000,
        cpuSeconds: [...ticks.values()].reduce((a, t) => a + t, 0) / TICKS_PER_S,
        mainCpuSeconds: main / TICKS_PER_S,
        otherCpuSeconds: Math.max(0, ...others) / TICKS_PER_S,
        lines: n(m[1]!),
        events: n(m[2]!),
        faults: Number(m[3]),
        maxRssMB: peak,
        maxWalMB: wal,
      });
    });
  });
}
