// A LAVA job log (the YAML that LAVA's API and `lavacli jobs logs` give, and kernelci/LKFT keep): a YAML
// list, a record a line, each a flow mapping of double-quoted scalars, as lava_common/log.py dumps them
// (yaml.dump with default_flow_style=True, default_style='"', width 10**5, keys sorted, then "- "):
//   - {"dt": "2026-01-04T12:00:08.010968", "lvl": "target", "msg": "[    7.913815] Unable to handle kernel ..."}
//   - {"dt": "...", "lvl": "feedback", "msg": "...", "ns": "common"}
//   - {"dt": "...", "lvl": "results", "msg": {"case": "job", "definition": "lava", "result": "fail"}}
// `target` records are the device's serial console, a line each, and `feedback` ones the console of
// another namespace's device; the other levels (info, debug, input, warning, error, exception, event,
// results) are LAVA's own. The scalars use YAML's escapes (`\e`, `\xE9`, `\_`), not JSON's, so a record
// that JSON does not read is read by a YAML parser.
//
// The log becomes the console text it holds, a line for a record (so line numbers are the file's): a
// device's line as it was printed, LAVA's own as `LAVA <level>: <message>`, so that nothing LAVA says of
// the job (its failure patterns quote "Kernel panic") is read as the kernel's. A line that is not a record
// is kept as it is.
import { parse as parseYaml } from 'yaml';
import { TextLines } from './text-lines';

const RECORD_START = '- {"dt": "';
const DEVICE_LEVELS: ReadonlySet<string> = new Set(['target', 'feedback']);
/** A line longer than this without a newline is cut there (LAVA's own records stop at 10**5 chars). */
const MAX_LINE_CHARS = 16 * 1024 * 1024;

/** Whether a file's first bytes are a LAVA job log: its first line is a record. */
export function detectLavaLog(head: Uint8Array): boolean {
  // Most files of a bundle are not: their first bytes tell, before anything is decoded.
  for (let i = 0; i < RECORD_START.length; i++) if (head[i] !== RECORD_START.charCodeAt(i)) return false;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 4096));
  const first = text.split('\n', 1)[0]!.replace(/\r$/, '');
  return /"lvl": "[a-z]+"/.test(first) && record(first) !== null;
}

interface LavaRecord {
  readonly lvl: string;
  readonly msg: unknown;
}

/** A line's record, or null when the line is not one. */
function record(line: string): LavaRecord | null {
  if (!line.startsWith(RECORD_START) || !line.endsWith('}')) return null;
  const flow = line.slice(2);
  let v: unknown;
  try {
    // Most records are JSON too (no YAML-only escape in them): the fast path.
    v = JSON.parse(flow);
  } catch {
    try {
      v = parseYaml(flow, { schema: 'core' });
    } catch {
      return null;
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const r = v as Record<string, unknown>;
  return typeof r.lvl === 'string' && 'msg' in r ? { lvl: r.lvl, msg: r.msg } : null;
}

/** One record (or other line) as the line of console text it stands for. */
export function lavaLine(line: string): string {
  const r = record(line);
  if (r === null) return line;
  // A message of several lines (an `input` command's newline) stays on its record's line.
  const text = (typeof r.msg === 'string' ? r.msg : JSON.stringify(r.msg)).replace(/\r?\n$/, '').replace(/\r?\n/g, ' ').replace(/\r$/, '');
  return DEVICE_LEVELS.has(r.lvl) ? text : `LAVA ${r.lvl}: ${text}`;
}

/** Reads a LAVA job log chunk by chunk; each call returns the console lines of the records it completed. */
export class LavaLogReader {
  private readonly lines = new TextLines(MAX_LINE_CHARS);

  push(chunk: Uint8Array): string {
    return this.lines.push(chunk, consoleLine);
  }

  end(): string {
    return this.lines.end(consoleLine);
  }
}

const consoleLine = (line: string): string => `${lavaLine(line)}\n`;
