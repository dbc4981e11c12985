import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // index: the Electron entry; cli: the `faultline` command (bin/faultline.mjs), same services;
        // lines-worker: the ingest's log reader thread (main/storage/lines-parallel.ts starts it by this name).
        input: {
          index: resolve(__dirname, 'main/index.ts'),
          cli: resolve(__dirname, 'main/cli/index.ts'),
          'lines-worker': resolve(__dirname, 'main/storage/lines-worker.ts'),
          // ftrace-text-worker: the ftrace text tokenizer thread (main/services/ingest/importers/ftrace-text-parallel.ts).
          // checkpoint-worker: WAL checkpoints during a bulk load (main/storage/checkpointer.ts).
          'checkpoint-worker': resolve(__dirname, 'main/storage/checkpoint-worker.ts'),
          'ftrace-text-worker': resolve(__dirname, 'main/services/ingest/importers/ftrace-text-worker.ts'),
          // trace-dat-worker: the trace.dat reader thread (main/services/ingest/importers/trace-dat-parallel.ts).
          'trace-dat-worker': resolve(__dirname, 'main/services/ingest/importers/trace-dat-worker.ts'),
        },
        // Shared chunks beside the entries: main/services/paths.ts finds the project root two folders up.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'preload/index.ts') },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      // The renderer is loaded on every start and every browser-mode tab: minified it parses in a third of
      // the time (bench/ui.ts "start" figure); main and preload stay readable.
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
