// Lazy parsing of events that are not in the KVM table: most tracepoints print `name=value` pairs
// (include/trace/events/*.h: "comm=%s pid=%d prio=%d target_cpu=%03d", "irq=%d name=%s"); those become
// fields, values kept as printed. Anything else keeps only its text.
import { parseKvmEvent, type Fields } from './kvm-events';

// comm=node pid=11074 prio=120 target_cpu=000
// irq=11 name=arch_timer
// hrtimer=0xffff888627c1c6f8 function=tick_nohz_handler/0x0 expires=449972000000
const PAIR = /(?:^|[\s,])([A-Za-z_][\w.]*)=(\S+?)(?=,?\s|,?$)/g;

/** Fields of any event: the KVM table for known events, `name=value` pairs for the others. */
export function parseEventFields(name: string, args: string): Fields {
  const known = parseKvmEvent(name, args);
  if (known !== undefined && known !== null) return known;
  const out: Record<string, string> = {};
  let any = false;
  for (const m of args.matchAll(PAIR)) {
    out[m[1] as string] = m[2] as string;
    any = true;
  }
  return any ? out : {};
}
