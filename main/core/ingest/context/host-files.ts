// Small host files of a support bundle, read from their content:
//   uname -a (sos_commands/kernel/uname_-a):
//     Linux host1 6.1.0-18-arm64 #1 SMP Debian 6.1.76-1 (2024-02-01) aarch64 GNU/Linux
//   /proc/version:
//     Linux version 6.1.0-18-arm64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP Debian 6.1.76-1 (2024-02-01)
//   /proc/cmdline:
//     BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-arm64 root=UUID=0b5c... ro quiet iommu.passthrough=0
//   libvirt's live domain status (/run/libvirt/qemu/<vm>.xml, libvirt src/qemu/qemu_domain.c
//   qemuDomainObjPrivateXMLFormat): the QEMU pid and one pid per vCPU thread:
//     <domstatus state='running' reason='booted' pid='4321'> ... <name>gpu-vm</name> ...
//     <vcpus> <vcpu id='0' pid='4325'/> ... </vcpus>
import type { VmProcess } from '../fault-record';

// `Linux <nodename> <release> #<version...> <machine> GNU/Linux`
const UNAME_RE = /^Linux (\S+) (\d+\.\d+\S*) (#.*)$/;
const PROC_VERSION_RE = /^Linux version (\d+\.\d+\S*) /;
// A kernel command line: space-separated words, most of them `key=value` or well-known flags.
const CMDLINE_WORD_RE = /^(?:[\w.-]+=\S*|ro|rw|quiet|splash|debug|nosmp|single|earlycon|nokaslr)$/;

export type HostFile =
  | { readonly kind: 'uname'; readonly hostname: string; readonly release: string; readonly machine: string | null }
  | { readonly kind: 'proc-version'; readonly release: string }
  | { readonly kind: 'cmdline'; readonly cmdline: string };

function onlyLine(text: string): string | null {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.length === 1 ? lines[0]!.trim() : null;
}

/** Reads a whole small file (its head is all of it); null when it is none of the above. */
export function parseHostFile(text: string): HostFile | null {
  const line = onlyLine(text);
  if (line === null) return null;
  let m = UNAME_RE.exec(line);
  if (m) {
    const words = m[3]!.split(' ');
    const machine = words.length >= 2 && words[words.length - 1] === 'GNU/Linux' ? words[words.length - 2]! : null;
    return { kind: 'uname', hostname: m[1]!, release: m[2]!, machine };
  }
  m = PROC_VERSION_RE.exec(line);
  if (m) return { kind: 'proc-version', release: m[1]! };
  const words = line.split(/\s+/);
  const known = words.filter((w) => CMDLINE_WORD_RE.test(w)).length;
  if (line.length <= 4096 && words.length >= 1 && known === words.length && words.some((w) => /^(root|BOOT_IMAGE|console|init)=/.test(w) || w.includes('='))) {
    return { kind: 'cmdline', cmdline: line };
  }
  return null;
}

export function scoreHostFile(text: string): number {
  return parseHostFile(text) === null ? 0 : 0.9;
}

const DOMSTATUS_RE = /<domstatus\b[^>]*\bpid=['"](\d+)['"]/;
const NAME_RE = /<domain\b[^>]*>[\s\S]*?<name>([^<]+)<\/name>/;
const VCPU_RE = /<vcpu id=['"](\d+)['"] pid=['"](\d+)['"]/g;

/** libvirt domain status XML -> the VM process and its vCPU threads; null when not such a file. */
export function parseLibvirtStatus(text: string): VmProcess | null {
  const pid = DOMSTATUS_RE.exec(text);
  if (!pid) return null;
  const name = NAME_RE.exec(text);
  const vcpus = [...text.matchAll(VCPU_RE)].map((m) => ({ index: Number(m[1]), tid: Number(m[2]) }));
  return { pid: Number(pid[1]), name: name ? name[1]!.trim() : null, vcpus };
}

export function scoreLibvirtStatus(head: string): number {
  return /<domstatus\b/.test(head) ? 0.95 : 0;
}

// A kernel build configuration (/boot/config-<release>, sosreport boot/): the page size and VA size the
// host kernel was built with (arch/arm64/Kconfig: ARM64_PAGE_SHIFT 12/14/16, ARM64_VA_BITS).
//   # Automatically generated file; DO NOT EDIT.
//   CONFIG_ARM64_PAGE_SHIFT=12
//   CONFIG_ARM64_VA_BITS=48
const CONFIG_LINE_RE = /^(?:CONFIG_[A-Z0-9_]+=|# CONFIG_[A-Z0-9_]+ is not set)/;

export function scoreKernelConfig(lines: readonly string[]): number {
  const sample = lines.filter((l) => l.trim() !== '' && !/^#\s*$/.test(l)).slice(0, 200);
  if (sample.length === 0) return 0;
  const config = sample.filter((l) => CONFIG_LINE_RE.test(l) || l.startsWith('# Automatically generated file')).length;
  return config / sample.length >= 0.6 ? 0.9 : 0;
}

export interface KernelConfigFacts {
  pageSizeKiB: number | null;
  vaBits: number | null;
}

/** Reads one line of a kernel config into `facts`. */
export function readKernelConfigLine(line: string, facts: KernelConfigFacts): void {
  const m = /^CONFIG_ARM64_(PAGE_SHIFT|VA_BITS)=(\d+)$/.exec(line);
  if (!m) return;
  if (m[1] === 'PAGE_SHIFT') facts.pageSizeKiB = 2 ** Number(m[2]) / 1024;
  else facts.vaBits = Number(m[2]);
}
