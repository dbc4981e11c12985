// decodeEsr(): a 64-bit ESR value (and what else is known about the exception) -> the decode tree.
// Never refuses: unallocated classes, set RES0 bits and reserved codes are decoded as far as they go and
// reported in `warnings`.

import { classWarnings, fscWarning } from './checks';
import { ecRow, type EcRow } from './exception-classes';
import { FSC_SOURCES, fscRowOf } from './fsc-source';
import { decodeWord, leaf } from './fields';
import { parseKernelVersionCached } from '../kernel-version';
import { kernelClassName, kernelFaultName } from './kernel-names';
import { describeKvm } from './kvm';
import { LAYOUTS } from './layouts/index';
import { describeAddresses } from './addresses';
import { describeBrk } from './brk';
import { describeSerror } from './serror';
import { describeSysregTrap } from './sysregs';
import type { EsrContext, EsrDecode, EsrField } from './types';

const MASK64 = (1n << 64n) - 1n;

function ecField(row: EcRow, ec: number, kernel: string | undefined): EsrField {
  const name = row.name ? `ESR_ELx_EC_${row.name}` : 'unallocated';
  return leaf('EC', 31, 26, ec, 'Exception Class', `${row.description} (${name}; kernel: "${kernelClassName(ec, kernel)}")`);
}

function ilField(il: number): EsrField {
  return leaf('IL', 25, 25, il, 'Instruction Length for synchronous exceptions', il ? '32-bit instruction trapped' : '16-bit instruction trapped');
}

function topField(top: number): EsrField {
  return leaf('RES0', 63, 56, top, 'Reserved, RES0', top ? `RES0, but reads 0x${top.toString(16)}` : 'RES0', false, 'RES0');
}

function wordField(name: string, hi: number, lo: number, value: number, title: string, children: EsrField[]): EsrField {
  return { ...leaf(name, hi, lo, value, title, title), children };
}

/** Decodes a 64-bit ESR value. `ctx` tells which ESR_ELx it came from, FAR/HPFAR and the kernel release. */
export function decodeEsr(esr: bigint, ctx: EsrContext = {}): EsrDecode {
  const value = esr & MASK64;
  const lo = Number(value & 0xffffffffn);
  const hi = Number(value >> 32n);
  const ec = lo >>> 26;
  const il = (lo >>> 25) & 1;
  const iss = lo & 0x1ffffff;
  const iss2 = hi & 0xffffff;
  const top = hi >>> 24;
  const el = ctx.el ?? null;
  const row = ecRow(ec);
  const layout = LAYOUTS[row.layout];
  const what = `EC 0x${ec.toString(16).padStart(2, '0')}`;

  const warnings = classWarnings(row, el, il, iss, iss2, top, layout.iss2 !== null);
  const issChildren = decodeWord(layout.iss, iss, 0, iss, iss2, ec, what, warnings);
  const iss2Children = layout.iss2 ? decodeWord(layout.iss2, iss2, 32, iss, iss2, ec, what, warnings) : [];
  const fsc = fscRowOf(row.layout, iss);
  const fscText = fsc ? fscWarning(fsc, FSC_SOURCES[row.layout]?.label ?? 'FSC') : null;
  if (fscText) warnings.push(fscText);

  const sysreg = ec === 0x18 || ec === 0x14 ? describeSysregTrap(iss, ec === 0x14) : null;
  const brk = ec === 0x3c ? describeBrk(iss) : null;
  const version = parseKernelVersionCached(ctx.kernel);
  const isAbort = row.layout === 'dabt' || row.layout === 'iabt';
  const addresses = describeAddresses(row.layout, iss, el, ctx, warnings);

  return {
    esr: value,
    el,
    ec,
    il,
    iss,
    iss2,
    ecInfo: { code: row.code, name: row.name, description: row.description, allocated: row.allocated },
    fields: [
      topField(top),
      wordField('ISS2', 55, 32, iss2, 'Instruction Specific Syndrome 2', iss2Children),
      ecField(row, ec, ctx.kernel),
      ilField(il),
      wordField('ISS', 24, 0, iss, 'Instruction Specific Syndrome', issChildren),
    ],
    fsc,
    sysreg,
    brk,
    serror: ec === 0x2f ? describeSerror(iss) : null,
    kernel: {
      version: ctx.kernel ?? null,
      className: kernelClassName(ec, ctx.kernel),
      faultName: isAbort ? kernelFaultName(iss & 0x3f, ctx.kernel) : null,
    },
    addresses,
    kvm: el === 2 ? describeKvm({ esr: value, ec, iss, version, ...(ctx.kernel !== undefined ? { kernel: ctx.kernel } : {}), sysreg, brk }) : null,
    warnings,
  };
}
