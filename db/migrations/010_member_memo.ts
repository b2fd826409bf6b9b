// Issue 18, slice 1 (members at the desk): a member has a memo the desk writes (a note such as
// "knee injury, no jumps"). Nullable, so the seed's insert_data.sql and every existing row load
// unchanged.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('user').addColumn('memo', 'varchar(1000)').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('user').dropColumn('memo').execute();
}
