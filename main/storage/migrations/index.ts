// Every schema step, in order. A new step is a new file NNNN-purpose.ts and one line here (STYLE.md §10).
import type { Migration } from './types';
import { migration as m0001 } from './0001-bundles';
import { migration as m0002 } from './0002-lines-and-faults';
import { migration as m0003 } from './0003-trace-events';
import { migration as m0004 } from './0004-line-blocks';
import { migration as m0005 } from './0005-file-boots';

export const migrations: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005];
