import { describe, expect, it } from 'vitest';
import { formatSize, readContext } from '../../../renderer/state/bundle-context';

describe('readContext', () => {
  it('reads the ingest context JSON (bigints as hex strings)', () => {
    const c = readContext({
      hostname: 'gpu-host-01',
      kernels: ['6.1.0-18-arm64'],
      midr: '0x413fd0c1',
      cpuDescription: 'Neoverse-N1',
      pageSizeKiB: 4,
      vaBits: 48,
      cmdline: null,
      pciDevices: [
        {
          bdf: '0000:01:00.0',
          description: 'VGA compatible controller: NVIDIA Corporation',
          vendorDevice: '10de:2236',
          driver: 'vfio-pci',
          bars: [{ index: 1, address: '0x8000000000', size: '0x400000000', prefetchable: true, is64: true }],
        },
      ],
      vms: [{ pid: 4242, name: 'guest0', vcpus: [{ tid: 4250, index: 0 }] }],
    });
    expect(c.hostname).toBe('gpu-host-01');
    expect(c.pciDevices[0]?.bars[0]).toEqual({ index: 1, address: '0x8000000000', size: '0x400000000', prefetchable: true, is64: true });
    expect(c.vms[0]?.vcpus).toEqual([{ tid: 4250, index: 0 }]);
  });

  it('turns anything malformed into nulls and empty lists', () => {
    const c = readContext({ hostname: 7, kernels: 'x', pciDevices: [{ nobdf: true }, 3], vms: [{ pid: 'no' }] });
    expect(c).toMatchObject({ hostname: null, kernels: [], pciDevices: [], vms: [] });
    expect(readContext(null).kernels).toEqual([]);
  });
});

describe('formatSize', () => {
  it('prints BAR sizes the way lspci does', () => {
    expect(formatSize('0x400000000')).toBe('16G');
    expect(formatSize('0x1000000')).toBe('16M');
    expect(formatSize('0x4000')).toBe('16K');
    expect(formatSize('0x1001')).toBe('4097');
  });
});
