// The console's settings that staff change from the Settings screen (gym time zone, language,
// notifier), one row per setting with its value as JSON, and who changed it last. The
// database connection itself is not here: it is what opens this table (PASS_DB_URL).
import type { Kysely } from 'kysely';
import { columnsFor, tableOptions } from './columns.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const c = columnsFor(db);
  await db.schema
    .createTable('settings')
    .addColumn('setting_key', 'varchar(50)', (col) => col.primaryKey()) // timeZone | language | notifier
    .addColumn('value', c.json, (col) => col.notNull())
    .addColumn('modified_at', c.datetime3, (col) => col.notNull())
    .addColumn('modified_by', 'varchar(50)')
    .modifyEnd(tableOptions(c))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('settings').ifExists().execute();
}
