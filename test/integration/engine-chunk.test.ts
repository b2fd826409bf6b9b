import { afterEach, beforeEach, expect, test } from 'vitest';
import { JobOperator } from '../../main/batch/index.ts';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { copyJob, createItemTables, fillSource, targetIds } from '../fixtures/testJobs.ts';

describeEachBackend('chunk step', (backend) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(backend);
    await createItemTables(t.db);
  });
  afterEach(async () => t.dispose());

  test('10,003 items in chunks of 100: read = write = 10,003 and 101 commits', async () => {
    await fillSource(t.db, 10_003);
    const operator = new JobOperator({ database: t.db, jobs: [copyJob()] });
    const execution = await operator.run('copyJob');
    expect(execution.status).toBe('COMPLETED');
    const [step] = await operator.repository.stepExecutions(execution.id);
    expect(step).toMatchObject({ stepName: 'copyStep', status: 'COMPLETED', readCount: 10_003, writeCount: 10_003, commitCount: 101, rollbackCount: 0 });
    expect(await targetIds(t.db.kysely)).toHaveLength(10_003);
    await operator.close();
  });
});
