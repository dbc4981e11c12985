// Kernel and VMM logs of every dialect (dmesg in all its timestamp forms, journalctl short*/json, syslog,
// serial consoles, kernelci/LAVA, pasted mail, QEMU/libvirt VM logs): every line stored, fault records
// assembled, host facts (kernel, CPU, command line, paging) reported to the bundle context.
import { detectDialect, scoreKernelLog, type LogDialect } from '../../../core/ingest/lines/dialect';
import { KernelLogReader, type KernelLogSink } from '../../../core/ingest/kernel-log/reader';
import type { ExtraValue } from '../../../core/ingest/kernel-log/draft';
import type { Clock } from '../../../core/ingest/lines/timestamps';
import { assertNever } from '../../../core/result';
import { LogLineSource, type LineSink } from '../../../storage/lines';
import { setFileClock } from '../../../storage/ingest';
import type { ImportContext, ImportInput, ImportStats, Importer } from '../importer';
import { headLines } from './text-head';

/** libvirt names a VM's log after the VM: var/log/libvirt/qemu/<name>.log. */
function vmOfPath(path: string): string | null {
  const m = /(?:^|\/)libvirt\/qemu\/([^/]+)\.log(?:\.\d+)?$/.exec(path);
  return m ? m[1]! : null;
}

function sinkFor(ctx: ImportContext, state: { faults: number; clock: Clock | null }): KernelLogSink {
  return {
    line(l) {
      if (state.clock === null && l.clock !== null) state.clock = l.clock;
    },
    hostname: (name) => ctx.context.setHostname(name),
    fault(record) {
      state.faults++;
      ctx.fault(record);
    },
    context(fact) {
      switch (fact.kind) {
        case 'kernel':
          return ctx.context.addKernel(fact.release);
        case 'cpu':
          return ctx.context.setCpu(fact.midr, fact.description);
        case 'cmdline':
          return ctx.context.setCmdline(fact.cmdline);
        case 'paging':
          return ctx.context.setPaging(fact.pageSizeKiB, fact.vaBits);
        case 'hostname':
          return ctx.context.setHostname(fact.name);
        default:
          return assertNever(fact, 'context fact');
      }
    },
    diagnostic: (id, line, message) => ctx.diagnostic({ kind: id, ...(line > 0 ? { line } : {}), message }),
  };
}

const Y2000_MS = Date.UTC(2000, 0, 1);

/**
 * Reads a line-based log with a given dialect (shared with the plain-text fallback): the bytes are read
 * into tokenized lines and stored blocks by LogLineSource (in the reader thread for a big bundle), and
 * this thread assembles faults and context from those lines.
 */
// What the kernel that crashed left for the next boot to collect, so of the boot before the bundle's:
//   - pstore (fs/pstore): `dmesg-ramoops-N` / `dmesg-efi-N` whose first line is the record header
//     "<reason>#<count> Part<n>" (fs/pstore/platform.c pstore_dump: "%s#%d Part%u\n", reason Oops, Panic, …),
//     and `console-ramoops-N`, the console of the boot before;
//   - kdump's `vmcore-dmesg.txt` (makedumpfile --dump-dmesg / vmcore-dmesg, beside the vmcore in /var/crash).
const PSTORE_HEADER_RE = /^(?:Oops|Panic|Emergency|Restart|Halt|Poweroff|Unknown)#\d+ Part\d+\r?\n/;
const CRASH_LOG_NAME_RE = /(?:^|\/)(?:(?:dmesg|console)-(?:ramoops|efi)-\d+|vmcore-dmesg\.txt)$/;

/** What names a log the crashed kernel left (pstore, kdump), or null for a log of its own boot. */
function crashedKernelLog(path: string, head: Buffer): string | null {
  if (PSTORE_HEADER_RE.test(head.subarray(0, 64).toString('latin1'))) return 'a pstore record of a crashed kernel';
  if (!CRASH_LOG_NAME_RE.test(path)) return null;
  return path.endsWith('vmcore-dmesg.txt') ? "kdump's log of the crashed kernel" : 'a pstore record of a crashed kernel';
}

export async function importLog(ctx: ImportContext, input: ImportInput, detected: LogDialect, format: string): Promise<ImportStats> {
  // A LAVA job log's records were made lines of console text (lava-log.ts): none is a wrapped piece of another.
  const dialect: LogDialect = input.form === 'lava-log' ? { ...detected, wholeLines: true } : detected;
  const state = { faults: 0, clock: null as Clock | null };
  const vm = vmOfPath(ctx.path);
  const extra: Record<string, ExtraValue> | undefined = vm !== null ? { vm } : undefined;
  // The file's date bounds the dates its lines name without a year; a date before 2000 (an archive that
  // stores none) says nothing, and the time of the ingest is taken instead.
  const mtime = input.mtimeMs ?? null;
  const dateHintMs = mtime !== null && mtime >= Y2000_MS ? mtime : Date.now();
  const yearHint = new Date(dateHintMs).getUTCFullYear();
  const source = await LogLineSource.open(ctx.db, { fileId: ctx.fileId, dialect, yearHint, dateHintMs });
  const crashed = crashedKernelLog(ctx.path, input.head);
  if (crashed !== null) ctx.diagnostic({ kind: 'log-previous-boot', message: `${crashed}: its records are of the boot before the bundle's logs (boot -1)` });
  const reader = new KernelLogReader({ file: ctx.path, dialect, yearHint, dateHintMs, ...(extra ? { extra } : {}), ...(crashed !== null ? { previousBoot: true } : {}) }, sinkFor(ctx, state));
  let lines = 0;
  const consume: LineSink = {
    line(l) {
      reader.tokenized(l);
      lines++;
    },
    problem: (n) => ctx.diagnostic({ kind: n.kind, line: n.lineNo, message: n.detail }),
    skip(hasHost, hasClock) {
      // The first line with a clock sets the file's (sinkFor): that one is built.
      if ((hasClock && state.clock === null) || !reader.skip(hasHost)) return false;
      lines++;
      return true;
    },
    skipMore(n) {
      reader.skipMore(n);
      lines += n;
    },
  };
  let bytes = 0;
  try {
    for await (const chunk of input.chunks()) {
      ctx.signal.throwIfAborted();
      bytes += chunk.length;
      await source.push(chunk, consume);
      ctx.progress(bytes, lines);
    }
    const end = await source.end(consume);
    reader.end(end.yearInferred);
    ctx.boots(reader.bootStarts);
    ctx.progress(bytes, lines);
    // The thread counted the lines it split; a difference from those consumed would be a bug.
    if (end.lines !== lines) throw new Error(`${ctx.path}: ${end.lines} lines read but ${lines} consumed`);
  } finally {
    // A file's clock is NULL until set: most files of a sosreport have no times (one commit less each).
    if (state.clock !== null) setFileClock(ctx.db, ctx.fileId, state.clock);
  }
  return { lines, events: 0, faults: state.faults, format };
}

export const kernelLogImporter: Importer = {
  id: 'kernel-log',
  sniff: (head) => scoreKernelLog(headLines(head)),
  import(ctx, input) {
    const dialect = detectDialect(headLines(input.head));
    return importLog(ctx, input, dialect, dialect.name);
  },
};

/**
 * The fallback for text no importer claims: stored as plain lines, and still read for faults (a paste
 * of an Oops in a .txt is common); the pipeline adds a `format-unknown` diagnostic.
 */
export const textImporter: Importer = {
  id: 'text',
  sniff: () => 0.1,
  import(ctx, input) {
    return importLog(ctx, input, detectDialect(headLines(input.head)), 'text');
  },
};
