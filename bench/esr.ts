// ESR decoder throughput: in-process (the full decode tree; the --json batch encoder on a log-like corpus and
// on all-distinct values; best of three runs) and end to end through `faultline decode --json` reading stdin
// (timed from the first output byte, so the command's start-up is not counted).
// Targets (issue 3, this 2-core machine): >= 5 M values/s in-process, >= 500,000 values/s through the CLI.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEsrJsonEncoder, decodeEsr, EXCEPTION_CLASSES } from '../main/core/esr/index';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Deterministic PRNG (LCG), so every run decodes the same values. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[r() % list.length] as T;
const ALLOCATED_ECS = EXCEPTION_CLASSES.filter((row) => row.allocated).map((row) => row.code);

// Kinds of ESR a host log carries, with plausible ISS contents (aborts dominate).
const ABORT_FSCS = [0x04, 0x05, 0x06, 0x07, 0x09, 0x0a, 0x0b, 0x0d, 0x0e, 0x0f, 0x10, 0x21];
const BRK_IMMS = [0x800, 0x900, 0x912, 0x5500, 0x8000, 0x8223, 0x004, 0x005];
const SYSREG_ISS = [0x300000, 0x33e002, 0x31c000, 0x33e004, 0x3a9800, 0x30c004, 0x3be002, 0x3d3000];

function realisticEsr(r: () => number): number {
  const kind = r() % 10;
  const ec = (c: number, iss: number): number => ((c << 26) | (1 << 25) | (iss & 0x1ffffff)) >>> 0;
  switch (kind) {
    case 0:
    case 1:
    case 2:
      return ec(pick(r, [0x24, 0x25]), ((r() & 1) << 6) | ((r() % 8 === 0 ? 1 : 0) << 8) | pick(r, ABORT_FSCS));
    case 3:
      return ec(0x24, (1 << 24) | ((r() & 3) << 22) | ((r() & 31) << 16) | (1 << 15) | ((r() & 1) << 6) | pick(r, [0x05, 0x06, 0x07]));
    case 4:
      return ec(pick(r, [0x20, 0x21]), pick(r, [0x05, 0x06, 0x07, 0x0f, 0x10]));
    case 5:
      return ec(0x18, pick(r, SYSREG_ISS) | ((r() & 31) << 5) | (r() & 1));
    case 6:
      return ec(0x3c, pick(r, BRK_IMMS));
    case 7:
      return ec(0x2f, r() & 1 ? 0x1000000 | (r() & 0xff) : 0x11 | (pick(r, [0, 1, 2, 3, 6]) << 10));
    case 8:
      return ec(pick(r, [0x16, 0x15, 0x17]), r() & 0xf);
    default:
      return ec(0x01, r() & 1);
  }
}

/** `count` values drawn from `distinct` realistic ESRs (a log repeats its few ESRs many times). */
function logLikeCorpus(count: number, distinct: number): Uint32Array {
  const r = prng(0x5eed);
  const pool = Array.from({ length: distinct }, () => realisticEsr(r));
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = pool[r() % distinct] as number;
  return out;
}

/**
 * `count` different values (the encoder cache never hits): allocated ECs with random ISS; with `wellFormed`
 * only values the decoder has nothing to warn about (RES0 bits clear, codes allocated).
 */
function distinctCorpus(count: number, wellFormed: boolean): Uint32Array {
  const r = prng(wellFormed ? 0xd15c : 0xbad);
  const seen = new Set<number>();
  const out = new Uint32Array(count);
  for (let n = 0; n < count; ) {
    const v = ((pick(r, ALLOCATED_ECS) << 26) | (1 << 25) | (r() & r() & 0x1ffffff)) >>> 0;
    if (seen.has(v) || (wellFormed && decodeEsr(BigInt(v)).warnings.length > 0)) continue;
    seen.add(v);
    out[n++] = v;
  }
  return out;
}

/** Best of three runs: the machine is shared, a slow run says more about the neighbours than the code. */
function best(measure: () => number): number {
  return Math.max(measure(), measure(), measure());
}

