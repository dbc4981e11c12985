// `faultline report`: the plain-text and HTML reports of a bundle (issue 8), with no window at all. Reads an
// existing database (--db, or the default one), or ingests PATHs first into a temporary database (or into
// --db when given); `-` as a file name means stdout.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ReportSelection } from '../../core/report/input';
import { getBundle, listBundles, type BundleRow } from '../../storage/bundles';
import { openDatabase, type Db } from '../../storage/db';
import { databasePath, resolveDataDir } from '../../services/paths';
import { ingestBundle } from '../../services/ingest/pipeline';
import { buildBundleReport, renderReport, type ReportFormat } from '../../services/report';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand, type CliIo } from '../types';

const help = `Usage: faultline report [--db FILE [--bundle ID] | PATH...] [--fault ID ... | --diagnosis ID]
                        [--text FILE] [--html FILE]

Writes the report of a bundle: --text a plain-text report to paste into a reply on a kernel mailing list
(ASCII, wrapped at 72 columns, quoted log lines kept whole, [n] footnotes), --html one self-contained HTML
file (no script, nothing loaded from the network) to attach to a ticket. FILE '-' is stdout. Nothing is
uploaded anywhere. With PATHs (folders, archives, files, as 'faultline ingest' takes them) the bundle is
ingested first, into a temporary database that is removed afterwards unless --db is given.

Options:
  --db FILE        database to read (default: faultline.db in the data folder: $FAULTLINE_DATA_DIR,
                   else $XDG_DATA_HOME/faultline, else ~/.local/share/faultline)
  --bundle ID      the bundle (default: the most recent complete one)
  --fault ID       report these faults only (repeat for a group of faults)
  --diagnosis ID   report this diagnosis only (its rule id, as faultline report --text - lists them)
  --text FILE      write the plain-text report
  --html FILE      write the HTML report

Exit status: 0 written, 1 no such database, bundle, fault or diagnosis, 2 usage error.
`;

interface ReportArgs {
  /** The database file, or null for a temporary one (PATHs without --db). */
  readonly db: string | null;
  readonly paths: readonly string[];
  readonly bundle: number | null;
  readonly selection: ReportSelection;
  readonly outputs: ReadonlyArray<readonly [ReportFormat, string]>;
}

function positiveInt(name: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) throw new UsageError(`--${name}: not a positive integer: ${text}`);
  return Number(text);
}

export function parseReportArgs(argv: readonly string[], io: CliIo): ReportArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      db: { type: 'string' },
      bundle: { type: 'string' },
      fault: { type: 'string', multiple: true },
      diagnosis: { type: 'string' },
      text: { type: 'string' },
      html: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0 && values.bundle !== undefined) throw new UsageError('--bundle selects a stored bundle: give it or PATHs, not both');
  const faults = (values.fault ?? []).map((f) => positiveInt('fault', f));
  if (faults.length > 0 && values.diagnosis !== undefined) throw new UsageError('--fault and --diagnosis exclude each other');
  const outputs: [ReportFormat, string][] = [];
  if (values.text !== undefined) outputs.push(['text', values.text]);
  if (values.html !== undefined) outputs.push(['html', values.html]);
  if (outputs.length === 0) throw new UsageError('nothing to write: give --text FILE and/or --html FILE (- for stdout)');
  if (outputs.every(([, f]) => f === '-') && outputs.length === 2) throw new UsageError('only one of --text and --html can go to stdout');
  const selection: ReportSelection =
    values.diagnosis !== undefined
      ? { kind: 'diagnosis', id: values.diagnosis }
      : faults.length === 1
        ? { kind: 'fault', id: faults[0] as number }
        : faults.length > 1
          ? { kind: 'faults', ids: faults }
          : { kind: 'bundle' };
  return {
    db: values.db !== undefined ? resolve(io.cwd, values.db) : positionals.length > 0 ? null : databasePath(resolveDataDir(io.env)),
    paths: positionals.map((p) => resolve(io.cwd, p)),
    bundle: values.bundle !== undefined ? positiveInt('bundle', values.bundle) : null,
    selection,
    outputs: outputs.map(([fmt, file]) => [fmt, file === '-' ? '-' : resolve(io.cwd, file)] as const),
  };
}

/** The bundle asked for, else the most recent complete one. */
function pickBundle(db: Db, id: number | null): BundleRow | string {
  const bundles = listBundles(db);
  if (id !== null) return bundles.find((b) => b.id === id) ?? `bundle ${id} not found`;
  const complete = bundles.filter((b) => b.status === 'complete');
  return complete[complete.length - 1] ?? 'the database holds no complete bundle: ingest one first';
}

/** Builds the selection's report of `bundle` and writes each requested format. */
function writeReports(db: Db, bundle: BundleRow | string, args: ReportArgs, io: CliIo): number {
  if (typeof bundle === 'string') {
    io.stderr.write(`faultline report: ${bundle}\n`);
    return EXIT_FAILURE;
  }
  const report = buildBundleReport(db, bundle.id, args.selection);
  if (!report.ok) {
    io.stderr.write(`faultline report: ${report.error.message}\n`);
    return EXIT_FAILURE;
  }
  for (const [format, file] of args.outputs) {
    const text = renderReport(report.value, format);
    if (file === '-') io.stdout.write(text);
    else {
      writeFileSync(file, text, 'utf8');
      io.stderr.write(`wrote the ${format === 'text' ? 'plain-text' : 'HTML'} report of ${bundle.name} to ${file}\n`);
    }
  }
  return EXIT_OK;
}

/** PATHs: ingest them (into --db, or a temporary database removed afterwards), then report that bundle. */
async function ingestAndReport(args: ReportArgs, io: CliIo): Promise<number> {
  const temp = args.db === null ? mkdtempSync(join(tmpdir(), 'faultline-report-')) : null;
  const db = openDatabase(args.db ?? join(temp as string, 'report.db'));
  try {
    const summary = await ingestBundle(db, args.paths);
    if (summary.bundleId === null || summary.files.length === 0) {
      io.stderr.write(`faultline report: nothing could be read from ${args.paths.join(', ')}\n`);
      return EXIT_FAILURE;
    }
    io.stderr.write(`ingested ${summary.files.length} file(s) of ${summary.name}: ${summary.faults} fault record(s)\n`);
    return writeReports(db, getBundle(db, summary.bundleId) ?? `bundle ${summary.bundleId} not found`, args, io);
  } finally {
    db.close();
    if (temp !== null) rmSync(temp, { recursive: true, force: true });
  }
}

export const command: CliCommand = {
  name: 'report',
  help,
  async run(argv, io) {
    const args = parseReportArgs(argv, io);
    if (args.paths.length > 0) return ingestAndReport(args, io);
    const path = args.db as string;
    if (!existsSync(path)) {
      io.stderr.write(`faultline report: no database at ${path}\n`);
      return EXIT_FAILURE;
    }
    const db = openDatabase(path, { readonly: true });
    try {
      return writeReports(db, pickBundle(db, args.bundle), args, io);
    } finally {
      db.close();
    }
  },
};
