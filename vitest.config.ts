import { defineConfig } from 'vitest/config';

// `npm test`: everything except the long suites (fuzzing, load, soak), which live in test/slow and
// run with `npm run test:slow`.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/slow/**', 'node_modules/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
