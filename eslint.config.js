// Lint rules, including the import boundaries of the design (docs/architecture in README):
// - domain is pure: no I/O modules, no server or console code;
// - domain/hotline and domain/dispatch never import each other; only domain/bridge knows both;
// - in the server, routes -> services -> repositories, never backwards.
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

const ioModules = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'net',
  'node:net',
  'http',
  'node:http',
  'https',
  'node:https',
  'child_process',
  'node:child_process',
  'pg',
  'fastify',
  'dgram',
  'node:dgram',
  'tls',
  'node:tls',
];

const restrict = (patterns, paths = []) => [
  'error',
  { paths: paths.map((name) => ({ name, message: 'domain code does no I/O' })), patterns },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'test-output/**'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['packages/domain/src/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [
          {
            group: ['@liandong/server', '@liandong/server/*', '**/server/**', '@liandong/console'],
            message: 'domain imports no server or console code',
          },
        ],
        ioModules,
      ),
    },
  },
  {
    files: ['packages/domain/src/hotline/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [
          {
            group: ['**/dispatch/**', '**/dispatch', '**/bridge/**', '@liandong/server', '@liandong/server/*'],
            message: 'domain/hotline never imports domain/dispatch or domain/bridge',
          },
        ],
        ioModules,
      ),
    },
  },
  {
    files: ['packages/domain/src/dispatch/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [
          {
            group: ['**/hotline/**', '**/hotline', '**/bridge/**', '@liandong/server', '@liandong/server/*'],
            message: 'domain/dispatch never imports domain/hotline or domain/bridge',
          },
        ],
        ioModules,
      ),
    },
  },
  {
    files: ['packages/server/src/**/*.repo.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/*.service', '**/*.service.ts', '**/*.routes', '**/*.routes.ts'],
              message: 'repositories never import services or routes',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/server/src/**/*.service.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/*.routes', '**/*.routes.ts', 'fastify'],
              message: 'services never import routes or the HTTP layer',
            },
          ],
        },
      ],
    },
  },
  {
    // The console runs in the browser and talks to the server only over HTTP.
    files: ['packages/console/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.map((name) => ({ name, message: 'the console runs in the browser' })),
          patterns: [
            {
              group: ['@liandong/server', '@liandong/server/*', '**/server/**'],
              message: 'the console reaches the server over HTTP only',
            },
          ],
        },
      ],
    },
  },
);
