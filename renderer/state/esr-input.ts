// What the user pasted into the decode box -> the ESR values to decode. People paste bare values, lists, and
// whole log lines; these are the shapes the kernel and KVM print (DOMAIN.md §2, §4):
//   0x92000061                                   a bare value, `0x` optional
//   ESR = 0x0000000096000004                     Mem abort info, 5.19+ (%016lx)
//   kvm [1234]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061
//   SError Interrupt on CPU1, code 0xbf000002 -- SError
//   HYP panic: ... ESR:f2000800                  nVHE hyp panic (no 0x)
//   Internal error: Oops: 0000000096000004 [#1] SMP
//   =3D0x96000004                                quoted-printable mail
// A token counts as a value when it has `0x` or is 8 to 16 hex digits long (how ESRs are printed), so words
// like "dead" or "face" and short decimal numbers are not taken; printk timestamps (`[ 1234.567890]`) and
// ISO dates are removed first. In a KVM line the EC= and xFSC= fields are
// parts of the ESR, not ESRs: tokens after `EC=`/`xFSC=`/`FSC=`/`DFCS=` are skipped.

const SKIP_KEYS = /^(?:EC|xFSC|FSC|DFSC|IFSC|DFCS|IL|ISS|ISS2|SET|FnV|EA|S1PTW|CM|WnR|ISV|SAS|SSE|SRT|SF|AR)$/i;
const TOKEN = /(?:([A-Za-z_][A-Za-z0-9_]*)\s*[=:]\s*(?:3D)?)?(0[xX][0-9a-fA-F_]+|\b[0-9a-fA-F]{8,16}\b)/g;

const TIMESTAMPS = /\[\s*[+]?[0-9]+\.[0-9]+\]|\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g;

export function extractEsrValues(text: string): string[] {
  const out: string[] = [];
  for (const m of text.replace(TIMESTAMPS, ' ').matchAll(TOKEN)) {
    const key = m[1];
    const value = m[2] as string;
    if (key && SKIP_KEYS.test(key)) continue;
    if (!out.includes(value)) out.push(value);
  }
  return out;
}
