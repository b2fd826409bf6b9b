// A pass cancelled at the desk, with what was handed back (main/service/passCancel.ts). The pass
// keeps its row, its bookings and its price; `status` becomes CANCELLED (varchar(10) holds it) and
// `cancelled_at` says when, `refund` what was returned in whole won (NULL for a pass that was not
// sold, 0 when nothing was returned), `cancel_reason` the desk's words. All nullable, so
// insert_data.sql and every existing row load unchanged. The sales summary counts a refund on the
// day it was made: (cancelled_at, refund) holds every column it reads, so a day is one index range.
import { MysqlAdapter, type Kysely } from 'kysely';
import { columnsFor } from './columns.ts';

const PASS_CANCELLED_AT_IX = 'pass_cancelled_at_refund_ix';

export async function up(db: Kysely<any>): Promise<void> {
  const c = columnsFor(db);
  await db.schema.alterTable('pass').addColumn('cancelled_at', c.datetime3).execute();
  await db.schema.alterTable('pass').addColumn('refund', 'integer').execute();
  await db.schema.alterTable('pass').addColumn('cancel_reason', 'varchar(200)').execute();
  await db.schema.createIndex(PASS_CANCELLED_AT_IX).on('pass').columns(['cancelled_at', 'refund']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const drop = db.schema.dropIndex(PASS_CANCELLED_AT_IX).ifExists();
  // MySQL names an index within its table; SQLite's index names are the schema's.
  await (db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('pass') : drop).execute();
  await db.schema.alterTable('pass').dropColumn('cancel_reason').execute();
  await db.schema.alterTable('pass').dropColumn('refund').execute();
  await db.schema.alterTable('pass').dropColumn('cancelled_at').execute();
}
