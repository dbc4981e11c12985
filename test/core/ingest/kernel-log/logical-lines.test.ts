import { describe, expect, it } from 'vitest';
import { bodyOf, joinWrapped } from '../../../../main/core/ingest/kernel-log/logical-lines';

describe('joinWrapped', () => {
  it('keeps the space a wrap left at the end of a line', () => {
    expect(joinWrapped('at virtual address ', 'ffff001f11e1e436')).toBe('at virtual address ffff001f11e1e436');
  });

  it('puts back the space a mail client turned into the line break', () => {
    expect(joinWrapped('Unable to handle kernel read from', 'unreadable memory')).toBe('Unable to handle kernel read from unreadable memory');
    expect(joinWrapped('CPU: 3 PID: 177 Comm: devmem Not tainted', '5.6.0-rc7 #82')).toBe('CPU: 3 PID: 177 Comm: devmem Not tainted 5.6.0-rc7 #82');
  });

  it('joins a hex value broken in the middle (the halves add up to 8 or 16 digits)', () => {
    expect(joinWrapped('ESR = 0x00000000960', '00021')).toBe('ESR = 0x0000000096000021');
    expect(joinWrapped('ESR = 0x9600', '0004')).toBe('ESR = 0x96000004');
  });

  it('does not glue a complete value to the next word', () => {
    expect(joinWrapped('at virtual address 0000000000000010', 'deadbeef')).toBe('at virtual address 0000000000000010 deadbeef');
  });
});

describe('bodyOf', () => {
  it('drops indentation, debug function names and literal ^M', () => {
    expect(bodyOf('  mem_abort_decode:   ESR = 0x92000047')).toBe('ESR = 0x92000047');
    expect(bodyOf('  show_pte: [0000ffff6dff0000] pgd=000000176bae0003')).toBe('[0000ffff6dff0000] pgd=000000176bae0003');
    expect(bodyOf('  ESR = 0x96000004^M^M')).toBe('ESR = 0x96000004');
  });

  it('keeps other prefixes: they carry meaning', () => {
    expect(bodyOf('kvm [4325]: Unsupported FSC: EC=0x24')).toBe('kvm [4325]: Unsupported FSC: EC=0x24');
  });
});
