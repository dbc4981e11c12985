// Which fields mean something when, and what is odd about a value.
// Expected values: Arm ARM DDI0487 M.a.a ISS encodings (ISV gates SAS/SSE/SRT/SF/AR; SET and FnV only for
// synchronous External aborts; LST for Translation/Access flag/Permission faults; SError AET/EA only with
// IDS=0 and DFSC=0b010001), HPFAR_EL2.FIPA, FnV.
import { describe, expect, it } from 'vitest';
import { decodeEsr, esrToJson, type EsrDecode, type EsrField } from '../../../main/core/esr/index';

/** ESR from EC, IL=1 and an ISS. */
const esr = (ec: number, iss: number, iss2 = 0): bigint => (BigInt(iss2) << 32n) | BigInt(((ec << 26) | (1 << 25) | iss) >>> 0);

function issField(d: EsrDecode, name: string): EsrField | undefined {
  return d.fields.find((f) => f.name === 'ISS')?.children.find((f) => f.name === name);
}

describe('data abort fields', () => {
  it('reports SAS/SSE/SRT/SF/AR only with ISV=1', () => {
    // ISV=1, SAS=0b11 (doubleword), SSE=0, SRT=5, SF=1, AR=1, WnR=1, DFSC 0x07.
    const valid = esrToJson(decodeEsr(esr(0x24, (1 << 24) | (3 << 22) | (5 << 16) | (1 << 15) | (1 << 14) | (1 << 6) | 0x07)));
    expect(valid.fields).toMatchObject({ isv: 1, sas: 3, sse: 0, srt: 5, sf: 1, ar: 1, wnr: 1, dfsc: 7 });
    const invalid = esrToJson(decodeEsr(0x92000061n));
    for (const key of ['sas', 'sse', 'srt', 'sf', 'ar']) expect(invalid.fields).not.toHaveProperty(key);
    expect(invalid.fields).toMatchObject({ isv: 0, wnr: 1, dfsc: 0x21 });
  });

  it('reports SET and FnV only for a synchronous External abort', () => {
    // DFSC 0x10 (SEA, not on a walk), SET=0b10 (UC), FnV=1, EA=1.
    const sea = decodeEsr(esr(0x25, (2 << 11) | (1 << 10) | (1 << 9) | 0x10));
    expect(issField(sea, 'SET')).toMatchObject({ value: 2, meaningful: true, meaning: 'Uncontainable (UC)' });
    expect(issField(sea, 'FnV')).toMatchObject({ value: 1, meaningful: true });
    expect(esrToJson(sea).fields).toMatchObject({ set: 2, fnv: 1, ea: 1 });
    // On a walk (0x15): SET still (IsExternalSyncAbort), FnV not (RES0).
    const walk = esrToJson(decodeEsr(esr(0x25, (3 << 11) | 0x15)));
    expect(walk.fields).toMatchObject({ set: 3 });
    expect(walk.fields).not.toHaveProperty('fnv');
  });

  it('reads ISS[12:11] as LST for translation faults, and SET/FnV/EA are not meaningful there', () => {
    const d = decodeEsr(esr(0x24, (2 << 11) | 0x06));
    expect(issField(d, 'LST')).toMatchObject({ value: 2, meaningful: true });
    expect(issField(d, 'SET')).toBeUndefined();
    expect(issField(d, 'FnV')).toMatchObject({ meaningful: false });
    expect(issField(d, 'EA')).toMatchObject({ meaningful: false });
    const json = esrToJson(d).fields;
    expect(json).toMatchObject({ lst: 2 });
    for (const key of ['set', 'fnv', 'ea']) expect(json).not.toHaveProperty(key);
  });

  it('shows ISS[12:11] as RES0 for an alignment fault, and warns when set', () => {
    const d = decodeEsr(esr(0x24, (1 << 11) | 0x21));
    const bits = d.fields.find((f) => f.name === 'ISS')?.children.find((f) => f.hi === 12 && f.lo === 11);
    expect(bits?.name).toBe('RES0');
    expect(d.warnings.join()).toMatch(/bits \[12:11\] are RES0/);
  });

  it('warns when EA is set for a fault that is not an External abort', () => {
    expect(decodeEsr(esr(0x25, (1 << 9) | 0x05)).warnings.join()).toMatch(/EA \(bits \[9\]\) reads 0x1 but is not meaningful/);
  });

  it('decodes ISS2 of a data abort, and its bits are RES0 for other classes', () => {
    const perm = esrToJson(decodeEsr(esr(0x24, 0x0f, (1 << 8) | (1 << 6))));
    expect(perm.fields).toMatchObject({ gcs: 1, overlay: 1 });
    expect(decodeEsr(esr(0x3c, 0x800, 1)).warnings.join()).toMatch(/ISS2 \(bits \[55:32\]\) is RES0 for EC 0x3c/);
  });
});

