// Fault records (migration 0002): insert, list with filters, fetch one. 64-bit values are lower-case hex
// text without leading zeros in the table; timestamps INTEGER ns (read back as bigint).
import { prepared, writeTransaction, type Db } from './db';
import type { FaultKind, FaultRecord } from '../core/ingest/fault-record';

export interface FaultInsert {
  readonly bundleId: number;
  readonly fileId: number;
  readonly record: FaultRecord;
  readonly count: number;
  readonly firstNs: bigint | null;
  readonly lastNs: bigint | null;
}

export interface FaultRow {
  readonly id: number;
  readonly bundleId: number;
  readonly fileId: number;
  readonly file: string;
  readonly kind: FaultKind;
  readonly esr: string | null;
  readonly el: number | null;
  readonly far: string | null;
  readonly ipa: string | null;
  readonly pc: string | null;
  readonly cpu: number | null;
  readonly pid: number | null;
  readonly comm: string | null;
  readonly timeNs: bigint | null;
  readonly clock: string | null;
  readonly kernel: string | null;
  readonly line: number;
  readonly endLine: number;
  readonly text: string;
  readonly count: number;
  readonly firstNs: bigint | null;
  readonly lastNs: bigint | null;
  readonly extraJson: string;
}

/** A record with its stored ESR decode (~700 bytes of JSON: read for one record, not for lists). */
export interface FaultDetailRow extends FaultRow {
  readonly decodeJson: string | null;
}

const hexOf = (v: bigint | null): string | null => (v === null ? null : `0x${v.toString(16)}`);

function extraJson(record: FaultRecord): string {
  return JSON.stringify(record.extra, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v));
}

/** Inserts records in one transaction; returns their ids in order. */
/** Deletes a file's fault records; returns how many. */
export function deleteFileFaults(db: Db, fileId: number): number {
  return db.prepare(`DELETE FROM faults WHERE file_id = ?`).run(fileId).changes;
}

