import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LspciParser, scoreLspci } from '../../../../main/core/ingest/context/lspci';
import { SAMPLES_DIR } from '../../../../main/services/paths';

// `lspci -nnvv` output format: pciutils lspci.c (show_bases: "Region %d: Memory at %08x (%s-bit, %sprefetchable) [size=%s]").
const GPU = `0000:01:00.0 3D controller [0302]: NVIDIA Corporation GA102GL [A10] [10de:2236] (rev a1)
	Subsystem: NVIDIA Corporation GA102GL [A10] [10de:1482]
	Region 0: Memory at 10000000 (32-bit, non-prefetchable) [size=16M]
	Region 1: Memory at 280000000000 (64-bit, prefetchable) [size=32G]
	Region 3: Memory at 280800000000 (64-bit, prefetchable) [disabled] [size=32M]
	Region 5: I/O ports at 1000 [size=128]
	Kernel driver in use: vfio-pci

01:00.1 Audio device [0403]: NVIDIA Corporation GA102 High Definition Audio Controller [10de:1aef] (rev a1)
	Region 0: Memory at 11000000 (32-bit, non-prefetchable) [size=16K]
	Kernel driver in use: snd_hda_intel
`;

function parse(text: string) {
  const p = new LspciParser();
  for (const l of text.split('\n')) p.line(l);
  return p.end();
}

describe('LspciParser', () => {
  it('reads the address, class, ids, memory BARs (sizes with binary units) and driver', () => {
    const [gpu, audio] = parse(GPU);
    expect(gpu).toEqual({
      bdf: '0000:01:00.0',
      description: '3D controller: NVIDIA Corporation GA102GL [A10]',
      vendorDevice: '10de:2236',
      driver: 'vfio-pci',
      bars: [
        { index: 0, address: 0x10000000n, size: 16n << 20n, prefetchable: false, is64: false },
        { index: 1, address: 0x280000000000n, size: 32n << 30n, prefetchable: true, is64: true },
        { index: 3, address: 0x280800000000n, size: 32n << 20n, prefetchable: true, is64: true },
      ],
    });
    expect(audio?.bdf).toBe('0000:01:00.1');
    expect(audio?.bars[0]?.size).toBe(16n << 10n);
  });

  it('sniffs lspci output from its content', () => {
    expect(scoreLspci(GPU.split('\n'))).toBeGreaterThan(0.9);
    expect(scoreLspci(['[    0.000000] Booting Linux on physical CPU 0x0'])).toBe(0);
  });

  it('reads the embedded sample\'s GPU bound to vfio-pci', () => {
    const devices = parse(readFileSync(join(SAMPLES_DIR, 'gpu-passthrough-6.1', 'sos_commands/pci/lspci_-nnvv'), 'utf8'));
    const gpu = devices.find((d) => d.driver === 'vfio-pci');
    expect(gpu?.vendorDevice).toBe('10de:2236');
    expect(gpu?.bars.find((b) => b.index === 1)).toEqual({ index: 1, address: 0x280000000000n, size: 32n << 30n, prefetchable: true, is64: true });
  });
});
