// The gym pass domain: the seed project's eight tables with their names and columns, plus what
// correct re-runs need (the seed had none of it): the bulk grant that created a pass, the target
// of a notification, send attempts, one statistics row per hour, the report table, and one index
// per batch reader. No foreign keys and no CHECKs, as in the seed: SQLite can only drop or
// change either by rebuilding the table, and every writer is a job of ours.
import { sql, type Kysely } from 'kysely';
import { columnsFor, tableOptions, type Columns } from './columns.ts';

/**
 * The current UTC time as a column default. UTC_TIMESTAMP rather than CURRENT_TIMESTAMP,
 * which follows the session's time zone: rows inserted by hand (`mysql < insert_data.sql` on a
 * server set to Asia/Seoul, as the seed's docker-compose is) must still get UTC.
 */
const utcNow = (c: Columns) => (c.mysql ? sql`(UTC_TIMESTAMP(3))` : sql`(strftime('%Y-%m-%d %H:%M:%f', 'now'))`);

export async function up(db: Kysely<any>): Promise<void> {
  const c = columnsFor(db);
  const options = tableOptions(c);
  const index = (name: string, table: string, columns: string[]) =>
    db.schema.createIndex(name).on(table).columns(columns).execute();

  await db.schema
    .createTable('package')
    .addColumn('package_seq', c.id, (col) => col.primaryKey().autoIncrement())
    .addColumn('package_name', 'varchar(50)', (col) => col.notNull())
    .addColumn('count', 'integer') // NULL: unlimited uses
    .addColumn('period', 'integer') // days; NULL: never ends
    .addColumn('created_at', c.datetime3, (col) => col.notNull().defaultTo(utcNow(c)))
    .addColumn('modified_at', c.datetime3)
    .modifyEnd(options)
    .execute();

  await db.schema
    .createTable('pass')
    .addColumn('pass_seq', c.id, (col) => col.primaryKey().autoIncrement())
    .addColumn('package_seq', 'bigint', (col) => col.notNull())
    .addColumn('user_id', 'varchar(20)', (col) => col.notNull())
    .addColumn('status', 'varchar(10)', (col) => col.notNull())
    .addColumn('remaining_count', 'integer') // NULL: unlimited
    .addColumn('started_at', c.datetime3, (col) => col.notNull())
    .addColumn('ended_at', c.datetime3) // NULL: never ends
    .addColumn('expired_at', c.datetime3)
    .addColumn('bulk_pass_seq', 'bigint') // the bulk grant that created it, if any
    .addColumn('created_at', c.datetime3, (col) => col.notNull().defaultTo(utcNow(c)))
    .addColumn('modified_at', c.datetime3)
    // A grant re-run after a crash inserts and collides instead of granting a member twice.
    // NULLs never collide, so passes sold at the desk are unaffected.
    .addUniqueConstraint('pass_bulk_pass_user_uq', ['bulk_pass_seq', 'user_id'])
    .modifyEnd(options)
    .execute();
  await index('pass_status_ended_at_ix', 'pass', ['status', 'ended_at']); // expire, expiry reminders
  await index('pass_status_started_at_ix', 'pass', ['status', 'started_at']); // READY -> PROGRESSED
  await index('pass_user_ix', 'pass', ['user_id']); // a member's passes at the desk

  await db.schema
    .createTable('bulk_pass')
    .addColumn('bulk_pass_seq', c.id, (col) => col.primaryKey().autoIncrement())
    .addColumn('package_seq', 'bigint', (col) => col.notNull())
    .addColumn('user_group_id', 'varchar(20)', (col) => col.notNull())
    .addColumn('status', 'varchar(10)', (col) => col.notNull())
    .addColumn('count', 'integer') // NULL: the package's count
    .addColumn('started_at', c.datetime3, (col) => col.notNull())
    .addColumn('ended_at', c.datetime3)
    .addColumn('created_at', c.datetime3, (col) => col.notNull().defaultTo(utcNow(c)))
    .addColumn('modified_at', c.datetime3)
    .modifyEnd(options)
    .execute();
  await index('bulk_pass_status_started_at_ix', 'bulk_pass', ['status', 'started_at']); // due grants

  await db.schema
    .createTable('booking')
    .addColumn('booking_seq', c.id, (col) => col.primaryKey().autoIncrement())
    .addColumn('pass_seq', 'bigint', (col) => col.notNull())
    .addColumn('user_id', 'varchar(20)', (col) => col.notNull())
    .addColumn('status', 'varchar(10)', (col) => col.notNull())
    .addColumn('used_pass', c.bool, (col) => col.notNull().defaultTo(0))
    .addColumn('attended', c.bool, (col) => col.notNull().defaultTo(0))
    .addColumn('started_at', c.datetime3, (col) => col.notNull())
    .addColumn('ended_at', c.datetime3, (col) => col.notNull())
    .addColumn('cancelled_at', c.datetime3)
    .addColumn('created_at', c.datetime3, (col) => col.notNull().defaultTo(utcNow(c)))
    .addColumn('modified_at', c.datetime3)
    .modifyEnd(options)
    .execute();
  await index('booking_status_used_pass_ended_at_ix', 'booking', ['status', 'used_pass', 'ended_at']); // deductions
  await index('booking_status_started_at_ix', 'booking', ['status', 'started_at']); // class reminders
  await index('booking_ended_at_ix', 'booking', ['ended_at']); // statistics windows
  await index('booking_pass_ix', 'booking', ['pass_seq']); // a pass's bookings

  // `user` is a keyword (not reserved) in MySQL and MariaDB; Kysely quotes it anyway.
  await db.schema
    .createTable('user')
    .addColumn('user_id', 'varchar(20)', (col) => col.primaryKey())
    .addColumn('user_name', 'varchar(50)', (col) => col.notNull())
    .addColumn('status', 'varchar(10)', (col) => col.notNull())
    .addColumn('phone', 'varchar(50)')
    .addColumn('meta', c.json) // e.g. {"uuid": "<KakaoTalk uuid>"}, as in the seed
    .addColumn('created_at', c.datetime3, (col) => col.notNull().defaultTo(utcNow(c)))
    .addColumn('modified_at', c.datetime3)
    .modifyEnd(options)
    .execute();

  await db.schema
    .createTable('user_group_mapping')
    .addColumn('user_group_id', 'varchar(20)', (col) => col.notNull())
    .addColumn('user_id', 'varchar(20)', (col) => col.notNull())
    .addColumn('user_group_name', 'varchar(50)', (col) => col.notNull())
    .addColumn('description', 'varchar(100)', (col) => col.notNull())
    .addColumn('created_at', c.datetime3, (col) => col.notNull().defaultTo(utcNow(c)))
    .addColumn('modified_at', c.datetime3)
    .addPrimaryKeyConstraint('user_group_mapping_pk', ['user_group_id', 'user_id'])
    .modifyEnd(options)
    .execute();
  await index('user_group_mapping_user_ix', 'user_group_mapping', ['user_id']); // a member's groups

  await db.schema
    .createTable('notification')
    .addColumn('notification_seq', c.id, (col) => col.primaryKey().autoIncrement())
    .addColumn('uuid', 'varchar(64)') // the recipient's messenger (KakaoTalk) uuid, as in the seed; NULL: none known
    .addColumn('event', 'varchar(30)', (col) => col.notNull()) // the seed's varchar(10) can't hold EXPIRY_REMINDER
    .addColumn('text', 'varchar(1000)', (col) => col.notNull())
    .addColumn('sent', c.bool, (col) => col.notNull().defaultTo(0))
    .addColumn('sent_at', c.datetime3)
    .addColumn('user_id', 'varchar(20)', (col) => col.notNull())
    .addColumn('booking_seq', 'bigint')
    .addColumn('pass_seq', 'bigint')
    .addColumn('target_key', 'varchar(100)', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_error', 'varchar(1000)')
    .addColumn('created_at', c.datetime3, (col) => col.notNull().defaultTo(utcNow(c)))
    .addColumn('modified_at', c.datetime3)
    // The outbox's guarantee: one row per event and target, however often the writer runs.
    .addUniqueConstraint('notification_event_target_uq', ['event', 'target_key'])
    .modifyEnd(options)
    .execute();
  await index('notification_sent_seq_ix', 'notification', ['sent', 'notification_seq']); // unsent, keyset

  await db.schema
    .createTable('statistics')
    .addColumn('statistics_seq', c.id, (col) => col.primaryKey().autoIncrement())
    .addColumn('statistics_at', c.datetime3, (col) => col.notNull())
    .addColumn('all_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('attended_count', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('cancelled_count', 'integer', (col) => col.notNull().defaultTo(0))
    // insert_data.sql omits both: the default keeps it loading unchanged.
    .addColumn('created_at', c.datetime3, (col) => col.notNull().defaultTo(utcNow(c)))
    .addColumn('modified_at', c.datetime3)
    // One row per hour bucket, so a window built twice is upserted, not doubled.
    .addUniqueConstraint('statistics_at_uq', ['statistics_at'])
    .modifyEnd(options)
    .execute();

  await db.schema
    .createTable('report')
    .addColumn('report_seq', c.id, (col) => col.primaryKey().autoIncrement())
    .addColumn('kind', 'varchar(10)', (col) => col.notNull())
    .addColumn('period_from', c.datetime3, (col) => col.notNull())
    .addColumn('period_to', c.datetime3, (col) => col.notNull())
    .addColumn('file_path', 'varchar(1024)', (col) => col.notNull())
    .addColumn('format', 'varchar(10)', (col) => col.notNull())
    .addColumn('row_count', 'integer', (col) => col.notNull())
    .addColumn('size_bytes', 'bigint', (col) => col.notNull())
    .addColumn('created_at', c.datetime3, (col) => col.notNull().defaultTo(utcNow(c)))
    .addColumn('modified_at', c.datetime3)
    // A report re-made for the same period replaces its row rather than listing twice.
    .addUniqueConstraint('report_kind_period_format_uq', ['kind', 'period_from', 'format'])
    .modifyEnd(options)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['report', 'statistics', 'notification', 'user_group_mapping', 'user', 'booking', 'bulk_pass', 'pass', 'package']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
