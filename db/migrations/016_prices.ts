// What the gym sells its passes for, and what a pass was sold for (main/service/packages.ts,
// main/service/sales.ts). `package.price`: whole won; NULL, no price set. `pass.price`: what the
// desk sold it for, copied from its package at the sale like its uses and end, so a later change
// of price leaves it as sold; NULL, not sold: granted in bulk, imported, a bonus, or sold before
// prices existed. Both nullable, so insert_data.sql and every existing row load unchanged. The
// sales summary reads passes by when they were made: (created_at, package_seq, price) holds every
// column it reads, so a range is one index range read on both databases.
import { MysqlAdapter, type Kysely } from 'kysely';

const PASS_CREATED_AT_IX = 'pass_created_at_package_price_ix';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('package').addColumn('price', 'integer').execute();
  await db.schema.alterTable('pass').addColumn('price', 'integer').execute();
  await db.schema.createIndex(PASS_CREATED_AT_IX).on('pass').columns(['created_at', 'package_seq', 'price']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const drop = db.schema.dropIndex(PASS_CREATED_AT_IX).ifExists();
  // MySQL names an index within its table; SQLite's index names are the schema's.
  await (db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('pass') : drop).execute();
  await db.schema.alterTable('pass').dropColumn('price').execute();
  await db.schema.alterTable('package').dropColumn('price').execute();
}
