// Issue 17: failed sign-ins are counted in the database, so every desk on one MySQL shares the
// count, per username ('user:<name>') and per address ('addr:<ip>'). A key is refused while
// locked_until is ahead; each lock lasts twice the one before (lockouts), until a sign-in
// succeeds or an admin unlocks the account.
import type { Kysely } from 'kysely';
import { columnsFor, tableOptions } from './columns.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const c = columnsFor(db);
  await db.schema
    .createTable('login_throttle')
    .addColumn('throttle_key', 'varchar(120)', (col) => col.primaryKey())
    .addColumn('failures', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('lockouts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('window_started_at', c.datetime3, (col) => col.notNull())
    .addColumn('locked_until', c.datetime3)
    .addColumn('updated_at', c.datetime3, (col) => col.notNull())
    .modifyEnd(tableOptions(c))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_throttle').execute();
}
