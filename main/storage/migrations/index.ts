// Every schema step, in order. A new step is a new file NNNN-purpose.ts and one line here (STYLE.md §10).
import type { Migration } from './types';
import { migration as m0001 } from './0001-bundles';

export const migrations: readonly Migration[] = [m0001];
