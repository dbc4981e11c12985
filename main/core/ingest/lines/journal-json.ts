// `journalctl -o json` (and `-o json-seq` without the RS byte): one JSON object per line. Field names are
// systemd's (systemd.journal-fields(7)): MESSAGE (a string, or an array of bytes when not valid UTF-8),
// PRIORITY, _PID, _HOSTNAME, SYSLOG_IDENTIFIER, _TRANSPORT ("kernel" for kmsg), __REALTIME_TIMESTAMP and
// __MONOTONIC_TIMESTAMP (µs, decimal strings), _SOURCE_MONOTONIC_TIMESTAMP (kernel records: the kernel's
// own printk time in µs, the same clock dmesg shows).
// Example line:
//   {"__REALTIME_TIMESTAMP":"1716561192123456","__MONOTONIC_TIMESTAMP":"23352431106","_TRANSPORT":"kernel",
//    "PRIORITY":"1","_HOSTNAME":"host","SYSLOG_IDENTIFIER":"kernel","MESSAGE":"Mem abort info:",
//    "_SOURCE_MONOTONIC_TIMESTAMP":"23352431100"}
import type { Clock } from './timestamps';

/** The fields parseJournalJson reads (and the boot): what the journal's other forms (export, its files) carry over into this one. */
export const JOURNAL_JSON_FIELDS: ReadonlySet<string> = new Set([
  'MESSAGE',
  'PRIORITY',
  '_PID',
  '_HOSTNAME',
  'SYSLOG_IDENTIFIER',
  '_TRANSPORT',
  '__REALTIME_TIMESTAMP',
  '__MONOTONIC_TIMESTAMP',
  '_SOURCE_MONOTONIC_TIMESTAMP',
  // Not read here: carried so that a stream's boots can be counted (journal-boots.ts).
  '_BOOT_ID',
]);

/**
 * Whether a file's first bytes are `journalctl -o json` (or `-o json-seq`): an object on the first line
 * with a journal field among its first ones.
 */
export function detectJournalJsonLines(head: Uint8Array): boolean {
  const start = head[0] === 0x1e ? 1 : 0;
  if (head[start] !== 0x7b || head[start + 1] !== 0x22) return false; // most files: not decoded at all
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(start, 4096));
  return /^\{"[A-Za-z0-9_]+":/.test(text) && /"(?:__CURSOR|__REALTIME_TIMESTAMP|MESSAGE|_BOOT_ID)":/.test(text.split('\n', 1)[0]!);
}

export interface JournalEntry {
  readonly message: string;
  readonly tsNs: bigint | null;
  readonly clock: Clock | null;
  readonly pid: number | null;
  readonly level: number | null;
  readonly host: string | null;
  readonly ident: string | null;
}

const MICROS_RE = /^\d{1,20}$/;

function micros(value: unknown): bigint | null {
  return typeof value === 'string' && MICROS_RE.test(value) ? BigInt(value) * 1000n : null;
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((b) => typeof b === 'number')) {
    return new TextDecoder('utf-8', { fatal: false }).decode(Uint8Array.from(value as number[]));
  }
  return null;
}

function int(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{1,10}$/.test(value)) return null;
  return Number(value);
}

/**
 * Parses one line of a journal JSON export; null when it is not a JSON object. Kernel records use the
 * kernel's own monotonic time so that they line up with dmesg; others use the journal's monotonic time.
 */
export function parseJournalJson(line: string): JournalEntry | null {
  const start = line.indexOf('{');
  if (start < 0 || start > 1) return null; // json-seq puts an RS (0x1e) before each record
  let obj: unknown;
  try {
    obj = JSON.parse(start === 0 ? line : line.slice(start));
  } catch {
    return null;
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return null;
  const o = obj as Record<string, unknown>;
  const mono = micros(o._SOURCE_MONOTONIC_TIMESTAMP) ?? micros(o.__MONOTONIC_TIMESTAMP);
  const real = micros(o.__REALTIME_TIMESTAMP);
  const level = int(o.PRIORITY);
  return {
    message: text(o.MESSAGE) ?? '',
    tsNs: mono ?? real,
    clock: mono !== null ? 'monotonic' : real !== null ? 'realtime' : null,
    pid: int(o._PID),
    level: level === null ? null : level & 7,
    host: typeof o._HOSTNAME === 'string' ? o._HOSTNAME : null,
    ident: typeof o.SYSLOG_IDENTIFIER === 'string' ? o.SYSLOG_IDENTIFIER : o._TRANSPORT === 'kernel' ? 'kernel' : null,
  };
}
