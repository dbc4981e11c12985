// Contract operations of the reports (issue 8): build a report as text or HTML for a selection of a bundle,
// and, where the front end has a native save dialog (Electron), save it to a file the user picks. Spread into
// the one map in contract.ts; kept in their own file so that parallel work on the contract does not collide.
import { z } from 'zod';

const id = z.number().int().positive();

/** What a report covers: the whole bundle, one diagnosis, a group of faults, one fault. */
export const reportSelectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('bundle') }).strict(),
  z.object({ kind: z.literal('diagnosis'), id: z.string().trim().min(1).max(200) }).strict(),
  z.object({ kind: z.literal('faults'), ids: z.array(id).min(1).max(100_000) }).strict(),
  z.object({ kind: z.literal('fault'), id }).strict(),
]);

export type ReportSelectionRequest = z.output<typeof reportSelectionSchema>;
export const REPORT_FORMATS = ['text', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const reportRequest = z.object({ bundleId: id, selection: reportSelectionSchema, format: z.enum(REPORT_FORMATS) }).strict();

export const reportRequestSchemas = {
  /** The report as one string: plain text for mail (72 columns, ASCII) or a self-contained HTML document. */
  'report:build': reportRequest,
  /** Electron only: asks where to save, writes the report there. Browser mode refuses (the page downloads). */
  'report:save': reportRequest,
} as const;

export interface ReportSaveResult {
  /** The file written, or null when the user cancelled the dialog. */
  readonly path: string | null;
  readonly bytes: number;
}

export interface ReportResponseMap {
  'report:build': string;
  'report:save': ReportSaveResult;
}
