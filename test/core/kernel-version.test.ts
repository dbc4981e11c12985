// Kernel release strings from real logs (../shared/samples/logs/INDEX.md) and distro conventions.
import { describe, expect, it } from 'vitest';
import { compareKernelVersions, kernelAtLeast, kernelSeries, parseKernelVersion, parseKernelVersionCached, versionAtLeast } from '../../main/core/kernel-version';

describe('parseKernelVersion', () => {
  it('reads the releases found in the sample logs', () => {
    expect(parseKernelVersion('5.12.0-rc3-00005-gc572b99cf65b-dirty')).toMatchObject({ major: 5, minor: 12, patch: 0, rc: 3, suffix: '-00005-gc572b99cf65b-dirty', distro: false });
    expect(parseKernelVersion('5.2.0-rt1-00008-g5bc0332820fd')).toMatchObject({ major: 5, minor: 2, patch: 0, rc: null });
    expect(parseKernelVersion('6.1.45-v8-gdc69f9d60872')).toMatchObject({ major: 6, minor: 1, patch: 45 });
    expect(parseKernelVersion('5.6.17+')).toMatchObject({ major: 5, minor: 6, patch: 17, suffix: '+' });
    expect(parseKernelVersion('6.1.0-18-arm64')).toMatchObject({ major: 6, minor: 1, patch: 0, suffix: '-18-arm64' });
  });

  it('accepts versions as people write them, flags distro kernels, and refuses non-versions', () => {
    expect(parseKernelVersion('v6.9')).toMatchObject({ major: 6, minor: 9, patch: 0, rc: null });
    expect(parseKernelVersion('6.9-rc1')).toMatchObject({ major: 6, minor: 9, rc: 1 });
    expect(parseKernelVersion('5.14.0-362.8.1.el9_3.aarch64')?.distro).toBe(true);
    expect(parseKernelVersion('arm64')).toBeNull();
  });
});

describe('comparing', () => {
  it('orders by major, minor, patch, with release candidates before their release', () => {
    const v = (s: string) => parseKernelVersion(s) as NonNullable<ReturnType<typeof parseKernelVersion>>;
    expect(compareKernelVersions(v('6.8.12'), v('6.9'))).toBeLessThan(0);
    expect(compareKernelVersions(v('6.9-rc7'), v('6.9'))).toBeLessThan(0);
    expect(compareKernelVersions(v('6.10'), v('6.9'))).toBeGreaterThan(0);
    expect(compareKernelVersions(v('6.1.0-18-arm64'), v('6.1'))).toBe(0);
  });

  it('kernelAtLeast counts a release candidate of X.Y as containing what X.Y merged', () => {
    expect(kernelAtLeast('6.9-rc2', '6.9')).toBe(true);
    expect(kernelAtLeast('6.8.12', '6.9')).toBe(false);
    expect(kernelAtLeast('6.1.0-18-arm64', '6.9')).toBe(false);
    expect(kernelAtLeast('6.17.0', '6.17')).toBe(true);
    expect(kernelAtLeast('unknown', '6.9')).toBeNull();
    expect(kernelSeries('5.12.0-rc3-00005-gc572b99cf65b-dirty')).toBe('5.12');
  });
});

describe('one parser for the whole core', () => {
  it('versionAtLeast compares MAJOR.MINOR(.PATCH) and counts release candidates of that release', () => {
    const v = (s: string) => parseKernelVersion(s) as NonNullable<ReturnType<typeof parseKernelVersion>>;
    expect(versionAtLeast(v('6.9-rc1'), 6, 9)).toBe(true);
    expect(versionAtLeast(v('6.8.12'), 6, 9)).toBe(false);
    expect(versionAtLeast(v('7.0'), 6, 13)).toBe(true);
    expect(versionAtLeast(v('6.1.45-v8-gdc69f9d60872'), 6, 1, 46)).toBe(false);
  });

  it('takes an absent version as null, and keeps what follows the version even across lines', () => {
    expect(parseKernelVersion(undefined)).toBeNull();
    expect(parseKernelVersion(null)).toBeNull();
    expect(parseKernelVersion('6.1.0-18-arm64\n#1 SMP')).toMatchObject({ major: 6, minor: 1, patch: 0, suffix: '-18-arm64\n#1 SMP' });
    expect(parseKernelVersionCached('5.4.37-rc1')).toBe(parseKernelVersionCached('5.4.37-rc1'));
  });
});
