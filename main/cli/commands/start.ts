// `faultline start` (`npm start`): the desktop app on the embedded sample; where Electron cannot start
// (no binary on this machine, no display), it says why in one line and falls back to browser mode.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../../services/paths';
import { startBrowserMode, untilStopped } from './serve';
import type { CliCommand, CliIo } from '../types';

const help = `Usage: faultline start [--port N] [--db FILE]

Opens the Faultline desktop window on the bundled sample. When Electron cannot start here (its binary
was not installed, or there is no display), prints why and serves the same UI in the browser instead
(see faultline serve; --port and --db apply to that fallback).
`;

/** Why Electron cannot start here, or null when it can be tried. */
export function electronUnavailableReason(env: CliIo['env'], platform = process.platform): { reason: string } | { binary: string } {
  // Not require('electron'): with its binary missing, that starts a download attempt.
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const binary = existsSync(pathFile) ? join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null;
  if (!binary || !existsSync(binary)) {
    return { reason: "Electron's binary is not installed (it could not be downloaded at install time)" };
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  return { binary };
}

export const command: CliCommand = {
  name: 'start',
  help,
  async run(argv, io) {
    const probe = electronUnavailableReason(io.env);
    if ('binary' in probe) {
      const child = spawn(probe.binary, [PROJECT_ROOT], { stdio: ['ignore', 'inherit', 'pipe'], env: { ...process.env } });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        io.stderr.write(d);
      });
      const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
      if (code === 0) return 0;
      io.stderr.write(`Electron could not start (exit ${code}${stderr ? `: ${stderr.trim().split('\n')[0]}` : ''}); using browser mode.\n`);
    } else {
      io.stderr.write(`Electron cannot start here: ${probe.reason}; using browser mode.\n`);
    }
    return untilStopped(await startBrowserMode(argv, io));
  },
};
