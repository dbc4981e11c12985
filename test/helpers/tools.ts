// Test helper: whether a command-line tool the test builds its inputs with (tar, zip, python3) is installed.
import { execFileSync } from 'node:child_process';

export function hasTool(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
