// `faultline replay`: runs access scenarios through the two-stage MMU model and prints each outcome (ok with
// IPA/PA and attributes, or the fault with its synthesized ESR, and what KVM does about it). Input: one JSON
// scenario, a JSON array of them, or JSON Lines, from a file or stdin. The JSON output shape is a contract
// (main/core/mmu/json.ts outcomeToJson).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { toHex } from '../../core/hex';
import { outcomeToJson } from '../../core/mmu/json';
import { replayAccess, type ReplayOutcome } from '../../core/mmu/replay';
import { parseScenario } from '../../core/mmu/scenario-parse';
import { describeAttrs } from '../../core/mmu/types';
import { err, ok, type Result } from '../../core/result';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand, type CliIo } from '../types';
import { LineWriter } from '../output';

const help = `Usage: faultline replay [FILE|-] [--json]

Replays memory accesses through Faultline's model of the arm64 two-stage MMU (stage-1 MAIR attributes or
table walks, stage-2 MemAttr or VTCR/VTTBR walks, alignment and permission checks in the architectural
priority order) and prints the outcome: ok with IPA, PA, memory type and shareability, or the fault with
stage, type, level, DFSC, WnR, S1PTW, the synthesized ESR (ISV = 0), FAR, HPFAR_EL2, and KVM's path and
message for the given host kernel. IMPLEMENTATION DEFINED and CONSTRAINED UNPREDICTABLE cases list every
possibility instead of guessing.

Input (FILE, or stdin when absent or "-"): one scenario object, a JSON array of them, or JSON Lines:
  {"mode": "attrs", "sctlr_el1": {"M": 1}, "hcr_el2": {"VM": 1, "FWB": 0},
   "stage1": {"mair_attr": "0x44"}, "stage2": {"memattr": "0b0001"},
   "access": {"kind": "store", "va": "0x10001001", "size": 8, "el": 1}, "kvm": {"kernel": "6.1"}}
Access kinds: load store load_pair store_pair simd_load simd_store exclusive_load exclusive_store
atomic_rmw load_acquire store_release dc_zva dc_civac ifetch. Walk mode takes tcr_el1/ttbr0_el1/mair_el1 and
vtcr_el2/vttbr_el2 with "tables": {"<descriptor address>": "<descriptor>"}.

Options:
  --json   one JSON outcome per scenario, one per line (default: text)
`;

/** Splits the input into scenario values: an array, one object, or JSON Lines. */
export function splitScenarios(text: string): Result<unknown[]> {
  const t = text.trim();
  if (t === '') return err('no input');
  try {
    const v: unknown = JSON.parse(t);
    return ok(Array.isArray(v) ? v : [v]);
  } catch {
    // Not one JSON value: JSON Lines.
  }
  const out: unknown[] = [];
  for (const [i, line] of t.split('\n').entries()) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      return err(`line ${i + 1}: not JSON`);
    }
  }
  return ok(out);
}

/** The text rendering of one outcome. */
export function renderOutcome(o: ReplayOutcome): string {
  const hex = (v: bigint | null): string => (v === null ? '-' : toHex(v));
  if (o.outcome === 'ok') {
    const attrs = o.memattrs ? `${describeAttrs(o.memattrs)}, ${o.memattrs.shareability}` : '-';
    return `ok: IPA ${hex(o.ipa)} PA ${hex(o.pa)} ${attrs}\n  (${o.rule})\n`;
  }
  if (o.fault) {
    const f = o.fault;
    const lines = [
      `fault: stage ${f.stage} ${f.type.replace('_', ' ')}${f.level === null ? '' : ` level ${f.level}`}, taken to ${f.takenTo}`,
      `  ESR ${toHex(f.esr)} (EC ${toHex(BigInt(f.ec))}, DFSC ${toHex(BigInt(f.dfsc))}, WnR ${f.wnr ?? 'UNKNOWN'}, S1PTW ${f.s1ptw ? 1 : 0}, CM ${f.cm}), FAR ${hex(f.far)}, HPFAR_EL2 ${f.hpfar === null ? 'not valid' : hex(f.hpfar)}`,
      `  why: ${o.rule}`,
    ];
    if (o.kvm) lines.push(`  KVM: ${o.kvm.text}; ${o.kvm.result}${o.kvm.log ? `\n  kvm [pid]: ${o.kvm.log}` : ''}`);
    return lines.join('\n') + '\n';
  }
  const head = `${o.outcome === 'impdef' ? 'IMPLEMENTATION DEFINED' : 'CONSTRAINED UNPREDICTABLE'}: ${o.rule}`;
  const branches = (o.branches ?? []).map((b) => {
    const choice = Object.entries(b.choices).map(([k, v]) => `${k}=${v}`).join(', ');
    return `  [${choice}] ${renderOutcome(b.outcome).trimEnd().replace(/\n/g, '\n    ')}`;
  });
  return [head, ...branches].join('\n') + '\n';
}

async function readInput(path: string | undefined, io: CliIo): Promise<string> {
  if (path !== undefined && path !== '-') return readFile(resolve(io.cwd, path), 'utf8');
  const parts: string[] = [];
  for await (const chunk of io.stdin) parts.push(typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8'));
  return parts.join('');
}

export const command: CliCommand = {
  name: 'replay',
  help,
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: [...argv], options: { json: { type: 'boolean', default: false } }, strict: true, allowPositionals: true });
    if (positionals.length > 1) throw new UsageError('at most one input file');
    const scenarios = splitScenarios(await readInput(positionals[0], io));
    if (!scenarios.ok) {
      io.stderr.write(`faultline replay: ${scenarios.error}\n`);
      return EXIT_FAILURE;
    }
    const out = new LineWriter(io);
    let failed = false;
    for (const [i, raw] of scenarios.value.entries()) {
      const s = parseScenario(raw);
      if (!s.ok) {
        failed = true;
        io.stderr.write(`faultline replay: scenario ${i + 1}: ${s.error}\n`);
        if (values.json) await out.line(JSON.stringify({ error: s.error }));
        continue;
      }
      const o = replayAccess(s.value);
      await out.line(values.json ? JSON.stringify(outcomeToJson(o)) : renderOutcome(o).trimEnd());
    }
    await out.flush();
    return failed ? EXIT_FAILURE : EXIT_OK;
  },
};
