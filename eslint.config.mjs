// ESLint (flat config) for the whole repository: typescript-eslint's recommended rules with the type-aware
// rules about promises (a forgotten await in a server is a lost error), Prettier for layout (eslint-config-prettier
// turns off what it decides), and the architecture's import rules, so that dependencies keep pointing one way.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Imports that would make a layer depend on one above it (or the server on its clients). */
const forbid = (...rules) => ['error', { patterns: rules.map(([group, message]) => ({ group, message })) }];
const SERVER_ONLY = ['**/sdk/**', '**/web/**', '**/cli/**', '@sealroom/sdk', '@sealroom/sdk/*'];
const EDGES = ['**/controllers/*', '**/http/*', '**/http/**', '**/realtime/*', '**/realtime/**', '**/ioc', '**/app'];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'src/generated/**',
      'sdk/src/generated/**',
      'contracts/src/generated/**',
      'coverage/**',
      'test-output/**',
      'bench/results/**', // what the benchmarks build and write
      'data/**',
      '**/__transpiled/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        // Each file is checked in the program of its nearest tsconfig.json; these two small files have none of their own.
        projectService: { allowDefaultProject: ['web/vite.config.ts', 'sdk/codegen/request.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs', 'jest.config.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // The architecture (README "Layout"): controllers -> services -> repositories/storage -> db; realtime -> services.
  {
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': forbid([SERVER_ONLY, 'The server never imports its clients: share through @sealroom/contracts.']) },
  },
  {
    files: ['src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid(
        [SERVER_ONLY, 'The server never imports its clients.'],
        [EDGES, 'Services hold the rules; the edges (controllers, http, realtime) call them, never the other way.'],
        [['**/db/data-source', '**/db/sql', 'typeorm'], 'Services reach the database through repositories.'],
      ),
    },
  },
  {
    files: ['src/repositories/**/*.ts', 'src/storage/**/*.ts', 'src/db/**/*.ts', 'src/entities/**/*.ts', 'src/redis/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid(
        [SERVER_ONLY, 'The server never imports its clients.'],
        [[...EDGES, '**/services/*'], 'Repositories, storage and the database are the bottom layers: they import nothing above them.'],
      ),
    },
  },
  {
    files: ['src/controllers/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid(
        [SERVER_ONLY, 'The server never imports its clients.'],
        [['**/repositories/*', '**/db/*', '**/storage/*', 'typeorm', '**/realtime/**'], 'Controllers call services only.'],
      ),
    },
  },
  {
    files: ['src/realtime/**/*.ts'],
    rules: {
      'no-restricted-imports': forbid(
        [SERVER_ONLY, 'The server never imports its clients.'],
        [
          ['**/repositories/*', '**/db/data-source', '**/db/sql', '**/storage/*', '**/controllers/*', 'typeorm'],
          'Realtime handlers call services only.',
        ],
      ),
    },
  },
  {
    files: ['web/**/*.ts', 'web/**/*.tsx', 'cli/**/*.ts'],
    rules: {
      // (The packages cannot reach into the server or each other's sources either: each builds only its own folder.)
      'no-restricted-imports': forbid([
        ['**/sdk/src/**', '@sealroom/contracts'],
        'The web client and the CLI are built on @sealroom/sdk alone.',
      ]),
    },
  },
  {
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    // Async event handlers (onClick={start}) catch their own errors and show them; the browser tests fail on
    // any uncaught error in a page.
    rules: { '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }] },
  },
  prettier,
);
