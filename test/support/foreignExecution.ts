// What a Spring Batch application sharing the database leaves when its process dies mid-run: a
// STARTED execution in the metadata tables, with its times written its way and no owner row of ours.
import { createHash } from 'node:crypto';
import type { Database } from '../../main/batch/database/connection.ts';
import { foreignTimes } from '../../main/batch/database/dialect.ts';

/** Inserts it and returns its execution id; `zone` is the zone the application's JVM runs in. */
export async function insertForeignExecution(db: Database, jobName: string, startedAt: Date, zone = 'Asia/Seoul'): Promise<number> {
  const k = db.kysely;
  const t = foreignTimes(db.dialect, zone).write(startedAt);
  await k.insertInto('BATCH_JOB_INSTANCE').values({ JOB_NAME: jobName, JOB_KEY: createHash('md5').update(jobName).digest('hex'), VERSION: 0 }).execute();
  const { JOB_INSTANCE_ID } = await k.selectFrom('BATCH_JOB_INSTANCE').select('JOB_INSTANCE_ID').where('JOB_NAME', '=', jobName).executeTakeFirstOrThrow();
  const inserted = await k
    .insertInto('BATCH_JOB_EXECUTION')
    .values({ VERSION: 1, JOB_INSTANCE_ID, CREATE_TIME: t, START_TIME: t, STATUS: 'STARTED', EXIT_CODE: 'UNKNOWN', EXIT_MESSAGE: '', LAST_UPDATED: t })
    .executeTakeFirstOrThrow();
  const id = Number(inserted.insertId);
  await k.insertInto('BATCH_JOB_EXECUTION_CONTEXT').values({ JOB_EXECUTION_ID: id, SHORT_CONTEXT: '{}' }).execute();
  return id;
}
