// Names of archive entries, made safe: an entry is refused when it would escape the bundle (an absolute
// path, a drive letter, a `..` segment) — the classic "zip slip" (CVE-2018-1002200 class) — even though
// Faultline never writes entries to disk: a name like that in a support bundle is a red flag either way.
import { err, ok, type Result } from '../../core/result';

/** `./sos_commands//kernel/dmesg` -> `sos_commands/kernel/dmesg`; refusal reasons as errors. */
export function safeEntryPath(name: string): Result<string> {
  const slashed = name.replace(/\\/g, '/');
  if (slashed.startsWith('/')) return err(`absolute path ${JSON.stringify(name)}`);
  if (/^[A-Za-z]:/.test(slashed)) return err(`drive-letter path ${JSON.stringify(name)}`);
  const parts: string[] = [];
  for (const part of slashed.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return err(`path with '..' ${JSON.stringify(name)} escapes the bundle`);
    if (part.includes('\0')) return err(`path with a NUL byte ${JSON.stringify(name)}`);
    parts.push(part);
  }
  if (parts.length === 0) return err(`empty path ${JSON.stringify(name)}`);
  return ok(parts.join('/'));
}

/** POSIX ustar (`ustar\0`, GNU `ustar  \0`) magic at offset 257, or a pre-POSIX header with a valid checksum. */
export function looksLikeTar(head: Uint8Array): boolean {
  if (head.length < 512) return false;
  const magic = String.fromCharCode(...head.subarray(257, 262));
  if (magic === 'ustar') return true;
  // v7 tar: the checksum at [148, 156) is the sum of all 512 header bytes with the checksum field as spaces.
  const field = String.fromCharCode(...head.subarray(148, 156)).replace(/[\0 ]+$/g, '').trim();
  if (!/^[0-7]{1,7}$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : head[i]!;
  return sum === parseInt(field, 8) && head[0] !== 0;
}

/** Local file header (`PK\3\4`) or an empty archive's end record (`PK\5\6`): APPNOTE.TXT §4.3.7, §4.3.16. */
export function looksLikeZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}
