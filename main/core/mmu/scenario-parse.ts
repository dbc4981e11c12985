// `faultline replay` input: one JSON scenario object -> Scenario. Numbers may be written as JSON numbers or as
// strings "0x44", "0b0001", "17"; flags as booleans or 0/1. Missing fields take the defaults of scenario.ts.
import { err, ok, type Result } from '../result';
import { ACCESS_KINDS, type Access, type AccessKind } from './access';
import { TG0_ENCODING, type Granule } from './granule';
import { DEFAULT_CPU, DEFAULT_HCR, DEFAULT_SCTLR, type Scenario, type Stage1Attrs, type Stage1Walk, type Stage2Attrs, type Stage2Walk, type TableImage } from './scenario';
import type { Shareability } from './types';

type Obj = Readonly<Record<string, unknown>>;

class ParseError extends Error {}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-negative integer from a JSON number or a `0x…`/`0b…`/decimal string. */
export function parseBig(v: unknown, what: string): bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string') {
    const t = v.trim().replace(/_/g, '');
    if (/^0x[0-9a-f]+$/i.test(t) || /^0b[01]+$/i.test(t) || /^\d+$/.test(t)) {
      const n = BigInt(t);
      if (n < 1n << 64n) return n;
    }
  }
  throw new ParseError(`${what}: expected a number or a "0x…"/"0b…" string, got ${JSON.stringify(v)}`);
}

function num(o: Obj, key: string, dflt: number, what: string): number {
  return o[key] === undefined || o[key] === null ? dflt : Number(parseBig(o[key], `${what}.${key}`));
}

function flag(o: Obj, key: string, dflt: boolean, what: string): boolean {
  const v = o[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'boolean') return v;
  if (v === 0 || v === 1 || v === '0' || v === '1') return Number(v) === 1;
  throw new ParseError(`${what}.${key}: expected true/false or 0/1, got ${JSON.stringify(v)}`);
}

function sub(o: Obj, key: string): Obj {
  const v = o[key];
  if (v === undefined || v === null) return {};
  if (!isObj(v)) throw new ParseError(`${key}: expected an object`);
  return v;
}

function shareability(o: Obj, what: string): Shareability {
  const v = o['sh'] ?? 'ISH';
  if (v === 'NSH' || v === 'ISH' || v === 'OSH') return v;
  throw new ParseError(`${what}.sh: expected "NSH", "ISH" or "OSH", got ${JSON.stringify(v)}`);
}

function granule(o: Obj, what: string): Granule {
  const v = o['TG0'] ?? '4K';
  if (v === '4K' || v === '16K' || v === '64K') return v;
  const g = typeof v === 'number' ? TG0_ENCODING[v] : null;
  if (g) return g;
  throw new ParseError(`${what}.TG0: expected "4K", "16K", "64K" or the register encoding 0/1/2`);
}

function level(o: Obj, what: string): number {
  const l = num(o, 'level', 3, what);
  if (l > 3) throw new ParseError(`${what}.level: expected 0..3`);
  return l;
}

function tables(o: Obj, what: string): TableImage {
  const t = o['tables'] ?? {};
  if (!isObj(t)) throw new ParseError(`${what}.tables: expected an object mapping descriptor addresses to descriptors`);
  const m = new Map<bigint, bigint>();
  for (const [k, v] of Object.entries(t)) m.set(parseBig(k, `${what}.tables key`), parseBig(v, `${what}.tables[${k}]`));
  return m;
}

function stage1(mode: Scenario['mode'], v: unknown): Stage1Attrs | Stage1Walk | null {
  if (v === null || v === undefined) return null;
  if (!isObj(v)) throw new ParseError('stage1: expected an object or null');
  if (mode === 'attrs') {
    return {
      kind: 'attrs',
      mairAttr: Number(parseBig(v['mair_attr'] ?? 0xff, 'stage1.mair_attr')) & 0xff,
      ap: num(v, 'ap', 0, 'stage1') & 3,
      pxn: flag(v, 'pxn', false, 'stage1'),
      uxn: flag(v, 'uxn', false, 'stage1'),
      af: flag(v, 'af', true, 'stage1'),
      sh: shareability(v, 'stage1'),
      level: level(v, 'stage1'),
      ...(flag(v, 'valid', true, 'stage1') ? {} : { valid: false }),
    };
  }
  const tcr = sub(v, 'tcr_el1');
  return {
    kind: 'walk',
    t0sz: num(tcr, 'T0SZ', 16, 'tcr_el1'),
    tg0: granule(tcr, 'tcr_el1'),
    ips: num(tcr, 'IPS', 5, 'tcr_el1') & 7,
    epd0: flag(tcr, 'EPD0', false, 'tcr_el1'),
    tbi0: flag(tcr, 'TBI0', false, 'tcr_el1'),
    ttbr0: parseBig(v['ttbr0_el1'] ?? 0, 'stage1.ttbr0_el1'),
    mair: parseBig(v['mair_el1'] ?? 0, 'stage1.mair_el1'),
    tables: tables(v, 'stage1'),
  };
}

