// Issue 18, slice 3 (classes and bookings): a class (수업) with a title, an instructor, its start
// and end, a capacity and the packages whose passes may book it; a booking may point to the class
// it is for (the seed's bookings, and insert_data.sql, point to none and load unchanged); a full
// class keeps a waitlist, first come first served, which a cancellation moves in.
import type { Kysely } from 'kysely';
import { MysqlAdapter } from 'kysely';
import { columnsFor, tableOptions } from './columns.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const c = columnsFor(db);
  const options = tableOptions(c);
  await db.schema
    .createTable('gym_class')
    .addColumn('class_seq', c.id, (col) => col.primaryKey().autoIncrement())
    .addColumn('title', 'varchar(100)', (col) => col.notNull())
    // a staff member's name or free text
    .addColumn('instructor', 'varchar(50)')
    .addColumn('started_at', c.datetime3, (col) => col.notNull())
    .addColumn('ended_at', c.datetime3, (col) => col.notNull())
    .addColumn('capacity', 'integer', (col) => col.notNull())
    // a class repeated weekly: the first class of the series (its own seq for the first)
    .addColumn('series_seq', 'bigint')
    .addColumn('created_at', c.datetime3, (col) => col.notNull())
    .addColumn('modified_at', c.datetime3)
    .modifyEnd(options)
    .execute();
  await db.schema.createIndex('gym_class_started_at_ix').on('gym_class').columns(['started_at', 'class_seq']).execute(); // the week's calendar

  // which packages' passes may book a class
  await db.schema
    .createTable('gym_class_package')
    .addColumn('class_seq', 'bigint', (col) => col.notNull())
    .addColumn('package_seq', 'bigint', (col) => col.notNull())
    .addColumn('created_at', c.datetime3, (col) => col.notNull())
    .addPrimaryKeyConstraint('gym_class_package_pk', ['class_seq', 'package_seq'])
    .modifyEnd(options)
    .execute();

  // One row per member waiting for a full class; a cancellation books the first (lowest seq).
  await db.schema
    .createTable('class_waitlist')
    .addColumn('waitlist_seq', c.id, (col) => col.primaryKey().autoIncrement())
    .addColumn('class_seq', 'bigint', (col) => col.notNull())
    .addColumn('user_id', 'varchar(20)', (col) => col.notNull())
    .addColumn('pass_seq', 'bigint', (col) => col.notNull())
    .addColumn('created_at', c.datetime3, (col) => col.notNull())
    .addUniqueConstraint('class_waitlist_class_user_uq', ['class_seq', 'user_id'])
    .modifyEnd(options)
    .execute();

  await db.schema.alterTable('booking').addColumn('class_seq', 'bigint').execute();
  await db.schema.createIndex('booking_class_ix').on('booking').columns(['class_seq', 'status']).execute(); // a class's bookings
  await db.schema.createIndex('booking_user_ix').on('booking').columns(['user_id', 'started_at']).execute(); // a member's bookings
}

export async function down(db: Kysely<any>): Promise<void> {
  const mysql = db.getExecutor().adapter instanceof MysqlAdapter;
  for (const index of ['booking_user_ix', 'booking_class_ix']) {
    const drop = db.schema.dropIndex(index).ifExists();
    await (mysql ? drop.on('booking') : drop).execute();
  }
  await db.schema.alterTable('booking').dropColumn('class_seq').execute();
  for (const table of ['class_waitlist', 'gym_class_package', 'gym_class']) await db.schema.dropTable(table).ifExists().execute();
}
