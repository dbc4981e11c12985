// The source walk's leaf files, from real files and archives made by the real tools: what each says of its
// content's size. A reader that holds a whole input (spool.ts: trace.dat, journal files) sizes its buffer by
// it; without it, an input over 16 MiB went to a temporary file and was read back.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { LeafFile } from '../../../main/services/ingest/source-items';
import { walkInputs } from '../../../main/services/ingest/sources';
import { DEFAULT_LIMITS, ExpansionBudget } from '../../../main/services/ingest/decompress';
import { tempDir } from '../../helpers/tmp';
import { hasTool } from '../../helpers/tools';


/** Every leaf of `paths`, its content read to the end: [path, size announced, bytes read]. */
async function leaves(paths: string[]): Promise<[string, number | null, number][]> {
  const out: [string, number | null, number][] = [];
  for await (const item of walkInputs(paths, { budget: new ExpansionBudget(DEFAULT_LIMITS) })) {
    if (item.kind !== 'file') continue;
    const f: LeafFile = item.file;
    let n = 0;
    for await (const c of f.content.rest()) n += c.length;
    out.push([f.path, f.size, n]);
  }
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

// Bigger than the walk's one-read limit for small files (64 KiB), so the plain file is streamed.
const TEXT = 'x'.repeat(99) + '\n';
const BIG = TEXT.repeat(2000);

describe('the size the walk announces for a leaf', () => {
  it('is the bytes of a plain file, and unknown once the content is decompressed or converted', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain.log'), BIG);
    writeFileSync(join(dir, 'small.log'), TEXT);
    writeFileSync(join(dir, 'packed.log.gz'), gzipSync(BIG));
    // Lines ended by CR alone are turned into LF lines as they are read: not the stored bytes.
    writeFileSync(join(dir, 'cr.log'), BIG.replaceAll('\n', '\r'));
    expect(await leaves([dir])).toEqual([
      ['cr.log', null, BIG.length],
      ['packed.log.gz', null, BIG.length],
      ['plain.log', BIG.length, BIG.length],
      ['small.log', TEXT.length, TEXT.length],
    ]);
  });

  it('is an archive entry\'s declared size, in a tar, a tar.gz and a zip', async () => {
    const dir = tempDir();
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'var', 'log'), { recursive: true });
    writeFileSync(join(tree, 'var', 'log', 'kern.log'), BIG);
    writeFileSync(join(tree, 'uname'), TEXT);
    execFileSync('tar', ['-cf', join(dir, 'b.tar'), '-C', tree, '.']);
    execFileSync('tar', ['-czf', join(dir, 'b.tar.gz'), '-C', tree, '.']);
    const inputs = [join(dir, 'b.tar'), join(dir, 'b.tar.gz')];
    if (hasTool('zip')) {
      execFileSync('zip', ['-qr', join(dir, 'b.zip'), '.'], { cwd: tree });
      inputs.push(join(dir, 'b.zip'));
    }
    const got = await leaves(inputs);
    expect(got.length).toBe(2 * inputs.length);
    // The same entry names in each archive: the walk tells them apart with `#2`, `#3`.
    for (const [path, size, read] of got) {
      expect(size, path).toBe(read);
      expect(read, path).toBe(/kern\.log(#\d+)?$/.test(path) ? BIG.length : TEXT.length);
    }
  });
});

describe('the path of a file inside an archive', () => {
  it('starts with the archive\'s own path when the archive lies in a folder, and not when it is the input', async () => {
    const dir = tempDir();
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'x'), { recursive: true });
    writeFileSync(join(tree, 'x', 'dmesg'), TEXT);
    const bundle = join(dir, 'bundle');
    mkdirSync(join(bundle, 'x'), { recursive: true });
    mkdirSync(join(bundle, 'logs'), { recursive: true });
    writeFileSync(join(bundle, 'x', 'dmesg'), TEXT);
    execFileSync('tar', ['-cf', join(bundle, 'a.tar'), '-C', tree, 'x']);
    execFileSync('tar', ['-czf', join(bundle, 'logs', 'b.tar.gz'), '-C', tree, 'x']);
    const paths = ['a.tar/x/dmesg', 'logs/b.tar.gz/x/dmesg', 'x/dmesg'];
    if (hasTool('zip')) {
      execFileSync('zip', ['-qr', join(bundle, 'c.zip'), 'x'], { cwd: tree });
      paths.push('c.zip/x/dmesg');
    }
    expect((await leaves([bundle])).map(([path]) => path)).toEqual(paths.sort());
    // The archive as the input: its entries are the bundle's files.
    expect((await leaves([join(bundle, 'a.tar')])).map(([path]) => path)).toEqual(['x/dmesg']);
  });
});

describe('a folder entry that is not a file', () => {
  it('is named as skipped: a FIFO and a socket, beside a file that is read', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'dmesg'), TEXT);
    mkdirSync(join(dir, 'run'));
    execFileSync('mkfifo', [join(dir, 'run', 'initctl')]);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(dir, 'run', 'libvirt-sock'), resolve));
    try {
      const items: [string, string][] = [];
      for await (const item of walkInputs([dir], { budget: new ExpansionBudget(DEFAULT_LIMITS) })) {
        if (item.kind === 'problem') items.push([item.problem.id, `${item.problem.file}: ${item.problem.message}`]);
        else {
          await item.file.content.drain();
          items.push(['file', item.file.path]);
        }
      }
      expect(items).toEqual([
        ['file', 'dmesg'],
        ['special-file-skipped', 'run/initctl: FIFO skipped'],
        ['special-file-skipped', 'run/libvirt-sock: socket skipped'],
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('a file on disk its reader reads itself', () => {
  /** The first leaf of `path`, with the bytes the walk counts as read so far (onRead). */
  async function firstLeaf(path: string): Promise<{ file: LeafFile; read: () => number; rest: () => Promise<void> }> {
    let read = 0;
    const walk = walkInputs([path], { budget: new ExpansionBudget(DEFAULT_LIMITS), onRead: (n) => (read += n) })[Symbol.asyncIterator]();
    const item = (await walk.next()).value;
    if (item?.kind !== 'file') throw new Error('no leaf');
    return { file: item.file, read: () => read, rest: async () => void (await walk.next()) };
  }

  it('counts its bytes as its reader reports them, and the rest when the walk moves on', async () => {
    const path = join(tempDir(), 'trace');
    writeFileSync(path, BIG.repeat(10));
    const { file, read, rest } = await firstLeaf(path);
    const head = read();
    expect(head).toBeLessThan(BIG.length * 10);
    const count = await file.disk!.claimCounting();
    // Nothing more counted at the claim: the reader counts what it reads, from the file's start, and the
    // bytes the stream had read are not counted again.
    expect(read()).toBe(head);
    count(head - 10);
    expect(read()).toBe(head);
    count(1010);
    count(2000);
    expect(read()).toBe(head + 3000);
    // The walk claims the file once its importer is done: what the reader did not count is counted then,
    // once, and the reader's counting ends.
    await rest();
    expect(read()).toBe(BIG.length * 10);
    count(5);
    expect(read()).toBe(BIG.length * 10);
  });

  it('counts the rest at once for a reader that claims it whole', async () => {
    const path = join(tempDir(), 'trace');
    writeFileSync(path, BIG.repeat(10));
    const { file, read, rest } = await firstLeaf(path);
    await file.disk!.claim();
    expect(read()).toBe(BIG.length * 10);
    await expect(file.disk!.claimCounting()).rejects.toThrow(/claimed twice/);
    await rest();
    expect(read()).toBe(BIG.length * 10);
  });
});
