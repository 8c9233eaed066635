import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'domain', include: ['packages/domain/src/**/*.test.ts'] } },
      {
        test: {
          name: 'server',
          include: ['packages/server/test/**/*.test.ts'],
          globalSetup: ['packages/server/test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          // Only `npm run test:browser` and .ci/run run these: they need Debian's Chromium.
          name: 'browser',
          include: ['packages/console/test/**/*.test.ts'],
          globalSetup: ['packages/console/test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
          // What a person sees follows a round trip to the server and a re-render; on a loaded
          // two-core CI machine that can take well over expect.poll's default of one second.
          expect: { poll: { timeout: 10_000, interval: 100 } },
        },
      },
    ],
  },
});
