import type { ApiContext } from '../context';
import { listBundles } from '../../storage/bundles';
import type { AppInfo } from '../../../preload/contract';

export const appHandlers = {
  'app:info': (ctx: ApiContext): AppInfo => {
    const bundles = listBundles(ctx.db);
    const sample = ctx.defaultBundlePath
      ? bundles.find((b) => b.sourcePath === ctx.defaultBundlePath && b.status === 'complete')
      : undefined;
    return {
      name: 'Faultline',
      version: ctx.version,
      transport: ctx.transport,
      dataDir: ctx.dataDir,
      dbPath: ctx.dbPath,
      defaultBundleId: sample?.id ?? null,
    };
  },
};
