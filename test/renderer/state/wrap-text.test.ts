import { describe, expect, it } from 'vitest';
import { wrapForMail } from '../../../renderer/state/wrap-text';

// A line as `faultline decode` prints it (main/core/esr render-tree: name, range, value, meaning columns).
const ecLine =
  '   EC           [31:26]  0x24       Data Abort from a lower Exception level (ESR_ELx_EC_DABT_LOW; kernel: "DABT (lower EL)")';

describe('wrapForMail', () => {
  it('keeps every line within 75 columns and every word in order', () => {
    const out = wrapForMail(`${ecLine}\nshort line\n`);
    for (const l of out.split('\n')) expect(l.length).toBeLessThanOrEqual(75);
    expect(out.split(/\s+/).filter(Boolean)).toEqual(`${ecLine}\nshort line`.split(/\s+/).filter(Boolean));
  });

  it('wraps a column layout under its last column', () => {
    const [first, second] = wrapForMail(ecLine).split('\n');
    const meaningCol = ecLine.indexOf('Data Abort');
    expect(first?.startsWith('   EC           [31:26]  0x24       Data Abort')).toBe(true);
    expect(second?.search(/\S/)).toBe(meaningCol);
  });

  it('leaves short lines alone and keeps a word longer than the width whole', () => {
    expect(wrapForMail('ESR 0x92000061')).toBe('ESR 0x92000061');
    const long = 'x'.repeat(90);
    const lines = wrapForMail(`a ${long} b`).split('\n');
    expect(lines.some((l) => l.includes(long))).toBe(true);
    expect(lines.length).toBe(3);
  });
});
