// Parsers of the KVM (and pKVM hypervisor) event payloads, as a table keyed by event name (STYLE.md §6):
// the text each tracepoint prints becomes named fields with the kernel's own field names. Events not in the
// table keep their raw text and are parsed lazily (generic-fields.ts); the importer counts them by name.
//
// Sources (TP_printk format strings, Linux 6.12 unless noted):
//   arch/arm64/kvm/trace_arm.h            kvm_entry, kvm_exit, kvm_guest_fault, kvm_access_fault, kvm_irq_line,
//                                         kvm_mmio_emulate, kvm_timer_* , kvm_get_timer_map
//   arch/arm64/kvm/trace_handle_exit.h    kvm_wfx_arm64, kvm_hvc_arm64, kvm_handle_sys_reg, kvm_sys_access
//   arch/arm64/kvm/trace_arm.h (v6.7-6.13), virt/kvm/arm64/trace.h (later)   kvm_mmio_nisv
//   include/trace/events/kvm.h            kvm_mmio, kvm_userspace_exit
//   Android common kernel arch/arm64/include/asm/kvm_hypevents.h (pKVM)   hyp_enter, hyp_exit, host_mem_abort
// Numbers printed in hex become canonical hex strings (`0x80528a6c`, lower case, no leading zeros), so that a
// 64-bit value never passes through a double.

import { KVM_ARM_EXCEPTION_CLASS, KVM_ARM_EXCEPTION_TYPE, KVM_TRACE_MMIO } from './kvm-symbols';

export type FieldValue = string | number | boolean;
export type Fields = Readonly<Record<string, FieldValue>>;

/** Canonical hex of hex digits (with or without `0x`): `0000000080528A6C` -> `0x80528a6c`. */
export function canonHex(text: string): string {
  let i = text.startsWith('0x') || text.startsWith('0X') ? 2 : 0;
  while (i < text.length - 1 && text.charCodeAt(i) === 48) i++;
  return '0x' + text.slice(i).toLowerCase();
}

interface KvmEventParser {
  /** The format string the kernel prints, as in the source. */
  readonly format: string;
  readonly parse: (args: string) => Fields | null;
  /**
   * The fields when the event is printed raw (`trace-cmd report -R`: each field `name=value` in the order of
   * the format file, print fmt unused), as parse() gives them: the names of fields all given as hex, or a
   * reader of the values by name for fields that print as names, numbers or flags.
   */
  readonly raw?: readonly string[] | ((v: RawValues) => Fields | null);
}

/** A raw line's values by field name, as printed (`0x0024`, `2`). */
type RawValues = ReadonlyMap<string, string>;

/** A raw value as a number (small values: counts, codes), null when absent. */
function rawNum(v: RawValues, name: string): number | null {
  const t = v.get(name);
  return t === undefined ? null : Number(t.startsWith('0x') ? BigInt(t) : t);
}

/** A raw value as canonical hex, null when absent. */
function rawHex(v: RawValues, name: string): string | null {
  const t = v.get(name);
  return t === undefined ? null : t.startsWith('0x') ? canonHex(t) : '0x' + BigInt(t).toString(16);
}

const EXCEPTION_TYPES = new Map(KVM_ARM_EXCEPTION_TYPE);
const EXCEPTION_CLASSES = new Map(KVM_ARM_EXCEPTION_CLASS);
const MMIO_TYPES = new Map(KVM_TRACE_MMIO);

// A value of at most 64 bits, whole: more digits, or a letter right after them, are not one value (a line
// joined with what followed it: `PC: 0xffff800010001004` and `Because …` must not read as `…1004beca`).
const HEX = '(?:0x)?([0-9a-fA-F]{1,16})(?![0-9A-Za-z_])';

function re(pattern: string): RegExp {
  return new RegExp('^\\s*' + pattern);
}

