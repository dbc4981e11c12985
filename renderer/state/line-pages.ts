// The log view loads lines in pages as they scroll into view: which pages a visible range needs, and a
// bounded cache of loaded pages (the least recently used go first), so scrolling through a million-line
// file keeps a few thousand lines in memory. Pure.

export const PAGE_SIZE = 500;

/** Page numbers (0-based) covering rows [start, end). */
export function pagesFor(start: number, end: number, pageSize = PAGE_SIZE): number[] {
  if (end <= start) return [];
  const first = Math.floor(start / pageSize);
  const last = Math.floor((end - 1) / pageSize);
  const out: number[] = [];
  for (let p = first; p <= last; p++) out.push(p);
  return out;
}

export class PageCache<T> {
  private readonly pages = new Map<number, readonly T[]>();
  constructor(private readonly capacity = 40) {}

  get(page: number): readonly T[] | undefined {
    const v = this.pages.get(page);
    if (v !== undefined) {
      // refresh its place in the LRU order
      this.pages.delete(page);
      this.pages.set(page, v);
    }
    return v;
  }

  has(page: number): boolean {
    return this.pages.has(page);
  }

  set(page: number, rows: readonly T[]): void {
    this.pages.delete(page);
    this.pages.set(page, rows);
    while (this.pages.size > this.capacity) {
      const oldest = this.pages.keys().next().value as number;
      this.pages.delete(oldest);
    }
  }

  /** Row `index`, if its page is loaded. */
  row(index: number, pageSize = PAGE_SIZE): T | undefined {
    return this.pages.get(Math.floor(index / pageSize))?.[index % pageSize];
  }

  get size(): number {
    return this.pages.size;
  }
}
