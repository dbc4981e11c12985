import { describe, expect, it } from 'vitest';
import type { FaultRecord } from '../../main/core/ingest/fault-record';
import { openDatabase } from '../../main/storage/db';
import { allFaults, eachFault, getFault, insertFaults, listFaults, setFaultDecodes } from '../../main/storage/faults';

const record = (over: Partial<FaultRecord>): FaultRecord => ({
  kind: 'mem_abort',
  esr: 0x96000004n,
  el: 1,
  far: 0x10n,
  ipa: null,
  pc: 0xffff800008a1c2f4n,
  cpu: 3,
  pid: 1237,
  comm: 'nfsd',
  timeNs: 23_352_431_106_000n,
  kernel: '5.6.17+',
  source: { file: 'dmesg', line: 1, endLine: 74 },
  text: 'Unable to handle kernel read from unreadable memory at virtual address 0000000000000010',
  extra: { clock: 'monotonic', oops: 1 },
  ...over,
});

function setup() {
  const db = openDatabase(':memory:');
  db.prepare(`INSERT INTO bundles (id, name, source_path, fingerprint, status, created_at) VALUES (1, 'a', '/a', 'f', 'complete', 'now')`).run();
  db.prepare(`INSERT INTO files (id, bundle_id, path, format) VALUES (2, 1, 'dmesg', 'dmesg')`).run();
  return db;
}

describe('faults storage', () => {
  it('stores 64-bit values as hex text without leading zeros and reads times back exactly', () => {
    const db = setup();
    const [id] = insertFaults(db, [{ bundleId: 1, fileId: 2, record: record({ esr: 0xffffffffffffffffn, timeNs: 9_007_199_254_740_993n }), count: 1, firstNs: null, lastNs: null }]);
    const f = getFault(db, id!)!;
    expect([f.esr, f.far, f.pc, f.timeNs, f.clock, f.file]).toEqual(['0xffffffffffffffff', '0x10', '0xffff800008a1c2f4', 9_007_199_254_740_993n, 'monotonic', 'dmesg']);
    expect(JSON.parse(f.extraJson)).toEqual({ clock: 'monotonic', oops: 1 });
  });

  it('lists in time order with kind and text filters, through the (bundle, kind, time) index', () => {
    const db = setup();
    insertFaults(db, [
      { bundleId: 1, fileId: 2, record: record({ timeNs: 3n }), count: 1, firstNs: null, lastNs: null },
      { bundleId: 1, fileId: 2, record: record({ kind: 'serror', timeNs: 1n, text: 'SError Interrupt on CPU3' }), count: 1, firstNs: null, lastNs: null },
      { bundleId: 1, fileId: 2, record: record({ timeNs: null }), count: 1, firstNs: null, lastNs: null },
      { bundleId: 1, fileId: 2, record: record({ timeNs: 2n }), count: 1, firstNs: null, lastNs: null },
    ]);
    expect(listFaults(db, { bundleId: 1, offset: 0, limit: 10 }).rows.map((r) => r.timeNs)).toEqual([1n, 2n, 3n, null]);
    const aborts = listFaults(db, { bundleId: 1, kind: 'mem_abort', offset: 1, limit: 1 });
    expect([aborts.total, aborts.rows.map((r) => r.timeNs)]).toEqual([3, [3n]]);
    expect(listFaults(db, { bundleId: 1, search: 'serror interrupt', offset: 0, limit: 10 }).rows.map((r) => r.kind)).toEqual(['serror']);
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM faults f WHERE f.bundle_id = ? AND f.kind = ? ORDER BY f.time_ns`).all(1, 'serror') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX faults_by_bundle_kind/);
  });

  it('lists only complete bundles for the CLI', () => {
    const db = setup();
    db.prepare(`INSERT INTO bundles (id, name, source_path, fingerprint, status, created_at) VALUES (9, 'b', '/b', 'g', 'ingesting', 'now')`).run();
    db.prepare(`INSERT INTO files (id, bundle_id, path, format) VALUES (10, 9, 'dmesg', 'dmesg')`).run();
    insertFaults(db, [
      { bundleId: 1, fileId: 2, record: record({}), count: 1, firstNs: null, lastNs: null },
      { bundleId: 9, fileId: 10, record: record({}), count: 1, firstNs: null, lastNs: null },
    ]);
    expect(allFaults(db).map((f) => f.bundleId)).toEqual([1]);
  });

  it('reads every field back the same way through each query (columns read by position)', () => {
    const db = setup();
    // Every field its own value, so that two columns read in each other's place cannot go unnoticed.
    const r = record({ esr: 0x92000061n, el: 2, far: 0x1234n, ipa: 0x8000_0000n, pc: 0xffff_0000_1000n, cpu: 5, pid: 4242, comm: 'qemu', timeNs: 77n, kernel: '6.1.0', source: { file: 'dmesg', line: 11, endLine: 13 }, text: 'three\nline\nrecord', extra: { clock: 'realtime', n: 2 } });
    const [id] = insertFaults(db, [{ bundleId: 1, fileId: 2, record: r, count: 6, firstNs: 70n, lastNs: 99n }]);
    setFaultDecodes(db, [{ id: id!, json: '{"esr":"0x92000061"}' }]);
    const want = {
      id, bundleId: 1, fileId: 2, file: 'dmesg', kind: 'mem_abort', esr: '0x92000061', el: 2, far: '0x1234', ipa: '0x80000000',
      pc: '0xffff00001000', cpu: 5, pid: 4242, comm: 'qemu', timeNs: 77n, clock: 'realtime', kernel: '6.1.0', line: 11,
      endLine: 13, text: 'three\nline\nrecord', count: 6, firstNs: 70n, lastNs: 99n, extraJson: '{"clock":"realtime","n":2}',
    };
    expect(getFault(db, id!)).toEqual({ ...want, decodeJson: '{"esr":"0x92000061"}' });
    expect(listFaults(db, { bundleId: 1, offset: 0, limit: 5 }).rows).toEqual([want]);
    expect(allFaults(db, 1)).toEqual([want]);
    expect([...eachFault(db, 1)]).toEqual([want]);
  });

  it('pages in the same order as one read, and sees records added after a page was read', () => {
    const db = setup();
    const add = (timeNs: bigint | null, line: number) => insertFaults(db, [{ bundleId: 1, fileId: 2, record: record({ timeNs, source: { file: 'dmesg', line, endLine: line } }), count: 1, firstNs: null, lastNs: null }]);
    for (const [t, line] of [[5n, 1], [null, 2], [3n, 3], [9n, 4], [3n, 5]] as const) add(t, line);
    /** Every record's line, read `size` at a time, each page checked to give the whole count. */
    const pages = (size: number, count: number) => {
      const out: number[] = [];
      for (let offset = 0; ; offset += size) {
        const { rows, total } = listFaults(db, { bundleId: 1, offset, limit: size });
        expect(total).toBe(count);
        out.push(...rows.map((r) => r.line));
        if (rows.length < size) return out;
      }
    };
    expect(pages(100, 5)).toEqual([3, 5, 1, 4, 2]);
    expect(pages(2, 5)).toEqual([3, 5, 1, 4, 2]);
    // A record added between two pages (an ingest still running) is placed by its time on the next read.
    add(4n, 6);
    expect(pages(2, 6)).toEqual([3, 5, 6, 1, 4, 2]);
    expect(listFaults(db, { bundleId: 1, kind: 'serror', offset: 0, limit: 5 })).toEqual({ rows: [], total: 0 });
  });
});
