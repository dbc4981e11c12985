// The bundle's context (hostname, kernels, CPU, PCI devices, VMs) as bundles:get carries it: the ingest's
// BundleContext (main/core/ingest/fault-record.ts) as JSON with 64-bit values as hex strings. Read
// defensively: a field that is missing or of another type becomes null / empty, never an exception.

export interface PciBarView {
  readonly index: number;
  readonly address: string;
  readonly size: string;
  readonly prefetchable: boolean;
  readonly is64: boolean;
}
export interface PciDeviceView {
  readonly bdf: string;
  readonly description: string;
  readonly vendorDevice: string | null;
  readonly driver: string | null;
  readonly bars: readonly PciBarView[];
}
export interface VmView {
  readonly pid: number;
  readonly name: string | null;
  readonly vcpus: readonly { readonly tid: number; readonly index: number | null }[];
}
export interface ContextView {
  readonly hostname: string | null;
  readonly kernels: readonly string[];
  readonly midr: string | null;
  readonly cpuDescription: string | null;
  readonly pageSizeKiB: number | null;
  readonly vaBits: number | null;
  readonly cmdline: string | null;
  readonly pciDevices: readonly PciDeviceView[];
  readonly vms: readonly VmView[];
}

type Obj = Readonly<Record<string, unknown>>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const hex = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? `0x${v.toString(16)}` : '?');
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

function readBar(v: unknown): PciBarView | null {
  if (!isObj(v)) return null;
  return { index: num(v['index']) ?? 0, address: hex(v['address']), size: hex(v['size']), prefetchable: v['prefetchable'] === true, is64: v['is64'] === true };
}

function readDevice(v: unknown): PciDeviceView | null {
  if (!isObj(v) || !str(v['bdf'])) return null;
  return {
    bdf: str(v['bdf']) as string,
    description: str(v['description']) ?? '',
    vendorDevice: str(v['vendorDevice']),
    driver: str(v['driver']),
    bars: arr(v['bars']).map(readBar).filter((b): b is PciBarView => b !== null),
  };
}

function readVm(v: unknown): VmView | null {
  if (!isObj(v) || num(v['pid']) === null) return null;
  const vcpus = arr(v['vcpus'])
    .filter(isObj)
    .map((c) => ({ tid: num(c['tid']) ?? 0, index: num(c['index']) }));
  return { pid: num(v['pid']) as number, name: str(v['name']), vcpus };
}

export function readContext(raw: unknown): ContextView {
  const c = isObj(raw) ? raw : {};
  return {
    hostname: str(c['hostname']),
    kernels: arr(c['kernels']).filter((k): k is string => typeof k === 'string'),
    midr: str(c['midr']),
    cpuDescription: str(c['cpuDescription']),
    pageSizeKiB: num(c['pageSizeKiB']),
    vaBits: num(c['vaBits']),
    cmdline: str(c['cmdline']),
    pciDevices: arr(c['pciDevices']).map(readDevice).filter((d): d is PciDeviceView => d !== null),
    vms: arr(c['vms']).map(readVm).filter((v): v is VmView => v !== null),
  };
}

/** A BAR size as people write it (lspci's `[size=16G]`): the largest binary unit that divides it. */
export function formatSize(hexSize: string): string {
  let n: bigint;
  try {
    n = BigInt(hexSize);
  } catch {
    return hexSize;
  }
  const units: readonly [bigint, string][] = [
    [1n << 40n, 'T'],
    [1n << 30n, 'G'],
    [1n << 20n, 'M'],
    [1n << 10n, 'K'],
  ];
  for (const [u, s] of units) if (n >= u && n % u === 0n) return `${n / u}${s}`;
  return `${n}`;
}
