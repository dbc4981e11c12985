// esr:decode: one or many pasted ESR values through main/core/esr decodeEsr, as JSON-safe views (64-bit values
// as hex strings). A value that does not parse is reported in its own item; the others still decode.
import type { EsrDecodeItem, EsrDecodeView, ParsedRequestOf } from '../../../preload/contract';
import { decodeEsr, renderEsrTree, renderMemAbortInfo, type EsrContext, type EsrDecode } from '../../core/esr/index';
import { parseHex64, toHex } from '../../core/hex';
import { ApiError } from '../errors';

// Classes whose exceptions go through arch/arm64/mm/fault.c do_mem_abort -> mem_abort_decode (Linux 6.12):
// instruction and data aborts from a lower or the same EL.
const ABORT_CLASSES: ReadonlySet<number> = new Set([0x20, 0x21, 0x24, 0x25]);

function hexOrNull(v: bigint | null): string | null {
  return v === null ? null : toHex(v);
}

/** The decode tree as the contract carries it; only the 64-bit values change shape. */
export function esrDecodeView(d: EsrDecode): EsrDecodeView {
  const { far, hpfar, ipa, farValid, ipaValid } = d.addresses;
  return {
    esr: toHex(d.esr),
    el: d.el,
    ec: d.ec,
    il: d.il,
    iss: d.iss,
    iss2: d.iss2,
    ecInfo: d.ecInfo,
    fields: d.fields,
    fsc: d.fsc,
    sysreg: d.sysreg,
    brk: d.brk,
    serror: d.serror,
    kernel: d.kernel,
    addresses: { far: hexOrNull(far), farValid, hpfar: hexOrNull(hpfar), ipa: hexOrNull(ipa), ipaValid },
    kvm: d.kvm,
    warnings: d.warnings,
    text: renderEsrTree(d),
    memAbortInfo: ABORT_CLASSES.has(d.ec) ? renderMemAbortInfo(d) : null,
  };
}

function optionalHex(name: string, text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  const r = parseHex64(text);
  if (!r.ok) throw new ApiError('bad_request', `${name}: ${r.error}`);
  return r.value;
}

export const esrHandlers = {
  'esr:decode': (_ctx: unknown, req: ParsedRequestOf<'esr:decode'>): { items: EsrDecodeItem[] } => {
    const far = optionalHex('far', req.far);
    const hpfar = optionalHex('hpfar', req.hpfar);
    const ctx: EsrContext = {
      ...(req.el !== undefined ? { el: req.el } : {}),
      ...(req.kernel !== undefined ? { kernel: req.kernel } : {}),
      ...(far !== undefined ? { far } : {}),
      ...(hpfar !== undefined ? { hpfar } : {}),
    };
    const items = req.values.map((input): EsrDecodeItem => {
      const parsed = parseHex64(input);
      if (!parsed.ok) return { input, ok: false, error: parsed.error };
      return { input, ok: true, decode: esrDecodeView(decodeEsr(parsed.value, ctx)) };
    });
    return { items };
  },
};
