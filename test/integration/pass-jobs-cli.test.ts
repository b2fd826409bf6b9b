// The pass jobs from the command line (issue 3's acceptance), through main() as bin/pass-batch.mjs
// calls it: `pass-batch seed` on a fresh database, then `pass-batch run <job>` for every job with
// its default parameters ends COMPLETED having written something. And the seed project's own
// sample data (test/fixtures/insert_data.sql, a byte-for-byte copy of ../shared/seed/insert_data.sql, written for the Java version), loads unchanged
// into a migrated MySQL database and every job runs on it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { toDbTime } from '../../main/batch/index.ts';
import { main } from '../../main/cli/index.ts';
import { passJobs } from '../../main/pass/jobs/index.ts';
import { startHttpSink, type HttpSink } from '../fixtures/httpSink.ts';
import { backends, describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';

/** Beside the repository: CI runs in a fresh clone with shared/ next to it. */
const INSERT_DATA = new URL('../fixtures/insert_data.sql', import.meta.url);

function collector() {
  return {
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

/** One command through main(), as a shell would run it, with its output captured. */
async function passBatch(url: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = collector();
  const stderr = collector();
  const code = await main(argv, { dbUrl: url, stdout, stderr, isTTY: false });
  return { code, out: stdout.text, err: stderr.text };
}

interface ListedExecution {
  id: number;
  jobName: string;
  status: string;
  exitMessage: string;
  totals: { read: number; written: number; filtered: number; skipped: number };
  steps: Array<{ name: string; partition: boolean; status: string; writeCount: number }>;
}

/** The job's latest execution as `pass-batch executions --json --job <name>` lists it. */
async function latestExecution(url: string, jobName: string): Promise<ListedExecution> {
  const listed = await passBatch(url, ['executions', '--json', '--job', jobName]);
  expect(listed.code, listed.err).toBe(0);
  const executions = (JSON.parse(listed.out) as { executions: ListedExecution[] }).executions;
  expect(executions.length, `no execution of ${jobName} is listed`).toBeGreaterThan(0);
  return executions[0]!;
}

/** The webhook sink the notification jobs send to, and a folder for the reports. */
function jobEnvironment() {
  const env = { sink: undefined as HttpSink | undefined, reportDir: '' };
  beforeAll(async () => {
    env.sink = await startHttpSink();
    process.env.PASS_NOTIFIER_WEBHOOK_URL = env.sink.url;
    env.reportDir = mkdtempSync(join(tmpdir(), 'pass-cli-reports-'));
    process.env.PASS_REPORT_DIR = env.reportDir;
  });
  afterAll(async () => {
    await env.sink?.close();
    delete process.env.PASS_NOTIFIER_WEBHOOK_URL;
    delete process.env.PASS_REPORT_DIR;
    if (env.reportDir) rmSync(env.reportDir, { recursive: true, force: true });
  });
  return env;
}

describeEachBackend('pass-batch seed, then every job from the command line', (backend) => {
  const env = jobEnvironment();
  let t: TestDatabase;
  beforeAll(async () => {
    // not migrated: the command line brings a fresh database's schema up itself
    t = await freshDatabase(backend, { migrate: false });
  });
  afterAll(async () => t?.dispose());

  test('pass-batch seed fills a fresh database with the demo gym', async () => {
    const seeded = await passBatch(t.url, ['seed']);
    expect(seeded.err).toBe('');
    expect(seeded.code).toBe(0);
    expect(seeded.out).toMatch(/^Demo gym ready: 2,?000 members, 6 packages, [\d,]+ passes, [\d,]+ bookings, \d+ bulk grants, [\d,]+ group memberships\.\n$/);
  });

  for (const job of passJobs) {
    test(`pass-batch run ${job.name} ends COMPLETED with non-zero counts`, async () => {
      const run = await passBatch(t.url, ['run', job.name]);
      expect(run.code, `${run.out}\n${run.err}`).toBe(0);
      expect(run.out).toContain('COMPLETED');
      const execution = await latestExecution(t.url, job.name);
      expect(execution.status, execution.exitMessage).toBe('COMPLETED');
      // the demo gym gives every job work
      expect(execution.totals.read, JSON.stringify(execution.steps)).toBeGreaterThan(0);
      expect(execution.totals.written, JSON.stringify(execution.steps)).toBeGreaterThan(0);
    });
  }

  test('every notification the jobs made was delivered under its own key', async () => {
    const rows = await t.db.kysely.selectFrom('notification').select(['event', 'target_key', 'sent']).execute();
    const delivered = env.sink!.delivered();
    for (const row of rows) {
      expect(row.sent, `${row.event}:${row.target_key} is unsent`).toBe(1);
      expect(delivered.has(`${row.event}:${row.target_key}`), `${row.event}:${row.target_key} never reached the sink`).toBe(true);
    }
    expect(delivered.size).toBe(rows.length);
  });
});

test.runIf(backends.includes('mysql'))('the seed project sample data (insert_data.sql) loads unchanged into a migrated MySQL database, and every job runs on it', async () => {
  const env = { sink: await startHttpSink(), reportDir: mkdtempSync(join(tmpdir(), 'pass-cli-reports-')) };
  process.env.PASS_NOTIFIER_WEBHOOK_URL = env.sink.url;
  process.env.PASS_REPORT_DIR = env.reportDir;
  const t = await freshDatabase('mysql');
  try {
    const statements = readFileSync(INSERT_DATA, 'utf8')
      .split(/;\s*(?:\n|$)/)
      .map((s) => s.trim())
      .filter(Boolean);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) await sql.raw(statement).execute(t.db.kysely);
    const statisticsBefore = await t.db.kysely.selectFrom('statistics').select(['statistics_at', 'all_count', 'attended_count', 'cancelled_count']).orderBy('statistics_at').execute();
    expect(statisticsBefore.length).toBeGreaterThan(0);

    // The console grants the seed's HANBADA group a PT pass, as staff would: an inactive
    // member of the group (이준호) gets none.
    await t.db.kysely
      .insertInto('bulk_pass')
      .values({ package_seq: 1, user_group_id: 'HANBADA', status: 'READY', count: null, started_at: toDbTime(new Date(Date.now() - 3_600_000)), ended_at: null })
      .execute();

    for (const job of passJobs) {
      const run = await passBatch(t.url, ['run', job.name]);
      expect(run.code, `${job.name}:\n${run.out}\n${run.err}`).toBe(0);
      expect((await latestExecution(t.url, job.name)).status).toBe('COMPLETED');
    }
    // the seed's statistics for August 2022 over that window, into the reports, left as they were
    const window = await passBatch(t.url, ['run', 'makeStatisticsJob', 'from=2022-08-01T00:00:00+09:00', 'to=2022-08-15T00:00:00+09:00']);
    expect(window.code, `${window.out}\n${window.err}`).toBe(0);

    const granted = await t.db.kysely.selectFrom('pass').select(['user_id', 'package_seq', 'remaining_count', 'status']).orderBy('user_id').execute();
    expect(granted).toEqual(['A1000000', 'A1000001', 'B1000010', 'B2000000'].map((user_id) => ({ user_id, package_seq: 1, remaining_count: 10, status: 'PROGRESSED' })));
    expect(await t.db.kysely.selectFrom('bulk_pass').select('status').execute()).toEqual([{ status: 'COMPLETED' }]);
    const statisticsAfter = await t.db.kysely.selectFrom('statistics').select(['statistics_at', 'all_count', 'attended_count', 'cancelled_count']).orderBy('statistics_at').execute();
    // every hour the seed brought is as it was; the hours the console aggregated keep a row each
    // (zeros included, so 'aggregated' and 'never aggregated' differ), all in the windows it ran
    const after = new Map(statisticsAfter.map((row) => [String(row.statistics_at), row]));
    for (const row of statisticsBefore) expect(after.get(String(row.statistics_at))).toEqual(row);
    const seeded = new Set(statisticsBefore.map((row) => String(row.statistics_at)));
    const added = statisticsAfter.filter((row) => !seeded.has(String(row.statistics_at)));
    expect(added.every((row) => String(row.statistics_at) >= '2022-07-31 15:00')).toBe(true);
    const reports = await t.db.kysely.selectFrom('report').select(['kind', 'period_from', 'row_count']).where('period_from', '<', '2023-01-01').execute();
    expect(reports.length).toBeGreaterThan(0);
  } finally {
    await t.dispose();
    await env.sink.close();
    delete process.env.PASS_NOTIFIER_WEBHOOK_URL;
    delete process.env.PASS_REPORT_DIR;
    rmSync(env.reportDir, { recursive: true, force: true });
  }
});
