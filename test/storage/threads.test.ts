// Threads started ahead of the file that needs them (ThreadSlot): started once per ingest, handed to the
// importer that takes it, stopped at the ingest's end when nobody took it; and the pipeline starting them
// from a lone input's first bytes.
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { releaseThreads, ThreadSlot } from '../../main/storage/threads';
import { openDatabase } from '../../main/storage/db';
import { ingestBundle } from '../../main/services/ingest/pipeline';
import type { Importer } from '../../main/services/ingest/importer';
import { tempDir } from '../helpers/tmp';

/** A slot whose threads are real (an idle worker), each remembered with whether it has exited. */
function countingSlot(): { slot: ThreadSlot; started: { worker: Worker; exited: boolean }[] } {
  const started: { worker: Worker; exited: boolean }[] = [];
  const slot = new ThreadSlot(async () => {
    const worker = new Worker(`require('node:worker_threads').parentPort.on('message', () => undefined);`, { eval: true });
    const entry = { worker, exited: false };
    worker.once('exit', () => (entry.exited = true));
    started.push(entry);
    await once(worker, 'online');
    return worker;
  });
  return { slot, started };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('ThreadSlot', () => {
  it('starts one thread per ingest, and the importer takes that one', async () => {
    const { slot, started } = countingSlot();
    const db = {};
    slot.prestart(db);
    slot.prestart(db);
    const taken = await slot.take(db);
    expect(started.length).toBe(1);
    expect(taken).toBe(started[0]!.worker);
    // Taken: the ingest's end leaves it to its taker.
    await releaseThreads(db);
    await settle();
    expect(started[0]!.exited).toBe(false);
    await taken!.terminate();
    expect(started[0]!.exited).toBe(true);
  });

  it('starts a new thread for a taker when none was started ahead, and one per ingest', async () => {
    const { slot, started } = countingSlot();
    const a = {};
    const b = {};
    slot.prestart(a);
    const forB = await slot.take(b);
    expect(started.length).toBe(2);
    expect(forB).toBe(started[1]!.worker);
    await forB!.terminate();
    await releaseThreads(a);
    expect(started[0]!.exited).toBe(true);
  });

  it('stops at the ingest end a thread started ahead and never taken', async () => {
    const { slot, started } = countingSlot();
    const db = {};
    slot.prestart(db);
    await releaseThreads(db);
    expect(started[0]!.exited).toBe(true);
    // The next take starts a thread of its own.
    const again = await slot.take(db);
    expect(started.length).toBe(2);
    await again!.terminate();
  });
});

describe('the pipeline starting threads ahead', () => {
  /** An importer of files starting with `MAGIC` that may take the slot's thread, recording what it did. */
  function magicImporter(slot: ThreadSlot, take: boolean, seen: { prestarts: number; took: Worker | null }): Importer {
    return {
      id: 'magic',
      sniff: (head) => (head.subarray(0, 5).toString() === 'MAGIC' ? 1 : 0),
      prestart(db) {
        seen.prestarts++;
        slot.prestart(db);
      },
      async import(_ctx, input) {
        for await (const _ of input.chunks()) void _;
        if (take) {
          seen.took = await slot.take(_ctx.db);
          await seen.took?.terminate();
        }
        return { lines: 0, events: 0, faults: 0 };
      },
    };
  }

  function bigFile(): string {
    const path = join(tempDir(), 'input.bin');
    writeFileSync(path, Buffer.concat([Buffer.from('MAGIC'), Buffer.alloc(5 * 1024 * 1024, 0x41)]));
    return path;
  }

  /** A big lone file ingested by the magic importer (which takes the slot's thread or not): what happened. */
  async function ingestBigFile(take: boolean) {
    const { slot, started } = countingSlot();
    const seen = { prestarts: 0, took: null as Worker | null };
    const db = openDatabase(join(tempDir(), 'x.db'));
    await ingestBundle(db, [bigFile()], { importers: [magicImporter(slot, take, seen)] });
    db.close();
    return { started, seen };
  }

  it('starts the thread of the importer a big lone file will be read by, which takes it', async () => {
    const { started, seen } = await ingestBigFile(true);
    expect(seen.prestarts).toBe(1);
    expect(started.length).toBe(1);
    expect(seen.took).toBe(started[0]!.worker);
  });

  it('stops a thread started ahead that its importer did not take', async () => {
    const { started, seen } = await ingestBigFile(false);
    expect(seen.prestarts).toBe(1);
    expect(started.length).toBe(1);
    expect(started[0]!.exited).toBe(true);
  });

  it('starts nothing ahead for a small file, nor for a folder', async () => {
    const { slot } = countingSlot();
    const seen = { prestarts: 0, took: null as Worker | null };
    const small = join(tempDir(), 'small.bin');
    writeFileSync(small, 'MAGIC and a little more');
    const db = openDatabase(join(tempDir(), 'x.db'));
    await ingestBundle(db, [small], { importers: [magicImporter(slot, false, seen)] });
    const folder = tempDir();
    writeFileSync(join(folder, 'a.bin'), Buffer.concat([Buffer.from('MAGIC'), Buffer.alloc(5 * 1024 * 1024, 0x41)]));
    await ingestBundle(db, [folder], { importers: [magicImporter(slot, false, seen)] });
    db.close();
    expect(seen.prestarts).toBe(0);
  });

  it('leaves no thread running when the ingest fails before it reads', async () => {
    const { slot, started } = countingSlot();
    const seen = { prestarts: 0, took: null as Worker | null };
    const path = join(tempDir(), 'x.db');
    openDatabase(path).close();
    // A database that cannot be written: the bundle's row cannot be inserted.
    const db = openDatabase(path, { readonly: true });
    await expect(ingestBundle(db, [bigFile()], { importers: [magicImporter(slot, true, seen)] })).rejects.toThrow(/readonly/);
    db.close();
    await settle();
    expect(started.filter((t) => !t.exited).length).toBe(0);
  });
});
