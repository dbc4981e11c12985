// `faultline events` and `faultline faults` read complete bundles only: a killed ingest leaves its bundle
// in state `ingesting` with the events and records it had stored (main/services/ingest/pipeline.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestBundle } from '../../main/services/ingest/pipeline';
import { openDatabase } from '../../main/storage/db';
import { ingestingFingerprint } from '../../main/storage/ingest';
import { runFaultline } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

// Lines of resources/samples/gpu-passthrough-6.1/sys/kernel/debug/tracing/trace.
const HEADER = '# tracer: nop\n#\n#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n#              | |         |   |||||     |         |\n';
const EXIT = '  CPU 1/KVM-4326 [013] d..1.   412.880211: kvm_exit: IRQ: HSR_EC: 0x0000 (UNKNOWN), PC: 0xffff800008117cd4\n';
const FAULT = '  CPU 0/KVM-4325 [012] ...1.   412.880750: kvm_guest_fault: ipa 0x9000000, hsr 0x93810047, hxfar 0xffff800009000000, pc 0xffff8000087d4a1c\n';

function traceFolder(lines: string): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'tracing'));
  writeFileSync(join(dir, 'tracing', 'trace'), HEADER + lines);
  return dir;
}

/** A database with a complete bundle (a kvm_exit) and one whose ingest was killed (a kvm_guest_fault stored). */
async function withKilledIngest(): Promise<{ db: string; complete: number; killed: number }> {
  const db = join(tempDir(), 'events.db');
  const handle = openDatabase(db);
  const complete = (await ingestBundle(handle, [traceFolder(EXIT)])).bundleId!;
  const killed = (await ingestBundle(handle, [traceFolder(FAULT)])).bundleId!;
  // What a killed ingest leaves: its rows, under a bundle still `ingesting`, named for a process gone.
  handle.prepare(`UPDATE bundles SET status = 'ingesting', fingerprint = ?, finished_at = NULL WHERE id = ?`).run(ingestingFingerprint(99_999_999, 'k'), killed);
  handle.close();
  return { db, complete, killed };
}

describe('faultline events', () => {
  it('prints the events of complete bundles only', async () => {
    const { db } = await withKilledIngest();
    const r = await runFaultline(['events', '--db', db, '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { event: string }).event)).toEqual(['kvm_exit']);
  });

  it('refuses --bundle of an ingest that did not complete, and of no bundle', async () => {
    const { db, complete, killed } = await withKilledIngest();
    const ok = await runFaultline(['events', '--db', db, '--bundle', String(complete)]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('kvm_exit:');
    const r = await runFaultline(['events', '--db', db, '--bundle', String(killed)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`faultline events: bundle ${killed} is not complete (ingesting: its ingest is still running, or was interrupted)\n`);
    const none = await runFaultline(['events', '--db', db, '--bundle', '99']);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('faultline events: bundle 99 not found\n');
  });

  it('faults refuses --bundle of an ingest that did not complete, and of no bundle, as events does', async () => {
    const { db, complete, killed } = await withKilledIngest();
    const ok = await runFaultline(['faults', '--db', db, '--bundle', String(complete), '--json']);
    expect(ok.code).toBe(0);
    const r = await runFaultline(['faults', '--db', db, '--bundle', String(killed)]);
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', `faultline faults: bundle ${killed} is not complete (ingesting: its ingest is still running, or was interrupted)\n`]);
    const none = await runFaultline(['faults', '--db', db, '--bundle', '99', '--json']);
    expect([none.code, none.stderr]).toEqual([1, 'faultline faults: bundle 99 not found\n']);
  });
});
