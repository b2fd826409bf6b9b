// Staff who sign in to the console, their sessions, and the activity log of every change they
// make. Our own tables beside Spring Batch's and the pass domain's. Session tokens are stored
// only as their SHA-256, so a copy of the database does not sign anyone in.
import type { Kysely } from 'kysely';
import { columnsFor, tableOptions } from './columns.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const c = columnsFor(db);
  const options = tableOptions(c);

  await db.schema
    .createTable('staff_account')
    .addColumn('username', 'varchar(50)', (col) => col.primaryKey())
    // 'scrypt$N$r$p$salt$hash' (base64url), so the cost can be raised for new hashes later
    .addColumn('password_hash', 'varchar(255)', (col) => col.notNull())
    .addColumn('role', 'varchar(20)', (col) => col.notNull()) // FRONT_DESK | MANAGER | ADMIN
    .addColumn('active', c.bool, (col) => col.notNull())
    .addColumn('created_at', c.datetime3, (col) => col.notNull())
    .addColumn('created_by', 'varchar(50)')
    .addColumn('modified_at', c.datetime3)
    .addColumn('last_login_at', c.datetime3)
    .modifyEnd(options)
    .execute();

  await db.schema
    .createTable('staff_session')
    .addColumn('token_hash', 'varchar(64)', (col) => col.primaryKey()) // hex SHA-256 of the token
    .addColumn('username', 'varchar(50)', (col) => col.notNull())
    .addColumn('created_at', c.datetime3, (col) => col.notNull())
    .addColumn('expires_at', c.datetime3, (col) => col.notNull())
    .modifyEnd(options)
    .execute();
  await db.schema.createIndex('staff_session_username_ix').on('staff_session').columns(['username']).execute();
  await db.schema.createIndex('staff_session_expires_at_ix').on('staff_session').columns(['expires_at']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('audit_seq', c.id, (col) => col.primaryKey().autoIncrement())
    .addColumn('at', c.datetime3, (col) => col.notNull())
    .addColumn('actor', 'varchar(50)', (col) => col.notNull()) // a staff username, or 'system'
    .addColumn('action', 'varchar(50)', (col) => col.notNull()) // the operation, e.g. bulkGrants.create
    .addColumn('target', 'varchar(100)') // e.g. 'bulk_pass:12', 'execution:7', 'staff:kim'
    .addColumn('detail', c.json) // the input (never a password) and what came of it
    .modifyEnd(options)
    .execute();
  await db.schema.createIndex('audit_log_at_ix').on('audit_log').columns(['at']).execute();
  await db.schema.createIndex('audit_log_actor_ix').on('audit_log').columns(['actor', 'audit_seq']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_log', 'staff_session', 'staff_account']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
