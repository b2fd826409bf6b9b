// Reads a table in pages by key (WHERE key > last ORDER BY key LIMIT n), never by OFFSET, and
// saves the last key it handed out, so a restart resumes after the last committed item and
// neither skips nor repeats one (Spring Batch #1740).
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { ItemReader } from '../job.ts';

export interface KeysetReaderOptions<Row> {
  db: Kysely<any>;
  /** the rows to read, without ORDER BY or LIMIT; the key column must be unique and selected */
  query: (db: Kysely<any>) => SelectQueryBuilder<any, any, Row>;
  /** the unique key column, as selected (e.g. "pass_seq") and as written in WHERE (e.g. "pass.pass_seq") */
  key: keyof Row & string;
  keyColumn?: string;
  pageSize?: number;
  /** names the saved position; two readers in one step need different names */
  name?: string;
  /** also count the rows up front, for the progress bar (one COUNT query) */
  count?: boolean;
}

export function keysetReader<Row extends Record<string, unknown>>(options: KeysetReaderOptions<Row>): ItemReader<Row> {
  const { db, key } = options;
  const column = options.keyColumn ?? key;
  const pageSize = options.pageSize ?? 1000;
  const positionKey = `${options.name ?? 'keysetReader'}.lastKey`;
  let page: Row[] = [];
  let index = 0;
  let lastFetched: unknown = undefined;
  let lastReturned: unknown = undefined;
  let exhausted = false;

  async function fetchPage(): Promise<void> {
    let query = options.query(db);
    if (lastFetched !== undefined) query = query.where(column as any, '>', lastFetched as any);
    page = await query.orderBy(column as any).limit(pageSize).execute();
    index = 0;
    if (page.length < pageSize) exhausted = true;
    if (page.length) lastFetched = page[page.length - 1]![key];
  }

  return {
    open(context) {
      lastReturned = context[positionKey] ?? undefined;
      lastFetched = lastReturned;
      page = [];
      index = 0;
      exhausted = false;
    },
    read(): Row | null | Promise<Row | null> {
      if (index < page.length) {
        const row = page[index++]!;
        lastReturned = row[key];
        return row;
      }
      if (exhausted) return null;
      return fetchPage().then(() => {
        if (index >= page.length) return null;
        const row = page[index++]!;
        lastReturned = row[key];
        return row;
      });
    },
    update(context) {
      if (lastReturned !== undefined) context[positionKey] = lastReturned;
    },
    async expectedCount() {
      if (!options.count) return undefined;
      let query = options.query(db);
      if (lastReturned !== undefined) query = query.where(column as any, '>', lastReturned as any);
      const row = await db
        .selectFrom(query.as('counted'))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}
