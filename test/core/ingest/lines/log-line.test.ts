// Every prefix of ../shared/docs/DOMAIN.md §4 ("Timestamp variants", "Per-line prefixes"), on lines taken
// from ../shared/samples/logs or written from the tools' formats (dmesg, journalctl, rsyslog).
import { describe, expect, it } from 'vitest';
import { kernelStampInside, LogLineTokenizer } from '../../../../main/core/ingest/lines/log-line';

const tok = (text: string, options = {}) => new LogLineTokenizer(options).tokenize(text, 1);

describe('LogLineTokenizer', () => {
  it('reads the dmesg monotonic stamp as integer ns from the digits', () => {
    const l = tok('[    7.913815] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000038');
    expect(l.tsNs).toBe(7_913_815_000n);
    expect(l.clock).toBe('monotonic');
    expect(l.message).toBe('Unable to handle kernel NULL pointer dereference at virtual address 0000000000000038');
    expect(l.prefixed).toBe(true);
  });

  it('reads dmesg -d stamps (time and delta to the previous line) by their time, and only those', () => {
    const l = tok('[    1.234567 <    0.000012>] usb 1-1: new device');
    expect(l.tsNs).toBe(1_234_567_000n);
    expect(l.message).toBe('usb 1-1: new device');
    // A `<` later in the message is not part of the stamp.
    const m = tok('[    2.500000] vfio-pci 0000:01:00.0: <BAR 0> enabled');
    expect(m.tsNs).toBe(2_500_000_000n);
    expect(m.message).toBe('vfio-pci 0000:01:00.0: <BAR 0> enabled');
  });

  it('reads large uptimes exactly (no float rounding)', () => {
    expect(tok('[9999999.999999] x').tsNs).toBe(9_999_999_999_999_000n);
    expect(tok('[9999999.999999999] x').tsNs).toBe(9_999_999_999_999_999n); // above 2^53 ns: not a number's
    expect(tok('[8999999.999999999] x').tsNs).toBe(8_999_999_999_999_999n);
    // Thirteen digits of seconds are not a stamp, however small their value.
    expect(tok('[0000000000001.5] x').prefixed).toBe(false);
  });

  it('accepts a squashed stamp without a space', () => {
    const l = tok('[ 5.382865]ESR = 0x96000004');
    expect(l.tsNs).toBe(5_382_865_000n);
    expect(l.message).toBe('ESR = 0x96000004');
  });

  it('reads the syslog priority before the stamp (kernelci)', () => {
    const l = tok('<1>[   16.019269]   ESR = 0x96000006');
    expect(l.level).toBe(1);
    expect(l.tsNs).toBe(16_019_269_000n);
    expect(l.message).toBe('  ESR = 0x96000006');
  });

  it('reads the PREEMPT_RT CPU prefix', () => {
    const l = tok('[  122.564872] 000:   ESR = 0x96000021');
    expect(l.cpu).toBe(0);
    expect(l.message).toBe('  ESR = 0x96000021');
    expect(tok('[  122.336254] 003: BUG: sleeping function called').cpu).toBe(3);
  });

  it('reads the printk caller id', () => {
    const t = tok('[    0.000000][    T0] Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]');
    expect(t.pid).toBe(0);
    expect(t.message).toBe('Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]');
    expect(tok('[   14.460690][    C3] SError Interrupt on CPU3, code 0xbf000002 -- SError').cpu).toBe(3);
  });

  it('adds dmesg -H deltas to the absolute minute before them', () => {
    const t = new LogLineTokenizer({ yearHint: 2021 });
    const a = t.tokenize('[May24 14:33] arm-smmu 5040000.iommu: Unhandled context fault:', 1);
    const b = t.tokenize('[  +0.000034] adreno 5000000.gpu: CP illegal instruction error', 2);
    expect(a.tsNs).toBe(BigInt(Date.UTC(2021, 4, 24, 14, 33)) * 1_000_000n);
    expect(b.tsNs! - a.tsNs!).toBe(34_000n);
    expect(b.message).toBe('adreno 5000000.gpu: CP illegal instruction error');
    expect(t.yearInferred).toBe(true);
  });

  it('reads dmesg -T dates', () => {
    const l = tok('[Mon May 24 14:33:12 2021] usb 1-1: new high-speed USB device');
    expect(l.tsNs).toBe(BigInt(Date.UTC(2021, 4, 24, 14, 33, 12)) * 1_000_000n);
    expect(l.clock).toBe('realtime');
    expect(l.message).toBe(' usb 1-1: new high-speed USB device'.trimStart());
  });

  it('reads dmesg -T -d by its date and dmesg --time-format delta by its deltas (util-linux dmesg.c print_record)', () => {
    // "[%s <%12.06f>] ": the date is the line's time, to the second; the delta to the line before is dropped.
    const t = new LogLineTokenizer();
    const a = t.tokenize('[Mon May 24 14:00:16 2021 <    0.000000>] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000010', 1);
    const b = t.tokenize('[Mon May  4 14:00:17 2021 <    1.008924>] Mem abort info:', 2);
    expect([a.tsNs, a.clock, a.prefixed, a.message]).toEqual([BigInt(Date.UTC(2021, 4, 24, 14, 0, 16)) * 1_000_000n, 'realtime', true, 'Unable to handle kernel NULL pointer dereference at virtual address 0000000000000010']);
    expect([b.tsNs, b.message]).toEqual([BigInt(Date.UTC(2021, 4, 4, 14, 0, 17)) * 1_000_000n, 'Mem abort info:']);
    // "[<%12.06f>] ": deltas only, no time to add them to (as a dmesg -H delta with no date line before it).
    const d = new LogLineTokenizer().tokenize('[<    0.008924>]   ESR = 0x96000006', 1);
    expect([d.tsNs, d.clock, d.prefixed, d.message]).toEqual([null, null, true, '  ESR = 0x96000006']);
    // After a line with a time, the delta is added to it.
    const u = new LogLineTokenizer();
    u.tokenize('[   16.000000] Mem abort info:', 1);
    expect(u.tokenize('[<    0.002969>]   ESR = 0x96000006', 2).tsNs).toBe(16_002_969_000n);
  });

  it('reads journalctl -o short-monotonic when the file is a journal', () => {
    const l = tok('[23352.431938] rockpro64 kernel: Mem abort info:', { journalAfterBracket: true });
    expect(l.tsNs).toBe(23_352_431_938_000n);
    expect(l.host).toBe('rockpro64');
    expect(l.ident).toBe('kernel');
    expect(l.message).toBe('Mem abort info:');
  });

  it('reads the printk caller id after the kernel\'s stamp in a kern.log line (CONFIG_PRINTK_CALLER)', () => {
    // printk.c info_print_prefix: print_time "[%5lu.%06lu]", print_caller "[%6s]" with no space, then a space.
    const l = tok('May 24 14:00:07 myhost kernel: [    7.913815][ T1918] kvm [1918]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061', { yearHint: 2021 });
    expect([l.tsNs, l.clock, l.host, l.ident, l.pid, l.message]).toEqual([
      BigInt(Date.UTC(2021, 4, 24, 14, 0, 7)) * 1_000_000n, 'realtime', 'myhost', 'kernel', 1918, 'kvm [1918]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061',
    ]);
    const irq = tok('May 24 14:00:08 myhost kernel: [   14.460690][    C3] SError Interrupt on CPU3, code 0xbf000002 -- SError', { yearHint: 2021 });
    expect([irq.cpu, irq.pid, irq.message]).toEqual([3, null, 'SError Interrupt on CPU3, code 0xbf000002 -- SError']);
    // printk.time=0: the caller id alone.
    expect(tok('May 24 14:00:08 myhost kernel: [ T1918] Mem abort info:', { yearHint: 2021 }).message).toBe('Mem abort info:');
    // A message that begins with a bracket is not a caller id.
    expect(tok('May 24 14:00:08 myhost kernel: [drm] Initialized', { yearHint: 2021 }).message).toBe('[drm] Initialized');
  });

  it('reads syslog and journal short/short-precise dates with host and identifier', () => {
    const l = tok('May 24 14:33:12 host kernel: [ 1234.567890] usb 1-1: reset', { yearHint: 2024 });
    expect(l.tsNs).toBe(BigInt(Date.UTC(2024, 4, 24, 14, 33, 12)) * 1_000_000n);
    expect(l.host).toBe('host');
    expect(l.ident).toBe('kernel');
    expect(l.message).toBe('usb 1-1: reset');
    const p = tok('May  4 14:33:12.123456 h qemu-kvm[4321]: error', { yearHint: 2024 });
    expect(p.tsNs! % 1_000_000_000n).toBe(123_456_000n);
    expect(p.pid).toBe(4321);
    expect(p.ident).toBe('qemu-kvm');
    // Digits beyond nanoseconds are dropped.
    expect(tok('May  4 14:33:12.12345678987 h kernel: x', { yearHint: 2024 }).tsNs! % 1_000_000_000n).toBe(123_456_789n);
  });

  it('puts a date without a year in the year before when the file year would put it after the file date', () => {
    // A kern.log (or `journalctl --no-pager`) written last on 3 January 2025 at 10:00 UTC.
    const t = new LogLineTokenizer({ dateHintMs: Date.UTC(2025, 0, 3, 10) });
    const at = (line: string): bigint => t.tokenize(line, 1).tsNs!;
    const ns = (...d: [number, number, number, number, number, number]): bigint => BigInt(Date.UTC(...d)) * 1_000_000n;
    expect(at('Dec 31 23:59:59 host kernel: the old year')).toBe(ns(2024, 11, 31, 23, 59, 59));
    expect(at('Jan  2 08:00:00 host kernel: the new year')).toBe(ns(2025, 0, 2, 8, 0, 0));
    // A day after the file's date is within the zones a host may log in: still that year.
    expect(at('Jan  4 08:00:00 host kernel: a zone ahead of UTC')).toBe(ns(2025, 0, 4, 8, 0, 0));
    expect(at('Feb 10 12:00:00 host kernel: last February')).toBe(ns(2024, 1, 10, 12, 0, 0));
    expect(t.tokenize('[Dec30 14:33] usb 1-1: dmesg -H', 1).tsNs).toBe(ns(2024, 11, 30, 14, 33, 0));
    // Without the file's date, the year hint is the year.
    expect(tok('Dec 31 23:59:59 host kernel: x', { yearHint: 2025 }).tsNs).toBe(ns(2025, 11, 31, 23, 59, 59));
  });

  it('reads journal short-iso with its zone, and dmesg --time-format iso', () => {
    const l = tok('2021-05-24T14:33:12+0200 host kernel: Internal error: Oops: 96000004 [#1] SMP');
    expect(l.tsNs).toBe(BigInt(Date.UTC(2021, 4, 24, 12, 33, 12)) * 1_000_000n);
    expect(l.message).toBe('Internal error: Oops: 96000004 [#1] SMP');
    const d = tok('2021-05-24T14:33:12,123456+02:00 kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061');
    expect(d.tsNs! % 1_000_000_000n).toBe(123_456_000n);
  });

  it('reads journal short-full and short-unix with host and identifier', () => {
    const f = tok('Tue 2024-02-27 10:00:09 UTC altra-01 kernel: kvm [4242]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061');
    expect([f.tsNs, f.clock, f.host, f.ident, f.message]).toEqual([
      BigInt(Date.UTC(2024, 1, 27, 10, 0, 9)) * 1_000_000n,
      'realtime',
      'altra-01',
      'kernel',
      'kvm [4242]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061',
    ]);
    // A numeric zone is applied; an abbreviation other than UTC is read as the wall time it prints.
    expect(tok('Tue 2024-02-27 12:00:09.5 +0200 h kernel: x').tsNs).toBe(BigInt(Date.UTC(2024, 1, 27, 10, 0, 9, 500)) * 1_000_000n);
    expect(tok('Tue 2024-02-27 11:00:09 CET h kernel: x').tsNs).toBe(BigInt(Date.UTC(2024, 1, 27, 11, 0, 9)) * 1_000_000n);
    const u = tok('1709028009.654321 altra-01 qemu-system-aarch64[4242]: error: kvm run failed Bad address');
    expect([u.tsNs, u.clock, u.host, u.ident, u.pid, u.message]).toEqual([1_709_028_009_654_321_000n, 'realtime', 'altra-01', 'qemu-system-aarch64', 4242, 'error: kvm run failed Bad address']);
    // Without the host and identifier a number with a fraction is no journal stamp.
    const n = tok('1709028009.654321 bytes copied');
    expect([n.tsNs, n.prefixed, n.message]).toEqual([null, false, '1709028009.654321 bytes copied']);
    // Nor is a weekday without the date after it.
    expect(tok('Tue is the day the job failed').prefixed).toBe(false);
  });

  it('reads libvirt and QEMU log stamps', () => {
    const a = tok('2024-03-05 10:14:58.512+0000: starting up libvirt version: 9.0.0');
    expect(a.tsNs).toBe(BigInt(Date.UTC(2024, 2, 5, 10, 14, 58, 512)) * 1_000_000n);
    expect(a.message).toBe('starting up libvirt version: 9.0.0');
    const q = tok('2024-03-05T10:15:02.351447Z qemu-system-aarch64: warning: host doesn\'t support requested feature');
    expect(q.ident).toBe('qemu-system-aarch64');
    expect(q.message).toBe("warning: host doesn't support requested feature");
  });

  it('reads a time-only syslog excerpt as time of day', () => {
    const l = tok('14:04:59 h63 kernel:   ESR = 0x0000000096000005');
    expect(l.clock).toBe('time-of-day');
    expect(l.tsNs).toBe(BigInt(14 * 3600 + 4 * 60 + 59) * 1_000_000_000n);
    expect(l.message).toBe('  ESR = 0x0000000096000005');
  });

  it('reads dmesg -x facility and level', () => {
    const l = tok('kern  :alert : [   16.007376] Unable to handle kernel paging request');
    expect(l.level).toBe(1);
    expect(l.tsNs).toBe(16_007_376_000n);
    expect(l.message).toBe('Unable to handle kernel paging request');
  });

  it('strips mail quoting', () => {
    const l = tok('> > [  803.014258] kvm [19040]: Unsupported guest sys_reg access at: 8129fa50 [600003c9]');
    expect(l.tsNs).toBe(803_014_258_000n);
    expect(l.message).toBe('kvm [19040]: Unsupported guest sys_reg access at: 8129fa50 [600003c9]');
    expect(tok('| kvm [126]: Unsupported guest sys_reg access at: ffff800010093f24 ').message.startsWith('kvm [126]')).toBe(true);
  });

  it('leaves unprefixed lines (wrapped continuations, pastes) whole and unprefixed', () => {
    const l = tok('ffff001f11e1e436');
    expect(l.prefixed).toBe(false);
    expect(l.message).toBe('ffff001f11e1e436');
    expect(tok('[0000000000000010]').prefixed).toBe(false);
  });
  it('reads a date whose minute repeats the line before as it read it the first time', () => {
    // One tokenizer over a run of syslog dates must give what a fresh tokenizer gives for each line alone.
    const run = [
      'May 24 14:33:12 h kernel: a',
      'May 24 14:33:59.999999 h kernel: b',
      'May 24 14:33:5x h kernel: not a date',
      'May 24 14:33 h kernel: no seconds',
      'May 24 14:34:00 h kernel: next minute',
      'May 25 14:34:00 h kernel: next day, same time',
      'May  4 14:34:01 h kernel: padded day',
      'May 4 14:34:01 h kernel: unpadded day',
      'May  4 14:34:01.5 h kernel: a fraction',
      'Jun  4 14:34:01 h kernel: next month',
    ];
    const shared = new LogLineTokenizer({ yearHint: 2024 });
    const got = run.map((line) => shared.tokenize(line, 1));
    expect(got).toEqual(run.map((line) => new LogLineTokenizer({ yearHint: 2024 }).tokenize(line, 1)));
    expect(got.map((l) => (l.tsNs === null ? null : new Date(Number(l.tsNs / 1_000_000n)).toISOString()))).toEqual([
      '2024-05-24T14:33:12.000Z',
      '2024-05-24T14:33:59.999Z',
      null,
      null,
      '2024-05-24T14:34:00.000Z',
      '2024-05-25T14:34:00.000Z',
      '2024-05-04T14:34:01.000Z',
      '2024-05-04T14:34:01.000Z',
      '2024-05-04T14:34:01.500Z',
      '2024-06-04T14:34:01.000Z',
    ]);
  });

  it('reads a repeated host and identifier as it read them the first time, and notices when they change', () => {
    // One tokenizer over a run of syslog lines must give what a fresh tokenizer gives for each line alone.
    const run = [
      'May 24 14:33:12 h63 kernel: a',
      'May 24 14:33:12 h63 kernel: b',
      'May 24 14:33:13 h63 kernelx: c',
      'May 24 14:33:13 h63 qemu-kvm[12]: d',
      'May 24 14:33:13 h63 qemu-kvm[12]: e',
      'May 24 14:33:13 h63 qemu-kvm[13]: f',
      'May 24 14:33:13 h63 kernel:g',
      'May 24 14:33:13 h63 kernel:h',
      'May 24 14:33:14 h63 kernel: [ 1234.567890] i',
      'May 24 14:33:14 h63 kernel: [ 1234.567890] j',
      'May 24 14:33:14 h6 kernel: k',
      'May 24 14:33:14 h63 kernel: ',
      'May 24 14:33:14 h63 kernel',
    ];
    const shared = new LogLineTokenizer({ yearHint: 2024 });
    const got = run.map((line) => shared.tokenize(line, 1));
    expect(got).toEqual(run.map((line) => new LogLineTokenizer({ yearHint: 2024 }).tokenize(line, 1)));
    expect(got.map((l) => [l.host, l.ident, l.pid, l.message])).toEqual([
      ['h63', 'kernel', null, 'a'],
      ['h63', 'kernel', null, 'b'],
      ['h63', 'kernelx', null, 'c'],
      ['h63', 'qemu-kvm', 12, 'd'],
      ['h63', 'qemu-kvm', 12, 'e'],
      ['h63', 'qemu-kvm', 13, 'f'],
      ['h63', 'kernel', null, 'g'],
      ['h63', 'kernel', null, 'h'],
      ['h63', 'kernel', null, 'i'],
      ['h63', 'kernel', null, 'j'],
      ['h6', 'kernel', null, 'k'],
      ['h63', 'kernel', null, ''],
      [null, null, null, 'h63 kernel'],
    ]);
  });
});

describe('kernelStampInside', () => {
  it("reads the kernel's own stamp after a syslog header's `kernel: `, in ns since boot", () => {
    expect(kernelStampInside('May 24 14:33:12 host1 kernel: [ 7912.345678] kvm [4242]: Unsupported FSC: EC=0x24')).toBe(7_912_345_678_000n);
    expect(kernelStampInside('2024-05-24T14:33:12.123456+02:00 host1 kernel: [    0.000000] Booting Linux')).toBe(0n);
  });

  it('finds none where the line has no such stamp', () => {
    expect(kernelStampInside('May 24 14:33:12 host1 kernel: kvm [4242]: Unsupported FSC: EC=0x24')).toBeNull();
    expect(kernelStampInside('May 24 14:33:12 host1 kernel: [drm] Initialized')).toBeNull();
    expect(kernelStampInside('[ 7912.345678] kvm [4242]: Unsupported FSC')).toBeNull();
    expect(kernelStampInside('May 24 14:33:12 host1 qemu[77]: kernel: [ 1.5] not the kernel speaking')).toBeNull();
  });
});
