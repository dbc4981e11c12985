// Rendering stored trace.dat records: the importer keeps each record's raw bytes and the formats, kallsyms
// and byte order of its file; on read the same printers as the report (render.ts) turn a record into its
// text and its fields.
import type { Fields } from '../ftrace/kvm-events';
import { parseKvmEvent } from '../ftrace/kvm-events';
import { parseEventFormat, type EventFormat } from './format';
import { Kallsyms } from './kallsyms';
import type { RenderContext } from './print-eval';
import { recordData } from './record';
import { recordFields, renderEventText } from './render';
import type { EventFormatText } from './file';

export interface StoredTraceMeta {
  readonly bigEndian: boolean;
  readonly longSize: 4 | 8;
  /** JSON of the formats of the event types the file uses: [{ system, text }]. */
  readonly formatsJson: string;
  readonly kallsyms: string;
}

export interface RenderedRecord {
  readonly args: string;
  readonly fields: Fields;
}

export interface StoredRenderer {
  render(raw: Uint8Array): RenderedRecord;
}

/** The stored form of a file's formats (only those used). */
export function formatsToJson(formats: readonly EventFormatText[]): string {
  return JSON.stringify(formats);
}

export function createStoredRenderer(meta: StoredTraceMeta): StoredRenderer {
  const formats = new Map<number, EventFormat>();
  for (const f of JSON.parse(meta.formatsJson) as EventFormatText[]) {
    const r = parseEventFormat(f.text, f.system);
    if (!('error' in r)) formats.set(r.id, r);
  }
  const typeField = formats.values().next().value?.byName.get('common_type');
  let syms: Kallsyms | null | undefined;
  const ctx: RenderContext = {
    longSize: meta.longSize,
    kallsyms() {
      if (syms === undefined) syms = meta.kallsyms === '' ? null : Kallsyms.parse(meta.kallsyms);
      return syms;
    },
  };
  const le = !meta.bigEndian;
  return {
    render(raw) {
      const r = recordData(raw, le, meta.longSize);
      const type = typeField === undefined || raw.length < 2 ? -1 : r.view.getUint16(typeField.offset, le);
      const f = formats.get(type);
      if (f === undefined) return { args: `[UNKNOWN TYPE ${type}]`, fields: {} };
      const args = renderEventText(f, r, ctx);
      // KVM events get the same fields as from a text trace (kvm-events.ts), the others their raw fields.
      return { args, fields: parseKvmEvent(f.name, args) ?? recordFields(f, r) };
    },
  };
}
