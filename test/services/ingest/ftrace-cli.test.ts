// `faultline events` and the events:list / timeline:buckets operations over an ingested trace: the JSON line
// contract of the issue ({"time_ns", "cpu", "pid", "comm", "event", "fields"}), filters, and usage errors.
// Expected values are read off the real capture 039 (../shared/samples/logs).
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/storage/db';
import { ingestBundle } from '../../../main/services/ingest/pipeline';
import { command } from '../../../main/cli/commands/events';
import { eventHandlers } from '../../../main/api/handlers/events';
import type { ApiContext } from '../../../main/api/context';
import { UsageError } from '../../../main/cli/types';
import { tempDir } from '../../helpers/tmp';

const LOG_039 = join(__dirname, '../../../../shared/samples/logs/039-ftrace-kvm-exit-entry-nv-guest-loop-email-wrapped.log');
let dbPath = '';
let bundleId = 0;

beforeAll(async () => {
  dbPath = join(tempDir(), 'x.db');
  const db = openDatabase(dbPath);
  bundleId = (await ingestBundle(db, [LOG_039])).bundleId!;
  db.close();
});

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (d: Buffer) => chunks.push(d));
  const code = await command.run(args, { stdin: Readable.from(['']), stdout, stderr: new PassThrough(), env: {}, cwd: process.cwd() });
  return { code, out: Buffer.concat(chunks).toString('utf8') };
}

describe('faultline events', () => {
  it('--json: one object per event with the contract keys first', async () => {
    const { code, out } = await run(['--db', dbPath, '--json']);
    expect(code).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBe(21);
    expect(Object.keys(lines[0]!).slice(0, 6)).toEqual(['time_ns', 'cpu', 'pid', 'comm', 'event', 'fields']);
    expect(lines[0]).toMatchObject({
      time_ns: '6076581774000',
      cpu: 1,
      pid: 88776,
      comm: 'kvm-vcpu-0',
      event: 'kvm_exit',
      fields: { ret: 'TRAP', esr_ec: 24, esr_ec_name: 'SYS64', vcpu_pc: '0x80528a6c' },
      clock: 'monotonic',
    });
  });

  it('--event, --from/--to and --limit select', async () => {
    const exits = (await run(['--db', dbPath, '--json', '--event', 'kvm_entry'])).out.trim().split('\n');
    expect(exits.length).toBe(10);
    // 6076.581778 .. 6076.581780: kvm_exit 778, kvm_entry 778, kvm_exit 779, kvm_entry 779, kvm_exit 780
    const win = (await run(['--db', dbPath, '--json', '--from', '6076581778000', '--to', '6076581780000'])).out.trim().split('\n');
    expect(win.map((l) => (JSON.parse(l) as { event: string }).event)).toEqual(['kvm_exit', 'kvm_entry', 'kvm_exit', 'kvm_entry', 'kvm_exit']);
    expect((await run(['--db', dbPath, '--limit', '2'])).out.replace(/\n$/, '').split('\n')).toEqual([
      '      kvm-vcpu-0-88776 [001]  6076.581774: kvm_exit:             TRAP: HSR_EC: 0x0018 (SYS64), PC: 0x0000000080528a6c',
      '      kvm-vcpu-0-88776 [001]  6076.581774: kvm_entry:            PC: 0x0000000080528a6c',
    ]);
  });

  it('refuses a time that is not integer nanoseconds, or beyond what SQLite stores (2^63-1)', async () => {
    await expect(run(['--db', dbPath, '--from', '6076.58'])).rejects.toBeInstanceOf(UsageError);
    await expect(run(['--db', dbPath, '--to', '9223372036854775808'])).rejects.toBeInstanceOf(UsageError);
    expect((await run(['--db', dbPath, '--to', '9223372036854775807', '--limit', '1'])).code).toBe(0);
  });
});

describe('events:list and timeline:buckets', () => {
  it('pages events and counts them per track', () => {
    const db = openDatabase(dbPath);
    const ctx = { db } as unknown as ApiContext;
    const page = eventHandlers['events:list'](ctx, { bundleId, offset: 20, limit: 5 });
    expect(page.events.map((e) => [e.timeNs, e.event])).toEqual([['6076581790000', 'kvm_exit']]);
    const tl = eventHandlers['timeline:buckets'](ctx, { bundleId, buckets: 4 });
    expect([tl.fromNs, tl.toNs]).toEqual(['6076581774000', '6076581790000']);
    expect(tl.tracks.find((t) => t.kind === 'vcpu' && t.key === '88776')!.counts.reduce((a, b) => a + b, 0)).toBe(21);
    expect(tl.tracks.find((t) => t.kind === 'event' && t.key === 'kvm_exit')!.counts.reduce((a, b) => a + b, 0)).toBe(11);
    db.close();
  });
});
