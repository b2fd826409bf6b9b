// Issue 18, slice 4 (attendance and the deduction policy): when a member was marked attended (at
// the desk or the check-in kiosk), and whether a booking's no-show is free. A class booking is
// completed by usePassesJob once its class has ended; the no-show policy in force then is written
// on the booking (no_show_free = 1: not attended, so no use is taken), so a later change of the
// policy never deducts, nor forgives, a class that was already settled. The seed's bookings keep
// no_show_free = 0: every completed one is deducted, as before.
import type { Kysely } from 'kysely';
import { columnsFor } from './columns.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const c = columnsFor(db);
  await db.schema.alterTable('booking').addColumn('attended_at', c.datetime3).execute();
  await db.schema.alterTable('booking').addColumn('no_show_free', c.bool, (col) => col.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('booking').dropColumn('no_show_free').execute();
  await db.schema.alterTable('booking').dropColumn('attended_at').execute();
}
