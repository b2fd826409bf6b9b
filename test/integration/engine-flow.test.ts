// Flow and operator behaviour beyond single chunk steps: splits, restartable tasklets, start
// limits, async item processing, stop requests from another operator, lease expiry.
import { afterEach, beforeEach, expect, test } from 'vitest';
import {
  chunkStep,
  defineJob,
  JobOperator,
  listReader,
  split,
  stringParam,
  taskletStep,
  toDbTime,
  type ItemWriter,
} from '../../main/batch/index.ts';
import { backends, describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { copyJob, createItemTables, fillSource, targetIds } from '../fixtures/testJobs.ts';

describeEachBackend('engine flow', (backend) => {
  let t: TestDatabase;
  const operators: JobOperator[] = [];
  const operator = (jobs: Parameters<typeof defineJob>[0][] | ReturnType<typeof defineJob>[], extra: { heartbeatMs?: number; leaseMs?: number } = {}) => {
    const op = new JobOperator({ database: t.db, jobs: jobs as ReturnType<typeof defineJob>[], ...extra });
    operators.push(op);
    return op;
  };
  beforeEach(async () => {
    t = await freshDatabase(backend);
    await createItemTables(t.db);
  });
  afterEach(async () => {
    await Promise.all(operators.splice(0).map((o) => o.close()));
    await t.dispose();
  });

  test('a split records each of its steps as its own step execution', async () => {
    const job = defineJob({
      name: 'splitJob',
      steps: [split('reports', [taskletStep({ name: 'daily', tasklet: async () => 'FINISHED' }), taskletStep({ name: 'weekly', tasklet: async () => 'FINISHED' })])],
    });
    const op = operator([job]);
    const execution = await op.run('splitJob');
    expect(execution.status).toBe('COMPLETED');
    const steps = await op.repository.stepExecutions(execution.id);
    expect(steps.map((s) => [s.stepName, s.status]).sort()).toEqual([
      ['daily', 'COMPLETED'],
      ['weekly', 'COMPLETED'],
    ]);
  });

  test('a restartable tasklet resumes from the progress it saved; completed steps are skipped on restart', async () => {
    let failAt = 3;
    const calls: number[] = [];
    const job = defineJob({
      name: 'taskletJob',
      steps: [
        taskletStep({ name: 'prepare', tasklet: async () => 'FINISHED' }),
        taskletStep({
          name: 'grantInBatches',
          tasklet: async (ctx, tx) => {
            const batch = Number(ctx.executionContext.batch ?? 0);
            if (batch === failAt) throw new Error(`batch ${batch} fails`);
            calls.push(batch);
            await tx.insertInto('test_target').values({ id: batch + 1, value: `batch-${batch}`, written_by: ctx.jobExecutionId }).execute();
            ctx.executionContext.batch = batch + 1;
            return batch + 1 < 5 ? 'CONTINUABLE' : 'FINISHED';
          },
        }),
      ],
    });
    const op = operator([job]);
    const failed = await op.run('taskletJob');
    expect(failed.status).toBe('FAILED');
    expect(failed.exitMessage).toMatch(/grantInBatches: .*batch 3 fails/);
    failAt = -1;
    const restarted = await (await op.restart(failed.id)).done;
    expect(restarted.status).toBe('COMPLETED');
    expect(calls).toEqual([0, 1, 2, 3, 4]);
    expect(await targetIds(t.db.kysely)).toEqual([1, 2, 3, 4, 5]);
    const second = await op.repository.stepExecutions(restarted.id);
    expect(second.map((s) => s.stepName)).toEqual(['grantInBatches']);
    expect(second[0]!.commitCount).toBe(2);
  });

  test('a step with a start limit refuses to start again once reached', async () => {
    const job = defineJob({
      name: 'limitedJob',
      steps: [taskletStep({ name: 'flaky', startLimit: 2, tasklet: async () => Promise.reject(new Error('still broken')) })],
    });
    const op = operator([job]);
    const first = await op.run('limitedJob');
    const second = await (await op.restart(first.id)).done;
    expect(second.status).toBe('FAILED');
    const third = await (await op.restart(second.id)).done;
    expect(third.status).toBe('FAILED');
    expect(third.exitMessage).toMatch(/already been started 2 times/);
    expect(await op.repository.stepExecutions(third.id)).toHaveLength(0);
  });

  test('async item processing keeps several slow calls in flight and the items in order', async () => {
    let inFlight = 0;
    let most = 0;
    const written: number[] = [];
    const writer: ItemWriter<number> = { write: async (items) => void written.push(...items) };
    const job = defineJob({
      name: 'asyncJob',
      steps: [
        chunkStep<unknown, number, number>({
          name: 'send',
          chunkSize: 40,
          processConcurrency: 8,
          reader: () => listReader(Array.from({ length: 100 }, (_, i) => i)),
          processor: () => async (n) => {
            inFlight++;
            most = Math.max(most, inFlight);
            await new Promise((r) => setTimeout(r, 5 + ((n * 7) % 11)));
            inFlight--;
            return n * 2;
          },
          writer: () => writer,
        }),
      ],
    });
    const op = operator([job]);
    expect((await op.run('asyncJob')).status).toBe('COMPLETED');
    expect(most).toBe(8);
    expect(written).toEqual(Array.from({ length: 100 }, (_, i) => i * 2));
  });

  test('a stop requested by another operator (another desk) reaches the running one through the database', async () => {
    await fillSource(t.db, 400);
    const runner = operator([copyJob({ chunkSize: 10, delayMs: 2 })], { heartbeatMs: 50 });
    const other = operator([copyJob({ chunkSize: 10 })]);
    const launched = await runner.start('copyJob');
    await new Promise<void>((resolve) => {
      const off = runner.events.subscribe((e) => e.type === 'chunk-committed' && (off(), resolve()));
    });
    await other.stop(launched.execution.id);
    const stopped = await launched.done;
    expect(stopped.status).toBe('STOPPED');
    expect((await other.execution(stopped.id)).status).toBe('STOPPED');
    const restarted = await (await other.restart(stopped.id)).done;
    expect(restarted.status).toBe('COMPLETED');
    expect(await targetIds(t.db.kysely)).toHaveLength(400);
  });

  test('an execution owned by a process on another host is refused while its lease lives and recovered once it expires', async () => {
    const job = defineJob({ name: 'leaseJob', params: { run: stringParam({ default: 'x' }) }, steps: [taskletStep({ name: 'noop', tasklet: async () => 'FINISHED' })] });
    const op = operator([job]);
    const first = await op.run('leaseJob');
    // Pretend execution `first` is still running on another desk.
    await t.db.kysely.updateTable('BATCH_JOB_EXECUTION').set({ STATUS: 'STARTED', END_TIME: null }).where('JOB_EXECUTION_ID', '=', first.id).execute();
    const lease = (expires: Date) =>
      t.db.kysely
        .updateTable('BATCH_JOB_EXECUTION_OWNER')
        .set({ HOST: 'desk-2', PID: 4242, OWNER_ID: 'other', LEASE_EXPIRES_AT: toDbTime(expires) })
        .where('JOB_EXECUTION_ID', '=', first.id)
        .execute();
    await lease(new Date(Date.now() + 60_000));
    await expect(op.start('leaseJob')).rejects.toMatchObject({ code: 'ALREADY_RUNNING' });
    expect(await op.recoverOrphans()).toHaveLength(0);
    await lease(new Date(Date.now() - 1000));
    const recovered = await op.recoverOrphans();
    expect(recovered.map((e) => e.id)).toEqual([first.id]);
    const marked = await op.execution(first.id);
    expect(marked.status).toBe('FAILED');
    expect(marked.exitMessage).toMatch(/pid 4242 on desk-2\) stopped sending heartbeats/);
  });
});

