import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../main/web/server';
import { testContext } from '../helpers/app';
import { tempDir } from '../helpers/tmp';

describe('browser-mode HTTP transport', () => {
  const ctx = testContext();
  const staticDir = tempDir();
  let server: WebServer;
  const base = (): string => `http://127.0.0.1:${server.port}`;
  const invoke = (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${base()}/api/invoke`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    mkdirSync(staticDir, { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    server = await startWebServer({ ctx, staticDir, port: 0 });
  });
  afterAll(() => server.close());

  it('binds to 127.0.0.1 and prints a URL carrying the token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`));
  });

  it('refuses API calls without the right token', async () => {
    const none = await invoke({ op: 'app:info', request: {} });
    expect(none.status).toBe(401);
    const wrong = await invoke({ op: 'app:info', request: {} }, { 'x-faultline-token': 'x'.repeat(32) });
    expect(wrong.status).toBe(401);
    const events = await fetch(`${base()}/api/events?token=nope`);
    expect(events.status).toBe(401);
  });

  it('answers with the token, through the same contract', async () => {
    const res = await invoke({ op: 'app:info', request: {} }, { 'x-faultline-token': server.token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; value: { name: string; transport: string; dbPath: string } };
    expect(body.ok).toBe(true);
    expect(body.value.name).toBe('Faultline');
    expect(body.value.transport).toBe('http');
    expect(body.value.dbPath).toBe(ctx.dbPath);
  });

  it('rejects a malformed argument with 400 and the validation message', async () => {
    const res = await invoke({ op: 'bundles:get', request: { id: -3 } }, { 'x-faultline-token': server.token });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { ok: boolean; error: { message: string } };
    expect(body.error.message).toMatch(/^invalid request for bundles:get: id:/);
  });

  it('refuses foreign Host headers (DNS rebinding) and paths outside the renderer', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/', headers: { host: 'evil.example:80' } }, (res) => resolve(res.statusCode ?? 0));
      req.end();
    });
    expect(status).toBe(421);
    const traversal = await fetch(`${base()}/..%2f..%2fetc%2fpasswd`);
    expect([403, 404]).toContain(traversal.status);
    const page = await fetch(`${base()}/`);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });

  it('streams backend events to token holders', async () => {
    const res = await fetch(`${base()}/api/events?token=${server.token}`);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    await reader.read(); // the ': connected' comment
    ctx.events.emit('ingest:progress', { jobId: 'j1', file: 'dmesg', bytes: 10, totalBytes: 20, lines: 1, done: false, error: null });
    const chunk = new TextDecoder().decode((await reader.read()).value);
    expect(chunk).toContain('"jobId":"j1"');
    await reader.cancel();
  });
});
