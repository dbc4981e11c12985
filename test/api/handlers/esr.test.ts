// esr:decode through the real dispatch. Expected values: Arm ARM D24.2.45 ESR_EL2 and DOMAIN.md §2 (the 2022
// report: ESR_EL2 0x92000061 = EC 0x24 DABT_LOW, IL 1, ISV 0, WnR 1, DFSC 0x21 alignment fault).
import { describe, expect, it } from 'vitest';
import type { EsrDecodeItem, EsrFieldView } from '../../../preload/contract';
import { dispatch } from '../../../main/api/dispatch';
import { testContext } from '../../helpers/app';

function field(fields: readonly EsrFieldView[], name: string): EsrFieldView | undefined {
  for (const f of fields) {
    if (f.name === name) return f;
    const inner = field(f.children, name);
    if (inner) return inner;
  }
  return undefined;
}

describe('esr:decode', () => {
  const ctx = testContext();

  it('decodes the seed value of the GPU passthrough report', async () => {
    const r = await dispatch(ctx, 'esr:decode', { values: ['0x92000061'], el: 2 });
    expect(r.ok).toBe(true);
    const [item] = (r as { value: { items: EsrDecodeItem[] } }).value.items;
    if (!item?.ok) throw new Error('expected a decode');
    const d = item.decode;
    expect(d.esr).toBe('0x92000061');
    expect([d.ec, d.il, d.ecInfo.name]).toEqual([0x24, 1, 'DABT_LOW']);
    expect(d.fsc?.code).toBe(0x21);
    expect(d.fsc?.type).toBe('alignment');
    expect(field(d.fields, 'ISV')?.value).toBe(0);
    expect(field(d.fields, 'WnR')).toMatchObject({ hi: 6, lo: 6, value: 1 });
    expect(field(d.fields, 'DFSC')).toMatchObject({ hi: 5, lo: 0, value: 0x21 });
    expect(field(d.fields, 'EC')).toMatchObject({ hi: 31, lo: 26, value: 0x24 });
    expect(d.text).toMatch(/^ESR 0x92000061 \(ESR_EL2\)/);
    // fault.c mem_abort_decode (5.19+): "  ESR = 0x%016lx", then "  FSC = 0x%02lx: %s"
    expect(d.memAbortInfo).toContain('  ESR = 0x0000000092000061');
    expect(d.memAbortInfo).toContain('  FSC = 0x21: alignment fault');
  });

  it('decodes each pasted value on its own and reports the bad ones without failing the rest', async () => {
    const r = await dispatch(ctx, 'esr:decode', { values: ['0000000096000004', 'zz', '0x1_0000_0000_0000_0000'] });
    if (!r.ok) throw new Error(r.error.message);
    const items = (r.value as { items: EsrDecodeItem[] }).items;
    expect(items.map((i) => i.ok)).toEqual([true, false, false]);
    const first = items[0];
    // 0x96000004: EC 0x25 DABT_CUR, DFSC 0x04 level 0 translation fault
    expect(first?.ok && [first.decode.ec, first.decode.fsc?.code, first.decode.fsc?.level]).toEqual([0x25, 0x04, 0]);
    expect(items[1]).toMatchObject({ input: 'zz', ok: false });
  });

  it('carries FAR as a hex string and refuses a FAR that is not hex', async () => {
    const r = await dispatch(ctx, 'esr:decode', { values: ['0x96000004'], far: '0xffff800012345678' });
    if (!r.ok) throw new Error(r.error.message);
    const item = (r.value as { items: EsrDecodeItem[] }).items[0];
    expect(item?.ok && item.decode.addresses.far).toBe('0xffff800012345678');
    const bad = await dispatch(ctx, 'esr:decode', { values: ['0x96000004'], far: 'nope' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const none = await dispatch(ctx, 'esr:decode', { values: [] });
    expect(none).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });
});