// On SQLite one connection carries every transaction of the process, and a tasklet holds one
// for each call, so there the two tasklets of a split interleave call by call instead of overlapping.
test.runIf(backends.includes('mysql'))('on MySQL a split runs its steps at the same time', async () => {
  const t = await freshDatabase('mysql');
  try {
    // Each tasklet waits for the other to have started: run one after the other, they would never finish.
    let startedA!: () => void;
    let startedB!: () => void;
    const a = new Promise<void>((r) => (startedA = r));
    const b = new Promise<void>((r) => (startedB = r));
    const timeout = (p: Promise<void>) => Promise.race([p, new Promise<void>((_, reject) => setTimeout(() => reject(new Error('the other step never started')), 5000))]);
    const job = defineJob({
      name: 'splitJob',
      steps: [
        split('reports', [
          taskletStep({ name: 'daily', tasklet: async () => (startedA(), await timeout(b), 'FINISHED') }),
          taskletStep({ name: 'weekly', tasklet: async () => (startedB(), await timeout(a), 'FINISHED') }),
        ]),
      ],
    });
    const op = new JobOperator({ database: t.db, jobs: [job] });
    const execution = await op.run('splitJob');
    expect(execution.status).toBe('COMPLETED');
    const steps = await op.repository.stepExecutions(execution.id);
    expect(steps.map((s) => [s.stepName, s.status]).sort()).toEqual([
      ['daily', 'COMPLETED'],
      ['weekly', 'COMPLETED'],
    ]);
    await op.close();
  } finally {
    await t.dispose();
  }
});
