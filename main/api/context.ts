// What every handler may use: the open database, where data lives, the event bus.
import type { Db } from '../storage/db';
import type { EventBus } from './events';

export interface ApiContext {
  readonly db: Db;
  readonly dbPath: string;
  readonly dataDir: string;
  readonly version: string;
  readonly transport: 'electron' | 'http';
  readonly events: EventBus;
  /** The embedded sample bundle (resources/samples/…), opened first when nothing else is chosen. */
  readonly defaultBundlePath: string | null;
  /** The native open dialog (Electron only): the chosen folder or file, or null when cancelled. */
  readonly openDialog?: (kind: 'folder' | 'file') => Promise<string | null>;
  /** The native save dialog (Electron only): the chosen path, or null when cancelled. */
  readonly saveDialog?: (options: { readonly defaultName: string; readonly format: 'text' | 'html' }) => Promise<string | null>;
}
