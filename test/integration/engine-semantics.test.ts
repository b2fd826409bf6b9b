// Spring Batch semantics, on both databases: skips, scanning a failed write, relaunch rules,
// stop and restart, partitions on worker threads.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { BatchError, JobOperator, type JobExecution } from '../../main/batch/index.ts';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { copyJob, createItemTables, fillSource, partitionedCopyJob, targetIds } from '../fixtures/testJobs.ts';
import { testWorkerFile } from '../fixtures/testWorker.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describeEachBackend('engine semantics', (backend) => {
  let t: TestDatabase;
  let operator: JobOperator | undefined;
  beforeEach(async () => {
    t = await freshDatabase(backend);
    await createItemTables(t.db);
  });
  afterEach(async () => {
    await operator?.close();
    operator = undefined;
    await t.dispose();
  });

  const poisonAt = new Set([150, 420, 777]);
  const poisoned = (i: number) => (poisonAt.has(i) ? `poison-${i}` : `item-${i}`);
  const steps = (e: JobExecution) => operator!.repository.stepExecutions(e.id);

  test('3 poisoned items among 1,000 with skip limit 5: COMPLETED, three process skips, the rest written', async () => {
    await fillSource(t.db, 1000, poisoned);
    operator = new JobOperator({ database: t.db, jobs: [copyJob({ skipLimit: 5 })] });
    const execution = await operator.run('copyJob');
    expect(execution.status).toBe('COMPLETED');
    const [step] = await steps(execution);
    expect(step).toMatchObject({ readCount: 1000, processSkipCount: 3, readSkipCount: 0, writeSkipCount: 0, writeCount: 997, commitCount: 10 });
    expect(await targetIds(t.db.kysely)).toEqual(range(1000).filter((i) => !poisonAt.has(i)));
  });

  test('skip limit 2: FAILED on the third; after the data is fixed a restart completes without rewriting committed items', async () => {
    await fillSource(t.db, 1000, poisoned);
    operator = new JobOperator({ database: t.db, jobs: [copyJob({ skipLimit: 2 })] });
    const failed = await operator.run('copyJob');
    expect(failed.status).toBe('FAILED');
    const [failedStep] = await steps(failed);
    expect(failedStep!.status).toBe('FAILED');
    expect(failedStep!.exitMessage).toMatch(/Skip limit of 2 exceeded/);
    // chunks 1..7 (items 1..700) committed with two skips; the chunk holding item 777 rolled back
    expect(failedStep).toMatchObject({ commitCount: 7, processSkipCount: 2, writeCount: 698, rollbackCount: 1 });
    expect(await targetIds(t.db.kysely)).toHaveLength(698);

    await t.db.kysely.updateTable('test_source').set({ value: 'fixed' }).where('id', 'in', [...poisonAt]).execute();
    const restarted = await (await operator.restart(failed.id)).done;
    expect(restarted.status).toBe('COMPLETED');
    expect(restarted.instanceId).toBe(failed.instanceId);
    const [resumed] = await steps(restarted);
    expect(resumed).toMatchObject({ readCount: 300, writeCount: 300, processSkipCount: 0 });
    const rows = await t.db.kysely.selectFrom('test_target').select(['id', 'written_by']).orderBy('id').execute();
    expect(rows.map((r) => Number(r.id))).toEqual(range(1000).filter((i) => i !== 150 && i !== 420));
    expect(rows.filter((r) => Number(r.id) <= 700).every((r) => Number(r.written_by) === failed.id)).toBe(true);
    expect(rows.filter((r) => Number(r.id) > 700).every((r) => Number(r.written_by) === restarted.id)).toBe(true);
  });

  test('a failing write in a chunk of 100 with one bad item: 99 written, 1 write skip', async () => {
    await fillSource(t.db, 100, (i) => (i === 37 ? 'unwritable' : `item-${i}`));
    operator = new JobOperator({ database: t.db, jobs: [copyJob({ skipLimit: 5, chunkSize: 100 })] });
    const execution = await operator.run('copyJob');
    expect(execution.status).toBe('COMPLETED');
    const [step] = await steps(execution);
    expect(step).toMatchObject({ readCount: 100, writeCount: 99, writeSkipCount: 1, processSkipCount: 0, commitCount: 1, rollbackCount: 2 });
    expect(await targetIds(t.db.kysely)).toEqual(range(100).filter((i) => i !== 37));
  });

  test('a failing write without a skip policy fails the step and leaves no trace of the chunk', async () => {
    await fillSource(t.db, 250, (i) => (i === 180 ? 'unwritable' : `item-${i}`));
    operator = new JobOperator({ database: t.db, jobs: [copyJob({ chunkSize: 100 })] });
    const execution = await operator.run('copyJob');
    expect(execution.status).toBe('FAILED');
    expect(execution.exitMessage).toMatch(/copyStep/);
    expect(await targetIds(t.db.kysely)).toEqual(range(100));
  });

  test('relaunching a COMPLETED instance is refused; a new parameter value runs', async () => {
    await fillSource(t.db, 10);
    operator = new JobOperator({ database: t.db, jobs: [copyJob()] });
    expect((await operator.run('copyJob', { run: 'a' })).status).toBe('COMPLETED');
    const refused = await operator.run('copyJob', { run: 'a' }).catch((e: BatchError) => e);
    expect(refused).toBeInstanceOf(BatchError);
    expect((refused as BatchError).code).toBe('ALREADY_COMPLETE');
    expect((refused as BatchError).message).toMatch(/already completed with these parameters/);
    const executions = await operator.explorer.listJobExecutions();
    expect(executions.total).toBe(1);
    await t.db.kysely.deleteFrom('test_target').execute();
    expect((await operator.run('copyJob', { run: 'b' })).status).toBe('COMPLETED');
    expect((await operator.explorer.listJobExecutions()).total).toBe(2);
  });

  test('bad parameters are refused before anything is written, naming the parameter', async () => {
    operator = new JobOperator({ database: t.db, jobs: [copyJob()] });
    await expect(operator.start('copyJob', { failAt: 'abc' })).rejects.toThrow(/"failAt"/);
    await expect(operator.start('copyJob', { nope: 1 })).rejects.toThrow(/no parameter "nope"/);
    await expect(operator.start('noSuchJob')).rejects.toMatchObject({ code: 'NO_SUCH_JOB' });
    expect((await operator.explorer.listJobExecutions()).total).toBe(0);
    const instances = await t.db.kysely.selectFrom('BATCH_JOB_INSTANCE').selectAll().execute();
    expect(instances).toHaveLength(0);
  });

  test('stop during a long step ends STOPPED at a chunk boundary; restart completes', async () => {
    await fillSource(t.db, 400);
    operator = new JobOperator({ database: t.db, jobs: [copyJob({ chunkSize: 20, delayMs: 2 })] });
    const launched = await operator.start('copyJob');
    await new Promise<void>((resolve) => {
      const off = operator!.events.subscribe((e) => {
        if (e.type === 'chunk-committed' && e.step.commitCount >= 2) {
          off();
          resolve();
        }
      });
    });
    await operator.stop(launched.execution.id);
    const stopped = await launched.done;
    expect(stopped.status).toBe('STOPPED');
    const [step] = await steps(stopped);
    expect(step!.status).toBe('STOPPED');
    expect(step!.writeCount).toBe(step!.commitCount * 20);
    expect(step!.writeCount).toBeLessThan(400);
    expect(await targetIds(t.db.kysely)).toEqual(range(step!.writeCount));

    const restarted = await (await operator.restart(stopped.id)).done;
    expect(restarted.status).toBe('COMPLETED');
    const [rest] = await steps(restarted);
    expect(rest!.writeCount).toBe(400 - step!.writeCount);
    expect(await targetIds(t.db.kysely)).toEqual(range(400));
  });

  test('abandon marks a stopped or failed execution ABANDONED and its instance can no longer run', async () => {
    await fillSource(t.db, 30, (i) => (i === 25 ? 'poison' : `item-${i}`));
    operator = new JobOperator({ database: t.db, jobs: [copyJob({ chunkSize: 10 })] });
    const failed = await operator.run('copyJob');
    expect(failed.status).toBe('FAILED');
    const abandoned = await operator.abandon(failed.id);
    expect(abandoned.status).toBe('ABANDONED');
    expect((await operator.execution(failed.id)).status).toBe('ABANDONED');
    await expect(operator.restart(failed.id)).rejects.toMatchObject({ code: 'ALREADY_COMPLETE' });
    await expect(operator.abandon(failed.id)).rejects.toMatchObject({ code: 'CANNOT_ABANDON' });
  });

  test('a partitioned step with 4 partitions on Piscina: every item once; restart reruns only the failed partition', async () => {
    await fillSource(t.db, 2000, (i) => (i === 1234 ? 'poison' : `item-${i}`));
    operator = new JobOperator({ database: t.db, jobs: [partitionedCopyJob(testWorkerFile)] });
    const live = new Set<string>();
    operator.events.subscribe((e) => e.type === 'chunk-committed' && live.add(e.step.stepName));
    const failed = await operator.run('partitionedCopyJob');
    // the worker threads' chunk events reach this thread's subscribers, and the partitioned step
    // itself reports their sum as its own live counts
    expect([...live].sort()).toEqual(['copyPartitions', ...[0, 1, 2, 3].map((i) => `copyPartitions:partition${i}`)]);
    expect(failed.status).toBe('FAILED');
    const first = await steps(failed);
    const partitions = first.filter((s) => s.stepName.includes(':partition'));
    expect(partitions.map((s) => s.stepName).sort()).toEqual([0, 1, 2, 3].map((i) => `copyPartitions:partition${i}`));
    expect(partitions.filter((s) => s.status === 'FAILED').map((s) => s.stepName)).toEqual(['copyPartitions:partition2']);
    expect(first.find((s) => s.stepName === 'copyPartitions')!.status).toBe('FAILED');

    await t.db.kysely.updateTable('test_source').set({ value: 'fixed' }).where('id', '=', 1234).execute();
    const restarted = await (await operator.restart(failed.id)).done;
    expect(restarted.status).toBe('COMPLETED');
    const second = await steps(restarted);
    expect(second.map((s) => s.stepName).sort()).toEqual(['copyPartitions', 'copyPartitions:partition2']);
    const rerun = second.find((s) => s.stepName === 'copyPartitions:partition2')!;
    const before = partitions.find((s) => s.stepName === 'copyPartitions:partition2')!;
    expect(rerun.readCount).toBe(500 - before.writeCount);
    expect(await targetIds(t.db.kysely)).toEqual(range(2000));
  });
});
