import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'domain', include: ['packages/domain/src/**/*.test.ts'], isolate: false } },
      {
        test: {
          name: 'server',
          include: ['packages/server/test/**/*.test.ts'],
          globalSetup: ['packages/server/test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Each file builds its own apps on its own databases and holds no module state another file
          // could see, so a worker keeps its modules between files instead of importing the server anew
          // for each (some 3 s a file: a third of the suite's time on two cores).
          isolate: false,
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
