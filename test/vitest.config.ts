import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // After each file: kill servers it started and did not stop (test/helpers/processes.ts).
    setupFiles: ['test/helpers/leftovers.setup.ts'],
    reporters: ['default'],
  },
});
