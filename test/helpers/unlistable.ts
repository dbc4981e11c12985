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