// "%s: HSR_EC: 0x%04x (%s), PC: 0x%016lx"  ->  TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0x0000ffff8a3b1c44
// ECs without a symbol print as `(0x2d)`; kernels before 4.x printed "HSR_EC: 0x%04x, PC: ..." without a name.
const KVM_EXIT = re(`(\\w+): HSR_EC: 0x([0-9a-fA-F]+)(?: \\(([^)]*)\\))?, PC: ${HEX}`);
// "PC: 0x%016lx"  ->  PC: 0x0000000080528a6c
const KVM_ENTRY = re(`PC: ${HEX}`);
// "ipa %#llx, hsr %#08lx, hxfar %#08lx, pc %#016lx"  ->  ipa 0x8010000, hsr 0x93c08006, hxfar 0xffff800010000000, pc 0xffff80001073cd5c
// (some kernels print "esr" for "hsr")
const KVM_GUEST_FAULT = re(`ipa ${HEX}, (?:hsr|esr) ${HEX}, hxfar ${HEX}, pc ${HEX}`);
// "ipa %#016lx, esr %#016lx, far %#016lx, pc %#016lx"
const KVM_MMIO_NISV = re(`ipa ${HEX}, esr ${HEX}, far ${HEX}, pc ${HEX}`);
// "mmio %s len %u gpa 0x%llx val 0x%llx"  ->  mmio write len 4 gpa 0x9000000 val 0x41
const KVM_MMIO = re(`mmio ([\\w-]+) len (\\d+) gpa ${HEX} val ${HEX}`);
// "IPA: %lx"
const KVM_ACCESS_FAULT = re(`IPA: ${HEX}`);
// "HSR 0x%08lx"
const KVM_HANDLE_SYS_REG = re(`HSR ${HEX}`);
// "PC: %lx %s (%d,%d,%d,%d,%d) %s"  ->  PC: ffff80000810c4d0 PMUSERENR_EL0 (3,3,9,14,0) read
const KVM_SYS_ACCESS = re(`PC: ${HEX} (\\S+) \\((\\d+),(\\d+),(\\d+),(\\d+),(\\d+)\\) (read|write)`);
// "guest executed wf%c at: 0x%016lx"
const KVM_WFX = re(`guest executed wf([ei]) at: ${HEX}`);
// "HVC at 0x%016lx (r0: 0x%016lx, imm: 0x%lx)"
const KVM_HVC = re(`HVC at ${HEX} \\(r0: ${HEX}, imm: ${HEX}\\)`);
// "Inject %s interrupt (%d), vcpu->idx: %d, num: %d, level: %d" (older: "vcpu=%d, irq_num=%d, level=%d")
const KVM_IRQ_LINE = re(`Inject (.+?) interrupt \\((\\d+)\\), vcpu(?:->idx: |=)(-?\\d+), (?:num: |irq_num=)(-?\\d+), level(?:: |=)(-?\\d+)`);
// "VCPU: %ld, IRQ %d, level %d"
const KVM_TIMER_UPDATE_IRQ = re(`VCPU: (\\d+), IRQ (\\d+), level (\\d+)`);
// "   CTL: %#08lx CVAL: %#16llx arch_timer_ctx_index: %d"
const KVM_TIMER_STATE = re(`CTL: ${HEX} CVAL:\\s*${HEX} arch_timer_ctx_index: (\\d+)`);
// "arch_timer_ctx_index: %d"  /  "arch_timer_ctx_index: %d (should_fire: %d)"
const KVM_TIMER_INDEX = re(`arch_timer_ctx_index: (\\d+)(?: \\(should_fire: (\\d+)\\))?`);
// "VCPU: %ld, dv: %d, dp: %d, ep: %d"
const KVM_TIMER_MAP = re(`VCPU: (\\d+), dv: (-?\\d+), dp: (-?\\d+), ep: (-?\\d+)`);
// "reason %s (%d)"  ->  reason KVM_EXIT_MMIO (6)
const KVM_USERSPACE_EXIT = re(`reason (\\S+) \\((-?\\d+)\\)`);
// "esr=0x%llx addr=0x%llx"
const HOST_MEM_ABORT = re(`esr=${HEX} addr=${HEX}`);

/** Where the last parser's match ended in its text (parseKvmEventWhole), -1 after a parser that matched nothing. */
let matchEnd = -1;

function exec(re: RegExp, text: string): RegExpExecArray | null {
  const m = re.exec(text);
  matchEnd = m === null ? -1 : m.index + m[0].length;
  return m;
}

function g(m: RegExpExecArray, i: number): string {
  return m[i] as string;
}

function timerState(args: string): Fields | null {
  const m = exec(KVM_TIMER_STATE, args);
  return m && { ctl: canonHex(g(m, 1)), cval: canonHex(g(m, 2)), timer_idx: Number(m[3]) };
}

