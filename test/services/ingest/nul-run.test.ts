// A log behind a leading run of NUL bytes longer than the 64 KiB head its format is recognized from:
// the sample host's dmesg (159 lines; one fault, the `Unsupported FSC` line at 412.88 s) behind 70,000 NULs, as logrotate's
// copytruncate leaves a log whose writer kept its offset.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/storage/db';
import { ingestBundle } from '../../../main/services/ingest/pipeline';
import { SAMPLES_DIR } from '../../../main/services/paths';
import { tempDir } from '../../helpers/tmp';

const LOG = readFileSync(join(SAMPLES_DIR, 'gpu-passthrough-6.1', 'sos_commands', 'kernel', 'dmesg'));

async function ingestFile(name: string, body: Buffer) {
  const dir = tempDir();
  writeFileSync(join(dir, name), body);
  const db = openDatabase(join(dir, 'x.db'));
  const s = await ingestBundle(db, [join(dir, name)]);
  const diags = db.prepare(`SELECT kind, file, message FROM diagnostics ORDER BY id`).all() as { kind: string; file: string; message: string }[];
  db.close();
  return { s, diags };
}

describe('a leading run of NUL bytes', () => {
  it('is skipped, named with its extent, and the log after it is read', async () => {
    const { s, diags } = await ingestFile('kern.log', Buffer.concat([Buffer.alloc(70_000), LOG]));
    expect(s.files.map((f) => [f.path, f.format, f.lines, f.faults])).toEqual([['kern.log', 'dmesg', 159, 1]]);
    expect(diags.map((d) => d.kind)).not.toContain('binary-skipped');
    const run = diags.find((d) => d.kind === 'nul-run-skipped');
    expect(run?.file).toBe('kern.log');
    expect(run?.message).toMatch(/starts with 70,000 NUL bytes \(bytes 0 to 69,999\)/);
  });

  it('leaves a binary behind it skipped as binary, and a file of NULs only says so', async () => {
    const binary = await ingestFile('disk.img', Buffer.concat([Buffer.alloc(100_000), randomBytes(100_000)]));
    expect(binary.s.files.map((f) => f.format)).toEqual(['binary']);
    expect(binary.diags.map((d) => d.kind)).toEqual(['nul-run-skipped', 'binary-skipped']);
    const nuls = await ingestFile('zeros', Buffer.alloc(200_000));
    expect(nuls.diags.find((d) => d.kind === 'nul-run-skipped')?.message).toBe('the file holds nothing but 200,000 NUL bytes');
  });
});
