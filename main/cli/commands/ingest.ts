// `faultline ingest PATH... [--db FILE] [--json]`: ingests folders, archives and files as one bundle
// (issue 4). The --json summary is a contract scripts rely on (keys and their order). A progress bar goes
// to stderr only when stderr is a terminal; Ctrl-C cancels and leaves the database as it was.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { openDatabase, type Db } from '../../storage/db';
import { databasePath, resolveDataDir } from '../../services/paths';
import { ingestBundle, type IngestProgress, type IngestSummary } from '../../services/ingest/pipeline';
import { buildSearchIndex } from '../../services/ingest/search-index';
import { ingestingBundles, pidOfIngesting } from '../../storage/ingest';
import { linesToIndex } from '../../storage/lines';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand, type CliIo } from '../types';

const help = `Usage: faultline ingest PATH... [--db FILE] [--json] [--no-index] [--name NAME]

Reads a support bundle into the database: folders, .tar, .tar.gz/.tgz, .tar.xz, .tar.zst, .zip, and
single files (also gzip-, xz- or zstd-compressed). Every file's format is recognized from its content:
kernel logs of every dialect (dmesg, journalctl, syslog, serial consoles, pasted mail), QEMU/libvirt VM
logs, lspci -nnvv, uname, /proc/cmdline, libvirt domain status. All the PATHs form one bundle; ingesting
the same content again replaces the earlier copy. Problems with the input are reported as diagnostics,
never as a failure.

Options:
  --db FILE     database file (default: faultline.db in the data folder: $FAULTLINE_DATA_DIR,
                else $XDG_DATA_HOME/faultline, else ~/.local/share/faultline)
  --json        print one summary object: {"db", "files": [{"path", "format", "lines", "events",
                "faults", "diagnostics"}], "faults", "events", "lines", "diagnostics": [{"id",
                "severity", "count", "example"}]}
  --no-index    skip building the full-text search index (the app builds it when it opens the database)
  --name NAME   bundle name (default: the first PATH's name)

Exit status: 0 when the bundle was ingested (even with diagnostics), 1 when no input could be read or the
ingest was interrupted, 2 for usage errors.
`;

function isTty(stream: CliIo['stderr']): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** A one-line progress bar, redrawn in place. */
function progressBar(io: CliIo): { update(p: IngestProgress | { phase: 'indexing'; indexed: number; total: number }): void; clear(): void } {
  const width = 24;
  let shown = false;
  const draw = (fraction: number | null, text: string): void => {
    const filled = fraction === null ? 0 : Math.round(Math.min(1, fraction) * width);
    const bar = fraction === null ? '' : `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${Math.floor(Math.min(1, fraction) * 100)}% `;
    // A terminal that reports no size (0: a pseudo-terminal nobody sized, as under script(1)) gets 100.
    const columns = (io.stderr as { columns?: number }).columns || 100;
    io.stderr.write(`\r\x1b[K${(bar + text).slice(0, columns - 1)}`);
    shown = true;
  };
  return {
    update(p) {
      if (p.phase === 'indexing') draw(p.total === 0 ? 1 : p.indexed / p.total, `indexing for search: ${p.indexed.toLocaleString('en')} lines`);
      else draw(p.totalBytes ? p.bytes / p.totalBytes : null, `${mb(p.bytes)}  ${p.lines.toLocaleString('en')} lines  ${p.phase === 'reading' ? (p.file ?? '') : p.phase}`);
    },
    clear() {
      if (shown) io.stderr.write('\r\x1b[K');
    },
  };
}

