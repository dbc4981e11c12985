// Line keys and the block INSERT (lines.ts; the migration that packs old lines into blocks).

/** Each file's lines occupy ids (file_id << 32) .. (file_id << 32) + 2^32 - 1 (migrations 0002, 0004). */
const FILE_SHIFT = 4294967296;

export function lineId(fileId: number, lineNo: number): number {
  return fileId * FILE_SHIFT + lineNo;
}

export const INSERT_BLOCK_SQL = `INSERT INTO line_blocks (id, count, meta, text) VALUES (?, ?, ?, ?)`;
