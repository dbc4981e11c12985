// The INSERT for log lines, shared by the in-thread writer (lines.ts) and the writer thread (lines-worker.ts).

/** Rows per INSERT statement: one call binds this many rows (the per-call cost dominates single-row inserts). */
export const ROWS_PER_STATEMENT = 100;

/** Each file's lines occupy ids (file_id << 32) .. (file_id << 32) + 2^32 - 1 (migration 0002). */
const FILE_SHIFT = 4294967296;

export function lineId(fileId: number, lineNo: number): number {
  return fileId * FILE_SHIFT + lineNo;
}

export function insertSql(rows: number): string {
  return `INSERT INTO lines (id, ts_ns, cpu, pid, level, text) VALUES ${Array(rows).fill('(?,?,?,?,?,?)').join(',')}`;
}

/** The same without cpu, pid and level, for the common run of lines that carry none (a third fewer binds). */
export function insertTextSql(rows: number): string {
  return `INSERT INTO lines (id, ts_ns, text) VALUES ${Array(rows).fill('(?,?,?)').join(',')}`;
}
