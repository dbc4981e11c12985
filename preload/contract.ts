// The one API contract between the renderer and the backend (STYLE.md §2). Every operation is declared here
// once: its name, the schema its request must satisfy, and its response type. Electron IPC (main/ipc), the
// HTTP server of browser mode (main/web) and the tests all carry this same map; the renderer calls it
// through `FaultlineApi` without knowing which transport it runs on.
import { z } from 'zod';
import { uiRequestSchemas, type UiResponseMap } from './contract-ui';
import { reportRequestSchemas, type ReportResponseMap } from './contract-report';
import { ingestRequestSchemas, type IngestProgressEvent, type IngestResponseMap } from './contract-ingest';
import { eventsRequestSchemas, type EventsResponseMap } from './contract-events';

const id = z.number().int().positive();

/** Request schemas. Handlers receive the parsed (validated) value; anything else is refused. */
export const requestSchemas = {
  'app:info': z.object({}).strict(),
  'bundles:list': z.object({}).strict(),
  'bundles:get': z.object({ id }).strict(),
  'bundles:diagnostics': z.object({ bundleId: id, limit: z.number().int().min(1).max(10_000).default(500) }).strict(),
  ...uiRequestSchemas,
  ...reportRequestSchemas,
  ...ingestRequestSchemas,
  ...eventsRequestSchemas,
} as const;

export type OpName = keyof typeof requestSchemas;
export type RequestOf<K extends OpName> = z.input<(typeof requestSchemas)[K]>;
export type ParsedRequestOf<K extends OpName> = z.output<(typeof requestSchemas)[K]>;

export interface AppInfo {
  readonly name: 'Faultline';
  readonly version: string;
  readonly transport: 'electron' | 'http';
  readonly dataDir: string;
  readonly dbPath: string;
  /** The bundle the app opens first (the embedded sample), when it has been ingested. */
  readonly defaultBundleId: number | null;
}

export interface BundleSummary {
  readonly id: number;
  readonly name: string;
  readonly sourcePath: string;
  readonly status: 'ingesting' | 'complete' | 'cancelled' | 'failed';
  readonly createdAt: string;
  readonly files: number;
  readonly lines: number;
  readonly events: number;
  /** Fault records (a group of identical trace faults is one record). */
  readonly faults: number;
  /** Fault events: a record counts as many as it groups (what reports count). */
  readonly faultEvents: number;
}

export interface BundleFile {
  readonly path: string;
  readonly format: string;
  readonly size: number;
  readonly lines: number;
  readonly events: number;
  readonly faults: number;
}

export interface BundleDetail extends BundleSummary {
  readonly fileList: readonly BundleFile[];
  /** BundleContext (main/core/ingest/fault-record.ts) with 64-bit values as hex strings. */
  readonly context: Readonly<Record<string, unknown>>;
}

export interface DiagnosticRow {
  readonly kind: string;
  readonly severity: 'info' | 'data-loss' | 'error';
  readonly file: string | null;
  readonly line: number | null;
  readonly message: string;
}

export interface ResponseMap extends UiResponseMap, ReportResponseMap, IngestResponseMap, EventsResponseMap {
  'app:info': AppInfo;
  'bundles:list': readonly BundleSummary[];
  'bundles:get': BundleDetail;
  'bundles:diagnostics': readonly DiagnosticRow[];
}

export type ResponseOf<K extends OpName> = ResponseMap[K];

/** Pushed from the backend: progress of long operations. */
export interface EventMap {
  'ingest:progress': IngestProgressEvent;
}
export type EventName = keyof EventMap;

/** What every transport returns for an invocation. */
export type Envelope<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiErrorBody };

export interface ApiErrorBody {
  readonly code: 'bad_request' | 'not_found' | 'conflict' | 'internal';
  readonly message: string;
}

/** The API as the renderer sees it (window.api in Electron, an HTTP client in browser mode). */
export interface FaultlineApi {
  invoke<K extends OpName>(op: K, request: RequestOf<K>): Promise<ResponseOf<K>>;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
}

export { IPC_INVOKE_CHANNEL, IPC_EVENT_CHANNEL } from './channels';
export type * from './contract-ui';
export type * from './contract-report';
export type * from './contract-ingest';
export type * from './contract-events';
