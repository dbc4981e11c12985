// A real ApiContext over a real SQLite file in a temp folder.
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { ApiContext } from '../../main/api/context';
import { createAppContext } from '../../main/services/app-context';
import { tempDir } from './tmp';

export function testContext(transport: 'http' | 'electron' = 'http'): ApiContext {
  const dataDir = tempDir();
  const ctx = createAppContext({ dataDir, dbPath: join(dataDir, 'test.db'), transport });
  afterAll(() => ctx.db.close());
  return ctx;
}
