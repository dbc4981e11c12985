import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintInputs } from '../../../main/services/ingest/fingerprint';
import { tempDir } from '../../helpers/tmp';
import { unopenableDepth, withUnlistableFolder, withUnopenableFile } from '../../helpers/unlistable';

const MiB = 1024 * 1024;
const sha256 = (b: Uint8Array | string): Buffer => createHash('sha256').update(b).digest();

/** The definition, written out: per input, each file's name, its 1 MiB blocks' digests, a terminator. */
function expected(files: { name: string; bytes: Buffer }[]): string {
  const h = createHash('sha256');
  h.update('\x01input\0');
  for (const f of files) {
    h.update(`${f.name}\0`);
    for (let at = 0; at < f.bytes.length; at += MiB) h.update(sha256(f.bytes.subarray(at, at + MiB)));
    h.update('\0');
  }
  return `sha256-blocks:${h.digest('hex')}`;
}

describe('fingerprintInputs', () => {
  it('hashes a file block by block (a multi-block file with a partial last block)', async () => {
    const dir = tempDir('fingerprint');
    const bytes = randomBytes(Math.floor(5.5 * MiB));
    writeFileSync(join(dir, 'dmesg'), bytes);
    const r = await fingerprintInputs([join(dir, 'dmesg')]);
    expect(r).toEqual({ fingerprint: expected([{ name: 'dmesg', bytes }]), totalBytes: bytes.length });
  });

  it('hashes a folder in name order with relative paths, and tells content apart', async () => {
    const dir = tempDir('fingerprint-folder');
    mkdirSync(join(dir, 'b'));
    const a = randomBytes(3000);
    const c = randomBytes(MiB);
    writeFileSync(join(dir, 'b', 'c'), c);
    writeFileSync(join(dir, 'a'), a);
    const first = await fingerprintInputs([dir]);
    expect(first.fingerprint).toBe(expected([{ name: 'a', bytes: a }, { name: 'b/c', bytes: c }]));
    c[MiB - 1] = c[MiB - 1]! ^ 1;
    writeFileSync(join(dir, 'b', 'c'), c);
    expect((await fingerprintInputs([dir])).fingerprint).not.toBe(first.fingerprint);
  });

  it('folds in a folder that cannot be listed, and hashes the rest', async () => {
    const dir = tempDir('fingerprint-unlistable');
    const a = randomBytes(3000);
    writeFileSync(join(dir, 'a'), a);
    const without = await fingerprintInputs([dir]);
    await withUnlistableFolder(dir, 'deep', async () => {
      const first = await fingerprintInputs([dir]);
      expect(first.totalBytes).toBe(a.length);
      expect(first.fingerprint).not.toBe(without.fingerprint);
      expect((await fingerprintInputs([dir])).fingerprint).toBe(first.fingerprint);
    });
  });

  it('does not open a FIFO given as an input (it would wait for a writer)', async () => {
    const dir = tempDir('fingerprint-fifo');
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const r = await fingerprintInputs([fifo]);
    expect(r.totalBytes).toBe(0);
    expect(r.fingerprint).not.toBe((await fingerprintInputs([join(dir, 'missing')])).fingerprint);
  }, 10_000);

  it('folds in a file that cannot be opened the same way wherever the bundle lies', async () => {
    // Two copies of one bundle, at paths of different lengths: the open's error message names the
    // absolute path, its code does not.
    const near = tempDir('fp');
    const far = join(tempDir('fingerprint-unopenable'), 'a-longer-path');
    mkdirSync(far);
    const prints: string[] = [];
    const depth = unopenableDepth([near, far], 'deep');
    for (const dir of [near, far]) {
      writeFileSync(join(dir, 'a'), 'x');
      await withUnopenableFile(dir, 'deep', depth, async () => {
        prints.push((await fingerprintInputs([dir])).fingerprint);
      });
      prints.push((await fingerprintInputs([dir])).fingerprint);
    }
    expect(prints[0]).toBe(prints[2]);
    expect(prints[0]).not.toBe(prints[1]);
  });
});
