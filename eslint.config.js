// Lint, including the layer rules of docs/ARCHITECTURE.md: what each folder may import is enforced here,
// not by review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'stream', 'stream/*', 'url', 'util', 'worker_threads', 'zlib', 'module'];

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-output/**', '.electron-native/**', 'resources/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "ImportDeclaration[source.value='electron'] ImportSpecifier[imported.name='ipcMain']", message: 'Only main/ipc may use ipcMain.' },
        { selector: "ImportDeclaration[source.value='electron'] ImportSpecifier[imported.name='ipcRenderer']", message: 'Only preload may use ipcRenderer.' },
      ],
    },
  },
  {
    // Pure core: values in, values out.
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'better-sqlite3', ...NODE_BUILTINS], message: 'main/core is pure: no electron, node built-ins or SQLite (docs/ARCHITECTURE.md).' },
            { group: ['**/storage/**', '**/services/**', '**/ipc/**', '**/web/**', '**/cli/**', '**/api/**'], message: 'main/core may not import outer layers.' },
          ],
        },
      ],
    },
  },
  {
    // The renderer talks to the backend only through the contract; it never touches Node, Electron or main.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'better-sqlite3', ...NODE_BUILTINS], message: 'The renderer may not import electron, node built-ins or SQLite.' },
            { group: ['**/main/**', '../main/*', '../../main/*'], message: 'The renderer may not import main-process code; use the API contract.' },
            { group: ['**/preload/index', '**/preload/channels'], message: 'The renderer uses window.api through renderer/api.ts, not the preload itself.' },
          ],
        },
      ],
    },
  },
  {
    // A transaction that writes must take the write lock at BEGIN (writeTransaction in main/storage/db.ts):
    // better-sqlite3's default, deferred, fails at once instead of waiting when another process (a second
    // ingest, the app) committed between its first read and its first write.
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "ImportDeclaration[source.value='electron'] ImportSpecifier[imported.name='ipcMain']", message: 'Only main/ipc may use ipcMain.' },
        { selector: "ImportDeclaration[source.value='electron'] ImportSpecifier[imported.name='ipcRenderer']", message: 'Only preload may use ipcRenderer.' },
        { selector: "CallExpression[callee.property.name='transaction']", message: 'Use writeTransaction (main/storage/db.ts): a deferred transaction fails at once when another process writes.' },
      ],
    },
  },
  {
    // ipcMain only in main/ipc (and the Electron entry that wires it); ipcRenderer only in preload.
    files: ['main/ipc/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "ImportDeclaration[source.value='electron'] ImportSpecifier[imported.name='ipcMain']", message: 'Only main/ipc may use ipcMain.' },
      ],
    },
  },
);
