import { defineConfig } from 'vitest/config';

// Private keys are sealed at rest under a master key the operator supplies; tests supply this one, and the
// nodes they spawn inherit it. Tests of a wrong or missing key set their own.
const env = { TANGGUH_MASTER_KEY: 'tangguh-test-master-key-not-for-production' };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          env,
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          env,
          include: ['apps/*/src/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          env,
          include: ['e2e/**/*.e2e.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
