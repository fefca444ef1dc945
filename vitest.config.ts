import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/package/**', 'node_modules/**'],
    testTimeout: 20_000,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
