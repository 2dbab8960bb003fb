// The layer rules of README "How it is built", checked by a machine. Each block names a layer
// and what it may not import; `import-x/no-restricted-paths` resolves every import to a file, so
// a rule cannot be dodged by spelling a path differently.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The renderer's features; each is self-contained, and the screens (and App) compose them.
const rendererFeatures = ['result', 'scan', 'settings', 'status', 'supervisor'];

const nodeBuiltins = { group: ['node:*'], message: 'Node is not available here.' };
const nodeBareBuiltins = [
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'https',
  'net',
  'url',
  'util',
  'stream',
  'events',
  'worker_threads',
];

// The product's entry points get the Core (routes, events, life cycle); its database, worker and
// settings are in reach only for tests and benches.
const partsOfTheCore = {
  group: ['**/core/app'],
  importNames: ['createCoreWithParts', 'CoreWithParts'],
  message: 'Entry points use createCore: the core keeps its database, worker and settings inside.',
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'release/**', 'node_modules/**', 'bench/out/**', 'test-results/**', 'playwright-report/**', '.data/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] })] },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            // shared/ is imported by every side, so it imports none of them.
            {
              target: './shared',
              from: ['./electron', './renderer', './hub', './test', './bench', './scripts'],
              message: 'shared/ imports nothing of the sides.',
            },
            // The renderer reaches the core only through the contract in shared/ipc.
            {
              target: './renderer',
              from: ['./electron', './hub', './test', './bench', './scripts'],
              message: 'The renderer talks to main only through shared/ipc.',
            },
            // A feature imports no other feature: what several use lives in renderer/shared or
            // renderer/stores, and renderer/screens put features side by side.
            ...rendererFeatures.map((feature) => ({
              target: `./renderer/features/${feature}`,
              from: './renderer/features',
              except: [`./${feature}`],
              message: 'A feature imports no other feature: share through renderer/shared or renderer/stores.',
            })),
            {
              target: ['./renderer/shared', './renderer/stores', './renderer/i18n'],
              from: ['./renderer/features', './renderer/screens'],
              message: 'Shared renderer code and the stores sit below the features.',
            },
            // The core runs under plain Node (and in its own process): no Electron glue, no
            // transports, no demo sandbox (the entry points inject it).
            {
              target: './electron/core',
              from: [
                './electron/main',
                './electron/preload',
                './electron/web',
                './electron/sandbox',
                './renderer',
                './hub',
                './test',
                './bench',
                './scripts',
              ],
              message: 'electron/core is plain Node: the entry points inject what it needs.',
            },
            {
              target: './electron/preload',
              from: ['./electron/core', './electron/main', './electron/web', './electron/sandbox', './renderer'],
              message: 'The preload exposes the contract and nothing else.',
            },
            { target: './electron/main', from: ['./electron/web', './renderer'], message: 'main is Electron glue.' },
            // The core's own process: plain Node, started by main or by the tests' fork.
            {
              target: './electron/host',
              from: ['./electron/main', './electron/preload', './electron/web', './renderer'],
              message: 'The core process entry runs without Electron.',
            },
            {
              target: './electron/sandbox',
              from: ['./electron/main', './electron/web', './renderer'],
              message: 'The sandbox plays Douyin; it knows nothing of the app.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/core/**', 'electron/host/**'],
    rules: {
      // A packaged Windows app has no console: the core logs through its redacting log files.
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'The core never imports Electron.' }], patterns: [partsOfTheCore] },
      ],
    },
  },
  {
    files: ['electron/main/**', 'electron/web/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [partsOfTheCore] }] },
  },
  {
    files: ['renderer/**', 'shared/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'better-sqlite3', 'undici', 'koffi', ...nodeBareBuiltins].map((name) => ({
            name,
            message: 'Not available in the renderer or shared code.',
          })),
          patterns: [nodeBuiltins],
        },
      ],
    },
  },
  {
    files: ['electron/preload/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [nodeBuiltins] }] },
  },
  {
    // The Electron glue's unit tests stand in for Electron's own objects, which are untyped here,
    // and build them inside vi.hoisted, which runs before any import.
    files: ['test/unit/main/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Playwright reads a fixture's dependencies from its destructuring pattern, even an empty one.
    files: ['test/e2e/**'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    // A global declaration is spelled `declare var`.
    files: ['**/*.d.ts'],
    rules: { 'no-var': 'off' },
  },
);
