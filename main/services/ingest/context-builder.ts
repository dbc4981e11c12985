// The bundle's BundleContext, merged from what every importer found: kernels in the order seen, the first
// hostname/CPU/paging/command line (a disagreement is a diagnostic), PCI devices by address, VMs by pid.
import { EMPTY_CONTEXT, type BundleContext, type PciDevice, type VmProcess } from '../../core/ingest/fault-record';
import type { ContextSink } from './importer';

export class ContextBuilder implements ContextSink {
  private hostname: string | null = null;
  private readonly kernels: string[] = [];
  private midr: string | null = null;
  private cpuDescription: string | null = null;
  private pageSizeKiB: number | null = null;
  private vaBits: number | null = null;
  private cmdline: string | null = null;
  private readonly pci = new Map<string, PciDevice>();
  private readonly vms = new Map<number, VmProcess>();

  constructor(private readonly conflict: (what: string) => void) {}

  addKernel(release: string): void {
    if (!this.kernels.includes(release)) this.kernels.push(release);
  }

  setHostname(name: string): void {
    if (this.hostname === null) this.hostname = name;
    else if (this.hostname !== name) this.conflict(`hostname ${name} (kept ${this.hostname})`);
  }

  setCpu(midr: string | null, description: string | null): void {
    if (this.midr === null) {
      this.midr = midr;
      this.cpuDescription = description;
    } else if (midr !== null && midr !== this.midr) {
      this.conflict(`CPU MIDR ${midr} (kept ${this.midr}; heterogeneous CPUs?)`);
    }
  }

  setPaging(pageSizeKiB: number | null, vaBits: number | null): void {
    this.pageSizeKiB ??= pageSizeKiB;
    this.vaBits ??= vaBits;
  }

  setCmdline(cmdline: string): void {
    this.cmdline ??= cmdline;
  }

  addPciDevice(device: PciDevice): void {
    if (!this.pci.has(device.bdf)) this.pci.set(device.bdf, device);
  }

  addVm(vm: VmProcess): void {
    const known = this.vms.get(vm.pid);
    if (known === undefined) {
      this.vms.set(vm.pid, vm);
      return;
    }
    const vcpus = [...known.vcpus];
    for (const v of vm.vcpus) if (!vcpus.some((k) => k.tid === v.tid)) vcpus.push(v);
    this.vms.set(vm.pid, { pid: vm.pid, name: known.name ?? vm.name, vcpus });
  }

  get kernelList(): readonly string[] {
    return this.kernels;
  }

  build(): BundleContext {
    return {
      ...EMPTY_CONTEXT,
      hostname: this.hostname,
      kernels: [...this.kernels],
      midr: this.midr,
      cpuDescription: this.cpuDescription,
      pageSizeKiB: this.pageSizeKiB,
      vaBits: this.vaBits,
      cmdline: this.cmdline,
      pciDevices: [...this.pci.values()].sort((a, b) => (a.bdf < b.bdf ? -1 : 1)),
      vms: [...this.vms.values()].sort((a, b) => a.pid - b.pid),
    };
  }
}

/** BundleContext as JSON: 64-bit values (BAR addresses and sizes) as lower-case hex strings. */
export function contextToJson(context: BundleContext): string {
  return JSON.stringify(context, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v));
}
