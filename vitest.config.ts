import { defineConfig } from 'vitest/config';

// Unit and integration tests run under plain Node: real SQLite files, real HTTP on 127.0.0.1.
// The browser end-to-end specs live in test/e2e and run under Playwright instead.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    pool: 'forks',
    reporters: ['default', './test/support/unfinished-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
