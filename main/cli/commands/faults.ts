// `faultline faults [--db FILE] [--json]`: the fault records of the database, one per line. The --json
// objects are a contract scripts rely on (issue 4): ESR and addresses lower-case hex without leading
// zeros, time in decimal ns, source file and line range, the raw text.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { bootLabel, COUNTER_CLOCK } from '../../core/ingest/boot-clock';
import { FAULT_KINDS, type FaultKind } from '../../core/ingest/fault-record';
import { openDatabase } from '../../storage/db';
import { eachFault, type FaultRow } from '../../storage/faults';
import { databasePath, resolveDataDir } from '../../services/paths';
import { recordReplayToJson } from '../../core/mmu/json';
import type { RecordReplay } from '../../core/mmu/replay-record';
import { createFaultAnalyzer } from '../../services/stored-faults';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliCommand } from '../types';
import { unreadableBundle } from '../bundle-arg';
import { LineWriter } from '../output';

const help = `Usage: faultline faults [--db FILE] [--json] [--bundle ID] [--kind KIND]

Lists the fault records found by \`faultline ingest\`: kernel memory aborts, SErrors, hypervisor panics
and BUGs, KVM's refusals (unsupported FSC, no valid syndrome, system register traps), SMMU faults, VMM
errors, guest faults from traces.

Options:
  --db FILE     database file (default: faultline.db in the data folder)
  --json        one JSON object per record: {"kind", "esr", "far", "ipa", "pc", "cpu", "pid", "comm",
                "time_ns", "clock", "source": {"file", "line", "end_line"}, "text", "replay", "diagnoses"};
                groups of identical trace events add "count", "first_ns", "last_ns". "clock" says what
                time_ns counts: "monotonic" (since boot), "realtime" (since 1970, UTC), "time-of-day",
                "monotonic@-N" (since boot, in a log's Nth boot before its last), or "counter" (a trace
                clock's bare count: counter, x86-tsc …), null without a time;
                a record of a syslog line that keeps the kernel's own stamp (kern.log's
                \`kernel: [ 7912.345678]\`) adds "since_boot_ns", that stamp
  --bundle ID   only this bundle's records
  --kind KIND   only records of this kind (${FAULT_KINDS.join(', ')})
`;

/** The record fields of the contract; a group of identical trace events adds count, first_ns, last_ns. */
export function faultJson(f: FaultRow): Record<string, unknown> {
  const group = f.count > 1 || f.firstNs !== null ? { count: f.count, first_ns: f.firstNs?.toString() ?? null, last_ns: f.lastNs?.toString() ?? null } : {};
  return {
    kind: f.kind,
    esr: f.esr,
    far: f.far,
    ipa: f.ipa,
    pc: f.pc,
    cpu: f.cpu,
    pid: f.pid,
    comm: f.comm,
    time_ns: f.timeNs === null ? null : f.timeNs.toString(),
    clock: f.timeNs === null ? null : f.clock,
    ...sinceBoot(f),
    source: { file: f.file, line: f.line, end_line: f.endLine },
    text: f.text,
    ...group,
  };
}

/** The kernel's own stamp of a record on a wall clock (kernel-log/assembler.ts `since_boot_ns`), if it kept one. */
function sinceBoot(f: FaultRow): { since_boot_ns?: string } {
  if (!f.extraJson.includes('since_boot_ns')) return {};
  const v = (JSON.parse(f.extraJson) as Record<string, unknown>).since_boot_ns;
  return typeof v === 'string' ? { since_boot_ns: v } : {};
}

function formatTime(f: FaultRow): string {
  if (f.timeNs === null) return '-';
  const ns = f.timeNs;
  if (f.clock === 'realtime') return new Date(Number(ns / 1_000_000n)).toISOString();
  if (f.clock === 'time-of-day') return new Date(Number(ns / 1_000_000n)).toISOString().slice(11, 23);
  if (f.clock === COUNTER_CLOCK) return `${ns} (count)`;
  const s = ns / 1_000_000_000n;
  const us = (ns % 1_000_000_000n) / 1000n;
  const boot = bootLabel(f.clock);
  return `${s}.${us.toString().padStart(6, '0')}${boot === '' ? '' : ` (${boot})`}`;
}

function textLine(f: FaultRow): string {
  return [f.kind.padEnd(20), (f.esr ?? '-').padEnd(12), (f.far ?? '-').padEnd(20), formatTime(f).padEnd(26), `${f.file}:${f.line}`].join(' ');
}

export const command: CliCommand = {
  name: 'faults',
  help,
  async run(argv, io) {
    const { values } = parseArgs({
      args: [...argv],
      options: { db: { type: 'string' }, json: { type: 'boolean', default: false }, bundle: { type: 'string' }, kind: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.bundle !== undefined && !/^\d+$/.test(values.bundle)) throw new UsageError(`--bundle must be a bundle id, not ${JSON.stringify(values.bundle)}`);
    if (values.kind !== undefined && !(FAULT_KINDS as readonly string[]).includes(values.kind)) throw new UsageError(`unknown --kind ${values.kind}`);
    const dbPath = values.db ? resolve(io.cwd, values.db) : databasePath(resolveDataDir(io.env));
    const db = openDatabase(dbPath);
    try {
      const why = values.bundle === undefined ? null : unreadableBundle(db, Number(values.bundle));
      if (why !== null) {
        io.stderr.write(`faultline faults: ${why}\n`);
        return EXIT_FAILURE;
      }
      const out = new LineWriter(io);
      const all = eachFault(db, values.bundle === undefined ? undefined : Number(values.bundle));
      const rows = (function* (): Generator<FaultRow> {
        for (const r of all) if (values.kind === undefined || r.kind === (values.kind as FaultKind)) yield r;
      })();
      if (values.json) {
        // The analyzer the reports and the fault page use too (main/services/stored-faults.ts).
        const analyzer = createFaultAnalyzer(db);
        // Records that share a replay (the analyzer's, one object per replay key) share its JSON, ~10 KB
        // made once: a storm of one fault spent most of its output time making the same text again.
        const replayJson = new WeakMap<RecordReplay, string>();
        const replayText = (replay: RecordReplay): string => {
          let text = replayJson.get(replay);
          if (text === undefined) replayJson.set(replay, (text = JSON.stringify(recordReplayToJson(replay))));
          return text;
        };
        for (const r of rows) {
          const { replay, diagnoses } = analyzer.analyze(r);
          // The record's fields, then "replay" and "diagnoses", as one object.
          const fields = JSON.stringify(faultJson(r));
          await out.line(`${fields.slice(0, -1)},"replay":${replay === null ? 'null' : replayText(replay)},"diagnoses":${JSON.stringify(diagnoses.map((d) => d.id))}}`);
        }
      } else {
        await out.line(`${'KIND'.padEnd(20)} ${'ESR'.padEnd(12)} ${'FAR'.padEnd(20)} ${'TIME'.padEnd(26)} SOURCE`);
        for (const r of rows) await out.line(textLine(r));
      }
      await out.flush();
      return EXIT_OK;
    } finally {
      db.close();
    }
  },
};
