// Bundle bookkeeping for the ingest (issue 4): the life of a bundle row (ingesting -> complete, replacing
// an earlier copy of the same content in one transaction), interrupted ingests, import diagnostics with
// counts, and per-file facts (clock) that migration 0002 added.
import { prepared, writeTransaction, type Db } from './db';
import type { DiagnosticInsert } from './bundles';

/** Fingerprint of a bundle that is still being written: unique, and names the process writing it. */
export function ingestingFingerprint(pid: number, token: string): string {
  return `ingesting:${pid}:${token}`;
}

export function pidOfIngesting(fingerprint: string): number | null {
  const m = /^ingesting:(\d+):/.exec(fingerprint);
  return m ? Number(m[1]) : null;
}

export interface StaleBundle {
  readonly id: number;
  readonly name: string;
  readonly fingerprint: string;
}

/** Bundles left in state `ingesting` (an ingest that was killed, or one still running elsewhere). */
export function ingestingBundles(db: Db): StaleBundle[] {
  return db.prepare(`SELECT id, name, fingerprint FROM bundles WHERE status = 'ingesting' ORDER BY id`).all() as StaleBundle[];
}

/**
 * Marks a bundle complete under its content fingerprint, in one transaction: an earlier bundle with the
 * same fingerprint is deleted first (a re-ingest replaces, never duplicates). Returns the replaced id.
 */
export function completeBundle(db: Db, id: number, fingerprint: string, finishedAt: string): number | null {
  return writeTransaction(db, () => {
    const old = db.prepare(`SELECT id FROM bundles WHERE fingerprint = ? AND id <> ?`).pluck().get(fingerprint, id) as number | undefined;
    if (old !== undefined) db.prepare(`DELETE FROM bundles WHERE id = ?`).run(old);
    db.prepare(`UPDATE bundles SET fingerprint = ?, status = 'complete', finished_at = ? WHERE id = ?`).run(fingerprint, finishedAt, id);
    return old ?? null;
  });
}

export function findCompleteBundle(db: Db, fingerprint: string): number | null {
  const id = db.prepare(`SELECT id FROM bundles WHERE fingerprint = ? AND status = 'complete'`).pluck().get(fingerprint) as number | undefined;
  return id ?? null;
}

export interface CountedDiagnostic extends DiagnosticInsert {
  /** How many occurrences this row stands for (examples are stored one by one, the rest counted). */
  readonly count: number;
}

export function insertCountedDiagnostics(db: Db, bundleId: number, rows: readonly CountedDiagnostic[]): void {
  if (rows.length === 0) return;
  const stmt = prepared(db, `INSERT INTO diagnostics (bundle_id, kind, severity, file, line, message, count) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  writeTransaction(db, () => {
    for (const r of rows) stmt.run(bundleId, r.kind, r.severity, r.file, r.line, r.message, r.count);
  });
}

export interface DiagnosticSummary {
  readonly kind: string;
  readonly severity: 'info' | 'data-loss' | 'error';
  readonly count: number;
  /** `file:line message` of the first occurrence. */
  readonly example: string;
}

/** Counts by kind, with the first occurrence as an example, most severe first. */
export function summarizeDiagnostics(db: Db, bundleId: number): DiagnosticSummary[] {
  const rows = db
    .prepare(
      `SELECT d.kind, d.severity, sum(d.count) AS count,
              (SELECT coalesce(e.file, '') || CASE WHEN e.line IS NULL THEN '' ELSE ':' || e.line END || ' ' || e.message
                 FROM diagnostics e WHERE e.bundle_id = d.bundle_id AND e.kind = d.kind ORDER BY e.id LIMIT 1) AS example
         FROM diagnostics d WHERE d.bundle_id = ?
        GROUP BY d.kind, d.severity
        ORDER BY CASE d.severity WHEN 'error' THEN 0 WHEN 'data-loss' THEN 1 ELSE 2 END, d.kind`,
    )
    .all(bundleId) as DiagnosticSummary[];
  return rows.map((r) => ({ ...r, example: r.example.trim() }));
}

export function setFileClock(db: Db, fileId: number, clock: string | null): void {
  prepared(db, `UPDATE files SET clock = ? WHERE id = ?`).run(clock, fileId);
}

/** The lines at which a log's second, third, … boot begin (migration 0005); none: one boot. */
export function setFileBootLines(db: Db, fileId: number, lines: readonly number[]): void {
  db.prepare(`UPDATE files SET boot_lines = ? WHERE id = ?`).run(lines.length === 0 ? null : JSON.stringify(lines), fileId);
}

/** setFileBootLines' lines, read back ([] for a log of one boot, or one stored before migration 0005). */
export function fileBootLines(db: Db, fileId: number): number[] {
  const json = db.prepare(`SELECT boot_lines FROM files WHERE id = ?`).pluck().get(fileId) as string | null | undefined;
  if (typeof json !== 'string') return [];
  const v: unknown = JSON.parse(json);
  return Array.isArray(v) ? v.filter((n): n is number => Number.isInteger(n)) : [];
}

export function setFileSize(db: Db, fileId: number, size: number): void {
  db.prepare(`UPDATE files SET size = ? WHERE id = ?`).run(size, fileId);
}

export function fileIdByPath(db: Db, bundleId: number, path: string): number | null {
  const id = db.prepare(`SELECT id FROM files WHERE bundle_id = ? AND path = ?`).pluck().get(bundleId, path) as number | undefined;
  return id ?? null;
}

export function fileIdsOfBundle(db: Db, bundleId: number): number[] {
  return db.prepare(`SELECT id FROM files WHERE bundle_id = ? ORDER BY id`).pluck().all(bundleId) as number[];
}
