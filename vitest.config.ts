import { defineConfig } from 'vitest/config';

// Node unit tests. Browser tests live in tests/e2e and run under Playwright; the package test
// (npm pack into a fresh project) in tests/package, with its own config.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'tests/package/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // ORT's WASM threads and Rapier's WASM are heavy; two cores, one worker at a time.
    pool: 'forks',
    maxWorkers: 1,
  },
});
