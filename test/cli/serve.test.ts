import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parsePort, startBrowserMode, DEFAULT_PORT } from '../../main/cli/commands/serve';
import { UsageError } from '../../main/cli/types';
import { tempDir } from '../helpers/tmp';

describe('faultline serve', () => {
  it('takes the port from --port, else FAULTLINE_PORT, else 5178', () => {
    expect(DEFAULT_PORT).toBe(5178);
    expect(parsePort(undefined, parsePort('6001', DEFAULT_PORT))).toBe(6001);
    expect(parsePort('7001', parsePort('6001', DEFAULT_PORT))).toBe(7001);
    expect(parsePort(undefined, parsePort(undefined, DEFAULT_PORT))).toBe(5178);
    expect(() => parsePort('70000', DEFAULT_PORT)).toThrow(UsageError);
  });

  it('prints the serving URL on 127.0.0.1 with a token, and the URL answers', async () => {
    const out: string[] = [];
    const stdout = new PassThrough();
    stdout.on('data', (d: Buffer) => out.push(d.toString()));
    const dir = tempDir();
    const session = await startBrowserMode(['--port', '0'], {
      stdin: Readable.from([]),
      stdout,
      stderr: new PassThrough(),
      env: { FAULTLINE_DATA_DIR: dir },
      cwd: dir,
    });
    try {
      const line = out.join('');
      expect(line).toMatch(/^Faultline is serving at http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+\n$/);
      expect(session.ctx.dbPath.startsWith(dir)).toBe(true);
      const page = await fetch(line.trim().split(' ').pop()!);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
    } finally {
      await session.server.close();
      session.ctx.db.close();
    }
  });
});
