import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Domain code is pure: no transport, database or UI.
    files: ['packages/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['fastify*', 'kysely*', 'react*', 'better-sqlite3', 'pg', 'node:fs*'] }],
    },
  },
  {
    // The web bundle runs in a browser: no Node built-ins, no server packages, no Node-only entries
    // (signing and sealing live in `@tangguh/protocol/node` and `@tangguh/credential/node`).
    files: ['apps/web/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The web runs in a browser: no Node built-ins.' },
            { group: ['@tangguh/*/node', '@tangguh/protocol/node', '@tangguh/credential/node'], message: 'Node-only entry: use the browser-safe entry of the package.' },
            { group: ['@tangguh/platform', '@tangguh/office*', '@tangguh/central*', '@tangguh/capture', '@tangguh/regions'], message: 'Server-side package: the web imports only @tangguh/protocol, @tangguh/domain and @tangguh/credential.' },
            { group: ['fastify*', '@fastify/*', 'kysely*', 'better-sqlite3', 'pg'], message: 'Server-side library in the web bundle.' },
          ],
        },
      ],
    },
  },
  {
    // STYLE.md: controllers → services → repositories. Kysely queries live in apps/*/src/repositories/, where the
    // SQL dialect is hidden; routes, services and workers call repository functions and keep the rules and the
    // transaction boundaries (they pass `tx` on).
    files: ['apps/*/src/services/**/*.ts', 'apps/*/src/api/**/*.ts', 'apps/*/src/workers/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/]',
          message: 'Queries belong in repositories/ (STYLE.md: controllers → services → repositories)',
        },
        {
          selector: "TaggedTemplateExpression[tag.name='sql']",
          message: 'Queries belong in repositories/ (STYLE.md: controllers → services → repositories)',
        },
      ],
    },
  },
);
