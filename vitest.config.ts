import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**', 'test/reliability/**', 'node_modules/**'],
    pool: 'forks',
    setupFiles: ['test/support/domTimeouts.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The integration suites each create their own databases; two cores, so two at a time.
    maxWorkers: 2,
    // The JSON report lets .ci/run print one plain 'N passed, N failed' line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
