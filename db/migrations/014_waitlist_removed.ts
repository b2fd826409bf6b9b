// Members taken off a class's waitlist, and why: at the desk (waitlist.remove), or by the service
// when a place opened, or the class was changed, and they could no longer move in (booked into
// another class at the same time, or their pass no longer pays for this one; they are told
// through the outbox, WAITLIST_REMOVED). The class dialog lists them under its waitlist, so
// nobody drops off the list unseen (main/service/classes.ts).
import type { Kysely } from 'kysely';
import { columnsFor, tableOptions } from './columns.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const c = columnsFor(db);
  await db.schema
    .createTable('class_waitlist_removed')
    .addColumn('removed_seq', c.id, (col) => col.primaryKey().autoIncrement())
    .addColumn('class_seq', 'bigint', (col) => col.notNull())
    .addColumn('user_id', 'varchar(20)', (col) => col.notNull())
    .addColumn('pass_seq', 'bigint', (col) => col.notNull())
    // when the member joined the waitlist
    .addColumn('waited_since', c.datetime3, (col) => col.notNull())
    // DESK, OVERLAP, PASS or INACTIVE (the member deactivated)
    .addColumn('reason', 'varchar(10)', (col) => col.notNull())
    .addColumn('reason_ko', 'varchar(500)', (col) => col.notNull())
    .addColumn('reason_en', 'varchar(500)', (col) => col.notNull())
    // when they were taken off
    .addColumn('created_at', c.datetime3, (col) => col.notNull())
    .modifyEnd(tableOptions(c))
    .execute();
  await db.schema.createIndex('class_waitlist_removed_class_ix').on('class_waitlist_removed').columns(['class_seq', 'removed_seq']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('class_waitlist_removed').ifExists().execute();
}
