// `npm run test:desktop`: the desktop path without the Electron binary: the native SQLite driver
// built for a second runtime (Node 24.15, whose module ABI differs from the Node npm installed
// with, as Electron's does) through the same code path `npm start` uses, and the desktop
// composition root run under it. Its files end in .desktop.ts so `vitest run` leaves them to
// this suite: the first run fetches Node 24 (50 MB) and compiles SQLite (1–2 minutes). CI runs it.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/desktop/**/*.desktop.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 900_000,
    hookTimeout: 900_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest-desktop.json' },
  },
});
