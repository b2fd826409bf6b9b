// Classes at the desk: a class cancelled before it starts stays on the calendar, shown as
// cancelled, with when (its bookings are cancelled with it, free, and its waitlist emptied:
// main/service/classes.ts cancelClass). NULL: not cancelled.
import type { Kysely } from 'kysely';
import { columnsFor } from './columns.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const c = columnsFor(db);
  await db.schema.alterTable('gym_class').addColumn('cancelled_at', c.datetime3).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('gym_class').dropColumn('cancelled_at').execute();
}
