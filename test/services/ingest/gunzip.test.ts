// gzip files damaged at their end, as `gzip -dc` reads them: every byte before the damage printed, then a
// complaint (a bad CRC-32: "invalid compressed data--crc error"; bytes after the last member:
// "decompression OK, trailing garbage ignored"). The ingest keeps the same bytes and names the file.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingestBundle } from '../../../main/services/ingest/pipeline';
import { PROJECT_ROOT } from '../../../main/services/paths';
import { listDiagnostics, listFiles } from '../../../main/storage/bundles';
import { openDatabase } from '../../../main/storage/db';
import { tempDir } from '../../helpers/tmp';
import { hasTool } from '../../helpers/tools';

const SHARED_LOGS = join(PROJECT_ROOT, '..', 'shared', 'samples', 'logs');
// Sample 008 (15 KB, one read of the walk), and 100 copies of it (1.5 MB, six of gunzip's 256 KiB chunks).
const SMALL = readFileSync(join(SHARED_LOGS, '008-kvm-rt-kernel-cpu-prefix-alignment-fault-oops.log'));
const BIG = Buffer.concat(Array.from({ length: 100 }, () => SMALL));
const linesOf = (b: Buffer): number => b.toString('utf8').split('\n').length - 1;

/** The file's gzip, its CRC-32 (the trailer's first 4 bytes, RFC 1952 §2.3.1) with a bit flipped. */
function badCrc(text: Buffer): Buffer {
  const gz = gzipSync(text);
  gz[gz.length - 8] = gz[gz.length - 8]! ^ 0x01;
  return gz;
}

/** The file's gzip followed by bytes that are not another member. */
const trailing = (text: Buffer): Buffer => Buffer.concat([gzipSync(text), Buffer.from('garbage after the member\n')]);

/** Ingests `gz` as one file, after checking that gzip reads `text` from it, complaining or not. */
async function ingestOne(gz: Buffer, text: Buffer, gzipComplains: boolean) {
  const dir = tempDir();
  writeFileSync(join(dir, 'dmesg.gz'), gz);
  if (hasTool('gzip')) {
    const g = spawnSync('gzip', ['-dc', join(dir, 'dmesg.gz')], { maxBuffer: 64 * 1024 * 1024 });
    expect(g.stdout.equals(text)).toBe(true);
    expect(g.stderr.toString() !== '').toBe(gzipComplains);
  }
  const db = openDatabase(join(tempDir(), 'gz.db'));
  const s = await ingestBundle(db, [join(dir, 'dmesg.gz')]);
  const files = listFiles(db, s.bundleId!).map((f) => [f.path, f.lines]);
  const damage = listDiagnostics(db, s.bundleId!, 100).filter((d) => d.severity !== 'info').map((d) => [d.kind, d.file, d.line, d.message]);
  db.close();
  return { files, damage };
}

describe('a gzip file damaged at its end', () => {
  // gzip -dc prints all of these, then complains: "crc error", "trailing garbage ignored".
  it.each([
    ['a small log', 'a bad CRC', SMALL, badCrc, /incorrect data check .*the data may be damaged/],
    ['a log of several chunks', 'a bad CRC', BIG, badCrc, /incorrect data check .*the data may be damaged/],
    ['a small log', 'trailing garbage', SMALL, trailing, /not another member, were ignored/],
    ['a log of several chunks', 'trailing garbage', BIG, trailing, /not another member, were ignored/],
  ])('keeps every line of %s with %s after it, and says so', async (_what, _damage, text, damaged, message) => {
    const r = await ingestOne(damaged(text), text, true);
    expect(r.files).toEqual([['dmesg.gz', linesOf(text)]]);
    expect(r.damage).toEqual([['compressed-corrupt', 'dmesg.gz', linesOf(text), expect.stringMatching(message)]]);
  });

  it('reads the members of a concatenated gzip, and zeros after the last as padding, without a word', async () => {
    const r = await ingestOne(Buffer.concat([gzipSync(SMALL), gzipSync(BIG), Buffer.alloc(4096)]), Buffer.concat([SMALL, BIG]), false);
    expect(r.files).toEqual([['dmesg.gz', linesOf(SMALL) + linesOf(BIG)]]);
    expect(r.damage).toEqual([]);
  });
});
