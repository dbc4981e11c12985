// Fault grouping keys read from kvm_guest_fault / kvm_mmio_nisv records: the decoder's key cache (keys
// built once per distinct (ESR, IPA page, PC), cleared when large) hands out exactly the key built from the
// record's fields, whatever the order and number of distinct accesses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TraceDatReader } from '../../../../main/core/ingest/tracedat/reader';
import { kvmDecoderFor } from '../../../../main/core/ingest/tracedat/kvm-binary';
import { decompress } from '../../../../main/services/ingest/importers/trace-dat-codecs';
import { writeTraceDatV6, type WriterEvent } from '../../../../main/core/ingest/tracedat/writer';
import { arm64KvmFormats, KVM_FORMAT_IDS as ID } from '../../../../main/core/ingest/tracedat/arm64-kvm-formats';

const src = (b: Uint8Array): { size: number; read: (o: number, n: number) => Uint8Array } => ({ size: b.length, read: (o, n) => b.subarray(o, Math.min(o + n, b.length)) });

const hi = (v: bigint): number => Number(v >> 32n);
const lo = (v: bigint): number => Number(v & 0xffffffffn);

describe('fault keys from binary records', () => {
  it('are the key of each record’s own fields, with repeats, many distinct accesses and the cache cleared', () => {
    // Accesses that differ in one word only (the IPA's or the PC's high word, the page, the ESR) as well as
    // arbitrary ones.
    const access = fc.record({
      esr: fc.oneof(fc.constantFrom(0x93c08006, 0x92000061), fc.integer({ min: 0, max: 2 ** 32 - 1 })),
      ipa: fc.oneof(fc.constantFrom(0x9000000n, 0x109000000n, 0x9001000n, 0x9000fffn), fc.bigInt({ min: 0n, max: 2n ** 52n })),
      pc: fc.oneof(fc.constantFrom(0xffff80001073c080n, 0x1073c080n, 0xffff80001073c084n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
    });
    // Pairs that differ in a single word, always among the accesses.
    const pairs = [
      { esr: 0x93c08006, ipa: 0x9000000n, pc: 0xffff80001073c080n },
      { esr: 0x93c08006, ipa: 0x109000000n, pc: 0xffff80001073c080n },
      { esr: 0x93c08006, ipa: 0x9000000n, pc: 0x1073c080n },
      { esr: 0x92000061, ipa: 0x9000000n, pc: 0x1073c080n },
      { esr: 0x92000061, ipa: 0x9001000n, pc: 0x1073c080n },
    ];
    fc.assert(
      fc.property(fc.array(access, { maxLength: 40 }).map((a) => [...pairs, ...a]), fc.array(fc.nat(), { minLength: 1, maxLength: 3000, size: 'large' }), fc.boolean(), fc.boolean(), (accesses, picks, nisv, clear) => {
        const events: WriterEvent[] = picks.map((p, i): WriterEvent => {
          const a = accesses[p % accesses.length]!;
          const values: Record<string, bigint | number> = nisv ? { vcpu_pc: a.pc, esr: a.esr, far: 0n, ipa: a.ipa } : { vcpu_pc: a.pc, hsr: a.esr, hxfar: 0n, ipa: a.ipa };
          return { cpu: 0, tsNs: BigInt(1000 + i), id: nisv ? ID.kvm_mmio_nisv : ID.kvm_guest_fault, pid: 7, values };
        });
        // Beyond the cache's bound: distinct accesses enough to clear it, then the first ones again.
        for (let i = 0; i < (clear ? 4200 : 0); i++) {
          const values = { vcpu_pc: BigInt(i), esr: i, hsr: i, far: 0n, hxfar: 0n, ipa: BigInt(i) * 4096n };
          events.push({ cpu: 0, tsNs: BigInt(10_000 + i), id: nisv ? ID.kvm_mmio_nisv : ID.kvm_guest_fault, pid: 7, values });
        }
        if (clear) events.push(...events.slice(0, 50).map((e, i) => ({ ...e, tsNs: BigInt(20_000 + i) })));
        const bytes = writeTraceDatV6({ systems: { kvm: arm64KvmFormats() }, cpus: 1, cmdlines: new Map() }, events);
        const r = TraceDatReader.open(src(bytes), decompress);
        if (!r.ok) throw new Error(r.error);
        const kind = nisv ? 'kvm_nisv' : 'kvm_guest_fault';
        let decode: ReturnType<typeof kvmDecoderFor> = null;
        const got: string[] = [];
        r.value.read((rec) => {
          decode ??= kvmDecoderFor(rec.format!, true);
          got.push(decode!(rec, () => '')!.faultKey!);
        });
        const want = events
          .slice()
          .sort((a, b) => Number(a.tsNs - b.tsNs))
          .map((e) => {
            const v = e.values as unknown as { vcpu_pc: bigint; ipa: bigint; esr?: number; hsr?: number };
            const esr = BigInt(v.esr ?? v.hsr ?? 0);
            return `${kind}|${hi(esr)}:${lo(esr)}|${hi(v.ipa)}:${Math.floor(lo(v.ipa) / 4096)}|${hi(v.vcpu_pc)}:${lo(v.vcpu_pc)}`;
          });
        expect(got).toEqual(want);
      }),
      { numRuns: 25 },
    );
  });
});
