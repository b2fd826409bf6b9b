// The pass-batch command line, driven through main() with captured output on both databases,
// plus the real bin once, as a shell or cron would run it.
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { insertForeignExecution } from '../support/foreignExecution.ts';
import { chunkStep, defineJob, batchInsertWriter, keysetReader, stringParam, toDbTime, type JobDefinition } from '../../main/batch/index.ts';
import { main, type CliDeps } from '../../main/cli/index.ts';
import { copyJob, createItemTables, fillSource, targetIds } from '../fixtures/testJobs.ts';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { waitUntil } from '../support/waitUntil.ts';

const ROOT = join(import.meta.dirname, '..', '..');

function collector() {
  return {
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

/** Fails at item 120 the first time it runs, then works: what a restart is for. */
function failOnceJob(): JobDefinition {
  let failed = false;
  return defineJob({
    name: 'failOnceJob',
    params: { run: stringParam({ default: 'default' }) },
    steps: [
      chunkStep<unknown, { id: number; value: string }>({
        name: 'copyOnce',
        chunkSize: 50,
        reader: ({ db }) =>
          keysetReader<{ id: number; value: string }>({ db: db.kysely, query: (k) => k.selectFrom('test_source').select(['id', 'value']), key: 'id' }),
        processor: () => (item) => {
          if (item.id === 120 && !failed) {
            failed = true;
            throw new Error('the first run breaks at item 120');
          }
          return item;
        },
        writer: ({ db, jobExecutionId }) =>
          batchInsertWriter<{ id: number; value: string }>({ table: 'test_target', dialect: db.dialect, row: (i) => ({ ...i, written_by: jobExecutionId }) }),
      }),
    ],
  });
}

async function rowCount(t: TestDatabase, table: string): Promise<number> {
  const row = await t.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describeEachBackend('pass-batch command line', (backend) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(backend);
    await createItemTables(t.db);
    await fillSource(t.db, 250);
  });
  afterEach(async () => t.dispose());

  function cli(argv: string[], deps: Partial<CliDeps> = {}) {
    const stdout = collector();
    const stderr = collector();
    const done = main(argv, { jobs: [copyJob(), failOnceJob()], dbUrl: t.url, stdout, stderr, isTTY: false, ...deps });
    return { stdout, stderr, done };
  }

  async function run(argv: string[], deps: Partial<CliDeps> = {}) {
    const { stdout, stderr, done } = cli(argv, deps);
    const code = await done;
    return { code, out: stdout.text, err: stderr.text };
  }

  test('run copyJob: exit 0 and a summary with the step counts', async () => {
    const { code, out, err } = await run(['run', 'copyJob', 'run=first', '--launched-by', 'kim']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('Execution 1 of copyJob started (parameters: run=first, failAt=0)');
    expect(out).toMatch(/copyStep started/);
    expect(out).toContain('Execution 1 of copyJob: COMPLETED');
    // step, status, read, written, filtered, skipped r/p/w, commits, rollbacks
    expect(out).toMatch(/copyStep\s+COMPLETED\s+250\s+250\s+0\s+0\/0\/0\s+3\s+0\s/);
    expect(out).not.toContain('Exit message');
    expect(await targetIds(t.db.kysely)).toHaveLength(250);
  });

  test('an unknown job: exit 2 and one line on stderr', async () => {
    const { code, out, err } = await run(['run', 'noSuchJob']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^pass-batch: There is no job named "noSuchJob"[^\n]*\n$/);
  });

  test('a bad parameter: exit 2, the parameter named, nothing recorded', async () => {
    const { code, err } = await run(['run', 'copyJob', 'failAt=abc']);
    expect(code).toBe(2);
    expect(err).toMatch(/^pass-batch: Parameter "failAt" must be a number; got "abc"\n$/);
    expect(await rowCount(t, 'BATCH_JOB_EXECUTION')).toBe(0);
    expect(await rowCount(t, 'BATCH_JOB_INSTANCE')).toBe(0);
  });

  test('malformed arguments are usage errors, one line each', async () => {
    for (const argv of [['frobnicate'], ['run', 'copyJob', 'failAt'], ['run', 'copyJob', '--now', 'x'], ['restart', 'abc'], ['executions', '--status', 'DONE'], ['executions', '--page', '0']]) {
      const { code, err } = await run(argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(err.split('\n').filter(Boolean), argv.join(' ')).toHaveLength(1);
    }
  });

  test('a failing run exits 1 with its exit message', async () => {
    const { code, out } = await run(['run', 'copyJob', 'failAt=5']);
    expect(code).toBe(1);
    expect(out).toContain('Execution 1 of copyJob: FAILED');
    expect(out).toMatch(/copyStep\s+FAILED\s+0\s+0\s/);
    expect(out).toMatch(/Exit message:\n\s+copyStep: failing on purpose at item 5/);
  });

  test('restart resumes a failed execution and exits 0', async () => {
    const jobs = [failOnceJob()];
    const first = await run(['run', 'failOnceJob'], { jobs });
    expect(first.code).toBe(1);
    expect(first.out).toMatch(/copyOnce\s+FAILED\s+100\s+100\s/);

    const second = await run(['restart', '1'], { jobs });
    expect(second.err).toBe('');
    expect(second.code).toBe(0);
    expect(second.out).toContain('Execution 2 of failOnceJob restarts execution 1');
    // The restart reads only what the failed run had not committed.
    expect(second.out).toMatch(/copyOnce\s+COMPLETED\s+150\s+150\s/);
    expect(await targetIds(t.db.kysely)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));

    const again = await run(['restart', '2'], { jobs });
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^pass-batch: failOnceJob has already completed[^\n]*\n$/);
  });

  test('executions --json lists the executions with their totals', async () => {
    await run(['run', 'copyJob', '--launched-by', 'kim']);
    await run(['run', 'copyJob', 'run=second', 'failAt=5']);
    const { code, out } = await run(['executions', '--json']);
    expect(code).toBe(0);
    const listed = JSON.parse(out);
    expect(listed).toMatchObject({ page: 1, total: 2 });
    expect(listed.executions.map((e: { id: number; status: string }) => [e.id, e.status])).toEqual([
      [2, 'FAILED'],
      [1, 'COMPLETED'],
    ]);
    expect(listed.executions[1]).toMatchObject({
      jobName: 'copyJob',
      launchedBy: 'kim',
      totals: { read: 250, written: 250, skipped: 0 },
      parameters: expect.arrayContaining([{ name: 'run', type: 'string', value: 'default', identifying: true }]),
    });
    expect(listed.executions[0].exitMessage).toContain('failing on purpose at item 5');

    const filtered = JSON.parse((await run(['executions', '--json', '--status', 'failed'])).out);
    expect(filtered.executions.map((e: { id: number }) => e.id)).toEqual([2]);

    const table = await run(['executions', '--job', 'copyJob']);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^\s*1\s+copyJob\s+COMPLETED\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\s+\S+( \S+)?\s+250\s+250\s+0\s+kim$/m);
    expect(table.out).toContain('Page 1 of 1 (2 executions)');
  });

  test('a time zone saved in the console wins over PASS_TIME_ZONE for printed times', async () => {
    await run(['run', 'copyJob']);
    await t.db.kysely
      .insertInto('settings')
      .values({ setting_key: 'timeZone', value: JSON.stringify('Asia/Kolkata'), modified_at: toDbTime(new Date()), modified_by: 'admin' })
      .execute();
    const { code, out } = await run(['executions']);
    expect(code).toBe(0);
    expect(out).toContain('started (Asia/Kolkata)');
  });

  test('stop of an execution that is not running: exit 1 with the reason', async () => {
    await run(['run', 'copyJob']);
    const { code, err } = await run(['stop', '1']);
    expect(code).toBe(1);
    expect(err).toBe('pass-batch: Execution 1 is not running (it is COMPLETED)\n');
    expect((await run(['stop', '99'])).code).toBe(2);
  });

  test('abandon a failed execution: it can no longer be restarted', async () => {
    await run(['run', 'copyJob', 'failAt=5']);
    const abandoned = await run(['abandon', '1']);
    expect(abandoned.code).toBe(0);
    expect(abandoned.out).toContain('Execution 1 of copyJob is ABANDONED');
    const restart = await run(['restart', '1']);
    expect(restart.code).toBe(1);
    expect(restart.err).toMatch(/abandoned/);
    expect((await run(['abandon', '1'])).code).toBe(1);
  });

  test("mark-failed: another application's execution left running ends FAILED; one of ours is refused (exit 1)", async () => {
    await run(['run', 'copyJob']);
    // A run of another application's job (Spring Batch on the same schema): no owner row of ours.
    expect(await insertForeignExecution(t.db, 'springJob', new Date('2026-11-30T01:00:00Z'))).toBe(2);

    const marked = await run(['mark-failed', '2']);
    expect(marked.code).toBe(0);
    expect(marked.out).toBe('Execution 2 of springJob is marked FAILED; the application that ran it can restart it.\n');
    const listed = (JSON.parse((await run(['executions', '--json'])).out) as { executions: Array<{ id: number; status: string; external: boolean; exitMessage: string }> }).executions;
    expect(listed.map(({ id, status, external }) => ({ id, status, external }))).toEqual([
      { id: 2, status: 'FAILED', external: true },
      { id: 1, status: 'COMPLETED', external: false },
    ]);
    expect(listed[0]!.exitMessage).toMatch(/^Marked FAILED by cli on /);
    expect((await run(['executions'])).out).toMatch(/^\s*2\s+springJob\s+FAILED .*\(other application\)$/m);

    const ours = await run(['mark-failed', '1']);
    expect(ours.code).toBe(1);
    expect(ours.err).toBe('pass-batch: Execution 1 is COMPLETED; only an execution left running can be marked failed\n');
    expect((await run(['mark-failed'])).code).toBe(2);
  });

  test('Ctrl-C stops at a chunk boundary (exit 1), a restart finishes; a second Ctrl-C quits at once', async () => {
    const signals = new EventEmitter();
    const exits: number[] = [];
    const slow = [copyJob({ chunkSize: 10, delayMs: 5 })];
    const { stdout, stderr, done } = cli(['run', 'copyJob'], { jobs: slow, signals, exit: (code) => void exits.push(code) });
    await waitUntil(() => /copyStep started/.test(stdout.text), 'the step to start', { timeoutMs: 20_000, everyMs: 10 });
    signals.emit('SIGINT');
    const code = await done;
    expect(code).toBe(1);
    expect(stdout.text).toContain('Stopping execution 1 at its next chunk boundary');
    expect(stdout.text).toContain('Execution 1 of copyJob: STOPPED');
    expect(signals.listenerCount('SIGINT')).toBe(0);
    const written = (await targetIds(t.db.kysely)).length;
    expect(written % 10).toBe(0);
    expect(written).toBeLessThan(250);

    const restart = await run(['restart', '1'], { jobs: slow });
    expect(restart.code).toBe(0);
    expect(await targetIds(t.db.kysely)).toHaveLength(250);

    // Twice: main asks to exit with 130 at once (faked here, so the stop still completes).
    const twice = cli(['run', 'copyJob', 'run=twice'], { jobs: slow, signals, exit: (c) => void exits.push(c) });
    await waitUntil(() => /copyStep started/.test(twice.stdout.text), 'the second run to start', { timeoutMs: 20_000, everyMs: 10 });
    signals.emit('SIGINT');
    signals.emit('SIGINT');
    expect(exits).toEqual([130]);
    expect(twice.stderr.text).toMatch(/^pass-batch: interrupted again, quitting without waiting; execution 3 will be marked FAILED/);
    expect(await twice.done).toBe(1);
    expect(stderr.text).toBe('');
  });

  test('every change the command line makes is in the activity log as cli:<OS user>; a refused one leaves no row', async () => {
    const actor = `cli:${userInfo().username}`;
    const jobs = [failOnceJob(), copyJob({ chunkSize: 10, delayMs: 5 })];
    const expectExit = (r: { code: number; err: string; out: string }, code: number) => expect(r.code, r.err || r.out).toBe(code);
    expectExit(await run(['run', 'failOnceJob', '--launched-by', 'kim'], { jobs }), 1); // execution 1
    expectExit(await run(['restart', '1'], { jobs }), 0); // execution 2
    expectExit(await run(['run', 'copyJob', 'failAt=5'], { jobs }), 1); // execution 3
    expectExit(await run(['abandon', '3'], { jobs }), 0);
    expect(await insertForeignExecution(t.db, 'springJob', new Date('2026-11-30T01:00:00Z'))).toBe(4);
    expectExit(await run(['mark-failed', '4'], { jobs }), 0);
    // a stop from a second command while the run is going (on a target the failOnceJob runs left empty)
    await t.db.kysely.deleteFrom('test_target').execute();
    // slow enough (10 s) that the stop command, which opens a runtime of its own, lands before the end
    const running = cli(['run', 'copyJob', 'run=stopped'], { jobs: [failOnceJob(), copyJob({ chunkSize: 10, delayMs: 40 })] });
    await waitUntil(() => /copyStep started/.test(running.stdout.text), 'the run to start', { timeoutMs: 20_000, everyMs: 10 });
    expectExit(await run(['stop', '5'], { jobs }), 0);
    expect(await running.done).toBe(1);
    // refused: nothing to stop, nothing to restart, an unknown job: no row
    expectExit(await run(['stop', '2'], { jobs }), 1);
    expectExit(await run(['restart', '2'], { jobs }), 1);
    expectExit(await run(['run', 'nosuchJob'], { jobs }), 2);

    const rows = await t.db.kysely.selectFrom('audit_log').select(['actor', 'action', 'target', 'detail']).orderBy('audit_seq').execute();
    expect(rows.map((r) => ({ ...r, detail: JSON.parse(String(r.detail)) }))).toEqual([
      { actor, action: 'executions.launch', target: 'execution:1', detail: { job: 'failOnceJob', params: {}, launchedBy: 'kim', executionId: 1 } },
      { actor, action: 'executions.restart', target: 'execution:2', detail: { id: 1, launchedBy: 'cli', executionId: 2 } },
      { actor, action: 'executions.launch', target: 'execution:3', detail: { job: 'copyJob', params: { failAt: '5' }, launchedBy: 'cli', executionId: 3 } },
      { actor, action: 'executions.abandon', target: 'execution:3', detail: { id: 3 } },
      { actor, action: 'executions.markFailed', target: 'execution:4', detail: { id: 4 } },
      { actor, action: 'executions.launch', target: 'execution:5', detail: { job: 'copyJob', params: { run: 'stopped' }, launchedBy: 'cli', executionId: 5 } },
      { actor, action: 'executions.stop', target: 'execution:5', detail: { id: 5 } },
    ]);
  });

  test('on a terminal: a progress bar, then the same summary', async () => {
    const { code, out } = await run(['run', 'copyJob'], { isTTY: true, jobs: [copyJob({ chunkSize: 25, delayMs: 2 })] });
    expect(code).toBe(0);
    expect(out).toMatch(/copyStep\s+\[█+░*\] \d+ of 250 read/);
    expect(out).toMatch(/copyStep\s+COMPLETED\s+250\s+250\s/);
  });

  test('jobs lists each job with its parameters', async () => {
    const { code, out } = await run(['jobs']);
    expect(code).toBe(0);
    expect(out).toMatch(/^copyJob$/m);
    expect(out).toMatch(/^\s+failAt\s+number\s+0\s+no\s+no/m);
    expect(out).toMatch(/^\s+run\s+string\s+default\s+yes\s+no/m);
  });

  test('seed fills a demo gym once; a second seed without --reset is refused', async () => {
    const first = await run(['seed', '--members', '20', '--days', '3']);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^Demo gym ready: 20 members/);
    const again = await run(['seed', '--members', '20']);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^pass-batch: This database already has gym data[^\n]*\n$/);
    expect((await run(['seed', '--members', '3'])).code).toBe(2);
    expect((await run(['seed', '--members', '20', '--days', '3', '--reset'])).code).toBe(0);
  });

  test('migrate says what it applied, then that the schema is up to date', async () => {
    const empty = await freshDatabase(backend, { migrate: false });
    try {
      const first = await run(['migrate'], { dbUrl: empty.url });
      expect(first.code).toBe(0);
      expect(first.out).toMatch(/Applied \d+ migrations? to/);
      expect(first.out).toContain('001_batch_metadata');
      const second = await run(['migrate'], { dbUrl: empty.url });
      expect(second.code).toBe(0);
      expect(second.out).toMatch(/is up to date/);
    } finally {
      await empty.dispose();
    }
  });
});