/** The table: event name -> parser. */
export const KVM_EVENT_PARSERS: Readonly<Record<string, KvmEventParser>> = {
  kvm_exit: {
    format: '"%s: HSR_EC: 0x%04x (%s), PC: 0x%016lx"',
    // Named as the binary reader names them (tracedat/kvm-binary.ts): a value without a symbol as hex.
    raw(v) {
      const ret = rawNum(v, 'ret');
      const ec = rawNum(v, 'esr_ec');
      const pc = rawHex(v, 'vcpu_pc');
      if (ret === null || ec === null || pc === null) return null;
      return { ret: EXCEPTION_TYPES.get(ret) ?? `0x${ret.toString(16)}`, esr_ec: ec, esr_ec_name: EXCEPTION_CLASSES.get(ec) ?? `0x${ec.toString(16)}`, vcpu_pc: pc };
    },
    parse(a) {
      const m = exec(KVM_EXIT, a);
      return m && { ret: g(m, 1), esr_ec: parseInt(g(m, 2), 16), esr_ec_name: m[3] ?? '', vcpu_pc: canonHex(g(m, 4)) };
    },
  },
  kvm_entry: {
    format: '"PC: 0x%016lx"',
    raw: ['vcpu_pc'],
    parse(a) {
      const m = exec(KVM_ENTRY, a);
      return m && { vcpu_pc: canonHex(g(m, 1)) };
    },
  },
  kvm_guest_fault: {
    format: '"ipa %#llx, hsr %#08lx, hxfar %#08lx, pc %#016lx"',
    raw: ['ipa', 'hsr', 'hxfar', 'vcpu_pc'],
    parse(a) {
      const m = exec(KVM_GUEST_FAULT, a);
      return m && { ipa: canonHex(g(m, 1)), hsr: canonHex(g(m, 2)), hxfar: canonHex(g(m, 3)), vcpu_pc: canonHex(g(m, 4)) };
    },
  },
  kvm_mmio_nisv: {
    format: '"ipa %#016lx, esr %#016lx, far %#016lx, pc %#016lx"',
    raw: ['ipa', 'esr', 'far', 'vcpu_pc'],
    parse(a) {
      const m = exec(KVM_MMIO_NISV, a);
      return m && { ipa: canonHex(g(m, 1)), esr: canonHex(g(m, 2)), far: canonHex(g(m, 3)), vcpu_pc: canonHex(g(m, 4)) };
    },
  },
  kvm_mmio: {
    format: '"mmio %s len %u gpa 0x%llx val 0x%llx"',
    raw(v) {
      const type = rawNum(v, 'type');
      const len = rawNum(v, 'len');
      const gpa = rawHex(v, 'gpa');
      const val = rawHex(v, 'val');
      if (type === null || len === null || gpa === null || val === null) return null;
      return { type: MMIO_TYPES.get(type) ?? String(type), len, gpa, val };
    },
    parse(a) {
      const m = exec(KVM_MMIO, a);
      return m && { type: g(m, 1), len: Number(m[2]), gpa: canonHex(g(m, 3)), val: canonHex(g(m, 4)) };
    },
  },
  kvm_access_fault: {
    format: '"IPA: %lx"',
    raw: ['ipa'],
    parse(a) {
      const m = exec(KVM_ACCESS_FAULT, a);
      return m && { ipa: canonHex(g(m, 1)) };
    },
  },
  kvm_handle_sys_reg: {
    format: '"HSR 0x%08lx"',
    raw: ['hsr'],
    parse(a) {
      const m = exec(KVM_HANDLE_SYS_REG, a);
      return m && { hsr: canonHex(g(m, 1)) };
    },
  },
  kvm_sys_access: {
    format: '"PC: %lx %s (%d,%d,%d,%d,%d) %s"',
    parse(a) {
      const m = exec(KVM_SYS_ACCESS, a);
      return (
        m && {
          vcpu_pc: canonHex(g(m, 1)),
          name: g(m, 2),
          Op0: Number(m[3]),
          Op1: Number(m[4]),
          CRn: Number(m[5]),
          CRm: Number(m[6]),
          Op2: Number(m[7]),
          is_write: m[8] === 'write',
        }
      );
    },
  },
  kvm_wfx_arm64: {
    format: '"guest executed wf%c at: 0x%016lx"',
    raw(v) {
      const wfe = rawNum(v, 'is_wfe');
      const pc = rawHex(v, 'vcpu_pc');
      return wfe === null || pc === null ? null : { is_wfe: wfe !== 0, vcpu_pc: pc };
    },
    parse(a) {
      const m = exec(KVM_WFX, a);
      return m && { is_wfe: m[1] === 'e', vcpu_pc: canonHex(g(m, 2)) };
    },
  },
  kvm_hvc_arm64: {
    format: '"HVC at 0x%016lx (r0: 0x%016lx, imm: 0x%lx)"',
    raw: ['vcpu_pc', 'r0', 'imm'],
    parse(a) {
      const m = exec(KVM_HVC, a);
      return m && { vcpu_pc: canonHex(g(m, 1)), r0: canonHex(g(m, 2)), imm: canonHex(g(m, 3)) };
    },
  },
  kvm_irq_line: {
    format: '"Inject %s interrupt (%d), vcpu->idx: %d, num: %d, level: %d"',
    parse(a) {
      const m = exec(KVM_IRQ_LINE, a);
      return m && { type_name: g(m, 1), type: Number(m[2]), vcpu_idx: Number(m[3]), irq_num: Number(m[4]), level: Number(m[5]) };
    },
  },
  kvm_timer_update_irq: {
    format: '"VCPU: %ld, IRQ %d, level %d"',
    parse(a) {
      const m = exec(KVM_TIMER_UPDATE_IRQ, a);
      return m && { vcpu_id: Number(m[1]), irq: Number(m[2]), level: Number(m[3]) };
    },
  },
  kvm_timer_save_state: { format: '"   CTL: %#08lx CVAL: %#16llx arch_timer_ctx_index: %d"', parse: timerState },
  kvm_timer_restore_state: { format: '"CTL: %#08lx CVAL: %#16llx arch_timer_ctx_index: %d"', parse: timerState },
  kvm_timer_hrtimer_expire: {
    format: '"arch_timer_ctx_index: %d"',
    parse(a) {
      const m = exec(KVM_TIMER_INDEX, a);
      return m && { timer_idx: Number(m[1]) };
    },
  },
  kvm_timer_emulate: {
    format: '"arch_timer_ctx_index: %d (should_fire: %d)"',
    parse(a) {
      const m = exec(KVM_TIMER_INDEX, a);
      return m && { timer_idx: Number(m[1]), should_fire: m[2] === '1' };
    },
  },
  kvm_get_timer_map: {
    format: '"VCPU: %ld, dv: %d, dp: %d, ep: %d"',
    parse(a) {
      const m = exec(KVM_TIMER_MAP, a);
      return m && { vcpu_id: Number(m[1]), direct_vtimer: Number(m[2]), direct_ptimer: Number(m[3]), emul_ptimer: Number(m[4]) };
    },
  },
  kvm_userspace_exit: {
    format: '"reason %s (%d)"',
    parse(a) {
      const m = exec(KVM_USERSPACE_EXIT, a);
      return m && { reason: g(m, 1), errno: Number(m[2]) };
    },
  },
  hyp_enter: { format: '" "', parse: () => ({}) },
  hyp_exit: { format: '" "', parse: () => ({}) },
  host_mem_abort: {
    format: '"esr=0x%llx addr=0x%llx"',
    raw: ['esr', 'addr'],
    parse(a) {
      const m = exec(HOST_MEM_ABORT, a);
      return m && { esr: canonHex(g(m, 1)), addr: canonHex(g(m, 2)) };
    },
  },
};

