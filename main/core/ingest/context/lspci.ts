// `lspci -nnvv` (pciutils ls-kernel.c/lspci.c; sosreport sos_commands/pci/lspci_-nnvv): devices with
// their BARs and the driver bound to them. Only what the context needs is read; other lines are skipped.
// Example (one device; a blank line ends it):
//   0000:01:00.0 3D controller [0302]: NVIDIA Corporation GA100 [A100 PCIe 40GB] [10de:20f1] (rev a1)
//   	Subsystem: NVIDIA Corporation Device [10de:145f]
//   	Region 0: Memory at 10000000 (32-bit, non-prefetchable) [size=16M]
//   	Region 1: Memory at 8000000000 (64-bit, prefetchable) [size=64G]
//   	Region 5: I/O ports at 1000 [size=128]
//   	Region 2: Memory at <unassigned> (64-bit, prefetchable) [disabled]
//   	Kernel driver in use: vfio-pci
import type { PciBar, PciDevice } from '../fault-record';

// `[dddd:]bb:dd.f class [cccc]: description [vvvv:dddd] (rev rr)` (class code and ids only with -nn)
const DEVICE_RE = /^((?:[0-9a-fA-F]{4,8}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]) ([^:]+?)(?: \[([0-9a-fA-F]{4})\])?: (.*?)(?: \[([0-9a-fA-F]{4}):([0-9a-fA-F]{4})\])?(?: \(rev ([0-9a-fA-F]{2})\))?(?: \(prog-if [^)]*\))?$/;
// `Region 1: Memory at 8000000000 (64-bit, prefetchable) [size=64G]`, with `[disabled]`/`[virtual]` flags
const REGION_RE = /^\s+Region (\d+): Memory at ([0-9a-fA-F]+) \((32|64)-bit, (non-prefetchable|prefetchable)\)((?: \[[a-z ]+\])*) ?\[size=(\d+)([KMGT]?)\]/;
const DRIVER_RE = /^\s+Kernel driver in use: (\S+)/;

const UNIT: Readonly<Record<string, bigint>> = { '': 1n, K: 1n << 10n, M: 1n << 20n, G: 1n << 30n, T: 1n << 40n };

interface Building {
  bdf: string;
  description: string;
  vendorDevice: string | null;
  driver: string | null;
  bars: PciBar[];
}

export class LspciParser {
  private current: Building | null = null;
  private readonly devices: PciDevice[] = [];
  unparsed = 0;

  line(text: string): void {
    if (text.trim() === '') {
      this.close();
      return;
    }
    if (!/^\s/.test(text)) {
      this.close();
      const m = DEVICE_RE.exec(text);
      if (!m) {
        this.unparsed++;
        return;
      }
      const bdf = m[1]!.length > 7 ? m[1]! : `0000:${m[1]!}`;
      this.current = {
        bdf: bdf.toLowerCase(),
        description: `${m[2]!}: ${m[4]!}`,
        vendorDevice: m[5] !== undefined ? `${m[5].toLowerCase()}:${m[6]!.toLowerCase()}` : null,
        driver: null,
        bars: [],
      };
      return;
    }
    const c = this.current;
    if (c === null) return;
    let m = REGION_RE.exec(text);
    if (m) {
      c.bars.push({
        index: Number(m[1]),
        address: BigInt('0x' + m[2]!),
        size: BigInt(m[6]!) * UNIT[m[7]!]!,
        prefetchable: m[4] === 'prefetchable',
        is64: m[3] === '64',
      });
      return;
    }
    m = DRIVER_RE.exec(text);
    if (m) c.driver = m[1]!;
  }

  /** The devices read so far (call after the last line). */
  end(): readonly PciDevice[] {
    this.close();
    return this.devices;
  }

  private close(): void {
    if (this.current !== null) this.devices.push(this.current);
    this.current = null;
  }
}

/** Content sniff: a device header line followed by tab-indented detail lines. */
export function scoreLspci(lines: readonly string[]): number {
  const first = lines.find((l) => l.trim() !== '');
  if (first === undefined || !DEVICE_RE.test(first)) return 0;
  const detail = lines.slice(0, 50).filter((l) => /^\t\S/.test(l)).length;
  return detail > 0 ? 0.95 : 0.6;
}
