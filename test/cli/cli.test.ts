import { describe, expect, it } from 'vitest';
import { runFaultline } from '../helpers/cli';
import pkg from '../../package.json';

describe('faultline dispatcher', () => {
  it('--version prints the package version', async () => {
    const r = await runFaultline(['--version']);
    expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('--help lists every command; no command is a usage error', async () => {
    const help = await runFaultline(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^\s+serve\s+/m);
    expect(help.stdout).toMatch(/^\s+start\s+/m);
    expect((await runFaultline([])).code).toBe(2);
  });

  it('an unknown command exits 2 with the message on stderr', async () => {
    const r = await runFaultline(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("faultline: unknown command 'frobnicate' (see faultline --help)\n");
  });

  it('each command has its own --help', async () => {
    const r = await runFaultline(['serve', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: faultline serve/);
  });

  it('a bad option is a usage error (exit 2)', async () => {
    const r = await runFaultline(['serve', '--port', 'eighty']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid port: eighty/);
  });
});
