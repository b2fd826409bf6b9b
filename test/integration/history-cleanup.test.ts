// The JobRepository does not grow without end (spring-batch #1844): cleanJobHistoryJob deletes
// the history that is over and nothing else. On both databases: old COMPLETED and ABANDONED
// instances go with every row under them; recent ones, an instance whose last execution FAILED
// (it can still be restarted), a running execution and another application's history stay.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { cleanJobHistoryJob, defineJob, deleteFinishedHistory, JobOperator, numberParam, taskletStep, toDbTime } from '../../main/batch/index.ts';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { insertForeignExecution } from '../support/foreignExecution.ts';

const DAY = 86_400_000;
const failing = new Set<number>();

const noteJob = defineJob({
  name: 'noteJob',
  params: { n: numberParam({ integer: true }) },
  steps: [
    taskletStep<{ n: number }>({
      name: 'noteStep',
      async tasklet(ctx) {
        if (failing.has(ctx.params.n)) throw new Error(`note ${ctx.params.n} is failing`);
        ctx.contribution.writeCount++;
        return 'FINISHED';
      },
    }),
  ],
});

const TABLES = [
  ['BATCH_JOB_EXECUTION', 'JOB_EXECUTION_ID'],
  ['BATCH_JOB_EXECUTION_PARAMS', 'JOB_EXECUTION_ID'],
  ['BATCH_JOB_EXECUTION_CONTEXT', 'JOB_EXECUTION_ID'],
  ['BATCH_JOB_EXECUTION_OWNER', 'JOB_EXECUTION_ID'],
  ['BATCH_STEP_EXECUTION', 'JOB_EXECUTION_ID'],
] as const;

