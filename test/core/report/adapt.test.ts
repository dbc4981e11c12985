// The seed case through the real replay and diagnosis rules (main/core/mmu, main/core/diagnose) into the
// report: the text must name the Linux 6.9 fix with its commit and a lore link, with the properties that hold
// for every text report.
import { describe, expect, it } from 'vitest';
import { diagnoseRecord } from '../../../main/core/diagnose/diagnose';
import { gatherDiagnoses, replayToInput, splitReferences } from '../../../main/core/report/adapt';
import type { FaultInput } from '../../../main/core/report/input';
import { buildReport } from '../../../main/core/report/model';
import { renderText } from '../../../main/core/report/text';
import { textViolations } from './properties';
import { SEED_CONTEXT, seedFaults, seedInput } from './fixtures';

function throughRules(faults: readonly FaultInput[]): { faults: FaultInput[]; diagnoses: ReturnType<typeof gatherDiagnoses> } {
  const perFault = faults.map((f) => {
    const d = diagnoseRecord(f.record, SEED_CONTEXT);
    return { fault: { ...f, replay: d.replay ? replayToInput(d.replay) : null }, diagnoses: d.diagnoses, vmmMessage: d.replay?.outcome.kvm?.result ?? null };
  });
  return { faults: perFault.map((p) => p.fault), diagnoses: gatherDiagnoses(perFault) };
}

describe('seed case through the replay and the diagnosis rules', () => {
  const plain = seedFaults.map((f) => ({ ...f, replay: null }));
  const { faults, diagnoses } = throughRules(plain);

  it('gathers one diagnosis for the KVM message and the QEMU error it predicts', () => {
    expect(diagnoses.map((d) => [d.ruleId, d.faultIds, d.fixedIn, d.severity])).toEqual([['vfio-bar-s2-device-unaligned', [1, 2], '6.9', 'error']]);
    const replay = faults[0]?.replay;
    expect(replay?.verdict).toBe('reproduced');
    expect(replay?.predictedEsr).toBe(0x92000061n);
    expect(replay?.combine).toMatchObject({ s1: { node: 'Normal-NC' }, s2: { node: 'Device-nGnRE' }, result: { node: 'Device-nGnRE' }, alignmentFaultStage: 2 });
    expect(replay?.inputs.some((i) => i.origin === 'recorded')).toBe(true);
    expect(replay?.inputs.some((i) => i.origin === 'assumed')).toBe(true);
  });

  it('renders a text report naming the 6.9 fix commit and a lore link, with every text property', () => {
    const report = buildReport(seedInput({ faults, diagnoses }));
    const text = renderText(report);
    expect(textViolations(report, text)).toEqual([]);
    expect(text).toMatch(/Fixed in Linux 6\.9 by\s+commits\s+8c47ce3e1d2c \("KVM: arm64: Set io memory s2 pte as/);
    expect(text).toMatch(/^\s*(Link: )?https:\/\/lore\.kernel\.org\/r\/\S+@\S+$/m);
    expect(text).toMatch(/Sources: Arm ASL S2CombineS1MemAttrs/);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]?.quotes.map((q) => q.file)).toEqual(['sos_commands/kernel/dmesg', 'var/log/libvirt/qemu/gpu-vm.log']);
  });

  it('splits rule references into footnotes, the fixed-in release and source citations', () => {
    const s = splitReferences([
      { kind: 'commit', text: '8c47ce3e1d2c ("KVM: arm64: Set io memory s2 pte as normalnc for vfio pci device")', url: 'https://git.kernel.org/torvalds/c/8c47ce3e1d2c' },
      { kind: 'version', text: 'fixed in Linux 6.9 (VM_ALLOW_ANY_UNCACHED)', url: null },
      { kind: 'lore', text: 'thread', url: 'https://lore.kernel.org/r/20220401090828.614167-1-xieming@kylinos.cn' },
      { kind: 'lore', text: 'kvmarm@lists.linux.dev', url: 'https://lore.kernel.org/kvmarm/' },
      { kind: 'source', text: 'arch/arm64/kvm/mmu.c kvm_handle_guest_abort', url: null },
    ]);
    expect(s.fixedIn).toBe('6.9');
    expect(s.sources).toEqual(['arch/arm64/kvm/mmu.c kvm_handle_guest_abort']);
    expect(s.references).toEqual([
      { kind: 'commit', sha: '8c47ce3e1d2c', subject: 'KVM: arm64: Set io memory s2 pte as normalnc for vfio pci device', described: false, version: '6.9', role: 'fix', url: 'https://git.kernel.org/torvalds/c/8c47ce3e1d2c' },
      { kind: 'lore', messageId: '20220401090828.614167-1-xieming@kylinos.cn', title: 'thread' },
      { kind: 'url', url: 'https://lore.kernel.org/kvmarm/', title: 'kvmarm@lists.linux.dev' },
    ]);
    // Without a fixed-in release a commit is related, and a described commit keeps its description unquoted.
    const related = splitReferences([{ kind: 'commit', text: '2937aeec9dc5 (LS64 series, v7.0: 0x35 faults injected into the guest)', url: null }]);
    expect(related.references).toEqual([{ kind: 'commit', sha: '2937aeec9dc5', subject: 'LS64 series, v7.0: 0x35 faults injected into the guest', described: true, version: null, role: 'related', url: null }]);
  });
});
