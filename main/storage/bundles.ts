// Queries over bundles, files and import diagnostics.
import { prepared, type Db } from './db';

export type BundleStatus = 'ingesting' | 'complete' | 'cancelled' | 'failed';

export interface BundleRow {
  readonly id: number;
  readonly name: string;
  readonly sourcePath: string;
  readonly fingerprint: string;
  readonly status: BundleStatus;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly contextJson: string;
}

export interface BundleTotals {
  readonly files: number;
  readonly lines: number;
  readonly events: number;
  /** Fault records (a group of identical trace faults is one). */
  readonly faults: number;
  /** Fault events: each record counts as many as it groups (what reports count). */
  readonly faultEvents: number;
}

export interface FileRow {
  readonly id: number;
  readonly bundleId: number;
  readonly path: string;
  readonly format: string;
  readonly size: number;
  readonly lines: number;
  readonly events: number;
  readonly faults: number;
}

export interface DiagnosticInsert {
  readonly kind: string;
  readonly severity: 'info' | 'data-loss' | 'error';
  readonly file: string | null;
  readonly line: number | null;
  readonly message: string;
}

const BUNDLE_COLUMNS = `id, name, source_path AS sourcePath, fingerprint, status, created_at AS createdAt,
  finished_at AS finishedAt, context_json AS contextJson`;

export function listBundles(db: Db): BundleRow[] {
  return db.prepare(`SELECT ${BUNDLE_COLUMNS} FROM bundles ORDER BY id`).all() as BundleRow[];
}

export function getBundle(db: Db, id: number): BundleRow | undefined {
  return db.prepare(`SELECT ${BUNDLE_COLUMNS} FROM bundles WHERE id = ?`).get(id) as BundleRow | undefined;
}

export function findBundleByFingerprint(db: Db, fingerprint: string): BundleRow | undefined {
  return db.prepare(`SELECT ${BUNDLE_COLUMNS} FROM bundles WHERE fingerprint = ?`).get(fingerprint) as BundleRow | undefined;
}

export function bundleTotals(db: Db, bundleId: number): BundleTotals {
  return db
    .prepare(
      `SELECT count(*) AS files, coalesce(sum(lines), 0) AS lines, coalesce(sum(events), 0) AS events,
              coalesce(sum(faults), 0) AS faults,
              (SELECT coalesce(sum(count), 0) FROM faults WHERE bundle_id = ?) AS faultEvents
         FROM files WHERE bundle_id = ?`,
    )
    .get(bundleId, bundleId) as BundleTotals;
}

/** Creates a bundle in state `ingesting`; the caller's transaction decides whether it survives. */
export function insertBundle(db: Db, b: { name: string; sourcePath: string; fingerprint: string; createdAt: string }): number {
  const info = db
    .prepare(
      `INSERT INTO bundles (name, source_path, fingerprint, status, created_at) VALUES (?, ?, ?, 'ingesting', ?)`,
    )
    .run(b.name, b.sourcePath, b.fingerprint, b.createdAt);
  return Number(info.lastInsertRowid);
}

export function finishBundle(db: Db, id: number, status: BundleStatus, finishedAt: string): void {
  db.prepare(`UPDATE bundles SET status = ?, finished_at = ? WHERE id = ?`).run(status, finishedAt, id);
}

export function setBundleContext(db: Db, id: number, contextJson: string): void {
  db.prepare(`UPDATE bundles SET context_json = ? WHERE id = ?`).run(contextJson, id);
}

export function deleteBundle(db: Db, id: number): void {
  db.prepare(`DELETE FROM bundles WHERE id = ?`).run(id);
}

export function insertFile(db: Db, bundleId: number, path: string, format: string, size: number): number {
  const info = prepared(db, `INSERT INTO files (bundle_id, path, format, size) VALUES (?, ?, ?, ?)`).run(bundleId, path, format, size);
  return Number(info.lastInsertRowid);
}

export function updateFileCounts(db: Db, fileId: number, counts: { lines: number; events: number; faults: number; format?: string }): void {
  prepared(db, `UPDATE files SET lines = ?, events = ?, faults = ?, format = coalesce(?, format) WHERE id = ?`).run(
    counts.lines,
    counts.events,
    counts.faults,
    counts.format ?? null,
    fileId,
  );
}

export function listFiles(db: Db, bundleId: number): FileRow[] {
  return db
    .prepare(`SELECT id, bundle_id AS bundleId, path, format, size, lines, events, faults FROM files WHERE bundle_id = ? ORDER BY path`)
    .all(bundleId) as FileRow[];
}

export function insertDiagnostics(db: Db, bundleId: number, rows: readonly DiagnosticInsert[]): void {
  const stmt = db.prepare(
    `INSERT INTO diagnostics (bundle_id, kind, severity, file, line, message) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  for (const r of rows) stmt.run(bundleId, r.kind, r.severity, r.file, r.line, r.message);
}

export function listDiagnostics(db: Db, bundleId: number, limit: number): DiagnosticInsert[] {
  return db
    .prepare(`SELECT kind, severity, file, line, message FROM diagnostics WHERE bundle_id = ? ORDER BY id LIMIT ?`)
    .all(bundleId, limit) as DiagnosticInsert[];
}
