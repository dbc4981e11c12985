// The event printers that replace an event's print fmt in `trace-cmd report` (Debian trace-cmd 3.1.6 with
// libtraceevent 1.7 plugins), as a table keyed by "system:name". Each row names its source:
//  - libtraceevent plugins/plugin_sched_switch.c: sched_switch, sched_wakeup, sched_wakeup_new
//  - libtraceevent plugins/plugin_hrtimer.c: hrtimer_expire_entry, hrtimer_start (tep_print_func_field prints
//    "%s/0x%llx" with func->addr - val, "0x%08llx" when no symbol)
//  - trace-cmd lib/trace-cmd/trace-ftrace.c: function, kernel_stack
// libtraceevent's x86 kvm plugin (plugin_kvm.c) is deliberately not reproduced: it reads x86 fields
// (exit_reason, guest_rip) that arm64's kvm_exit does not have; arm64 KVM events print their own format.
import type { EventFormat } from './format';
import { readFieldNumber, readFieldString, readUnsigned, type RecordData } from './record';
import type { RenderContext } from './print-eval';

export type Plugin = (f: EventFormat, r: RecordData, ctx: RenderContext) => string;

function numField(f: EventFormat, r: RecordData, name: string): bigint | null {
  const fl = f.byName.get(name);
  return fl === undefined ? null : readFieldNumber(r, fl);
}

function strField(f: EventFormat, r: RecordData, name: string): string | null {
  const fl = f.byName.get(name);
  return fl === undefined ? null : readFieldString(r, fl);
}

/** plugin_sched_switch.c write_state: "SDTtZXxW" by bit, '|' between, 'R' when none is set. */
function taskState(v: bigint): string {
  const states = 'SDTtZXxW';
  const out: string[] = [];
  for (let i = 0; i < states.length; i++) if ((v & (1n << BigInt(i))) !== 0n) out.push(states[i] as string);
  return out.length === 0 ? 'R' : out.join('|');
}

const schedSwitch: Plugin = (f, r) => {
  const prevPid = numField(f, r, 'prev_pid');
  if (prevPid === null) return '!';
  let s = '';
  const prevComm = strField(f, r, 'prev_comm');
  if (prevComm !== null) s += prevComm + ':';
  s += `${prevPid} `;
  const prevPrio = numField(f, r, 'prev_prio');
  if (prevPrio !== null) s += `[${BigInt.asIntN(32, prevPrio)}] `;
  const state = numField(f, r, 'prev_state');
  if (state !== null) s += taskState(state);
  s += ' ==> ';
  const nextPid = numField(f, r, 'next_pid');
  if (nextPid === null) return s + '!';
  const nextComm = strField(f, r, 'next_comm');
  if (nextComm !== null) s += nextComm + ':';
  s += `${nextPid}`;
  const nextPrio = numField(f, r, 'next_prio');
  if (nextPrio !== null) s += ` [${BigInt.asIntN(32, nextPrio)}]`;
  return s;
};

const schedWakeup: Plugin = (f, r) => {
  const pid = numField(f, r, 'pid');
  if (pid === null) return '!';
  let s = '';
  const comm = strField(f, r, 'comm');
  if (comm !== null) s += comm + ':';
  s += `${pid}`;
  const prio = numField(f, r, 'prio');
  if (prio !== null) s += ` [${prio}]`;
  const success = numField(f, r, 'success');
  if (success !== null) s += ` success=${success}`;
  const cpu = numField(f, r, 'target_cpu');
  if (cpu !== null) s += ` CPU:${BigInt.asUintN(64, cpu).toString().padStart(3, '0')}`;
  return s;
};

/** libtraceevent tep_print_func_field. */
function funcField(f: EventFormat, r: RecordData, ctx: RenderContext, name: string): string {
  const v = numField(f, r, name);
  if (v === null) return '';
  const addr = BigInt.asUintN(64, v);
  const sym = ctx.kallsyms()?.find(addr) ?? null;
  return sym !== null ? `${sym.name}/0x${BigInt.asUintN(64, sym.addr - addr).toString(16)}` : '0x' + addr.toString(16).padStart(8, '0');
}

function hrtimerOf(f: EventFormat, r: RecordData): string {
  const v = numField(f, r, 'timer') ?? numField(f, r, 'hrtimer');
  return v === null ? '' : '0x' + BigInt.asUintN(64, v).toString(16);
}

const hrtimerExpireEntry: Plugin = (f, r, ctx) => {
  const now = numField(f, r, 'now');
  return `hrtimer=${hrtimerOf(f, r)} now=${now === null ? '' : BigInt.asUintN(64, now)} function=${funcField(f, r, ctx, 'function')}`;
};

const hrtimerStart: Plugin = (f, r, ctx) => {
  const exp = numField(f, r, 'expires');
  const soft = numField(f, r, 'softexpires');
  return (
    `hrtimer=${hrtimerOf(f, r)} function=${funcField(f, r, ctx, 'function')}` +
    ` expires=${exp === null ? '' : BigInt.asUintN(64, exp)} softexpires=${soft === null ? '' : BigInt.asUintN(64, soft)}`
  );
};

const functionEvent: Plugin = (f, r, ctx) => {
  const ip = numField(f, r, 'ip');
  const parent = numField(f, r, 'parent_ip');
  if (ip === null || parent === null) return '!';
  const name = (v: bigint): string | null => ctx.kallsyms()?.find(BigInt.asUintN(64, v))?.name ?? null;
  const a = name(ip);
  const b = name(parent);
  return (a !== null ? `${a} <-- ` : '0x' + BigInt.asUintN(64, ip).toString(16)) + (b ?? '0x' + BigInt.asUintN(64, parent).toString(16));
};

const kernelStack: Plugin = (f, r, ctx) => {
  const caller = f.byName.get('caller');
  if (caller === undefined) return '<CANT FIND FIELD caller>';
  let s = '<stack trace >';
  const size = r.longSize;
  const end = (1n << BigInt(size * 8)) - 1n;
  for (let at = caller.offset; at + size <= r.data.length; at += size) {
    const addr = readUnsigned(r, at, size);
    if (addr === end || BigInt.asIntN(32, addr) === -1n) break;
    const sym = ctx.kallsyms()?.find(addr) ?? null;
    s += sym !== null ? `\n=> ${sym.name} (${addr.toString(16)})` : `\n=> ${addr.toString(16)}`;
  }
  return s;
};

export const PLUGINS: Readonly<Record<string, Plugin>> = {
  'sched:sched_switch': schedSwitch,
  'sched:sched_wakeup': schedWakeup,
  'sched:sched_wakeup_new': schedWakeup,
  'timer:hrtimer_expire_entry': hrtimerExpireEntry,
  'timer:hrtimer_start': hrtimerStart,
  'ftrace:function': functionEvent,
  'ftrace:kernel_stack': kernelStack,
};