export function insertFaults(db: Db, rows: readonly FaultInsert[]): number[] {
  const stmt = db.prepare(
    `INSERT INTO faults (bundle_id, file_id, kind, esr, el, far, ipa, pc, cpu, pid, comm, time_ns, clock, kernel,
                         line, end_line, text, count, first_ns, last_ns, extra_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ids: number[] = [];
  writeTransaction(db, () => {
    for (const { bundleId, fileId, record: r, count, firstNs, lastNs } of rows) {
      const clock = typeof r.extra.clock === 'string' ? r.extra.clock : null;
      const info = stmt.run(
        bundleId, fileId, r.kind, hexOf(r.esr), r.el, hexOf(r.far), hexOf(r.ipa), hexOf(r.pc), r.cpu, r.pid, r.comm,
        r.timeNs, clock, r.kernel, r.source.line, r.source.endLine, r.text, count, firstNs, lastNs, extraJson(r),
      );
      ids.push(Number(info.lastInsertRowid));
    }
  });
  return ids;
}

// Times in ns go beyond 2^53 (a realtime clock): they are read as text and made bigints here, so that the
// statements need no safeIntegers (which made every integer of every row a bigint: for 100,000 records
// most of the time to read them went to making and collecting those). The decode is left out of lists: it
// is most of a row's bytes, and only the detail of one record shows it. Rows are read as arrays (raw) and
// made objects here: better-sqlite3 names each column of each row object through the engine's API, which
// took 2.4x as long for 100,000 records as the arrays and this literal.
const COLUMNS = `f.id, f.bundle_id, f.file_id, fl.path, f.kind, f.esr, f.el, f.far, f.ipa, f.pc, f.cpu, f.pid, f.comm,
  CAST(f.time_ns AS TEXT), f.clock, f.kernel, f.line, f.end_line, f.text, f.count, CAST(f.first_ns AS TEXT),
  CAST(f.last_ns AS TEXT), f.extra_json`;

type Raw = unknown[];

const big = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(v as string));

/** A row of COLUMNS as a FaultRow. */
function toRow(r: Raw): FaultRow {
  return {
    id: r[0] as number,
    bundleId: r[1] as number,
    fileId: r[2] as number,
    file: r[3] as string,
    kind: r[4] as FaultKind,
    esr: r[5] as string | null,
    el: r[6] as number | null,
    far: r[7] as string | null,
    ipa: r[8] as string | null,
    pc: r[9] as string | null,
    cpu: r[10] as number | null,
    pid: r[11] as number | null,
    comm: r[12] as string | null,
    timeNs: big(r[13]),
    clock: r[14] as string | null,
    kernel: r[15] as string | null,
    line: r[16] as number,
    endLine: r[17] as number,
    text: r[18] as string,
    count: r[19] as number,
    firstNs: big(r[20]),
    lastNs: big(r[21]),
    extraJson: r[22] as string,
  };
}

export interface FaultFilter {
  readonly bundleId: number;
  readonly kind?: FaultKind;
  /** Substring of the record's text (case-insensitive). */
  readonly search?: string;
  readonly offset: number;
  readonly limit: number;
}

function where(f: FaultFilter): { sql: string; args: unknown[] } {
  const parts = ['f.bundle_id = ?'];
  const args: unknown[] = [f.bundleId];
  if (f.kind !== undefined) {
    parts.push('f.kind = ?');
    args.push(f.kind);
  }
  if (f.search !== undefined && f.search.trim() !== '') {
    parts.push(`instr(lower(f.text), lower(?)) > 0`);
    args.push(f.search.trim());
  }
  return { sql: parts.join(' AND '), args };
}

/** A filter's records in list order, with the count and highest id they were read at. */
interface ListOrder {
  readonly stamp: string;
  readonly ids: readonly number[];
}

/** Orders kept per connection (a few filters: the UI pages one list at a time). */
const ORDERS_KEPT = 8;
const orders = new WeakMap<Db, Map<string, ListOrder>>();

/**
 * The ids of a filter's records in list order, read once and kept while the filter's count and highest id
 * stay the same (records are only ever added to a bundle, or removed with it; their order never changes).
 * Paging with OFFSET sorted every record of the bundle again for each page: the UI reads a bundle's records
 * 1000 at a time, and a storm of one fault (100,000 records) took 13 s of pages.
 */
function listOrder(db: Db, w: { sql: string; args: unknown[] }): { ids: readonly number[]; total: number } {
  const head = db.prepare(`SELECT count(*), max(f.id) FROM faults f WHERE ${w.sql}`).raw().get(...w.args) as [number, number | null];
  const stamp = `${head[0]}:${head[1] ?? ''}`;
  let byFilter = orders.get(db);
  if (byFilter === undefined) orders.set(db, (byFilter = new Map()));
  const key = JSON.stringify([w.sql, w.args]);
  const kept = byFilter.get(key);
  if (kept !== undefined && kept.stamp === stamp) return { ids: kept.ids, total: head[0] };
  const ids = db
    .prepare(
      `SELECT f.id FROM faults f JOIN files fl ON fl.id = f.file_id WHERE ${w.sql}
        ORDER BY f.time_ns IS NULL, f.time_ns, fl.path, f.line, f.id`,
    )
    .pluck()
    .all(...w.args) as number[];
  byFilter.delete(key);
  if (byFilter.size >= ORDERS_KEPT) byFilter.delete(byFilter.keys().next().value as string);
  byFilter.set(key, { stamp, ids });
  return { ids, total: head[0] };
}

/** The records of `ids`, in that order. */
function faultsById(db: Db, ids: readonly number[]): FaultRow[] {
  if (ids.length === 0) return [];
  const rows = prepared(db, `SELECT ${COLUMNS} FROM faults f JOIN files fl ON fl.id = f.file_id WHERE f.id IN (SELECT value FROM json_each(?))`)
    .raw()
    .all(JSON.stringify(ids)) as Raw[];
  const byId = new Map(rows.map((r) => [r[0] as number, r]));
  const out: FaultRow[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (r !== undefined) out.push(toRow(r));
  }
  return out;
}

/** One page of a bundle's faults in time order (records without a time last, then by source). */
export function listFaults(db: Db, filter: FaultFilter): { rows: FaultRow[]; total: number } {
  const { ids, total } = listOrder(db, where(filter));
  return { rows: faultsById(db, ids.slice(filter.offset, filter.offset + filter.limit)), total };
}

/** The records of complete bundles (or of one), in the order `faultline faults` prints them: FROM ... ORDER BY. */
function allOrder(bundleId: number | undefined): { sql: string; args: number[] } {
  return {
    sql: `FROM faults f JOIN files fl ON fl.id = f.file_id JOIN bundles b ON b.id = f.bundle_id
           WHERE b.status = 'complete' ${bundleId === undefined ? '' : 'AND f.bundle_id = ?'}
           ORDER BY f.bundle_id, fl.path, f.line`,
    args: bundleId === undefined ? [] : [bundleId],
  };
}

/** Every fault of a complete bundle (or of all of them), in the order `faultline faults` prints them. */
export function allFaults(db: Db, bundleId?: number): FaultRow[] {
  const q = allOrder(bundleId);
  return (db.prepare(`SELECT ${COLUMNS} ${q.sql}`).raw().all(...q.args) as Raw[]).map(toRow);
}

/** Records read per page by eachFault. */
const EACH_PAGE = 1000;

/**
 * The same records one page at a time: their ids in order first (8 bytes each), then each page by id,
 * so that memory stays flat however many there are (a storm of one fault: 100,000 records held at once
 * took ~500 MB). No statement stays open between pages (the connection may run others meanwhile).
 */
export function* eachFault(db: Db, bundleId?: number): Generator<FaultRow> {
  const q = allOrder(bundleId);
  const ids = db.prepare(`SELECT f.id ${q.sql}`).pluck().all(...q.args) as number[];
  for (let at = 0; at < ids.length; at += EACH_PAGE) yield* faultsById(db, ids.slice(at, at + EACH_PAGE));
}

export function getFault(db: Db, id: number): FaultDetailRow | undefined {
  const r = db
    .prepare(`SELECT ${COLUMNS}, f.decode_json FROM faults f JOIN files fl ON fl.id = f.file_id WHERE f.id = ?`)
    .raw()
    .get(id) as Raw | undefined;
  return r === undefined ? undefined : { ...toRow(r), decodeJson: r[23] as string | null };
}

export function faultCountsByKind(db: Db, bundleId: number): Record<string, number> {
  const rows = db.prepare(`SELECT kind, count(*) AS n FROM faults WHERE bundle_id = ? GROUP BY kind`).all(bundleId) as { kind: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}

export interface FaultToDecode {
  readonly id: number;
  readonly esr: string;
  readonly el: number | null;
  readonly far: string | null;
  readonly ipa: string | null;
  readonly kernel: string | null;
  readonly extraJson: string;
}

/** Up to `limit` faults of a bundle that have an ESR but no decode yet (filled after the load). */
/**
 * A page of a bundle's records still to decode, by id after `afterId` (each page starts where the last
 * ended: a page found by skipping the decoded ones again read every earlier record each time). `+bundle_id`
 * keeps the planner on the id range (with the bundle's index it sorted all of the bundle's records).
 */
export function faultsToDecode(db: Db, bundleId: number, afterId: number, limit: number): FaultToDecode[] {
  return db
    .prepare(
      `SELECT id, esr, el, far, ipa, kernel, extra_json AS extraJson FROM faults
        WHERE +bundle_id = ? AND id > ? AND esr IS NOT NULL AND decode_json IS NULL ORDER BY id LIMIT ?`,
    )
    .all(bundleId, afterId, limit) as FaultToDecode[];
}

export function faultExtra(db: Db, id: number): string | null {
  return (db.prepare(`SELECT extra_json FROM faults WHERE id = ?`).pluck().get(id) as string | undefined) ?? null;
}

export function setFaultDecodes(db: Db, decodes: readonly { id: number; json: string }[]): void {
  const stmt = db.prepare(`UPDATE faults SET decode_json = ? WHERE id = ?`);
  writeTransaction(db, () => {
    for (const d of decodes) stmt.run(d.json, d.id);
  });
}

/** Records whose kernel is unknown get the bundle's, when the bundle ran exactly one. */
export function fillFaultKernel(db: Db, bundleId: number, kernel: string): void {
  db.prepare(`UPDATE faults SET kernel = ? WHERE bundle_id = ? AND kernel IS NULL`).run(kernel, bundleId);
}

/**
 * A file's records span `last` + 1 boots (main/core/ingest/boot-clock.ts): the `boot` of a record of boot
 * n < last (extra `boot`, absent for the first) becomes n - last, and on the since-boot clock it goes on
 * `monotonic@-(last - n)` (a wall clock goes on across boots); the last boot's records lose `boot`.
 */
export function placeEarlierBoots(db: Db, fileId: number, last: number): void {
  db.prepare(
    `UPDATE faults SET
       clock = CASE WHEN b.n < :last AND faults.clock = 'monotonic' THEN 'monotonic@-' || (:last - b.n) ELSE faults.clock END,
       extra_json = CASE
         WHEN b.n >= :last THEN json_remove(extra_json, '$.boot')
         WHEN faults.clock = 'monotonic' THEN json_set(extra_json, '$.boot', b.n - :last, '$.clock', 'monotonic@-' || (:last - b.n))
         ELSE json_set(extra_json, '$.boot', b.n - :last) END
     FROM (SELECT id, COALESCE(json_extract(extra_json, '$.boot'), 0) AS n FROM faults WHERE file_id = :file) AS b
     WHERE faults.id = b.id`,
  ).run({ last: BigInt(last), file: fileId });
}

export function updateFaultExtra(db: Db, id: number, extraJson: string): void {
  db.prepare(`UPDATE faults SET extra_json = ? WHERE id = ?`).run(extraJson, id);
}
