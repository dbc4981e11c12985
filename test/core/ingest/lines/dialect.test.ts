import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectDialect, scoreKernelLog } from '../../../../main/core/ingest/lines/dialect';
import { PROJECT_ROOT } from '../../../../main/services/paths';

const SAMPLES = resolve(PROJECT_ROOT, '..', 'shared', 'samples', 'logs');
const lines = (f: string): string[] => readFileSync(join(SAMPLES, f), 'utf8').split('\n');

describe('detectDialect on the real samples', () => {
  it.each([
    ['010-kvm-vgic-mmio-guest-abort-null-deref-64k.log', 'dmesg'],
    ['021-memabort-kernelci-printk-level-prefix.log', 'dmesg'],
    ['030-smmuv2-context-fault-dmesg-human-timestamps.log', 'dmesg'],
    ['035-memabort-syslog-time-only-double-spaced-two-oopses-cm4.log', 'journal'],
    ['051-memabort-journalctl-short-monotonic-two-oopses-rockpro64.log', 'journal'],
    ['024-memabort-user-dabt-lower-el-debug-prefix-64k.log', 'console'],
    ['042-ftrace-raw-tracer-nop-header-qemuarm64-percpu.log', 'ftrace-like'],
    ['043-trace-cmd-report-v6-header-function-graph.log', 'ftrace-like'],
    ['039-ftrace-kvm-exit-entry-nv-guest-loop-email-wrapped.log', 'ftrace-like'],
  ])('%s is %s', (file, name) => {
    expect(detectDialect(lines(file)).name).toBe(name);
  });

  it('tells journalctl -o short-monotonic from dmesg (host and identifier after the stamp)', () => {
    expect(detectDialect(lines('051-memabort-journalctl-short-monotonic-two-oopses-rockpro64.log')).journalAfterBracket).toBe(true);
    expect(detectDialect(lines('010-kvm-vgic-mmio-guest-abort-null-deref-64k.log')).journalAfterBracket).toBe(false);
  });

  it('tells journalctl -o short-full and -o short-unix for journals (sample 051 in those forms)', () => {
    const rewritten = (stamp: (us: number) => string) =>
      lines('051-memabort-journalctl-short-monotonic-two-oopses-rockpro64.log').map((l) => l.replace(/^\[\s*(\d+)\.(\d{6})\]/, (_, s: string, f: string) => stamp(Number(s) * 1e6 + Number(f))));
    expect(detectDialect(rewritten((us) => `Mon ${new Date(1_590_969_600_000 + us / 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`)).name).toBe('journal');
    expect(detectDialect(rewritten((us) => `${1_590_969_600 + Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`)).name).toBe('journal');
  });

  it('tells dmesg by each stamp util-linux prints, -d and --time-format delta included (sys-utils/dmesg.c print_record)', () => {
    // A plain message, no kernel words: the stamp alone says dmesg.
    const msg = 'usb 1-1: new high-speed USB device number 2 using xhci-hcd';
    for (const stamp of ['[   16.016300 <    0.008924>]', '[Mon May 24 14:00:16 2021 <    0.008924>]', '[<    0.008924>]']) {
      expect([stamp, detectDialect([`${stamp} ${msg}`, `${stamp} ${msg}`]).name]).toEqual([stamp, 'dmesg']);
    }
  });

  it('notices kernelci level prefixes (lines can be injected into others)', () => {
    expect(detectDialect(lines('021-memabort-kernelci-printk-level-prefix.log')).levelPrefixes).toBe(true);
  });

  it('recognizes a journal JSON export and quoted-printable mail', () => {
    const json = ['{"__REALTIME_TIMESTAMP":"1716561192123456","MESSAGE":"Mem abort info:","_TRANSPORT":"kernel"}'];
    expect(detectDialect(json).json).toBe(true);
    expect(detectDialect(['kvm [2502822]: Unsupported guest sys_reg access at: ffff80008003e9f0', '  { Op0( 3), Op1( 0), CRn(10), CRm( 4), Op2( 4), func_re=', 'ad },', 'info->reg_mpamidr =3D read_cpuid(MPAMIDR_EL1);']).quotedPrintable).toBe(true);
  });

  it('gives plain prose no kernel-log score and ftrace a low one', () => {
    expect(scoreKernelLog(['Dear all,', 'the build is green again.', 'Thanks'])).toBe(0);
    expect(scoreKernelLog(lines('042-ftrace-raw-tracer-nop-header-qemuarm64-percpu.log'))).toBeLessThan(0.5);
    expect(scoreKernelLog(lines('010-kvm-vgic-mmio-guest-abort-null-deref-64k.log'))).toBeGreaterThanOrEqual(0.9);
  });
});
