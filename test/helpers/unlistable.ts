// A folder that cannot be listed even by root: the tests run as root, for whom a folder chmod 000 lists as
// any other. Its path is longer than PATH_MAX (4096 bytes with its NUL on Linux), so readdir fails with
// ENAMETOOLONG, while its parent, shorter, lists it. `mkdir -p` makes it a component at a time (Node's
// mkdir and rm take the whole path, and fail on it).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const PATH_MAX = 4096;

/**
 * Makes `parent/name/ddd…/ddd…`, the last folder too deep to list, runs `use` with its path relative to
 * `parent`, and removes `parent/name` after.
 */
export async function withUnlistableFolder<T>(parent: string, name: string, use: (rel: string) => Promise<T>): Promise<T> {
  const parts = [name];
  let length = join(parent, name).length;
  // Folders of 200 bytes while the path stays listable, then one that takes it past the limit.
  while (length + 201 < PATH_MAX) {
    parts.push('d'.repeat(200));
    length += 201;
  }
  parts.push('e'.repeat(250));
  execFileSync('mkdir', ['-p', join(parent, ...parts)]);
  try {
    return await use(parts.join('/'));
  } finally {
    execFileSync('rm', ['-rf', join(parent, name)]);
  }
}

/**
 * How many 200-byte folders under `parent/name` put a 250-byte file name beyond PATH_MAX while its folder
 * stays listable, for every parent given (copies of one bundle at different places need the same tree).
 */
export function unopenableDepth(parents: string[], name: string): number {
  const lengths = parents.map((p) => join(p, name).length);
  const depth = Math.floor((PATH_MAX - 10 - Math.max(...lengths)) / 201);
  if (Math.min(...lengths) + depth * 201 + 251 <= PATH_MAX) throw new Error('the parents differ too much in length');
  return depth;
}

/**
 * Makes `parent/name/ddd…/fff…` (`depth` folders of 200 bytes, unopenableDepth), a file whose path is too
 * long to open (its folder, shorter, lists it), runs `use`, and removes `parent/name` after. The file is
 * written from inside its folder, reached a folder at a time.
 */
export async function withUnopenableFile<T>(parent: string, name: string, depth: number, use: () => Promise<T>): Promise<T> {
  const parts = [name, ...Array.from({ length: depth }, () => 'd'.repeat(200))];
  execFileSync('mkdir', ['-p', join(parent, ...parts)]);
  const cds = parts.map((p) => `cd '${p}'`).join(' && ');
  execFileSync('sh', ['-c', `cd '${parent}' && ${cds} && printf x > '${'f'.repeat(250)}'`]);
  try {
    return await use();
  } finally {
    execFileSync('rm', ['-rf', join(parent, name)]);
  }
}
