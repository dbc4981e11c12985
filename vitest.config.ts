import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure logic, storage, services, CLI in-process; plain Node) and `e2e` (the built app in
// a real Chromium against a real backend and SQLite file). `npm test` builds first, then runs both.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
