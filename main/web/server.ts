// Browser mode: the contract over HTTP+JSON on loopback. Every API request must carry the per-launch token
// (header `X-Faultline-Token`, or `?token=` for the event stream, which EventSource cannot give headers);
// the Host header must name the loopback address we bound, which defeats DNS rebinding.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { ApiContext } from '../api/context';
import { dispatch } from '../api/dispatch';
import { CONTENT_SECURITY_POLICY } from './csp';

export interface WebServerOptions {
  readonly ctx: ApiContext;
  /** The built renderer (out/renderer). */
  readonly staticDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Defaults to a fresh random token. */
  readonly token?: string;
}

export interface WebServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 8 * 1024 * 1024;
const HOST = '127.0.0.1';

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? newToken();
  let port = options.port;
  const sseClients = new Set<ServerResponse>();
  const unsubscribe = options.ctx.events.subscribe((event, payload) => {
    const data = `event: message\ndata: ${JSON.stringify({ event, payload })}\n\n`;
    for (const c of sseClients) c.write(data);
  });

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: String(e) } });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (host !== `${HOST}:${port}` && host !== `localhost:${port}`) {
      sendJson(res, 421, { ok: false, error: { code: 'bad_request', message: 'unexpected Host header' } });
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname === '/api/invoke') return invoke(req, res);
    if (url.pathname === '/api/events') return events(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { ok: false, error: { code: 'bad_request', message: 'method not allowed' } });
      return;
    }
    return serveStatic(res, url.pathname);
  }

  async function invoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      sendJson(res, 405, { ok: false, error: { code: 'bad_request', message: 'POST only' } });
      return;
    }
    if (!tokenMatches(req.headers['x-faultline-token'] as string | undefined, token)) {
      sendJson(res, 401, { ok: false, error: { code: 'bad_request', message: 'missing or wrong token' } });
      return;
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      sendJson(res, 415, { ok: false, error: { code: 'bad_request', message: 'expected application/json' } });
      return;
    }
    const body = await readBody(req);
    if (body === null) {
      sendJson(res, 413, { ok: false, error: { code: 'bad_request', message: 'request too large' } });
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(body);
    } catch {
      sendJson(res, 400, { ok: false, error: { code: 'bad_request', message: 'body is not JSON' } });
      return;
    }
    const { op, request } = (message ?? {}) as { op?: unknown; request?: unknown };
    const envelope = await dispatch(options.ctx, op, request);
    sendJson(res, envelope.ok ? 200 : envelope.error.code === 'internal' ? 500 : 400, envelope);
  }

  function events(_req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (!tokenMatches(url.searchParams.get('token'), token)) {
      sendJson(res, 401, { ok: false, error: { code: 'bad_request', message: 'missing or wrong token' } });
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    sseClients.add(res);
    res.on('close', () => sseClients.delete(res));
  }

  async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const full = normalize(join(options.staticDir, rel));
    if (!full.startsWith(normalize(options.staticDir) + sep)) {
      sendJson(res, 403, { ok: false, error: { code: 'bad_request', message: 'forbidden' } });
      return;
    }
    try {
      const body = await readFile(full);
      send(res, 200, MIME[extname(full)] ?? 'application/octet-stream', body);
    } catch {
      sendJson(res, 404, { ok: false, error: { code: 'not_found', message: `${pathname} not found` } });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : options.port;

  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const c of sseClients) c.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