function stage2(mode: Scenario['mode'], v: unknown): Stage2Attrs | Stage2Walk | null {
  if (v === null || v === undefined) return null;
  if (!isObj(v)) throw new ParseError('stage2: expected an object or null');
  if (mode === 'attrs') {
    return {
      kind: 'attrs',
      memattr: Number(parseBig(v['memattr'] ?? 0b1111, 'stage2.memattr')) & 0xf,
      s2ap: num(v, 's2ap', 3, 'stage2') & 3,
      xn: num(v, 'xn', 0, 'stage2') & 3,
      af: flag(v, 'af', true, 'stage2'),
      sh: shareability(v, 'stage2'),
      level: level(v, 'stage2'),
      ...(flag(v, 'valid', true, 'stage2') ? {} : { valid: false }),
    };
  }
  const vtcr = sub(v, 'vtcr_el2');
  return {
    kind: 'walk',
    t0sz: num(vtcr, 'T0SZ', 24, 'vtcr_el2'),
    sl0: num(vtcr, 'SL0', 1, 'vtcr_el2') & 3,
    tg0: granule(vtcr, 'vtcr_el2'),
    ps: num(vtcr, 'PS', 5, 'vtcr_el2') & 7,
    vttbr: parseBig(v['vttbr_el2'] ?? 0, 'stage2.vttbr_el2'),
    tables: tables(v, 'stage2'),
  };
}

function access(v: unknown): Access {
  if (!isObj(v)) throw new ParseError('access: expected an object');
  const kind = v['kind'];
  if (typeof kind !== 'string' || !(ACCESS_KINDS as readonly string[]).includes(kind)) {
    throw new ParseError(`access.kind: expected one of ${ACCESS_KINDS.join(', ')}`);
  }
  // DC ZVA / DC CIVAC operate on a block or cache line (DCZID_EL0.BS, CTR_EL0.DminLine); others at most a Q pair.
  const block = kind === 'dc_zva' || kind === 'dc_civac';
  const size = num(v, 'size', block ? 64 : 8, 'access');
  if (![1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048].includes(size)) throw new ParseError('access.size: expected a power of two');
  if (!block && size > 32) throw new ParseError('access.size: at most 32 bytes (a pair of Q registers)');
  const es = v['element_size'];
  const esize = es === undefined || es === null ? null : Number(parseBig(es, 'access.element_size'));
  if (esize !== null && ![1, 2, 4, 8, 16].includes(esize)) throw new ParseError('access.element_size: expected 1, 2, 4, 8 or 16');
  const el = num(v, 'el', 1, 'access');
  if (el !== 0 && el !== 1) throw new ParseError('access.el: expected 0 or 1');
  return { kind: kind as AccessKind, va: parseBig(v['va'], 'access.va'), size, elementSize: esize, el };
}

/** Parses one scenario object of the `faultline replay` contract. */
export function parseScenario(input: unknown): Result<Scenario> {
  try {
    if (!isObj(input)) throw new ParseError('a scenario must be a JSON object');
    const mode = input['mode'] ?? 'attrs';
    if (mode !== 'attrs' && mode !== 'walk') throw new ParseError('mode: expected "attrs" or "walk"');
    const cpu = sub(input, 'cpu');
    const sctlr = sub(input, 'sctlr_el1');
    const hcr = sub(input, 'hcr_el2');
    const s2 = stage2(mode, input['stage2']);
    const kvm = input['kvm'];
    const scenario: Scenario = {
      mode,
      cpu: { pamax: num(cpu, 'pamax', DEFAULT_CPU.pamax, 'cpu'), lse2: flag(cpu, 'feat_lse2', DEFAULT_CPU.lse2, 'cpu') },
      sctlr: { M: flag(sctlr, 'M', DEFAULT_SCTLR.M, 'sctlr_el1'), A: flag(sctlr, 'A', DEFAULT_SCTLR.A, 'sctlr_el1'), C: flag(sctlr, 'C', DEFAULT_SCTLR.C, 'sctlr_el1'), nAA: flag(sctlr, 'nAA', DEFAULT_SCTLR.nAA, 'sctlr_el1') },
      hcr: {
        VM: flag(hcr, 'VM', s2 !== null && DEFAULT_HCR.VM, 'hcr_el2'),
        FWB: flag(hcr, 'FWB', DEFAULT_HCR.FWB, 'hcr_el2'),
        PTW: flag(hcr, 'PTW', DEFAULT_HCR.PTW, 'hcr_el2'),
        DC: flag(hcr, 'DC', DEFAULT_HCR.DC, 'hcr_el2'),
        CD: flag(hcr, 'CD', DEFAULT_HCR.CD, 'hcr_el2'),
      },
      stage1: stage1(mode, input['stage1']),
      stage2: s2,
      access: access(input['access']),
      kvm: isObj(kvm) && typeof kvm['kernel'] === 'string' ? { kernel: kvm['kernel'], inMemslot: typeof kvm['in_memslot'] === 'boolean' ? kvm['in_memslot'] : null } : null,
    };
    if ((scenario.hcr.VM || scenario.hcr.DC) && s2 === null) throw new ParseError('hcr_el2.VM/DC = 1 needs a stage2 mapping');
    if (mode === 'walk' && scenario.stage1 !== null && (scenario.access.va >> 55n) & 1n) throw new ParseError('access.va: the upper (TTBR1_EL1) range is not modelled');
    return ok(scenario);
  } catch (e) {
    if (e instanceof ParseError) return err(e.message);
    throw e;
  }
}
