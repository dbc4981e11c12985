// Timeline summaries: bucket b of level L covers [b·w, (b+1)·w) with w = 1 µs · 4^L (aligned to absolute
// time, so files line up), counts are conserved from level to level, and a long trace is folded to the
// level that keeps it within MAX_BUCKETS.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_BUCKETS, TimelineAccumulator, fold, levelWidthNs, sumLevels } from '../../../../main/core/ingest/ftrace/timeline';

const total = (c: Uint32Array): number => c.reduce((a, b) => a + b, 0);

describe('timeline levels', () => {
  it('bucket widths are 1 µs times powers of 4', () => {
    expect([0, 1, 2, 5].map(levelWidthNs)).toEqual([1_000, 4_000, 16_000, 1_024_000]);
  });

  it('places events in absolute buckets and conserves counts up to a single bucket', () => {
    const acc = new TimelineAccumulator();
    // 999 ns and 1000 ns fall on either side of the 1 µs boundary; 5 µs is bucket 5
    for (const ts of [999, 1000, 1500, 5000, 5000]) acc.add('cpu', '0', ts);
    const levels = acc.finish().get('cpu:0')!;
    expect(levels[0]).toMatchObject({ level: 0, first: 0 });
    expect([...levels[0]!.counts]).toEqual([1, 2, 0, 0, 0, 2]);
    // level 1 (4 µs): buckets 0 (0-3 µs) and 1 (4-7 µs)
    expect([...levels[1]!.counts]).toEqual([3, 2]);
    expect(levels.at(-1)!.counts.length).toBe(1);
    for (const l of levels) expect(total(l.counts)).toBe(5);
  });

  it('folds every track when the span outgrows MAX_BUCKETS, keeping each track whole', () => {
    const acc = new TimelineAccumulator();
    const span = MAX_BUCKETS * 1000 * 10; // ten times what level 0 can hold
    for (let i = 0; i < 1000; i++) acc.add('event', 'a', Math.floor((i * span) / 1000));
    acc.add('event', 'b', span - 1);
    expect(acc.level).toBe(2); // 4^2 = 16 >= 10
    const out = acc.finish();
    const a = out.get('event:a')!;
    expect(a[0]!.level).toBe(2);
    expect(total(a[0]!.counts)).toBe(1000);
    // every track reaches the same top level, however few events it has
    expect(out.get('event:b')!.at(-1)!.level).toBe(a.at(-1)!.level);
  });

  it('adds host time to the bucket of the entry that closes an exit', () => {
    const acc = new TimelineAccumulator();
    acc.add('thread', '7', 2_500, 1_200);
    acc.add('thread', '7', 2_700, 300);
    const l0 = acc.finish().get('thread:7')![0]!;
    expect([...l0.counts]).toEqual([2]);
    expect([...l0.hostNs!]).toEqual([1_500]);
  });

  it('fold and sum work on absolute bucket numbers', () => {
    const x = { level: 0, first: 3, counts: new Uint32Array([1, 1, 1, 1, 1]), hostNs: null };
    // buckets 3..7 -> level-1 buckets 0 (3), 1 (4..7)
    expect(fold(x)).toMatchObject({ level: 1, first: 0, counts: new Uint32Array([1, 4]) });
    const y = { level: 0, first: 6, counts: new Uint32Array([5]), hostNs: null };
    const s = sumLevels([[x], [y]]);
    expect(s[0]).toMatchObject({ first: 3, counts: new Uint32Array([1, 1, 1, 6, 1]) });
  });

  it('every track’s finest level holds exactly its events and host times, in time order or not', () => {
    // The model: the level bucket() reaches (the span within MAX_BUCKETS), then each event counted in its
    // bucket there; a track keeps host times once one of its events had some, even if they cancel.
    const model = (events: readonly { track: number; ts: number; host: number }[]) => {
      let level = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (const e of events) {
        const b = Math.floor(e.ts / levelWidthNs(level));
        lo = Math.min(lo, b);
        hi = Math.max(hi, b);
        while (hi - lo + 1 > MAX_BUCKETS) {
          level++;
          lo = Math.floor(lo / 4);
          hi = Math.floor(hi / 4);
        }
      }
      const out = new Map<string, { level: number; first: number; counts: number[]; hostNs: number[] | null }>();
      for (const t of new Set(events.map((e) => e.track))) {
        const mine = events.filter((e) => e.track === t);
        const bs = mine.map((e) => Math.floor(e.ts / levelWidthNs(level)));
        const first = Math.min(...bs);
        const counts = new Array<number>(Math.max(...bs) - first + 1).fill(0);
        const host = new Array<number>(counts.length).fill(0);
        mine.forEach((e, i) => {
          counts[bs[i]! - first]!++;
          host[bs[i]! - first]! += e.host;
        });
        out.set(`cpu:${t}`, { level, first, counts, hostNs: mine.some((e) => e.host !== 0) ? host : null });
      }
      return out;
    };
    const event = fc.record({
      track: fc.integer({ min: 0, max: 3 }),
      // Mostly small steps forward (many events to a bucket), sometimes back, sometimes a jump.
      step: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 400 }) }, { weight: 1, arbitrary: fc.integer({ min: -5_000, max: 0 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** 33 }) }),
      host: fc.constantFrom(0, 0, 0, 300, -300, 1_200),
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.array(event, { minLength: 1, maxLength: 300 }), (start, steps) => {
        let ts = start;
        const events = steps.map((s) => ({ track: s.track, ts: (ts = Math.max(0, ts + s.step)), host: s.host }));
        const acc = new TimelineAccumulator();
        const tracks = [0, 1, 2, 3].map((t) => acc.track('cpu', String(t)));
        for (const e of events) acc.addAt(tracks[e.track]!, acc.bucket(e.ts), e.host);
        const got = new Map([...acc.finish()].map(([id, levels]) => {
          const l = levels[0]!;
          return [id, { level: l.level, first: l.first, counts: [...l.counts], hostNs: l.hostNs === null ? null : [...l.hostNs] }];
        }));
        expect(got).toEqual(model(events));
      }),
      { numRuns: 500 },
    );
  });

  it('fold puts each bucket into floor(bucket / 4), counts and host times, for any first bucket', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.array(fc.nat(50), { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        (first, counts, withHost) => {
          const hostNs = withHost ? counts.map((c, i) => c * 1000 + i) : null;
          const got = fold({ level: 0, first, counts: Uint32Array.from(counts), hostNs: hostNs === null ? null : Float64Array.from(hostNs) });
          const f = Math.floor(first / 4);
          const want = new Array<number>(Math.floor((first + counts.length - 1) / 4) - f + 1).fill(0);
          const wantHost = want.map(() => 0);
          counts.forEach((c, i) => {
            want[Math.floor((first + i) / 4) - f]! += c;
            wantHost[Math.floor((first + i) / 4) - f]! += hostNs?.[i] ?? 0;
          });
          expect({ level: got.level, first: got.first, counts: [...got.counts], hostNs: got.hostNs === null ? null : [...got.hostNs] }).toEqual({
            level: 1,
            first: f,
            counts: want,
            hostNs: hostNs === null ? null : wantHost,
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});

