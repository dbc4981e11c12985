// Event format descriptions (tracefs events/<system>/<event>/format, embedded in every trace.dat) parsed
// into field layouts, the way libtraceevent reads them (src/event-parse.c: event_read_format and
// event_read_print): "name:", "ID:", one "field:<decl>;\toffset:N;\tsize:N;\tsigned:N;" line per field (the
// common fields first, a blank line, then the event's own), and "print fmt: <string>, <args>".
//
//   name: kvm_exit
//   ID: 1234
//   format:
//   	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
//   	field:int ret;	offset:8;	size:4;	signed:1;
//   	field:__data_loc char[] name;	offset:12;	size:4;	signed:0;
//   	field:unsigned long args[6];	offset:16;	size:48;	signed:0;
//   print fmt: "%s: HSR_EC: 0x%04x (%s), PC: 0x%016lx", __print_symbolic(REC->ret, ...), ...

import { parsePrintFmt, type PrintFmt } from './print-fmt';

export interface FieldLayout {
  readonly name: string;
  /** The C type as declared, without the array suffix (`unsigned long`, `char`, `__data_loc char[]`). */
  readonly type: string;
  readonly offset: number;
  readonly size: number;
  readonly signed: boolean;
  /** Element count of a fixed array (`args[6]` -> 6), 0 for a flexible `[]`, null when not an array. */
  readonly arrayLength: number | null;
  /** `__data_loc`: the field holds (length << 16 | offset) of data elsewhere in the record. */
  readonly dataLoc: boolean;
  /** `__rel_loc`: like __data_loc, the offset counted from the end of this field. */
  readonly relLoc: boolean;
  /** char arrays and `__data_loc char[]`: printed as strings. */
  readonly isString: boolean;
  readonly isPointer: boolean;
  /** Size of one element (size / arrayLength for fixed arrays). */
  readonly elementSize: number;
}

export interface EventFormat {
  readonly id: number;
  readonly system: string;
  readonly name: string;
  readonly common: readonly FieldLayout[];
  readonly fields: readonly FieldLayout[];
  readonly byName: ReadonlyMap<string, FieldLayout>;
  readonly printFmtText: string;
  /** The parsed print format, or the reason it could not be parsed. */
  readonly print: PrintFmt | { readonly error: string };
}

// field:unsigned long args[6];	offset:16;	size:48;	signed:0;
// field:__data_loc char[] name;	offset:12;	size:4;	signed:0;
// field: u64 timestamp;	offset:0;	size:8;	signed:0;      (header_page, leading space)
const FIELD = /^\s*field:\s*(.+?);\s*offset:\s*(\d+);\s*size:\s*(\d+);(?:\s*signed:\s*(\d+);)?/;

/** Parses one field declaration line; null for other lines. */
export function parseFieldLine(line: string): FieldLayout | null {
  const m = FIELD.exec(line);
  if (m === null) return null;
  let decl = (m[1] as string).trim();
  const offset = Number(m[2]);
  const size = Number(m[3]);
  const dataLoc = decl.startsWith('__data_loc ');
  const relLoc = decl.startsWith('__rel_loc ');
  // The name is the last identifier, before an optional [N].
  let arrayLength: number | null = null;
  const arr = /\[(\d*)\]\s*$/.exec(decl);
  if (arr !== null && !dataLoc && !relLoc) {
    arrayLength = arr[1] === '' ? 0 : Number(arr[1]);
    decl = decl.slice(0, arr.index).trim();
  }
  const nm = /([A-Za-z_]\w*)\s*$/.exec(decl);
  const name = nm ? (nm[1] as string) : decl;
  const type = decl.slice(0, nm ? nm.index : decl.length).trim();
  const isChar = /\bchar\b/.test(type) && !/\*/.test(type);
  const signedFlag = m[4] === undefined ? /^(?:int|long|short|char|s\d+|signed)/.test(type) && !/unsigned/.test(type) : m[4] === '1';
  return {
    name,
    type,
    offset,
    size,
    signed: signedFlag,
    arrayLength,
    dataLoc,
    relLoc,
    isString: isChar && (arrayLength !== null || dataLoc || relLoc),
    isPointer: /\*/.test(type),
    elementSize: arrayLength !== null && arrayLength > 0 ? size / arrayLength : size,
  };
}

/** Parses a format file; `system` comes from where the file was stored (trace.dat groups formats by system). */
export function parseEventFormat(text: string, system: string): EventFormat | { readonly error: string } {
  const nameM = /^name:\s*(\S+)/m.exec(text);
  const idM = /^ID:\s*(\d+)/m.exec(text);
  if (nameM === null || idM === null) return { error: 'format without name or ID' };
  const common: FieldLayout[] = [];
  const fields: FieldLayout[] = [];
  let inCommon = true;
  const lines = text.split('\n');
  let printAt = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('print fmt:')) {
      printAt = i;
      break;
    }
    const f = parseFieldLine(line);
    if (f !== null) (inCommon && f.name.startsWith('common_') ? common : fields).push(f);
    else if (line.trim() === '' && common.length > 0) inCommon = false;
  }
  const printFmtText = printAt === -1 ? '' : lines.slice(printAt).join('\n').slice('print fmt:'.length).trim();
  const all = [...common, ...fields];
  return {
    id: Number(idM[1]),
    system,
    name: nameM[1] as string,
    common,
    fields,
    byName: new Map(all.map((f) => [f.name, f])),
    printFmtText,
    print: printFmtText === '' ? { error: 'no print fmt' } : parsePrintFmt(printFmtText),
  };
}

/** header_page's layout: where the page timestamp, commit and data are, and the kernel's long size. */
export interface PageHeader {
  readonly timestampOffset: number;
  readonly commitOffset: number;
  readonly commitSize: number;
  readonly dataOffset: number;
}

export function parsePageHeader(text: string): PageHeader {
  const fields = text.split('\n').map(parseFieldLine).filter((f): f is FieldLayout => f !== null);
  const by = (n: string): FieldLayout | undefined => fields.find((f) => f.name === n);
  const commit = by('commit');
  const data = by('data');
  return {
    timestampOffset: by('timestamp')?.offset ?? 0,
    commitOffset: commit?.offset ?? 8,
    commitSize: commit?.size ?? 8,
    dataOffset: data?.offset ?? 16,
  };
}
