// `faultline combine`: the memory type a stage-1 MAIR attribute and a stage-2 MemAttr combine to (with or
// without FEAT_S2FWB), the rule that fired and the alignment consequence. Arguments for one pair, or JSON Lines
// on stdin for many (batch mode). The JSON shape is a contract relied on by scripts (main/core/mmu/json.ts).
import { parseArgs } from 'node:util';
import { combineEncodings, type CombineExplanation } from '../../core/mmu/combine';
import { combineToJson } from '../../core/mmu/json';
import { parseBig } from '../../core/mmu/scenario-parse';
import { describeAttrs, type MemAttrs } from '../../core/mmu/types';
import { toHex } from '../../core/hex';
import { err, ok, type Result } from '../../core/result';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand, type CliIo } from '../types';
import { LineWriter } from '../output';

const help = `Usage: faultline combine --s1 ATTR --s2 MEMATTR [--fwb] [--json]
       faultline combine < pairs.jsonl

Combines a stage-1 memory attribute (a MAIR_ELx.Attr<n> byte, e.g. 0x44 = Normal-NC) with a stage-2
MemAttr (descriptor bits [5:2], e.g. 0b0001 = Device-nGnRE), as the Arm ASL does (S2CombineS1MemAttrs,
or AArch64.S2ApplyFWBMemAttrs with --fwb), and says whether an unaligned access faults and at which stage.

Options:
  --s1 ATTR      the MAIR attribute byte: 0x44, 68 or 0b01000100
  --s2 MEMATTR   the stage-2 MemAttr: 0b0001, 1 or 0x1
  --fwb          HCR_EL2.FWB = 1 (FEAT_S2FWB)
  --json         print the result as JSON

Without --s1/--s2, reads JSON Lines {"s1": "0x44", "s2": "0b0001", "fwb": false} from stdin and prints
one JSON result per line, in order; a bad line prints {"error": "..."} in its place and the exit code is 1.
`;

function parseField(v: unknown, name: string, max: number): Result<number> {
  try {
    const n = parseBig(v, name);
    return n <= BigInt(max) ? ok(Number(n)) : err(`${name}: ${String(v)} is more than ${toHex(BigInt(max))}`);
  } catch (e) {
    return err(e instanceof Error ? e.message : String(e));
  }
}

function side(a: MemAttrs | null): string {
  return a ? describeAttrs(a) : 'reserved encoding (several possibilities)';
}

/** The text rendering of one combination. */
export function renderCombine(s1: number, s2: number, e: CombineExplanation): string {
  const lines = [
    `stage 1  MAIR attr ${toHex(BigInt(s1))}: ${side(e.s1.attrs)}${e.s1.feature ? ` (${e.s1.feature})` : ''}`,
    `stage 2  MemAttr 0b${s2.toString(2).padStart(4, '0')}: ${e.fwb ? 'FWB encoding' : side(e.s2?.attrs ?? null)}`,
    `result   ${e.result ? describeAttrs(e.result) : `one of ${(e.resultOptions ?? []).map(describeAttrs).join(', ')}`}${e.reserved ? '  [reserved encoding]' : ''}`,
    `rule     ${e.rule.text} (${e.rule.asl})`,
    `unaligned accesses: ${e.unalignedAccessFaults ? `alignment fault${e.alignmentFaultStage ? ` at stage ${e.alignmentFaultStage}` : ''}` : 'no alignment fault'}`,
  ];
  return lines.join('\n') + '\n';
}

const jsonCache = new Map<number, string>();

/** One JSON Lines input line -> its output line (memoized on the encoded inputs). */
export function combineLine(line: string): Result<string> {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return err(`not JSON: ${line.slice(0, 80)}`);
  }
  if (typeof obj !== 'object' || obj === null) return err('expected an object {"s1": …, "s2": …, "fwb": …}');
  const o = obj as Record<string, unknown>;
  const s1 = parseField(o['s1'], 's1', 0xff);
  if (!s1.ok) return s1;
  const s2 = parseField(o['s2'], 's2', 0xf);
  if (!s2.ok) return s2;
  const fwb = o['fwb'] === true || o['fwb'] === 1;
  const key = s1.value | (s2.value << 8) | (fwb ? 1 << 12 : 0);
  let text = jsonCache.get(key);
  if (text === undefined) {
    text = JSON.stringify(combineToJson(combineEncodings(s1.value, s2.value, fwb)));
    jsonCache.set(key, text);
  }
  return ok(text);
}

/** Reads stdin as lines (carrying a partial line across chunks) and calls `each` per non-empty line. */
export async function forEachStdinLine(io: CliIo, each: (line: string, n: number) => Promise<void>): Promise<void> {
  let carry = '';
  let n = 0;
  for await (const chunk of io.stdin) {
    const text = carry + (typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8'));
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    for (const l of lines) {
      n++;
      if (l.trim() !== '') await each(l, n);
    }
  }
  if (carry.trim() !== '') await each(carry, n + 1);
}

async function batch(io: CliIo): Promise<number> {
  const out = new LineWriter(io);
  let failed = false;
  await forEachStdinLine(io, async (line, n) => {
    const r = combineLine(line);
    if (r.ok) return out.line(r.value);
    failed = true;
    io.stderr.write(`faultline combine: line ${n}: ${r.error}\n`);
    return out.line(JSON.stringify({ error: r.error }));
  });
  await out.flush();
  return failed ? EXIT_FAILURE : EXIT_OK;
}

export const command: CliCommand = {
  name: 'combine',
  help,
  async run(argv, io) {
    const { values } = parseArgs({
      args: [...argv],
      options: { s1: { type: 'string' }, s2: { type: 'string' }, fwb: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
      strict: true,
      allowPositionals: false,
    });
    if (values.s1 === undefined && values.s2 === undefined) return batch(io);
    if (values.s1 === undefined || values.s2 === undefined) throw new UsageError('--s1 and --s2 go together (or neither, to read JSON Lines from stdin)');
    const s1 = parseField(values.s1, '--s1', 0xff);
    const s2 = parseField(values.s2, '--s2', 0xf);
    if (!s1.ok) throw new UsageError(s1.error);
    if (!s2.ok) throw new UsageError(s2.error);
    const e = combineEncodings(s1.value, s2.value, values.fwb);
    io.stdout.write(values.json ? JSON.stringify(combineToJson(e)) + '\n' : renderCombine(s1.value, s2.value, e));
    return EXIT_OK;
  },
};
