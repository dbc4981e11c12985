// Import diagnostics, declared as data (STYLE.md §5; modelled on Perfetto's stats table,
// src/trace_processor/storage/stats.h: one row per counter with a severity and a description).
// Every problem the ingest meets is counted under one of these ids, stored per bundle with its file and
// line, and summarized with counts and an example; bad input never stops a bundle.

/** 'info' = noted, nothing lost; 'data-loss' = some content could not be read or was cut; 'error' = a whole
 * input or file could not be read. */
export type DiagnosticSeverity = 'info' | 'data-loss' | 'error';

export interface DiagnosticDef {
  readonly id: string;
  readonly severity: DiagnosticSeverity;
  readonly description: string;
}

export const DIAGNOSTICS = [
  // Inputs and archives
  { id: 'input-missing', severity: 'error', description: 'An input path does not exist or cannot be read.' },
  { id: 'archive-corrupt', severity: 'data-loss', description: 'An archive is truncated or corrupt; the entries before the damage were read.' },
  { id: 'archive-entry-unsafe', severity: 'data-loss', description: 'An archive entry would escape the bundle (`..`, absolute path, link): refused.' },
  { id: 'archive-entry-skipped', severity: 'info', description: 'An archive entry that is not a regular file (device, fifo, link) was skipped.' },
  { id: 'archive-entry-unreadable', severity: 'data-loss', description: 'An archive entry that cannot be read here (encrypted, or compressed by a method Faultline does not read) was skipped.' },
  { id: 'archive-nested-unsupported', severity: 'data-loss', description: 'An archive inside an archive that cannot be streamed (zip inside tar) was skipped.' },
  { id: 'expansion-limit', severity: 'data-loss', description: 'Decompressed data exceeded the size or ratio limit (a decompression bomb?); the rest was refused.' },
  { id: 'compressed-corrupt', severity: 'data-loss', description: 'A compressed file (gzip, xz, zstd) is truncated or corrupt; the data before the damage was read.' },
  { id: 'compression-unsupported', severity: 'data-loss', description: 'A compressed file in a format Faultline does not read (bzip2, lz4, 7z) was skipped.' },
  { id: 'link-skipped', severity: 'info', description: 'A symbolic link in an input folder was not followed (its target, when inside the bundle, is read as itself).' },
  { id: 'special-file-skipped', severity: 'info', description: 'A FIFO, socket or device file in an input folder was skipped: it is not a stored file (a FIFO would be read for as long as something writes to it).' },
  { id: 'file-unreadable', severity: 'error', description: 'A file could not be read (permissions, I/O error).' },
  // Content
  { id: 'format-unknown', severity: 'info', description: 'No importer recognized the content; it was stored as plain lines.' },
  { id: 'binary-skipped', severity: 'info', description: 'Binary content that no importer reads was skipped.' },
  { id: 'text-utf16', severity: 'info', description: 'A text file in UTF-16 (as Windows tools save it) was decoded to UTF-8 before it was read.' },
  { id: 'text-cr-lines', severity: 'info', description: 'A text file whose lines end with a carriage return alone (a raw serial capture, a classic Mac file) was read line by line.' },
  { id: 'journal-export', severity: 'info', description: 'A journal in the export format (journalctl -o export) was read one entry a line: its MESSAGE, with its time, priority, PID and identifier, as journalctl -o json gives them.' },
  { id: 'journal-export-corrupt', severity: 'data-loss', description: 'A journal export stopped being readable (a line that is not a field, a binary field whose size runs past the end); the entries before it were read.' },
  { id: 'lava-log', severity: 'info', description: "A LAVA job log (YAML, a record a line) was read as its device's console; LAVA's own records are marked `LAVA <level>:`." },
  { id: 'journal-verbose', severity: 'info', description: 'A journal in the verbose form (journalctl -o verbose) was read one entry a line, as journalctl -o json gives it.' },
  { id: 'journal-json-pretty', severity: 'info', description: 'A journal in json-pretty (journalctl -o json-pretty) was read one entry a line, as journalctl -o json gives it.' },
  { id: 'journal-file', severity: 'info', description: 'A systemd journal file (/var/log/journal) was read entry by entry: its MESSAGE, with its time, priority, PID and identifier, as journalctl -o json gives them.' },
  { id: 'journal-file-corrupt', severity: 'data-loss', description: 'A systemd journal file stopped being readable (an object whose size runs past the file, a file cut while it was written); the entries before it were read.' },
  { id: 'journal-file-fields-skipped', severity: 'data-loss', description: 'Compressed fields of a systemd journal file were not read: LZ4 or XZ (an older systemd compresses fields above 512 bytes so), or damaged bytes; the rest of their entries were.' },
  { id: 'empty-file', severity: 'info', description: 'The file is empty.' },
  { id: 'invalid-utf8', severity: 'data-loss', description: 'Bytes that are not valid UTF-8 were replaced by U+FFFD.' },
  { id: 'line-truncated', severity: 'data-loss', description: 'A line longer than the limit was cut; the rest of it was dropped.' },
  { id: 'nul-run-skipped', severity: 'info', description: "A file starts with a run of NUL bytes longer than the head its format is recognized from (what logrotate's copytruncate, or a crash while the file was written, leaves in a log): the run was skipped and what follows it read." },
  { id: 'binary-junk', severity: 'info', description: 'Lines with control characters or NUL bytes (serial noise) inside a text file.' },
  { id: 'importer-failed', severity: 'error', description: 'An importer stopped on an unexpected error; the lines before it were kept (trace events before it, unreadable without the end of the import, were removed).' },
  // Kernel logs
  { id: 'timestamp-unparsed', severity: 'info', description: 'A line looked timestamped but the timestamp could not be read.' },
  { id: 'time-to-the-minute', severity: 'info', description: 'dmesg -H gives the wall-clock time to the minute and the steps between lines after it: the times may be up to a minute early, their order and spacing exact.' },
  { id: 'year-inferred', severity: 'info', description: 'Syslog dates carry no year; the year was taken from the file date.' },
  { id: 'fault-incomplete', severity: 'data-loss', description: 'A fault block was cut short (truncated log, elided lines): the record lacks fields.' },
  { id: 'fault-duplicate', severity: 'info', description: 'The same fault was printed again (end-of-panic echo, repeated capture chunk) and merged.' },
  { id: 'log-previous-boot', severity: 'info', description: 'A log the crashed kernel left for the next boot (pstore dmesg or console records, kdump\'s vmcore-dmesg.txt): its records are of the boot before the bundle\'s other logs, on that boot\'s since-boot clock (boot -1).' },
  { id: 'log-boots', severity: 'info', description: 'The log spans several boots: each fault says its boot (boot -1 for the one before the last), and on the since-boot clock each boot\'s times are its own.' },
  { id: 'line-wrapped', severity: 'info', description: 'Lines wrapped by mail or terminal were re-joined to read a fault.' },
  { id: 'line-injected', severity: 'info', description: 'A foreign log line was found inside another line and split out.' },
  { id: 'journal-json-invalid', severity: 'data-loss', description: 'A line of a journal JSON export is not a valid JSON object.' },
  // Context files
  { id: 'lspci-unparsed', severity: 'info', description: 'A line of lspci output was not understood.' },
  { id: 'context-conflict', severity: 'info', description: 'Two files disagree about a host fact (hostname, CPU); the first was kept.' },
  // ftrace text and trace.dat (issue 5)
  { id: 'ftrace-events-dropped', severity: 'data-loss', description: 'The trace says events were lost (CPU:N [M EVENTS DROPPED], [LOST N EVENTS], entries-written above entries-in-buffer, a ring-buffer page flagged with missed events).' },
  { id: 'ftrace-out-of-order', severity: 'info', description: 'An event is earlier than the one before it (merged per-CPU buffers, clock jumps); it was kept where it stood.' },
  { id: 'ftrace-inputs-merged', severity: 'info', description: "A trace-cmd report of several inputs or instances (each line after its input's name) was read as one trace." },
  { id: 'ftrace-no-events', severity: 'data-loss', description: 'An ftrace text file gave no event: its lines are in a layout Faultline does not read (that of the function_graph tracer).' },
  { id: 'ftrace-line-unparsed', severity: 'info', description: 'A line of an ftrace file is neither an event, a header nor a marker (shell prompt, prose, function_graph layout).' },
  { id: 'ftrace-payload-unparsed', severity: 'info', description: 'A KVM event whose text did not match its kernel format; the raw text was kept.' },
  { id: 'ftrace-per-cpu-copy', severity: 'info', description: 'A per-CPU view of a tracing folder (per_cpu/cpuN/trace) beside that folder\'s trace, which holds the same events: its events and faults were not counted twice.' },
  { id: 'ftrace-exit-unpaired', severity: 'info', description: 'A kvm_exit without the kvm_entry that closes it (the trace ends, or events were lost).' },
  { id: 'ftrace-counter-clock', severity: 'info', description: 'The trace was recorded with a clock that does not count nanoseconds (trace_clock counter, uptime, x86-tsc): the kernel prints its bare count (a trace.dat holds it without TSC2NSEC), which is stored as it is. Its times are not seconds since boot and are not placed beside the other logs\' times. Record with the default clock (local) or `trace-cmd record -C mono` to line them up.' },
  { id: 'ftrace-untimed', severity: 'data-loss', description: 'A function_graph trace printed without times (funcgraph-abstime off): its events could not be placed in time and were not stored; the KVM faults among them were read without times. Record with `trace-cmd record -O funcgraph-abstime` or `echo funcgraph-abstime > trace_options`.' },
  { id: 'tracedat-unreadable', severity: 'error', description: 'A trace.dat could not be read (bad magic, unsupported version, corrupt header or sections).' },
  { id: 'tracedat-corrupt', severity: 'data-loss', description: 'A trace.dat\'s event data is corrupt or truncated; the events before the damage were kept.' },
  { id: 'tracedat-format-unparsed', severity: 'info', description: 'An event format of a trace.dat could not be parsed; its events keep their raw bytes.' },
  { id: 'tracedat-instances-merged', severity: 'info', description: 'A trace.dat holds instances (`trace-cmd record -B`) besides the top buffer: their events were merged with it in time order, as `trace-cmd report` prints them.' },
  { id: 'tracedat-instance-unreadable', severity: 'data-loss', description: 'An instance named in a trace.dat has no readable CPU table (a file cut short): its events were not read.' },
  // Bookkeeping
  { id: 'bundle-replaced', severity: 'info', description: 'The same bundle had been ingested before; the old copy was replaced.' },
  { id: 'stale-bundle-removed', severity: 'info', description: 'An earlier ingest was interrupted; its partial bundle was removed.' },
] as const satisfies readonly DiagnosticDef[];

export type DiagnosticId = (typeof DIAGNOSTICS)[number]['id'];

const BY_ID: ReadonlyMap<string, DiagnosticDef> = new Map(DIAGNOSTICS.map((d) => [d.id, d]));

/** The definition of a diagnostic id; unknown ids (from a newer importer) count as errors. */
export function describeDiagnostic(id: string): DiagnosticDef {
  return BY_ID.get(id) ?? { id, severity: 'error', description: `Unknown diagnostic ${id}` };
}

export function isDiagnosticId(id: string): id is DiagnosticId {
  return BY_ID.has(id);
}
