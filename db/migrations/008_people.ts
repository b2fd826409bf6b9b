// Issue 16 (what staff meet in their first week): a staff account can be asked to choose its own
// password at the next sign-in (a generated first-run password, or one an admin set for it), and
// the Notifications screen reads the outbox by member, newest first, by key.
import { MysqlAdapter, type Kysely } from 'kysely';
import { columnsFor } from './columns.ts';

const NOTIFICATION_USER_IX = 'notification_user_seq_ix';
const NOTIFICATION_CREATED_IX = 'notification_created_seq_ix';

function dropIndex(db: Kysely<any>, name: string) {
  const drop = db.schema.dropIndex(name).ifExists();
  // MySQL names an index within its table; SQLite's index names are the schema's.
  return db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('notification') : drop;
}

export async function up(db: Kysely<any>): Promise<void> {
  const c = columnsFor(db);
  // 1: the screens show the change-password form before anything else until the person changes it.
  await db.schema
    .alterTable('staff_account')
    .addColumn('must_change_password', c.bool, (col) => col.notNull().defaultTo(0))
    .execute();
  // One member's notifications, newest first (keyset on notification_seq).
  await db.schema.createIndex(NOTIFICATION_USER_IX).on('notification').columns(['user_id', 'notification_seq']).execute();
  // A date range of everyone's, newest first.
  await db.schema.createIndex(NOTIFICATION_CREATED_IX).on('notification').columns(['created_at', 'notification_seq']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await dropIndex(db, NOTIFICATION_CREATED_IX).execute();
  await dropIndex(db, NOTIFICATION_USER_IX).execute();
  await db.schema.alterTable('staff_account').dropColumn('must_change_password').execute();
}
