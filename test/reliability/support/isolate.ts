// Setup file of vitest.reliability.config.ts: every reliability test file, its child processes
// and worker threads get a data folder of their own (default SQLite file, notifications.log,
// reports), so nothing a test runs with defaults lands in the real user's data folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'pass-rel-data-'));
process.env.PASS_DATA_DIR = dataDir;
process.env.PASS_REPORT_DIR = join(dataDir, 'reports');
process.env.PASS_NOTIFIER_LOG = join(dataDir, 'notifications.log');

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});
