// The kernel's own "Mem abort info" block for a value, per kernel generation, so that a decode can be laid
// next to what a log printed (or a report can show what the kernel would have printed).
//
// Source: Linux arch/arm64/mm/fault.c mem_abort_decode() and data_abort_decode(), by release:
// <5.4 "  ESR = 0x%08x" + "  Exception class = %s, IL = %u bits"; 5.4 "  EC = 0x%02lx: %s, IL = %u bits";
// 5.12 adds "  FSC = 0x%02x: %s"; 5.19 prints "  ESR = 0x%016lx"; 6.7 prints ISS2 in the ISV=0 line,
// "  CM = %lu, WnR = %lu, TnD = %lu, TagAccess = %lu" and "  GCS = %ld, Overlay = %lu, DirtyBit = %lu,
// Xs = %llu". "Data abort info:" only for EC 0x24/0x25 (esr_is_data_abort()). Field values are the raw bits.

import { kernelClassName, kernelFaultName, memAbortLayout, type MemAbortLayout } from './kernel-names';
import type { EsrDecode } from './types';

export interface MemAbortOptions {
  /** Kernel release whose layout and names to use (default: the decode's, else the newest modelled). */
  readonly kernel?: string;
}

const hex8 = (v: number): string => v.toString(16).padStart(8, '0');
const bitOf = (word: number, n: number): number => (word >>> n) & 1;

function dataAbortLines(d: EsrDecode, gen: MemAbortLayout): string[] {
  const iss = d.iss;
  const iss2 = d.iss2;
  const lines = ['Data abort info:'];
  if (iss & 0x1000000) {
    lines.push(`  Access size = ${1 << ((iss >>> 22) & 3)} byte(s)`);
    lines.push(`  SSE = ${bitOf(iss, 21)}, SRT = ${(iss >>> 16) & 0x1f}`);
    lines.push(`  SF = ${bitOf(iss, 15)}, AR = ${bitOf(iss, 14)}`);
  } else if (gen === 'v6.7') {
    lines.push(`  ISV = 0, ISS = 0x${hex8(iss)}, ISS2 = 0x${hex8(iss2)}`);
  } else {
    lines.push(`  ISV = 0, ISS = 0x${hex8(iss)}`);
  }
  if (gen === 'v6.7') {
    lines.push(`  CM = ${bitOf(iss, 8)}, WnR = ${bitOf(iss, 6)}, TnD = ${bitOf(iss2, 10)}, TagAccess = ${bitOf(iss2, 9)}`);
    lines.push(`  GCS = ${bitOf(iss2, 8)}, Overlay = ${bitOf(iss2, 6)}, DirtyBit = ${bitOf(iss2, 5)}, Xs = ${iss2 & 0x1f}`);
  } else {
    lines.push(`  CM = ${bitOf(iss, 8)}, WnR = ${bitOf(iss, 6)}`);
  }
  return lines;
}

/** The "Mem abort info:" block (and "Data abort info:" for data aborts) as that kernel prints it. */
export function renderMemAbortInfo(d: EsrDecode, opts: MemAbortOptions = {}): string {
  const kernel = opts.kernel ?? d.kernel.version ?? undefined;
  const gen = memAbortLayout(kernel);
  const iss = d.iss;
  const lo32 = Number(d.esr & 0xffffffffn) >>> 0;
  const cls = kernelClassName(d.ec, kernel);
  const il = d.il ? 32 : 16;
  const lines = ['Mem abort info:'];
  lines.push(gen === 'v5.19' || gen === 'v6.7' ? `  ESR = 0x${d.esr.toString(16).padStart(16, '0')}` : `  ESR = 0x${hex8(lo32)}`);
  lines.push(gen === 'v4' ? `  Exception class = ${cls}, IL = ${il} bits` : `  EC = 0x${d.ec.toString(16).padStart(2, '0')}: ${cls}, IL = ${il} bits`);
  lines.push(`  SET = ${(iss >>> 11) & 3}, FnV = ${bitOf(iss, 10)}`);
  lines.push(`  EA = ${bitOf(iss, 9)}, S1PTW = ${bitOf(iss, 7)}`);
  if (gen !== 'v4' && gen !== 'v5.4') {
    lines.push(`  FSC = 0x${(iss & 0x3f).toString(16).padStart(2, '0')}: ${kernelFaultName(iss & 0x3f, kernel)}`);
  }
  if (d.ec === 0x24 || d.ec === 0x25) lines.push(...dataAbortLines(d, gen));
  return lines.join('\n') + '\n';
}
