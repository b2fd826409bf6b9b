// Writers that change the database through the chunk's transaction, so the change and the
// step's progress commit together.
import type { Transaction } from 'kysely';
import type { Dialect } from '../database/dialect.ts';
import type { ItemWriter } from '../job.ts';

/** Multi-row INSERTs of up to `batchSize` rows each; `ignoreDuplicates` makes a rerun harmless. */
export function batchInsertWriter<T>(options: {
  table: string;
  dialect: Dialect;
  row: (item: T) => Record<string, unknown>;
  batchSize?: number;
  ignoreDuplicates?: boolean;
}): ItemWriter<T> {
  const size = options.batchSize ?? 500;
  return {
    async write(items, tx) {
      for (let i = 0; i < items.length; i += size) {
        const rows = items.slice(i, i + size).map(options.row);
        let insert = tx.insertInto(options.table).values(rows);
        if (options.ignoreDuplicates) insert = options.dialect === 'mysql' ? insert.ignore() : insert.orIgnore();
        await insert.execute();
      }
    },
  };
}

/** Any set-based statement(s) over the chunk, e.g. `UPDATE pass ... WHERE pass_seq IN (...)`. */
export function sqlWriter<T>(write: (items: T[], tx: Transaction<any>) => Promise<unknown>): ItemWriter<T> {
  return {
    async write(items, tx) {
      await write(items, tx);
    },
  };
}
