// Column types that differ between MySQL/MariaDB and SQLite. Migrations ask here, so
// each table is written once for both databases.
import { MysqlAdapter, sql, type Kysely, type ColumnDataType, type Expression } from 'kysely';

export interface Columns {
  mysql: boolean;
  /** auto-increment primary key type: BIGINT on MySQL, INTEGER (rowid) on SQLite */
  id: ColumnDataType;
  /** UTC time with milliseconds */
  datetime3: Expression<unknown> | ColumnDataType;
  /** UTC time with microseconds (Spring Batch's metadata columns) */
  datetime6: Expression<unknown> | ColumnDataType;
  text: Expression<unknown> | ColumnDataType;
  json: Expression<unknown> | ColumnDataType;
  bool: ColumnDataType;
}

export function columnsFor(db: Kysely<any>): Columns {
  const mysql = db.getExecutor().adapter instanceof MysqlAdapter;
  return mysql
    ? {
        mysql,
        id: 'bigint',
        datetime3: sql`datetime(3)`,
        datetime6: sql`datetime(6)`,
        text: sql`longtext`,
        json: 'json',
        bool: 'boolean',
      }
    : { mysql, id: 'integer', datetime3: 'text', datetime6: 'text', text: 'text', json: 'text', bool: 'integer' };
}

/** MySQL tables in InnoDB with utf8mb4, so Korean names and emoji survive. */
export const tableOptions = (c: Columns) => (c.mysql ? sql`ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci` : sql``);