/** SQLite gave up waiting for the write lock (busy_timeout): another writer held it all that time. */
function isBusy(e: unknown): boolean {
  return String((e as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_BUSY');
}

/** Who holds the database: the other ingests in progress, by name and process, when there are any. */
function otherWriters(db: Db): string {
  const others = ingestingBundles(db)
    .map((b) => ({ name: b.name, pid: pidOfIngesting(b.fingerprint) }))
    .filter((b) => b.pid !== process.pid);
  if (others.length === 0) return 'another process';
  return others.map((b) => `the ingest of ${b.name}${b.pid === null ? '' : ` (process ${b.pid})`}`).join(', ');
}

export function summaryJson(db: string, s: IngestSummary): Record<string, unknown> {
  return {
    db,
    files: s.files.map((f) => ({ path: f.path, format: f.format, lines: f.lines, events: f.events, faults: f.faults, diagnostics: f.diagnostics })),
    faults: s.faults,
    events: s.events,
    lines: s.lines,
    diagnostics: s.diagnostics.map((d) => ({ id: d.kind, severity: d.severity, count: d.count, example: d.example })),
  };
}

/** Files listed one by one in the text summary. */
const LISTED_FILES = 30;

function printText(io: CliIo, db: string, s: IngestSummary): void {
  const out: string[] = [];
  out.push(
    `Ingested ${s.files.length} file(s) into ${db} as bundle ${s.bundleId} (${s.name}): ${s.lines.toLocaleString('en')} lines, ` +
      `${s.events.toLocaleString('en')} events, ${s.faults} fault record(s) in ${(s.durationMs / 1000).toFixed(2)} s.`,
  );
  if (s.replacedBundleId !== null) out.push(`The same content had been ingested before (bundle ${s.replacedBundleId}); it was replaced.`);
  // A sosreport holds thousands of files: the ones with faults and events, then the longest, are listed
  // (in bundle order); the rest are summed up in one line.
  const ranked = [...s.files].sort((a, b) => b.faults - a.faults || b.events - a.events || b.lines - a.lines);
  const listed = new Set(ranked.slice(0, LISTED_FILES));
  for (const f of s.files) {
    if (listed.has(f)) out.push(`  ${f.path}  ${f.format}  ${f.lines} lines${f.events ? `, ${f.events} events` : ''}${f.faults ? `, ${f.faults} faults` : ''}`);
  }
  const rest = ranked.slice(LISTED_FILES);
  if (rest.length > 0) {
    const formats = new Map<string, number>();
    for (const f of rest) formats.set(f.format, (formats.get(f.format) ?? 0) + 1);
    const byCount = [...formats].sort((a, b) => b[1] - a[1]).map(([format, n]) => `${format} ${n.toLocaleString('en')}`);
    const lines = rest.reduce((n, f) => n + f.lines, 0);
    out.push(`  … and ${rest.length.toLocaleString('en')} more files, ${lines.toLocaleString('en')} lines (${byCount.join(', ')}); --json lists every file`);
  }
  if (s.diagnostics.length > 0) {
    out.push('Diagnostics:');
    for (const d of s.diagnostics) out.push(`  ${d.severity.padEnd(9)} ${d.kind} x${d.count}: ${d.example}`);
  }
  io.stdout.write(out.join('\n') + '\n');
}

export const command: CliCommand = {
  name: 'ingest',
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { db: { type: 'string' }, json: { type: 'boolean', default: false }, 'no-index': { type: 'boolean', default: false }, name: { type: 'string' } },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length === 0) throw new UsageError('no PATH given (see faultline ingest --help)');
    const dbPath = values.db ? resolve(io.cwd, values.db) : databasePath(resolveDataDir(io.env));
    const paths = positionals.map((p) => resolve(io.cwd, p));
    const db = openDatabase(dbPath);
    const abort = new AbortController();
    const onSigint = (): void => abort.abort();
    process.once('SIGINT', onSigint);
    const bar = isTty(io.stderr) ? progressBar(io) : null;
    try {
      const summary = await ingestBundle(db, paths, { signal: abort.signal, ...(bar ? { onProgress: (p) => bar.update(p) } : {}), ...(values.name ? { name: values.name } : {}) }).catch((e: unknown) => {
        // The bundle was removed (or, if even that could not wait, is left `ingesting` for the next ingest to remove).
        if (isBusy(e)) throw new Error(`the database stayed locked for more than 5 s by ${otherWriters(db)}; nothing was stored: run the ingest again when it is done`);
        throw e;
      });
      // The bundle is complete and usable once stored; its search index is a watermark per file, advanced
      // chunk by chunk, so a build stopped here leaves whole chunks, and search says what it still lacks.
      let unindexed = 0;
      if (!summary.cancelled && summary.bundleId !== null && !values['no-index']) {
        const bundleId = summary.bundleId;
        await buildSearchIndex(db, bundleId, { signal: abort.signal, ...(bar ? { onProgress: (p) => bar.update({ phase: 'indexing', ...p }) } : {}) }).catch((e: unknown) => {
          if (isBusy(e)) unindexed = linesToIndex(db, bundleId);
          else if ((e as { name?: string }).name !== 'AbortError') throw e;
        });
      }
      bar?.clear();
      if (unindexed > 0) {
        io.stderr.write(
          `faultline ingest: the bundle was stored, but the database stayed locked for more than 5 s by ${otherWriters(db)} while it was indexed for search: ` +
            `${unindexed.toLocaleString('en')} lines are not searchable yet (the app indexes them when it opens the database)\n`,
        );
      }
      if (summary.cancelled) {
        io.stderr.write('faultline ingest: interrupted; nothing was stored\n');
        return EXIT_FAILURE;
      }
      if (values.json) io.stdout.write(JSON.stringify(summaryJson(dbPath, summary)) + '\n');
      else printText(io, dbPath, summary);
      const nothingRead = summary.files.length === 0 && summary.diagnostics.some((d) => d.kind === 'input-missing');
      return nothingRead ? EXIT_FAILURE : EXIT_OK;
    } finally {
      process.removeListener('SIGINT', onSigint);
      db.close();
    }
  },
};
