// Electron wiring only: one window, locked down (contextIsolation, sandbox, no nodeIntegration, CSP,
// no navigation, no new windows), the contract over IPC. All logic lives in services.
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { registerIpc } from './ipc/register';
import { createAppContext } from './services/app-context';
import { ensureDefaultBundle, indexPendingInBackground } from './services/ingest/default-bundle';
import { PROJECT_ROOT } from './services/paths';
import { CONTENT_SECURITY_POLICY } from './web/csp';

/** better-sqlite3 rebuilt for Electron's ABI by scripts/postinstall.mjs (plain Node keeps the default one). */
const ELECTRON_BINDING = join(PROJECT_ROOT, '.electron-native', 'better_sqlite3.node');

let win: BrowserWindow | null = null;

async function createWindow(): Promise<void> {
  const base = createAppContext({
    dataDir: app.getPath('userData'),
    transport: 'electron',
    ...(existsSync(ELECTRON_BINDING) ? { nativeBinding: ELECTRON_BINDING } : {}),
  });
  // The native picker behind `app:open-dialog` (browser mode has none and shows a path field).
  const ctx = {
    ...base,
    openDialog: async (kind: 'folder' | 'file'): Promise<string | null> => {
      const options = { properties: [kind === 'folder' ? ('openDirectory' as const) : ('openFile' as const)] };
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    // The native save dialog behind `report:save` (browser mode downloads the report instead).
    saveDialog: async ({ defaultName, format }: { defaultName: string; format: 'text' | 'html' }): Promise<string | null> => {
      const filters = [format === 'text' ? { name: 'Plain text', extensions: ['txt'] } : { name: 'HTML', extensions: ['html'] }];
      const options = { defaultPath: defaultName, filters };
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
  registerIpc(ctx, () => win?.webContents ?? null);
  // The embedded sample, ingested on first launch so that the app opens on it (issue 4).
  await ensureDefaultBundle(ctx).catch((e: unknown) => console.error('Faultline: the sample bundle could not be read:', e));
  void indexPendingInBackground(ctx);

  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'Faultline',
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win?.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  await win.loadFile(join(__dirname, '../renderer/index.html'));
}

app.enableSandbox();
app.whenReady().then(createWindow, (e: unknown) => {
  console.error(e);
  app.exit(1);
});
app.on('window-all-closed', () => app.quit());
