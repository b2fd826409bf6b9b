// Indexes the pass jobs' readers page by. usePassesJob reads the bookings still due for
// deduction in booking_seq pages (WHERE status = 'COMPLETED' AND used_pass = 0 AND
// booking_seq > ? ORDER BY booking_seq LIMIT n): with (status, used_pass, booking_seq) each
// page is one index range read in key order. The older (status, used_pass, ended_at) index made
// both databases read and sort every due booking for every page.
import { MysqlAdapter, type Kysely } from 'kysely';

const BOOKING_DUE_SEQ_IX = 'booking_status_used_pass_seq_ix';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex(BOOKING_DUE_SEQ_IX).on('booking').columns(['status', 'used_pass', 'booking_seq']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const drop = db.schema.dropIndex(BOOKING_DUE_SEQ_IX).ifExists();
  // MySQL names an index within its table; SQLite's index names are the schema's.
  await (db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('booking') : drop).execute();
}
