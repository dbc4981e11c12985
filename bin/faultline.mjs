#!/usr/bin/env node
// The `faultline` command: runs the CLI built by `npm run build` (electron-vite) into out/main/cli.js.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('faultline: not built yet (out/main/cli.js is missing): run `npm install` or `npm run build`\n');
  process.exit(1);
}
const { main } = await import(built);
await main();
