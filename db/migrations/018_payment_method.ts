// How a pass sold at the desk was paid (main/service/members.ts registerPass, main/service/sales.ts
// byMethod), so a gym can reconcile its till at the end of the day. `pass.payment_method`: CARD,
// CASH or TRANSFER for a pass sold for more than 0원 from now on; NULL for anything else: a bulk
// grant's, an imported pass, a bonus, a pass of a package with no price or at 0원 (nothing was
// paid), and every pass sold before this (the sales summary counts those under no method).
// Nullable, so insert_data.sql and every existing row load unchanged.
//
// The sales summary reads the method beside the price: the two indexes it reads a range of
// (migrations 016 and 017) are made again with payment_method as their last column, so a day,
// a package and a method are still each one index range read with every column in the index.
import { MysqlAdapter, type Kysely } from 'kysely';

const SALES_IX = { old: 'pass_created_at_package_price_ix', new: 'pass_created_at_sale_ix' };
const REFUNDS_IX = { old: 'pass_cancelled_at_refund_ix', new: 'pass_cancelled_at_refund_method_ix' };

async function dropIndex(db: Kysely<any>, name: string): Promise<void> {
  const drop = db.schema.dropIndex(name).ifExists();
  // MySQL names an index within its table; SQLite's index names are the schema's.
  await (db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('pass') : drop).execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('pass').addColumn('payment_method', 'varchar(10)').execute();
  await db.schema.createIndex(SALES_IX.new).on('pass').columns(['created_at', 'package_seq', 'price', 'payment_method']).execute();
  await dropIndex(db, SALES_IX.old);
  await db.schema.createIndex(REFUNDS_IX.new).on('pass').columns(['cancelled_at', 'refund', 'payment_method']).execute();
  await dropIndex(db, REFUNDS_IX.old);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex(REFUNDS_IX.old).on('pass').columns(['cancelled_at', 'refund']).execute();
  await dropIndex(db, REFUNDS_IX.new);
  await db.schema.createIndex(SALES_IX.old).on('pass').columns(['created_at', 'package_seq', 'price']).execute();
  await dropIndex(db, SALES_IX.new);
  await db.schema.alterTable('pass').dropColumn('payment_method').execute();
}
