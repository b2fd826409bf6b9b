// What the gym sells, kept by its managers (main/service/packages.ts): a package taken off sale
// keeps its row, its passes and the classes that take it, and is no longer offered for a new
// sale, bulk grant or class. NULL: on sale. Nullable, so the seed's insert_data.sql and every
// existing row load unchanged.
import type { Kysely } from 'kysely';
import { columnsFor } from './columns.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const c = columnsFor(db);
  await db.schema.alterTable('package').addColumn('retired_at', c.datetime3).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('package').dropColumn('retired_at').execute();
}
