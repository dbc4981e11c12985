// `faultline combine` as scripts use it: arguments or JSON Lines on stdin, JSON output shape (the contract).
import { describe, expect, it } from 'vitest';
import { runFaultline } from '../helpers/cli';

describe('faultline combine', () => {
  it('--json prints the contract shape for the seed pair (guest Normal-NC over stage-2 Device-nGnRE)', async () => {
    const r = await runFaultline(['combine', '--s1', '0x44', '--s2', '0b0001', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ result: { type: 'Device-nGnRE' }, result_options: null, reserved: false, unaligned_access_faults: true, alignment_fault_stage: 2 });
  });

  it('prints Normal results with inner/outer cacheability, allocation and transient hints', async () => {
    // 0x77: inner and outer WB RWA transient; stage 2 0b1010 WT/WT -> WT RWA transient (S2CombineS1AttrHints).
    const j = JSON.parse((await runFaultline(['combine', '--s1', '0x77', '--s2', '10', '--json'])).stdout);
    expect(j.result).toEqual({ type: 'Normal', inner: 'WT', outer: 'WT', inner_alloc: 'RWA', outer_alloc: 'RWA', inner_transient: true, outer_transient: true, tagged: false });
    expect(j.alignment_fault_stage).toBeNull();
  });

  it('lists result_options for a reserved stage-2 encoding', async () => {
    const j = JSON.parse((await runFaultline(['combine', '--s1', '0xff', '--s2', '0b1100', '--json'])).stdout);
    expect(j.result).toBeNull();
    expect(j.reserved).toBe(true);
    expect(j.result_options.map((o: { inner: string }) => o.inner)).toEqual(['NC', 'WT', 'WB']);
  });

  it('honours --fwb (0b0110 forces Write-Back over a Device stage 1; the alignment fault stays at stage 1)', async () => {
    const j = JSON.parse((await runFaultline(['combine', '--s1', '0x04', '--s2', '0b0110', '--fwb', '--json'])).stdout);
    expect(j.result).toMatchObject({ type: 'Normal', inner: 'WB', outer: 'WB' });
    expect(j.alignment_fault_stage).toBe(1);
  });

  it('batch mode: one JSON result per input line, in order; a bad line gets {"error"} and exit 1', async () => {
    const stdin = '{"s1": "0x44", "s2": "0b0001", "fwb": false}\n{"s1": "0x44", "s2": "0b0101"}\nnot json\n{"s1": "0x100", "s2": "1"}\n{"s1": 0, "s2": 0, "fwb": true}';
    const r = await runFaultline(['combine'], { stdin });
    expect(r.code).toBe(1);
    const out = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(5);
    expect(out[0].result.type).toBe('Device-nGnRE');
    expect(out[1].result).toMatchObject({ type: 'Normal', inner: 'NC', outer: 'NC' });
    expect(out[2].error).toMatch(/not JSON/);
    expect(out[3].error).toMatch(/more than 0xff/);
    expect(out[4].result.type).toBe('Device-nGnRnE');
    expect(r.stderr).toMatch(/line 3/);
  });

  it('text output names the rule and its ASL function; bad arguments are usage errors', async () => {
    const r = await runFaultline(['combine', '--s1', '0x44', '--s2', '0b0001']);
    expect(r.stdout).toMatch(/result\s+Device-nGnRE/);
    expect(r.stdout).toMatch(/S2CombineS1MemAttrs/);
    expect((await runFaultline(['combine', '--s1', '0x44'])).code).toBe(2);
    expect((await runFaultline(['combine', '--s1', 'zz', '--s2', '1'])).code).toBe(2);
  });
});
