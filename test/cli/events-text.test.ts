// The `faultline events` text line: trace-cmd report's layout (tracecmd/trace-read.c, libtraceevent's
// "%16s-%-5d [%03d] %5lu.%06lu: %-20s "), and what it prints for a task or CPU the trace does not name.
import { describe, expect, it } from 'vitest';
import { eventLineText } from '../../main/cli/commands/events';
import type { EventRow } from '../../main/storage/events';

const row = (over: Partial<EventRow>): EventRow =>
  ({ timeNs: 3000_000_102_000n, cpu: 1, pid: 4251, tgid: null, comm: 'CPU 0/KVM', event: 'kvm_guest_fault', fields: {}, args: 'ipa 0x9002000', file: 'trace', line: 1, ...over }) as EventRow;

describe('events as text', () => {
  it('trace-cmd report\'s layout', () => {
    expect(eventLineText(row({}))).toBe('       CPU 0/KVM-4251  [001]  3000.000102: kvm_guest_fault:      ipa 0x9002000');
  });

  it('a trace clock that does not count ns: the bare count, as the kernel prints it', () => {
    expect(eventLineText(row({ timeNs: 1_234_567_890_150n }), 'counter')).toBe('       CPU 0/KVM-4251  [001] 1234567890150: kvm_guest_fault:      ipa 0x9002000');
  });

  it('a task and CPU the trace does not name (function_graph without those columns)', () => {
    expect(eventLineText(row({ pid: -1, comm: '<...>', cpu: -1 }))).toBe('                 <...> [???]  3000.000102: kvm_guest_fault:      ipa 0x9002000');
  });
});
