// `faultline serve`: browser mode. Serves the renderer and the API on 127.0.0.1 only, token-guarded.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createAppContext } from '../../services/app-context';
import { ensureDefaultBundle, indexPendingInBackground } from '../../services/ingest/default-bundle';
import { RENDERER_DIR, resolveDataDir } from '../../services/paths';
import { startWebServer, type WebServer } from '../../web/server';
import { EXIT_FAILURE, UsageError, type CliCommand, type CliIo } from '../types';
import type { ApiContext } from '../../api/context';

export const DEFAULT_PORT = 5178;

const help = `Usage: faultline serve [--port N] [--db FILE]

Serves the Faultline UI in the browser (for headless servers, or where Electron cannot start).
Binds to 127.0.0.1 only; the printed URL carries a per-launch token that the API requires.

Options:
  --port N     port to listen on (default: $FAULTLINE_PORT, else ${DEFAULT_PORT}; 0 picks a free one)
  --db FILE    database file (default: faultline.db in the data folder: $FAULTLINE_DATA_DIR,
               else $XDG_DATA_HOME/faultline, else ~/.local/share/faultline)
`;

export function parsePort(text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new UsageError(`invalid port: ${text}`);
  return Number(text);
}

export interface ServeSession {
  readonly server: WebServer;
  readonly ctx: ApiContext;
}

/** Starts browser mode and prints the serving line; shared by `serve` and `start`'s fallback. */
export async function startBrowserMode(argv: readonly string[], io: CliIo): Promise<ServeSession> {
  const { values } = parseArgs({
    args: [...argv],
    options: { port: { type: 'string' }, db: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const port = parsePort(values.port, parsePort(io.env.FAULTLINE_PORT, DEFAULT_PORT));
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`the renderer is not built (${RENDERER_DIR} is missing): run \`npm run build\``);
  }
  const dataDir = resolveDataDir(io.env);
  const ctx = createAppContext({ dataDir, transport: 'http', ...(values.db ? { dbPath: values.db } : {}) });
  // The embedded sample, ingested on first launch so that the app opens on it (issue 4).
  await ensureDefaultBundle(ctx).catch((e: unknown) => io.stderr.write(`faultline: the sample bundle could not be read: ${e instanceof Error ? e.message : String(e)}\n`));
  void indexPendingInBackground(ctx);
  const server = await startWebServer({ ctx, staticDir: RENDERER_DIR, port });
  io.stdout.write(`Faultline is serving at ${server.url}\n`);
  return { server, ctx };
}

/** Keeps the process alive until SIGINT/SIGTERM, then closes the server and the database. */
export function untilStopped(session: ServeSession): Promise<number> {
  return new Promise((resolve) => {
    const stop = (): void => {
      void session.server.close().then(() => {
        session.ctx.db.close();
        resolve(0);
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export const command: CliCommand = {
  name: 'serve',
  help,
  async run(argv, io) {
    try {
      return await untilStopped(await startBrowserMode(argv, io));
    } catch (e) {
      if (e instanceof UsageError || (e instanceof TypeError && 'code' in e)) throw e;
      io.stderr.write(`faultline serve: ${e instanceof Error ? e.message : String(e)}\n`);
      return EXIT_FAILURE;
    }
  },
};
