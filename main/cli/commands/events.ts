// `faultline events [--db FILE] [--bundle ID] [--event NAME] [--from NS] [--to NS] [--limit N] [--json]`:
// the trace events (ftrace text, trace.dat) of ingested bundles. The --json lines are a contract scripts
// rely on (issue 5): {"time_ns": "<decimal ns>", "cpu", "pid", "comm", "event", "fields": {...}}, then
// "tgid", "args" and "source": {"file", "line"}.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { writeOut } from '../output';
import { openDatabase } from '../../storage/db';
import { eventsOf, type EventRow } from '../../storage/events';
import { listBundles } from '../../storage/bundles';
import { unreadableBundle } from '../bundle-arg';
import { formatMicros } from '../../core/ingest/ftrace/timestamp';
import { COUNTER_CLOCK } from '../../core/ingest/boot-clock';
import { databasePath, resolveDataDir } from '../../services/paths';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand } from '../types';

const help = `Usage: faultline events [--db FILE] [--bundle ID] [--event NAME] [--from NS] [--to NS] [--limit N] [--json]

Prints the trace events (ftrace text dumps, trace-cmd report output, trace.dat) of ingested bundles, in
each file's order, as trace-cmd report lays them out, or one JSON object per line.

Options:
  --db FILE      database file (default: faultline.db in the data folder)
  --bundle ID    only this bundle's events (default: every complete bundle)
  --event NAME   only events of this name (kvm_exit, kvm_guest_fault, ...)
  --from NS      only events at or after this time (integer nanoseconds, as the trace's clock)
  --to NS        only events at or before this time
  --limit N      at most N events
  --json         one JSON object per event: {"time_ns", "cpu", "pid", "comm", "event", "fields", "clock",
                 "tgid", "args", "source": {"file", "line"}}; 64-bit fields as hex strings; "clock" says
                 what time_ns counts: "monotonic" (ns since boot) or "counter" (a trace clock's bare
                 count: counter, x86-tsc)
`;

export function eventLineJson(e: EventRow, clock: string | null): string {
  return JSON.stringify({
    time_ns: e.timeNs.toString(),
    cpu: e.cpu,
    pid: e.pid,
    comm: e.comm,
    event: e.event,
    fields: e.fields,
    clock,
    tgid: e.tgid,
    args: e.args,
    source: { file: e.file, line: e.line },
  });
}

/**
 * trace-cmd report's layout (core/ingest/tracedat/report.ts). A task or CPU the trace did not name (-1: a
 * function_graph line without those columns) prints as `<...>` and `[???]`. On the counter clock the time is
 * the bare count, as the kernel prints it (trace_print_time " %12llu").
 */
export function eventLineText(e: EventRow, clock: string | null = null): string {
  const task = e.pid < 0 ? e.comm.padStart(22) : `${e.comm.padStart(16)}-${String(e.pid).padEnd(5)}`;
  const cpu = e.cpu < 0 ? '???' : String(e.cpu).padStart(3, '0');
  const time = clock === COUNTER_CLOCK ? e.timeNs.toString().padStart(12) : formatMicros(e.timeNs);
  return `${task} [${cpu}] ${time}: ${(e.event + ':').padEnd(21)} ${e.args}`;
}

function nsOption(name: string, v: string | undefined): bigint | undefined {
  if (v === undefined) return undefined;
  // Times are stored as SQLite's 64-bit signed integers.
  if (!/^\d{1,20}$/.test(v) || BigInt(v) > 2n ** 63n - 1n) throw new UsageError(`--${name} must be integer nanoseconds up to 2^63-1, not ${JSON.stringify(v)}`);
  return BigInt(v);
}

export const command: CliCommand = {
  name: 'events',
  help,
  async run(argv, io) {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        db: { type: 'string' },
        bundle: { type: 'string' },
        event: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.bundle !== undefined && !/^\d+$/.test(values.bundle)) throw new UsageError(`--bundle must be a bundle id, not ${JSON.stringify(values.bundle)}`);
    if (values.limit !== undefined && !/^\d+$/.test(values.limit)) throw new UsageError(`--limit must be a number, not ${JSON.stringify(values.limit)}`);
    const fromNs = nsOption('from', values.from);
    const toNs = nsOption('to', values.to);
    const dbPath = values.db ? resolve(io.cwd, values.db) : databasePath(resolveDataDir(io.env));
    const db = openDatabase(dbPath);
    try {
      // Complete bundles only, as `faults` reads them (bundle-arg.ts).
      let bundles: number[];
      if (values.bundle !== undefined) {
        const why = unreadableBundle(db, Number(values.bundle));
        if (why !== null) {
          io.stderr.write(`faultline events: ${why}\n`);
          return EXIT_FAILURE;
        }
        bundles = [Number(values.bundle)];
      } else bundles = listBundles(db).filter((b) => b.status === 'complete').map((b) => b.id);
      let left = values.limit === undefined ? Infinity : Number(values.limit);
      const render = values.json ? eventLineJson : eventLineText;
      let batch: string[] = [];
      for (const bundleId of bundles) {
        // Each file's clock (files.clock): the counter clock's times are counts, not ns.
        const clocks = new Map(db.prepare(`SELECT path, clock FROM files WHERE bundle_id = ?`).raw().all(bundleId) as [string, string | null][]);
        for (const e of eventsOf(db, { bundleId, event: values.event, fromNs, toNs })) {
          if (left-- <= 0) break;
          batch.push(render(e, clocks.get(e.file) ?? null));
          if (batch.length >= 1000) {
            await writeOut(io, batch.join('\n') + '\n');
            batch = [];
          }
        }
      }
      if (batch.length > 0) await writeOut(io, batch.join('\n') + '\n');
      return EXIT_OK;
    } finally {
      db.close();
    }
  },
};
