// The scheduler's two tables, our own beside Spring Batch's (which has no scheduler):
// BATCH_SCHEDULE, one row per job with its cron, time zone and misfire policy, editable from
// the console; BATCH_SCHEDULE_FIRE, one row per (job, fire time), inserted by the desk that
// claims the fire. Its UNIQUE key is what makes "each fire runs on exactly one desk" a fact
// the database enforces, and the rows are the console's history of fires.
import type { Kysely } from 'kysely';
import { columnsFor, tableOptions } from './columns.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const c = columnsFor(db);
  const options = tableOptions(c);

  await db.schema
    .createTable('BATCH_SCHEDULE')
    .addColumn('JOB_NAME', 'varchar(100)', (col) => col.primaryKey())
    .addColumn('CRON', 'varchar(100)', (col) => col.notNull()) // 5 fields, or 6 with seconds first
    .addColumn('TIME_ZONE', 'varchar(64)', (col) => col.notNull()) // IANA name the cron is read in
    .addColumn('ENABLED', c.bool, (col) => col.notNull())
    .addColumn('MISFIRE_POLICY', 'varchar(10)', (col) => col.notNull()) // RUN_ONCE | SKIP
    .addColumn('PARAMS', c.json, (col) => col.notNull()) // extra launch parameters, a JSON object
    // Fires count from here: set when the row is made, the cron or zone changes, or it is
    // re-enabled, so an edit never reads as a pile of missed fires.
    .addColumn('ACTIVE_SINCE', c.datetime3, (col) => col.notNull())
    .addColumn('LAST_FIRE_AT', c.datetime3) // the latest fire time handled (run or skipped)
    .addColumn('CREATED_AT', c.datetime3, (col) => col.notNull())
    .addColumn('MODIFIED_AT', c.datetime3, (col) => col.notNull())
    .addColumn('MODIFIED_BY', 'varchar(100)')
    .modifyEnd(options)
    .execute();

  await db.schema
    .createTable('BATCH_SCHEDULE_FIRE')
    .addColumn('FIRE_ID', c.id, (col) => col.primaryKey().autoIncrement())
    .addColumn('JOB_NAME', 'varchar(100)', (col) => col.notNull())
    .addColumn('FIRE_TIME', c.datetime3, (col) => col.notNull())
    .addColumn('CLAIMED_BY', 'varchar(100)', (col) => col.notNull())
    .addColumn('CLAIMED_AT', c.datetime3, (col) => col.notNull())
    // ShedLock's lock-until: a claim still CLAIMED (not launched) after this may be taken over.
    .addColumn('CLAIM_EXPIRES_AT', c.datetime3, (col) => col.notNull())
    .addColumn('JOB_EXECUTION_ID', 'bigint')
    .addColumn('OUTCOME', 'varchar(20)', (col) => col.notNull())
    .addColumn('MESSAGE', 'varchar(2500)')
    .addColumn('ENDED_AT', c.datetime3)
    .addUniqueConstraint('BATCH_SCHEDULE_FIRE_UN', ['JOB_NAME', 'FIRE_TIME'])
    .modifyEnd(options)
    .execute();
  await db.schema.createIndex('BATCH_SCHEDULE_FIRE_TIME_IX').on('BATCH_SCHEDULE_FIRE').columns(['FIRE_TIME']).execute(); // purge
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('BATCH_SCHEDULE_FIRE').ifExists().execute();
  await db.schema.dropTable('BATCH_SCHEDULE').ifExists().execute();
}
