// Laying an ESR's fields over its bits: the 64 bits in rows of 32 (bit 63 top left, bit 0 bottom right, the
// Arm ARM's register diagrams), each leaf field a band under the bits it covers. Pure, tested under Node.

export interface BitField {
  readonly name: string;
  readonly hi: number;
  readonly lo: number;
  readonly meaningful: boolean;
  readonly children: readonly BitField[];
}

export interface BitCell {
  readonly bit: number;
  readonly value: 0 | 1;
  readonly row: number;
  readonly col: number;
  /** Index into `bands` of the field covering this bit, or -1. */
  readonly band: number;
}

export interface FieldBand {
  readonly name: string;
  /** Path of names from the root (`ISS/DFSC`): a stable key for highlighting the tree row. */
  readonly path: string;
  readonly hi: number;
  readonly lo: number;
  readonly meaningful: boolean;
  readonly row: number;
  /** Columns covered in that row, inclusive; col 0 is the row's highest bit. */
  readonly startCol: number;
  readonly endCol: number;
  /** Index of the field (one field split over two rows keeps one index): for alternating colours. */
  readonly fieldIndex: number;
}

/** The leaves of the tree in bit order, high to low; a field with children is replaced by its children. */
export function leafFields(fields: readonly BitField[], prefix = ''): { field: BitField; path: string }[] {
  const out: { field: BitField; path: string }[] = [];
  for (const f of fields) {
    const path = prefix ? `${prefix}/${f.name}` : f.name;
    if (f.children.length > 0) out.push(...leafFields(f.children, path));
    else out.push({ field: f, path });
  }
  return out.sort((a, b) => b.field.hi - a.field.hi);
}

/** Bit `n` of a value given as a hex string (`0x92000061`), without losing precision above 2^53. */
export function bitOf(hex: string, n: number): 0 | 1 {
  const v = BigInt(hex);
  return ((v >> BigInt(n)) & 1n) === 1n ? 1 : 0;
}

export function layoutBits(hex: string, fields: readonly BitField[], width = 64, rowBits = 32): { cells: BitCell[]; bands: FieldBand[]; rows: number } {
  const rows = Math.ceil(width / rowBits);
  const top = width - 1;
  const place = (bit: number): { row: number; col: number } => ({ row: Math.floor((top - bit) / rowBits), col: (top - bit) % rowBits });
  const bands: FieldBand[] = [];
  const owner = new Map<number, number>();
  leafFields(fields).forEach(({ field, path }, fieldIndex) => {
    const hi = Math.min(field.hi, top);
    if (field.lo > hi) return;
    // split at row boundaries: a field crossing bit 32 becomes two bands
    let h = hi;
    while (h >= field.lo) {
      const { row, col } = place(h);
      const rowLowBit = top - (row * rowBits + rowBits - 1);
      const l = Math.max(field.lo, rowLowBit);
      const band = { name: field.name, path, hi: h, lo: l, meaningful: field.meaningful, row, startCol: col, endCol: place(l).col, fieldIndex };
      bands.push(band);
      for (let b = h; b >= l; b--) owner.set(b, bands.length - 1);
      h = l - 1;
    }
  });
  const cells: BitCell[] = [];
  const value = BigInt(hex);
  for (let bit = top; bit >= 0; bit--) {
    const { row, col } = place(bit);
    cells.push({ bit, value: ((value >> BigInt(bit)) & 1n) === 1n ? 1 : 0, row, col, band: owner.get(bit) ?? -1 });
  }
  return { cells, bands, rows };
}