describe('pass-batch without a database or from a shell', () => {
  test('an unreachable database: exit 1 and one plain line', async () => {
    const stdout = collector();
    const stderr = collector();
    const code = await main(['executions'], { dbUrl: 'mysql://root@127.0.0.1:1/nowhere', stdout, stderr });
    expect(code).toBe(1);
    expect(stderr.text).toBe('pass-batch: Cannot open the database at mysql://root@127.0.0.1:1/nowhere: the connection was refused (is the database server running?)\n');
  });

  test('help exits 0 and usage goes to stdout', async () => {
    const stdout = collector();
    expect(await main(['help'], { stdout, stderr: collector() })).toBe(0);
    expect(stdout.text).toMatch(/^Usage: pass-batch <command>/);
  });

  test('the real bin: jobs exits 0, run of an unknown job exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pass-cli-'));
    try {
      const env = { ...process.env, PASS_DB_URL: `sqlite:${join(dir, 'cli.sqlite')}` };
      const bin = join(ROOT, 'bin', 'pass-batch.mjs');
      const jobs = spawnSync(process.execPath, [bin, 'jobs'], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
      expect(jobs.stderr).toBe('');
      expect(jobs.status).toBe(0);
      const unknown = spawnSync(process.execPath, [bin, 'run', 'noSuchJob'], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toMatch(/^pass-batch: There is no job named "noSuchJob"[^\n]*\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
