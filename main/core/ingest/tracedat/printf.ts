// C printf conversions as glibc prints them (ISO C 7.21.6.1 fprintf: flags - + space # 0, width, precision,
// length modifiers hh h l ll L q j z t), for the kernel's event print formats. Integers are bigint and are
// cut to the width the length modifier names (an `int` argument printed with %x shows 32 bits).

export interface ConvSpec {
  readonly flags: string;
  /** null: none; -1: taken from the argument list (`*`). */
  readonly width: number | null;
  readonly precision: number | null;
  readonly length: string;
  readonly conv: string;
  /** The letters after %p (`s`, `S`, `F`, `f`, `B`, `K`, `M`, `I4` ...), '' for a plain %p. */
  readonly pointerExt: string;
}

export type FormatPiece = string | ConvSpec;

// %[flags][width][.precision][length]conversion, %p with its extension letters.
const SPEC = /%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?(hh|h|ll|l|L|q|j|z|Z|t)?([diouxXcspeEfgGaAn%])/g;

/** Splits a format string into literal text and conversion specifications. */
export function parseFormat(format: string): FormatPiece[] {
  const out: FormatPiece[] = [];
  let last = 0;
  SPEC.lastIndex = 0;
  for (let m = SPEC.exec(format); m !== null; m = SPEC.exec(format)) {
    if (m.index > last) out.push(format.slice(last, m.index));
    last = SPEC.lastIndex;
    const conv = m[5] as string;
    if (conv === '%') {
      out.push('%');
      continue;
    }
    let pointerExt = '';
    if (conv === 'p') {
      const ext = /^[a-zA-Z][a-zA-Z0-9]*/.exec(format.slice(last));
      // Kernel pointer extensions are letters right after %p (%ps, %pS, %pB, %pI4, %pM ...).
      if (ext !== null && /^[sSfFBKMmIiUhxeEdDgGNVraORC]/.test(ext[0])) {
        pointerExt = /^I[46]?[hnbl]?c?/.test(ext[0]) ? (/^I[46]?[hnbl]?c?/.exec(ext[0]) as RegExpExecArray)[0] : ext[0].slice(0, 1);
        last += pointerExt.length;
        SPEC.lastIndex = last;
      }
    }
    out.push({
      flags: m[1] ?? '',
      width: m[2] === undefined ? null : m[2] === '*' ? -1 : Number(m[2]),
      precision: m[3] === undefined ? null : m[3] === '*' ? -1 : Number(m[3] || '0'),
      length: m[4] ?? '',
      conv,
      pointerExt,
    });
  }
  if (last < format.length) out.push(format.slice(last));
  return out;
}

/**
 * Bits of the C type a length modifier names. `long` is the reading host's, not the traced kernel's:
 * libtraceevent's print_arg_number casts to (long) and prints on the host, and Debian's trace-cmd prints
 * all 64 bits of a 32-bit kernel's 8-byte field with %lx. Faultline runs on 64-bit hosts only.
 */
export function lengthBits(length: string, _longSize: 4 | 8): number {
  switch (length) {
    case 'hh':
      return 8;
    case 'h':
      return 16;
    case 'l':
    case 'z':
    case 'Z':
    case 't':
    case 'll':
    case 'L':
    case 'q':
    case 'j':
      return 64;
    default:
      return 32;
  }
}

function pad(s: string, spec: ConvSpec, width: number | null, numeric: boolean): string {
  if (width === null || s.length >= width) return s;
  if (spec.flags.includes('-')) return s.padEnd(width, ' ');
  if (numeric && spec.flags.includes('0') && spec.precision === null) {
    // Zeros go after the sign or the 0x prefix.
    const m = /^([+\- ]|0[xX])?/.exec(s);
    const prefix = m?.[0] ?? '';
    return prefix + s.slice(prefix.length).padStart(width - prefix.length, '0');
  }
  return s.padStart(width, ' ');
}

/** Formats one integer conversion (d i u o x X c). */
export function formatInteger(spec: ConvSpec, value: bigint, width: number | null, precision: number | null, longSize: 4 | 8): string {
  const bits = lengthBits(spec.length, longSize);
  if (spec.conv === 'c') return pad(String.fromCharCode(Number(BigInt.asUintN(8, value))), spec, width, false);
  let body: string;
  let sign = '';
  if (spec.conv === 'd' || spec.conv === 'i') {
    const v = BigInt.asIntN(bits, value);
    body = (v < 0n ? -v : v).toString();
    sign = v < 0n ? '-' : spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : '';
  } else {
    const v = BigInt.asUintN(bits, value);
    const radix = spec.conv === 'o' ? 8 : spec.conv === 'u' ? 10 : 16;
    body = v.toString(radix);
    if (spec.conv === 'X') body = body.toUpperCase();
    if (spec.flags.includes('#') && v !== 0n) {
      if (spec.conv === 'x') sign = '0x';
      else if (spec.conv === 'X') sign = '0X';
      else if (spec.conv === 'o') body = '0' + body;
    }
  }
  if (precision !== null) body = precision === 0 && body === '0' ? '' : body.padStart(precision, '0');
  return pad(sign + body, spec, width, true);
}

/** Formats a string conversion (%s): precision cuts, width pads. */
export function formatString(spec: ConvSpec, s: string, width: number | null, precision: number | null): string {
  const cut = precision !== null && precision >= 0 ? s.slice(0, precision) : s;
  return pad(cut, spec, width, false);
}

/** glibc's plain %p: "0x" and the hex digits, "(nil)" for zero. */
export function formatPointer(spec: ConvSpec, value: bigint, width: number | null, longSize: 4 | 8): string {
  const v = BigInt.asUintN(longSize * 8, value);
  return pad(v === 0n ? '(nil)' : '0x' + v.toString(16), spec, width, false);
}
