import { describe, expect, it } from 'vitest';
import { highlightPieces, rowText, searchTerms } from '../../../renderer/state/highlight';

describe('highlightPieces', () => {
  it('marks every occurrence, ignoring case, and keeps all the text', () => {
    const text = 'kvm [1234]: Unsupported FSC: EC=0x24 xFSC=0x21';
    const pieces = highlightPieces(text, ['fsc']);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    expect(pieces.filter((p) => p.hit).map((p) => p.text)).toEqual(['FSC', 'FSC']);
  });
  it('prefers the longest term where terms overlap', () => {
    expect(highlightPieces('ESR_EL2=0x92000061', ['0x92', '0x92000061']).filter((p) => p.hit)).toEqual([{ text: '0x92000061', hit: true }]);
  });
  it('leaves markup as plain text pieces', () => {
    const text = '<img src=x onerror=alert(1)> kvm';
    expect(highlightPieces(text, ['kvm'])).toEqual([
      { text: '<img src=x onerror=alert(1)> ', hit: false },
      { text: 'kvm', hit: true },
    ]);
  });
});

describe('searchTerms', () => {
  it('keeps phrases, drops operators and prefix stars', () => {
    expect(searchTerms('"Unsupported FSC" AND kvm*')).toEqual(['Unsupported FSC', 'kvm']);
  });
});

describe('rowText', () => {
  it('shows each line break of a message as a mark, so that the message keeps to one row', () => {
    expect(rowText('nfsd: worker died\nrestarting')).toBe('nfsd: worker died ↵ restarting');
    expect(rowText('a\r\nb\rc')).toBe('a ↵ b ↵ c');
    expect(rowText('  ESR = 0x96000004')).toBe('  ESR = 0x96000004');
  });
});
