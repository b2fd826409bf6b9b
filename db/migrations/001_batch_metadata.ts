// Spring Batch's six metadata tables, with the names and columns versions 5 and 6 give them, so
// anyone who knows Spring Batch can read them. Ids are auto-increment instead of the *_SEQ tables.
// Our own extra: BATCH_JOB_EXECUTION_OWNER (who launched an execution, which process runs it,
// and the heartbeat lease that lets the next start recover an execution whose process died).
//
// A database where Spring Batch 5 or 6 already made its tables is adopted, not refused: its
// history stays and shows in the console, the JobRepository takes ids from Spring's *_SEQ tables
// as that version does, and only our own table and indexes are added. Tables that are not
// Spring Batch 5's or 6's (a version 4 schema, a partial one, one it does not know) are refused
// before anything is changed (springBatchSchema.ts).
import type { Kysely } from 'kysely';
import { columnsFor, tableOptions, type Columns } from './columns.ts';
import { recogniseSpringBatchSchema } from './springBatchSchema.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const c = columnsFor(db);
  const options = tableOptions(c);
  if ((await recogniseSpringBatchSchema(db, c.mysql)) !== 'none') {
    await indexes(db);
    await createOwnerTable(db, c);
    return;
  }

  await db.schema
    .createTable('BATCH_JOB_INSTANCE')
    .addColumn('JOB_INSTANCE_ID', c.id, (col) => col.primaryKey().autoIncrement())
    .addColumn('VERSION', 'bigint')
    .addColumn('JOB_NAME', 'varchar(100)', (col) => col.notNull())
    .addColumn('JOB_KEY', 'varchar(32)', (col) => col.notNull())
    .addUniqueConstraint('JOB_INST_UN', ['JOB_NAME', 'JOB_KEY'])
    .modifyEnd(options)
    .execute();

  await db.schema
    .createTable('BATCH_JOB_EXECUTION')
    .addColumn('JOB_EXECUTION_ID', c.id, (col) => col.primaryKey().autoIncrement())
    .addColumn('VERSION', 'bigint')
    .addColumn('JOB_INSTANCE_ID', 'bigint', (col) => col.notNull().references('BATCH_JOB_INSTANCE.JOB_INSTANCE_ID'))
    .addColumn('CREATE_TIME', c.datetime6, (col) => col.notNull())
    .addColumn('START_TIME', c.datetime6)
    .addColumn('END_TIME', c.datetime6)
    .addColumn('STATUS', 'varchar(10)')
    .addColumn('EXIT_CODE', 'varchar(2500)')
    .addColumn('EXIT_MESSAGE', 'varchar(2500)')
    .addColumn('LAST_UPDATED', c.datetime6)
    .modifyEnd(options)
    .execute();

  await db.schema
    .createTable('BATCH_JOB_EXECUTION_PARAMS')
    .addColumn('JOB_EXECUTION_ID', 'bigint', (col) => col.notNull().references('BATCH_JOB_EXECUTION.JOB_EXECUTION_ID'))
    .addColumn('PARAMETER_NAME', 'varchar(100)', (col) => col.notNull())
    .addColumn('PARAMETER_TYPE', 'varchar(100)', (col) => col.notNull())
    .addColumn('PARAMETER_VALUE', 'varchar(2500)')
    .addColumn('IDENTIFYING', 'char(1)', (col) => col.notNull())
    .modifyEnd(options)
    .execute();

  await db.schema
    .createTable('BATCH_STEP_EXECUTION')
    .addColumn('STEP_EXECUTION_ID', c.id, (col) => col.primaryKey().autoIncrement())
    .addColumn('VERSION', 'bigint', (col) => col.notNull())
    .addColumn('STEP_NAME', 'varchar(100)', (col) => col.notNull())
    .addColumn('JOB_EXECUTION_ID', 'bigint', (col) => col.notNull().references('BATCH_JOB_EXECUTION.JOB_EXECUTION_ID'))
    .addColumn('CREATE_TIME', c.datetime6, (col) => col.notNull())
    .addColumn('START_TIME', c.datetime6)
    .addColumn('END_TIME', c.datetime6)
    .addColumn('STATUS', 'varchar(10)')
    .addColumn('COMMIT_COUNT', 'bigint')
    .addColumn('READ_COUNT', 'bigint')
    .addColumn('FILTER_COUNT', 'bigint')
    .addColumn('WRITE_COUNT', 'bigint')
    .addColumn('READ_SKIP_COUNT', 'bigint')
    .addColumn('WRITE_SKIP_COUNT', 'bigint')
    .addColumn('PROCESS_SKIP_COUNT', 'bigint')
    .addColumn('ROLLBACK_COUNT', 'bigint')
    .addColumn('EXIT_CODE', 'varchar(2500)')
    .addColumn('EXIT_MESSAGE', 'varchar(2500)')
    .addColumn('LAST_UPDATED', c.datetime6)
    .modifyEnd(options)
    .execute();

  for (const [table, key, parent] of [
    ['BATCH_STEP_EXECUTION_CONTEXT', 'STEP_EXECUTION_ID', 'BATCH_STEP_EXECUTION'],
    ['BATCH_JOB_EXECUTION_CONTEXT', 'JOB_EXECUTION_ID', 'BATCH_JOB_EXECUTION'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn(key, 'bigint', (col) => col.primaryKey().references(`${parent}.${key}`))
      .addColumn('SHORT_CONTEXT', 'varchar(2500)', (col) => col.notNull())
      .addColumn('SERIALIZED_CONTEXT', c.text)
      .modifyEnd(options)
      .execute();
  }
  await indexes(db);
  await createOwnerTable(db, c);
}

async function indexes(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('BATCH_JOB_EXECUTION_INSTANCE_IX').on('BATCH_JOB_EXECUTION').columns(['JOB_INSTANCE_ID']).execute();
  await db.schema.createIndex('BATCH_JOB_EXECUTION_STATUS_IX').on('BATCH_JOB_EXECUTION').columns(['STATUS']).execute();
  await db.schema.createIndex('BATCH_JOB_EXECUTION_PARAMS_IX').on('BATCH_JOB_EXECUTION_PARAMS').columns(['JOB_EXECUTION_ID']).execute();
  await db.schema.createIndex('BATCH_STEP_EXECUTION_JOB_IX').on('BATCH_STEP_EXECUTION').columns(['JOB_EXECUTION_ID']).execute();
}

async function createOwnerTable(db: Kysely<any>, c: Columns): Promise<void> {
  await db.schema
    .createTable('BATCH_JOB_EXECUTION_OWNER')
    .addColumn('JOB_EXECUTION_ID', 'bigint', (col) => col.primaryKey().references('BATCH_JOB_EXECUTION.JOB_EXECUTION_ID'))
    .addColumn('LAUNCHED_BY', 'varchar(100)')
    .addColumn('OWNER_ID', 'varchar(64)', (col) => col.notNull())
    .addColumn('HOST', 'varchar(255)', (col) => col.notNull())
    .addColumn('PID', 'integer', (col) => col.notNull())
    .addColumn('HEARTBEAT_AT', c.datetime6, (col) => col.notNull())
    .addColumn('LEASE_EXPIRES_AT', c.datetime6, (col) => col.notNull())
    .modifyEnd(tableOptions(c))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'BATCH_JOB_EXECUTION_OWNER',
    'BATCH_JOB_EXECUTION_CONTEXT',
    'BATCH_STEP_EXECUTION_CONTEXT',
    'BATCH_STEP_EXECUTION',
    'BATCH_JOB_EXECUTION_PARAMS',
    'BATCH_JOB_EXECUTION',
    'BATCH_JOB_INSTANCE',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
