// A readable field tree of a decode, for the CLI and plain-text reports. It only renders the decode.

import type { EsrDecode, EsrField, KvmView } from './types';

function range(f: EsrField): string {
  return f.hi === f.lo ? `[${f.hi}]` : `[${f.hi}:${f.lo}]`;
}

function valueText(f: EsrField): string {
  return f.hi === f.lo ? String(f.value) : `0x${f.value.toString(16)}`;
}

function fieldLine(f: EsrField, indent: string): string {
  const mark = f.meaningful || f.name === 'RES0' ? ' ' : '-';
  return `${indent}${mark}${f.name.padEnd(12)} ${range(f).padEnd(8)} ${valueText(f).padEnd(10)} ${f.meaning}`;
}

function fieldLines(fields: readonly EsrField[], indent: string): string[] {
  const out: string[] = [];
  for (const f of fields) {
    if (f.name === 'RES0' && f.value === 0) continue;
    if (f.name === 'ISS2' && f.value === 0) {
      out.push(`${indent} ${'ISS2'.padEnd(12)} ${range(f).padEnd(8)} 0x0`);
      continue;
    }
    out.push(fieldLine(f, indent));
    out.push(...fieldLines(f.children, indent + '    '));
  }
  return out;
}

function kvmLines(k: KvmView): string[] {
  const out = [`KVM (${k.generation}): ${k.handler} -> ${k.path}`, `  ${k.summary}`];
  if (k.message) out.push(...k.message.split('\n').map((l) => `  prints: ${l}`));
  if (k.errno) out.push(`  KVM_RUN fails with -${k.errno}${k.vmm ? `; QEMU: "${k.vmm}"` : ''}`);
  for (const o of k.outcomes) {
    out.push(`  if ${o.when}: ${o.outcome}`);
    if (o.message) out.push(`    prints: ${o.message}`);
  }
  return out;
}

function detailLines(d: EsrDecode): string[] {
  const out: string[] = [];
  if (d.fsc) {
    const level = d.fsc.level === null ? '' : `, level ${d.fsc.level}`;
    out.push(`Fault: 0x${d.fsc.code.toString(16).padStart(2, '0')} ${d.fsc.meaning} (${d.fsc.type}${level}${d.fsc.reserved ? ', reserved' : ''})`);
  }
  if (d.sysreg) {
    const s = d.sysreg;
    out.push(`System register: ${s.name}${s.impdef ? ' (IMPLEMENTATION DEFINED space)' : ''}: ${s.instruction}`);
    out.push(`  KVM table line:${s.kvmLine}`);
  }
  if (d.brk) {
    const b = d.brk;
    out.push(`BRK #0x${b.immediate.toString(16)}: ${b.meaning ?? 'not an immediate Linux uses'}${b.constant ? ` (${b.constant})` : ''}${b.detail ? `; ${b.detail}` : ''}`);
  }
  if (d.serror) out.push(`SError: ${d.serror.severity}: ${d.serror.description}. Linux ${d.serror.linuxPanics ? 'panics' : 'carries on'}: ${d.serror.linuxReason}`);
  const k = d.kernel;
  out.push(`Kernel${k.version ? ` ${k.version}` : ''} prints: "${k.className}"${k.faultName ? `, "${k.faultName}"` : ''}`);
  const a = d.addresses;
  if (a.far !== null) out.push(`FAR: 0x${a.far.toString(16)}${a.farValid === false ? ' (not valid: FnV=1)' : ''}`);
  if (a.ipa !== null) out.push(`IPA: 0x${a.ipa.toString(16)}${a.ipaValid === false ? ' (HPFAR_EL2 UNKNOWN for this fault)' : ''}`);
  if (d.kvm) out.push(...kvmLines(d.kvm));
  return out;
}

/** The field tree (Arm ARM bit order; `-` marks fields that are not meaningful), then what it adds up to. */
export function renderEsrTree(d: EsrDecode): string {
  const title = d.ecInfo.name ? `${d.ecInfo.name}: ${d.ecInfo.description}` : d.ecInfo.description;
  const lines = [`ESR 0x${d.esr.toString(16)}${d.el ? ` (ESR_EL${d.el})` : ''}  ${title}`];
  lines.push(...fieldLines(d.fields, '  '));
  lines.push(...detailLines(d));
  if (d.warnings.length) lines.push('Warnings:', ...d.warnings.map((w) => `  ! ${w}`));
  return lines.join('\n') + '\n';
}
