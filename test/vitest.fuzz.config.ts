import { defineConfig } from 'vitest/config';

/** `npm run fuzz:args`: the long extreme-argument differential (not part of `npm test`). */
export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.fuzz.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
