// Every `faultline <command>`, in the order `faultline --help` lists them. A command's module is loaded
// only when it runs: `faultline ingest` does not pay for the report renderer (d3) or the API schemas
// (zod), about a third of the start-up time.
import type { CliCommand } from '../types';

export interface CommandEntry {
  readonly name: string;
  /** One line for `faultline --help`. */
  readonly summary: string;
  load(): Promise<CliCommand>;
}

export const commands: readonly CommandEntry[] = [
  { name: 'start', summary: 'open the desktop app on the bundled sample (browser mode where Electron cannot start)', load: async () => (await import('./start')).command },
  { name: 'serve', summary: 'serve the UI in the browser on 127.0.0.1 (browser mode)', load: async () => (await import('./serve')).command },
  { name: 'decode', summary: 'decode ESR values (arguments or stdin): fields, fault codes, kernel names, KVM path', load: async () => (await import('./decode')).command },
  { name: 'combine', summary: 'combine a stage-1 MAIR attribute with a stage-2 MemAttr (with or without FWB)', load: async () => (await import('./combine')).command },
  { name: 'replay', summary: 'replay accesses through the two-stage MMU model: fault, ESR, KVM path', load: async () => (await import('./replay')).command },
  { name: 'report', summary: 'write the plain-text and HTML reports of a bundle', load: async () => (await import('./report')).command },
  { name: 'ingest', summary: 'read a support bundle, logs or archives into the database', load: async () => (await import('./ingest')).command },
  { name: 'faults', summary: 'list the fault records found in ingested bundles', load: async () => (await import('./faults')).command },
  { name: 'events', summary: 'print the trace events (ftrace, trace.dat) of ingested bundles', load: async () => (await import('./events')).command },
];
