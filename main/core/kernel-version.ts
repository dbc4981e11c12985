// Kernel release strings as bundles carry them (`uname -r`, the Oops header, `/proc/version`), parsed and
// compared. Real examples this must accept (../shared/samples/logs/INDEX.md and distro conventions):
//   6.1.0-18-arm64                      Debian
//   5.12.0-rc3-00005-gc572b99cf65b-dirty  a developer tree (`git describe` suffix, local changes)
//   5.2.0-rt1-00008-g5bc0332820fd       PREEMPT_RT
//   6.1.45-v8-gdc69f9d60872             Raspberry Pi
//   5.6.17+                             a locally built stable kernel
//   5.14.0-362.8.1.el9_3.aarch64        RHEL 9 (heavy backports)
//   v6.9, 6.9-rc1, 6.17                 as people write versions in prose and in tables
//
// A feature merged for release X.Y is present in every X.Y-rcN (it lands in the merge window before -rc1), so
// `kernelAtLeast("6.9-rc2", "6.9")` is true; `compareKernelVersions` still orders 6.9-rc2 before 6.9.

export interface KernelVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Release candidate number, null for a release. */
  readonly rc: number | null;
  /** Everything after the numeric part (`-18-arm64`, `-00005-gc572b99cf65b-dirty`), as found. */
  readonly suffix: string;
  /** Distribution kernels (RHEL/CentOS `el8`, SUSE `-default`, Ubuntu `-generic`…) often carry backports. */
  readonly distro: boolean;
}

// v?MAJOR.MINOR[.PATCH][-rcN][rest] (the rest may span lines: whatever follows the version is kept as found)
const VERSION_RE = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-rc(\d+))?([\s\S]*)$/;
// Suffixes that mark a distribution build (backports make the upstream version only a lower bound).
const DISTRO_RE = /\.el\d|\.fc\d|-generic|-default|-azure|-aws|-oracle|uek|\.amzn|-lts|\.an\d|kylin|openeuler|\.oe\d/i;

/** Parses a kernel release string; null when it does not start with a MAJOR.MINOR version (or is absent). */
export function parseKernelVersion(text: string | null | undefined): KernelVersion | null {
  if (text === null || text === undefined) return null;
  const m = VERSION_RE.exec(text.trim());
  if (!m) return null;
  const suffix = m[5] ?? '';
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: m[3] === undefined ? 0 : Number(m[3]),
    rc: m[4] === undefined ? null : Number(m[4]),
    suffix,
    distro: DISTRO_RE.test(suffix),
  };
}

/** Orders two versions: negative when a < b. Release candidates sort before their release. */
export function compareKernelVersions(a: KernelVersion, b: KernelVersion): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  // A release (rc null) is later than any of its release candidates.
  const rcA = a.rc ?? Number.POSITIVE_INFINITY;
  const rcB = b.rc ?? Number.POSITIVE_INFINITY;
  return rcA === rcB ? 0 : rcA < rcB ? -1 : 1;
}

/**
 * True when `version` contains what mainline merged for `since` (`"6.9"`, `"4.19"`): compares
 * MAJOR.MINOR(.PATCH) and treats release candidates of `since` as containing it. Null when `version` does not
 * parse. Distribution kernels may have backported newer changes: check `parseKernelVersion(v).distro`.
 */
export function kernelAtLeast(version: string, since: string): boolean | null {
  const v = parseKernelVersionCached(version);
  const s = parseKernelVersionCached(since);
  if (!v || !s) return null;
  return versionAtLeast(v, s.major, s.minor, s.patch);
}

/** `v` contains what mainline merged for MAJOR.MINOR(.PATCH): release candidates of that release count. */
export function versionAtLeast(v: KernelVersion, major: number, minor: number, patch = 0): boolean {
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}

// Replays and decodes ask the same few versions millions of times: parse each string once.
const parsed = new Map<string, KernelVersion | null>();
/** parseKernelVersion, memoized per string (the result is shared: it is read-only). */
export function parseKernelVersionCached(text: string | null | undefined): KernelVersion | null {
  if (text === null || text === undefined) return null;
  let v = parsed.get(text);
  if (v === undefined) {
    v = parseKernelVersion(text);
    if (parsed.size < 4096) parsed.set(text, v);
  }
  return v;
}

/** `6.1.0-18-arm64` -> `6.1`: the mainline series a release belongs to. */
export function kernelSeries(version: string): string | null {
  const v = parseKernelVersion(version);
  return v ? `${v.major}.${v.minor}` : null;
}