describe('SError', () => {
  it('decodes AET and EA only with IDS=0 and DFSC 0x11 (the real RAS code 0xbe000411: UEU, Linux panics)', () => {
    const d = decodeEsr(0xbe000411n);
    expect(esrToJson(d).fields).toMatchObject({ ids: 0, aet: 1, ea: 0, dfsc: 0x11 });
    expect(d.serror).toMatchObject({ severity: 'UEU', linuxPanics: true });
    const uncategorized = esrToJson(decodeEsr(esr(0x2f, 0)));
    expect(uncategorized.fields).not.toHaveProperty('aet');
    expect(uncategorized.fields).not.toHaveProperty('ea');
  });

  it('says Linux carries on for a corrected error and a restartable one', () => {
    expect(decodeEsr(esr(0x2f, (6 << 10) | 0x11)).serror).toMatchObject({ severity: 'CE', linuxPanics: false });
    expect(decodeEsr(esr(0x2f, (2 << 10) | 0x11)).serror).toMatchObject({ severity: 'UEO', linuxPanics: false });
    expect(decodeEsr(esr(0x2f, (0 << 10) | 0x11)).serror).toMatchObject({ severity: 'UC', linuxPanics: true });
  });

  it('flags a reserved AET encoding', () => {
    expect(decodeEsr(esr(0x2f, (5 << 10) | 0x11)).warnings.join()).toMatch(/AET = 0x5 is a reserved encoding/);
  });
});

describe('never refuses', () => {
  it('decodes an unallocated class, RES0 top bits and ISS2 with warnings', () => {
    const d = decodeEsr(0x01000000_2c000000n | (0x0bn << 26n));
    expect(d.ecInfo).toMatchObject({ code: 0x0b, name: null, allocated: false });
    expect(d.warnings.join('|')).toMatch(/\[63:56\] are RES0 but read 0x1/);
    expect(esrToJson(d).ec_name).toBeNull();
  });

  it('masks values wider than 64 bits to 64 bits', () => {
    expect(decodeEsr((1n << 64n) | 0x96000004n).esr).toBe(0x96000004n);
  });
});

describe('addresses', () => {
  it('gives the IPA from HPFAR_EL2.FIPA plus the page offset from a valid FAR', () => {
    const d = decodeEsr(0x93c08006n, { el: 2, far: 0xffff000012345678n, hpfar: 0x80080n });
    expect(d.addresses).toMatchObject({ ipa: 0x8008678n, ipaValid: true, farValid: true });
  });

  it('marks FAR not valid when FnV=1', () => {
    const d = decodeEsr(esr(0x25, (1 << 10) | 0x10), { far: 0x1234n });
    expect(d.addresses.farValid).toBe(false);
    expect(d.warnings.join()).toMatch(/FnV=1/);
  });

  it('says HPFAR is UNKNOWN for a stage 2 permission fault not on a stage 1 walk', () => {
    const d = decodeEsr(esr(0x24, 0x0f), { el: 2, hpfar: 0x800800n });
    expect(d.addresses.ipaValid).toBe(false);
    const walk = decodeEsr(esr(0x24, (1 << 7) | 0x0f), { el: 2, hpfar: 0x800800n });
    expect(walk.addresses.ipaValid).toBe(true);
  });
});
