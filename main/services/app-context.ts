// Builds the ApiContext both front ends (Electron, browser mode) run on.
import { existsSync } from 'node:fs';
import type { ApiContext } from '../api/context';
import { EventBus } from '../api/events';
import { openDatabase } from '../storage/db';
import { databasePath, DEFAULT_SAMPLE } from './paths';
import { VERSION } from './version';

export interface AppContextOptions {
  readonly dataDir: string;
  readonly dbPath?: string;
  readonly transport: 'electron' | 'http';
  readonly nativeBinding?: string;
}

export function createAppContext(options: AppContextOptions): ApiContext {
  const dbPath = options.dbPath ?? databasePath(options.dataDir);
  const db = openDatabase(dbPath, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  return {
    db,
    dbPath,
    dataDir: options.dataDir,
    version: VERSION,
    transport: options.transport,
    events: new EventBus(),
    defaultBundlePath: existsSync(DEFAULT_SAMPLE) ? DEFAULT_SAMPLE : null,
  };
}