/** Parses a known event's payload; undefined when the event is not in the table, null when it does not parse. */
export function parseKvmEvent(name: string, args: string): Fields | null | undefined {
  const p = KVM_EVENT_PARSERS[name];
  if (p === undefined) return undefined;
  const f = p.parse(args);
  if (f !== null || p.raw === undefined) return f;
  const values = rawValues(args);
  return values === null ? null : typeof p.raw === 'function' ? p.raw(values) : rawFields(values, p.raw);
}

/**
 * parseKvmEvent, but only when the payload is the whole text (spaces aside): null when text follows it. A
 * line joined to a payload it does not continue (prose, a prompt, the next line of a paste) leaves text
 * after the payload, or changes its last value while leaving more text still.
 */
export function parseKvmEventWhole(name: string, args: string): Fields | null | undefined {
  const p = KVM_EVENT_PARSERS[name];
  if (p === undefined) return undefined;
  matchEnd = -1;
  const f = p.parse(args);
  if (f !== null) return (matchEnd === -1 ? args : args.slice(matchEnd)).trim().length === 0 ? f : null;
  return p.raw !== undefined && RAW_ONLY.test(args) ? parseKvmEvent(name, args) : null;
}

/** A raw line's text with nothing but `name=value` fields (RAW_FIELD's forms). */
const RAW_ONLY = /^\s*(?:[A-Za-z_]\w*=(?:0x[0-9a-fA-F]+|\d+)(?:\s+|$))+$/;

// `trace-cmd report -R`: `vcpu_pc=0xffff800010a1b2c4 hsr=0x92000061 hxfar=0xffff80000a002004 ipa=0x9002000`
// (libtraceevent tep_print_fields: unsigned values in hex with 0x where the field is long or a pointer, else
// in decimal).
const RAW_FIELD = /(?:^|\s)([A-Za-z_]\w*)=(0x[0-9a-fA-F]+|\d+)(?=\s|$)/g;

/** The raw form's values by name; null when the text has none. */
function rawValues(args: string): RawValues | null {
  const found = new Map<string, string>();
  for (const m of args.matchAll(RAW_FIELD)) found.set(m[1]!, m[2]!);
  return found.size === 0 ? null : found;
}

/** The raw form's `wanted` fields as hex strings; null unless every one is there. */
function rawFields(values: RawValues, wanted: readonly string[]): Fields | null {
  const out: Record<string, string> = {};
  for (const w of wanted) {
    const v = rawHex(values, w);
    if (v === null) return null;
    out[w] = v;
  }
  return out;
}

/** The compact stored form of parsed fields: JSON, 64-bit values already as hex strings. */
export function renderFields(f: Fields): string {
  return JSON.stringify(f);
}
