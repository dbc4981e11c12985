import { describe, expect, it } from 'vitest';
import { indexSpans } from '../../../renderer/state/fault-spans';

describe('indexSpans', () => {
  it('finds the record covering a line, the first where records overlap, none elsewhere', () => {
    const a = { id: 1, line: 3, endLine: 5 };
    const b = { id: 2, line: 5, endLine: 7 };
    const c = { id: 3, line: 10, endLine: 10 };
    const at = indexSpans([a, b, c]);
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((l) => at(l)?.id ?? null)).toEqual([null, null, 1, 1, 1, 2, 2, null, null, 3, null]);
  });
});