function report(name: string, perSecond: number, target: string): void {
  console.log(`${name.padEnd(44)} ${(perSecond / 1e6).toFixed(2).padStart(7)} M values/s   target ${target}`);
}

/** The batch encoder as the CLI drives it: bytes copied into a 1 MiB buffer. */
function encodeAll(values: Uint32Array): number {
  const encoder = createEsrJsonEncoder();
  const out = new Uint8Array(1 << 20);
  let pos = 0;
  let bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < values.length; i++) {
    const line = encoder.encodeLine(values[i] as number, 0);
    if (pos + line.length > out.length) {
      bytes += pos;
      pos = 0;
    }
    out.set(line, pos);
    pos += line.length;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (bytes + pos === 0) throw new Error('nothing encoded');
  return values.length / seconds;
}

function decodeTreeRate(values: Uint32Array): number {
  const t0 = performance.now();
  let warnings = 0;
  for (let i = 0; i < values.length; i++) warnings += decodeEsr(BigInt(values[i] as number)).warnings.length;
  const seconds = (performance.now() - t0) / 1000;
  return warnings >= 0 ? values.length / seconds : 0;
}

/** True when out/main/cli.js exists and is newer than the decoder's sources (else the bench runs them via tsx). */
function builtIsFresh(): boolean {
  const built = `${ROOT}out/main/cli.js`;
  if (!existsSync(built)) return false;
  const sources = [`${ROOT}main/cli/commands/decode.ts`, ...readdirSync(`${ROOT}main/core/esr`).map((f) => `${ROOT}main/core/esr/${f}`)];
  const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
  return statSync(built).mtimeMs >= newest;
}

/** Pipes the values (hex, one per line) into `faultline decode --json` and counts the lines that come back. */
async function cliRate(values: Uint32Array): Promise<{ rate: number; command: string }> {
  const built = builtIsFresh();
  const [cmd, args] = built
    ? [process.execPath, [`${ROOT}bin/faultline.mjs`, 'decode', '--json']]
    : [process.execPath, ['--import', 'tsx', `${ROOT}main/cli/index.ts`, 'decode', '--json']];
  const input = Buffer.from(Array.from(values, (v) => `0x${v.toString(16)}`).join('\n') + '\n');
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  let lines = 0;
  let first = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    if (first === 0) first = performance.now();
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  });
  child.stdin.end(input);
  const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const end = performance.now();
  if (code !== 0 || lines !== values.length) throw new Error(`decode --json: exit ${code}, ${lines} of ${values.length} lines`);
  // From the first output byte: the command's start-up (tsx compiling TypeScript) is not decoding.
  return { rate: values.length / ((end - first) / 1000), command: built ? 'bin/faultline.mjs' : 'tsx main/cli/index.ts' };
}

export async function run(): Promise<void> {
  const logLike = logLikeCorpus(4_000_000, 4096);
  const wellFormed = distinctCorpus(300_000, true);
  const random = distinctCorpus(300_000, false);
  encodeAll(logLike.subarray(0, 200_000)); // warm-up
  report('esr in-process: --json encoder, log-like', best(() => encodeAll(logLike)), '>= 5 M/s');
  report('esr in-process: --json, all distinct, well-formed', best(() => encodeAll(wellFormed)), '(no cache hits; no target)');
  report('esr in-process: --json, all distinct, random ISS', best(() => encodeAll(random)), '(no cache hits, warnings; no target)');
  report('esr in-process: decodeEsr() full tree', best(() => decodeTreeRate(wellFormed.subarray(0, 100_000))), '(no target)');
  const cli = await cliRate(logLike.subarray(0, 2_000_000));
  report(`esr CLI: ${cli.command} decode --json, log-like`, cli.rate, '>= 0.5 M/s');
  const cliDistinct = await cliRate(wellFormed);
  report(`esr CLI: ${cliDistinct.command} decode --json, distinct`, cliDistinct.rate, '(no cache hits; no target)');
}