describeEachBackend('cleaning up the execution history', (backend) => {
  let t: TestDatabase;
  let operator: JobOperator;
  beforeEach(async () => {
    t = await freshDatabase(backend);
    operator = new JobOperator({ database: t.db, jobs: [noteJob, cleanJobHistoryJob] });
    failing.clear();
  });
  afterEach(async () => {
    await operator.close();
    await t.dispose();
  });

  const age = (ids: number[], days: number) =>
    t.db.kysely.updateTable('BATCH_JOB_EXECUTION').set({ LAST_UPDATED: toDbTime(new Date(Date.now() - days * DAY)) }).where('JOB_EXECUTION_ID', 'in', ids).execute();
  const rowsOf = async (executionIds: number[]) => {
    const counts: Record<string, number> = {};
    for (const [table, column] of TABLES) {
      counts[table] = (await t.db.kysely.selectFrom(table).select(column).where(column, 'in', executionIds).execute()).length;
    }
    const steps = await t.db.kysely.selectFrom('BATCH_STEP_EXECUTION').select('STEP_EXECUTION_ID').where('JOB_EXECUTION_ID', 'in', executionIds).execute();
    counts.BATCH_STEP_EXECUTION_CONTEXT = steps.length
      ? (await t.db.kysely.selectFrom('BATCH_STEP_EXECUTION_CONTEXT').select('STEP_EXECUTION_ID').where('STEP_EXECUTION_ID', 'in', steps.map((s) => s.STEP_EXECUTION_ID)).execute()).length
      : 0;
    return counts;
  };
  const instanceOf = async (executionId: number) => (await operator.repository.getJobExecution(executionId))?.instanceId;

  test('old finished history goes with every row under it; what can still matter stays', async () => {
    const oldDone = await operator.run('noteJob', { n: 1 });
    const recentDone = await operator.run('noteJob', { n: 2 });
    failing.add(3);
    const oldFailed = await operator.run('noteJob', { n: 3 });
    failing.add(4);
    const failedThenDone = await operator.run('noteJob', { n: 4 });
    failing.delete(4);
    const restartedDone = await (await operator.restart(failedThenDone.id)).done;
    failing.add(5);
    const abandoned = await operator.abandon((await operator.run('noteJob', { n: 5 })).id);
    const running = await operator.run('noteJob', { n: 6 });
    await t.db.kysely.updateTable('BATCH_JOB_EXECUTION').set({ STATUS: 'STARTED', END_TIME: null }).where('JOB_EXECUTION_ID', '=', running.id).execute();
    const foreign = await insertForeignExecution(t.db, 'springImportJob', new Date(Date.now() - 200 * DAY));
    await t.db.kysely.updateTable('BATCH_JOB_EXECUTION').set({ STATUS: 'COMPLETED' }).where('JOB_EXECUTION_ID', '=', foreign).execute();
    expect([oldDone.status, recentDone.status, oldFailed.status, restartedDone.status, abandoned.status]).toEqual(['COMPLETED', 'COMPLETED', 'FAILED', 'COMPLETED', 'ABANDONED']);

    const gone = [oldDone.id, failedThenDone.id, restartedDone.id, abandoned.id];
    const kept = [recentDone.id, oldFailed.id, running.id];
    await age([...gone, oldFailed.id, running.id], 120);
    await age([recentDone.id], 10);
    const goneInstances = await Promise.all(gone.map(instanceOf));
    expect(Object.values(await rowsOf(gone)).every((n) => n > 0)).toBe(true);

    const clean = await operator.run('cleanJobHistoryJob', { keepDays: 30 });
    expect(clean.status).toBe('COMPLETED');
    const [step] = await operator.repository.stepExecutions(clean.id);
    expect(step).toMatchObject({ stepName: 'deleteOldHistoryStep', readCount: 4, writeCount: 4, commitCount: 1 });

    expect(await rowsOf(gone)).toEqual({
      BATCH_JOB_EXECUTION: 0,
      BATCH_JOB_EXECUTION_PARAMS: 0,
      BATCH_JOB_EXECUTION_CONTEXT: 0,
      BATCH_JOB_EXECUTION_OWNER: 0,
      BATCH_STEP_EXECUTION: 0,
      BATCH_STEP_EXECUTION_CONTEXT: 0,
    });
    const instancesLeft = await t.db.kysely.selectFrom('BATCH_JOB_INSTANCE').select('JOB_INSTANCE_ID').where('JOB_INSTANCE_ID', 'in', goneInstances as number[]).execute();
    expect(instancesLeft).toEqual([]);
    const left = (await operator.explorer.listJobExecutions()).executions.map((e) => e.id).sort((a, b) => a - b);
    expect(left).toEqual([...kept, foreign, clean.id].sort((a, b) => a - b));
    // The failed one can still be restarted, with its steps.
    failing.delete(3);
    expect((await (await operator.restart(oldFailed.id)).done).status).toBe('COMPLETED');

    // Run again, nothing is over any more.
    const again = await operator.run('cleanJobHistoryJob', { keepDays: 30 });
    expect((await operator.repository.stepExecutions(again.id))[0]).toMatchObject({ readCount: 0, writeCount: 0 });
  });

  test('the deletion goes a given number of instances at a time, oldest first, and says where to go on', async () => {
    const ids: number[] = [];
    for (let n = 1; n <= 5; n++) ids.push((await operator.run('noteJob', { n })).id);
    await age(ids, 40);
    const before = new Date(Date.now() - 30 * DAY);
    const instances = await Promise.all(ids.map(instanceOf));
    const batches = [];
    let after = 0;
    for (let i = 0; i < 3; i++) {
      const batch = await t.db.kysely.transaction().execute((tx) => deleteFinishedHistory(tx, before, 2, after));
      batches.push(batch);
      after = batch.lastLookedAt ?? after;
    }
    expect(batches).toEqual([
      { instances: 2, executions: 2, lastLookedAt: instances[1] },
      { instances: 2, executions: 2, lastLookedAt: instances[3] },
      { instances: 1, executions: 1, lastLookedAt: null },
    ]);
    expect((await operator.explorer.listJobExecutions()).total).toBe(0);
  });

  test('a batch made only of history to keep does not stop the ones after it', async () => {
    const foreign = [];
    for (const name of ['springImportJob', 'springExportJob']) {
      const id = await insertForeignExecution(t.db, name, new Date(Date.now() - 200 * DAY));
      await t.db.kysely.updateTable('BATCH_JOB_EXECUTION').set({ STATUS: 'COMPLETED' }).where('JOB_EXECUTION_ID', '=', id).execute();
      foreign.push(id);
    }
    const ours = await operator.run('noteJob', { n: 1 });
    await age([ours.id], 120);
    const before = new Date(Date.now() - 30 * DAY);
    const first = await t.db.kysely.transaction().execute((tx) => deleteFinishedHistory(tx, before, 2));
    expect(first).toEqual({ instances: 0, executions: 0, lastLookedAt: await instanceOf(foreign[1]!) });
    const second = await t.db.kysely.transaction().execute((tx) => deleteFinishedHistory(tx, before, 2, first.lastLookedAt!));
    expect(second).toEqual({ instances: 1, executions: 1, lastLookedAt: null });
    expect((await operator.explorer.listJobExecutions()).executions.map((e) => e.id).sort()).toEqual(foreign.sort());
  });

  test('keepDays is checked before anything is written', async () => {
    await expect(operator.run('cleanJobHistoryJob', { keepDays: 0 })).rejects.toThrow(/keepDays/);
    await expect(operator.run('cleanJobHistoryJob', { keepDays: 'soon' })).rejects.toThrow(/keepDays/);
    expect((await operator.explorer.listJobExecutions()).total).toBe(0);
  });
});
