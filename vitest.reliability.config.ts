// `npm run test:reliability`: the suite that tries to break the promises of README § Guarantees
// (crash matrix, several desks, a database that goes away, an unwritable report folder, hostile
// input, a long run). Its files end in .reliability.ts so the main `vitest run` does not pick
// them up; CI runs this after the main tests. Two workers, for two cores.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/reliability/**/*.reliability.ts'],
    // a data folder of its own per file: defaults never touch the user's (support/isolate.ts)
    setupFiles: ['test/reliability/support/isolate.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // generous: a crash-matrix test (10 SIGKILLs and restarts of child processes) took 204 s on a
    // 2-core box at load 15; a timed-out test leaves its children sending into the next one's sink
    testTimeout: 600_000,
    hookTimeout: 120_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest-reliability.json' },
  },
});
