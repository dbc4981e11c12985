// `faultline replay`: scenario input forms and the outcome JSON contract.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';
import { runFaultline } from '../helpers/cli';

const SEED = {
  mode: 'attrs',
  cpu: { pamax: 48, feat_lse2: false },
  sctlr_el1: { M: 1, A: 0, C: 1, nAA: 0 },
  hcr_el2: { VM: 1, FWB: 0, PTW: 0, DC: 0, CD: 0 },
  stage1: { mair_attr: '0x44', ap: '0b00', pxn: 0, uxn: 1, af: 1, sh: 'ISH', level: 3 },
  stage2: { memattr: '0b0001', s2ap: '0b11', xn: '0b10', af: 1, sh: 'ISH', level: 3 },
  access: { kind: 'store', va: '0x10001001', size: 8, element_size: null, el: 1 },
  kvm: { kernel: '6.1' },
};

describe('faultline replay', () => {
  it('replays the seed scenario: stage-2 alignment fault, ESR 0x92000061, KVM prints Unsupported FSC', async () => {
    const r = await runFaultline(['replay', '-', '--json'], { stdin: JSON.stringify(SEED) });
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(o).toMatchObject({
      outcome: 'fault',
      ipa: '0x10001001',
      pa: null,
      memattrs: null,
      fault: { stage: 2, taken_to: 'EL2', type: 'alignment', dfsc: '0x21', level: null, s1ptw: 0, wnr: 1, cm: 0, ec: '0x24', esr: '0x92000061', far: '0x10001001', ipa: '0x10001001', hpfar_el2: null },
      kvm: { path: 'unsupported_fsc', log: 'Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061' },
    });
  });

  it('reads a JSON array from a file and prints one outcome per line, in order', async () => {
    const dir = tempDir('faultline-replay-');
    const file = join(dir, 'scenarios.json');
    const kernel69 = { ...SEED, stage2: { ...SEED.stage2, memattr: '0b0101' }, kvm: { kernel: '6.9' } };
    writeFileSync(file, JSON.stringify([SEED, kernel69]));
    const r = await runFaultline(['replay', file, '--json']);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.outcome)).toEqual(['fault', 'ok']);
    expect(lines[1]).toMatchObject({ pa: '0x10001001', memattrs: { type: 'Normal', inner: 'NC', outer: 'NC' }, shareability: 'OSH', fault: null, kvm: null });
  });

  it('reads JSON Lines; a bad scenario is reported and exits 1 while the others are replayed', async () => {
    const bad = { ...SEED, access: { kind: 'teleport', va: '0x0' } };
    const r = await runFaultline(['replay', '--json'], { stdin: [SEED, bad, SEED].map((s) => JSON.stringify(s)).join('\n') });
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[1].error).toMatch(/access.kind/);
    expect(r.stderr).toMatch(/scenario 2/);
  });

  it('lists every branch of an IMPLEMENTATION DEFINED outcome', async () => {
    const atomic = { ...SEED, stage1: { mair_attr: '0xff' }, access: { kind: 'atomic_rmw', va: '0x10001000', size: 8, el: 1 } };
    const o = JSON.parse((await runFaultline(['replay', '--json'], { stdin: JSON.stringify(atomic) })).stdout);
    expect(o.outcome).toBe('impdef');
    expect(o.branches.map((b: { choices: Record<string, string> }) => b.choices['atomic-non-wb'])).toEqual(['supported', 'fault-0x35']);
    expect(o.branches[1].outcome.fault.dfsc).toBe('0x35');
  });

  it('walk mode from the contract field names', async () => {
    const walk = {
      mode: 'walk',
      hcr_el2: { VM: 0 },
      stage1: { tcr_el1: { T0SZ: 16, TG0: '4K', IPS: 5 }, ttbr0_el1: '0x1000', mair_el1: '0xff', tables: { '0x1008': '0x2003', '0x2008': '0x3003', '0x3008': '0x4003', '0x4008': '0x80000703' } },
      stage2: null,
      access: { kind: 'load', va: '0x8040201234', size: 4, el: 1 },
    };
    const o = JSON.parse((await runFaultline(['replay', '--json'], { stdin: JSON.stringify(walk) })).stdout);
    expect(o).toMatchObject({ outcome: 'ok', ipa: '0x80000234', pa: '0x80000234', memattrs: { type: 'Normal', inner: 'WB' }, shareability: 'ISH' });
  });

  it('text output explains the fault and the KVM path', async () => {
    const r = await runFaultline(['replay'], { stdin: JSON.stringify(SEED) });
    expect(r.stdout).toMatch(/^fault: stage 2 alignment, taken to EL2/);
    expect(r.stdout).toMatch(/ESR 0x92000061/);
    expect(r.stdout).toMatch(/kvm \[pid\]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061/);
    expect((await runFaultline(['replay'], { stdin: '' })).code).toBe(1);
  });
});
