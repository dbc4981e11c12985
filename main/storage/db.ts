// Opening a Faultline database: pragmas, migrations, and the refusal of databases from a newer version.
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations as allMigrations } from './migrations/index';
import type { Migration } from './migrations/types';

export type { Db };

export class NewerDatabaseError extends Error {
  constructor(
    readonly path: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `${path} was written by a newer Faultline (schema version ${found}; this version understands up to ${supported}). ` +
        'Upgrade Faultline or choose another database file.',
    );
  }
}

export interface OpenOptions {
  readonly readonly?: boolean;
  /** For tests of migrations: apply only these steps. */
  readonly migrations?: readonly Migration[];
  /** Path of a better-sqlite3 native binding built for another ABI (Electron); see scripts/postinstall.mjs. */
  readonly nativeBinding?: string;
}

const bindings = new WeakMap<Db, string>();

/** The native binding a database was opened with (another connection to it, in a worker, needs the same). */
export function nativeBindingOf(db: Db): string | undefined {
  return bindings.get(db);
}

const statements = new WeakMap<Db, Map<string, Statement>>();

/**
 * `sql` prepared once per connection: for the statements run for every file of a bundle (a sosreport has
 * thousands of files; preparing them each time was ~1.4 s of 10,000). Only for statements run to
 * completion (run, get, all), never iterated: a cached statement must not be busy when reused.
 */
export function prepared(db: Db, sql: string): Statement {
  let byDb = statements.get(db);
  if (byDb === undefined) {
    byDb = new Map();
    statements.set(db, byDb);
  }
  let st = byDb.get(sql);
  if (st === undefined) {
    st = db.prepare(sql);
    byDb.set(sql, st);
  }
  return st;
}

/**
 * Runs `fn` as a write transaction that takes the write lock at its start (BEGIN IMMEDIATE); inside
 * another transaction, as a savepoint of it. Every transaction that writes goes through here, because
 * better-sqlite3's default BEGIN is deferred: the transaction reads first (its snapshot), and when it
 * then writes after another process committed in between (another ingest, the app), WAL cannot let it
 * write on that old snapshot and SQLite fails at once with SQLITE_BUSY ("database is locked"), without
 * waiting out busy_timeout. BEGIN IMMEDIATE waits its turn there instead (https://sqlite.org/lang_transaction.html,
 * "Read transactions versus write transactions").
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  // eslint-disable-next-line no-restricted-syntax -- the one place a transaction is begun
  return db.transaction(fn).immediate();
}

/** The schema version a database file carries. */
export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Opens (creating if needed) the database at `path` (or ':memory:') and brings its schema up to date:
 * all pending migrations run in one transaction, so a crash leaves the old schema intact.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const steps = options.migrations ?? allMigrations;
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, {
    readonly: options.readonly ?? false,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    if (!options.readonly) {
      // A new file gets 16 KiB pages (it has none yet, so the setting still applies): log lines are
      // stored as ~80 KB blocks, which 4 KiB pages write at half the speed (bench/ingest.ts). An existing
      // file keeps its page size.
      db.pragma('page_size = 16384');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, path, steps);
    if (options.nativeBinding) bindings.set(db, options.nativeBinding);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function migrate(db: Db, path: string, steps: readonly Migration[]): void {
  const latest = steps.reduce((max, m) => Math.max(max, m.version), 0);
  const pendingAt = (current: number): Migration[] => {
    if (current > latest) throw new NewerDatabaseError(path, current, latest);
    return steps.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  };
  if (pendingAt(schemaVersion(db)).length === 0) return;
  if (db.readonly) throw new Error(`${path} needs schema migration to version ${latest} but was opened read-only`);
  // The version is read again under the write lock: two processes opening a new file at once (two
  // ingests) would otherwise both run the same steps, and the second fail on tables that now exist.
  writeTransaction(db, () => {
    for (const step of pendingAt(schemaVersion(db))) {
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    }
  });
}
