// Where things are: the project root (works from source under tsx and from the bundle in out/main), the
// built renderer, the embedded samples, and the data folder.
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** main/services/paths.ts and out/main/<bundle>.js both sit two folders below the root. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_DIR = join(PROJECT_ROOT, 'out', 'renderer');
export const SAMPLES_DIR = join(PROJECT_ROOT, 'resources', 'samples');
/** The bundle `npm start` opens first (filled by the ingest work; see resources/samples/README.md). */
export const DEFAULT_SAMPLE = join(SAMPLES_DIR, 'gpu-passthrough-6.1');

/**
 * The data folder outside Electron: FAULTLINE_DATA_DIR, else $XDG_DATA_HOME/faultline, else
 * ~/.local/share/faultline. (Electron uses app.getPath('userData') instead.)
 */
export function resolveDataDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env.FAULTLINE_DATA_DIR) return resolve(env.FAULTLINE_DATA_DIR);
  const xdg = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(xdg, 'faultline');
}

export function databasePath(dataDir: string): string {
  return join(dataDir, 'faultline.db');
}
