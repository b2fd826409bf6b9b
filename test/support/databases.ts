// Every integration test runs on both databases: an SQLite file of its own and a fresh
// MariaDB/MySQL database of its own. In CI (CI=true) an unreachable MySQL fails the suite;
// on a laptop without MySQL the MySQL half skips and says why.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../../main/batch/database/connection.ts';
import { migrateToLatest } from '../../main/batch/database/migrator.ts';
import { migrations } from '../../db/migrations/index.ts';

export type Backend = 'sqlite' | 'mysql';

export const MYSQL_ADMIN_URL = process.env.PASS_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

async function probeMysql(): Promise<string | null> {
  try {
    const db = await openDatabase(MYSQL_ADMIN_URL, { poolSize: 1 });
    try {
      await db.kysely.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
    } finally {
      await db.close();
    }
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

const mysqlProblem = await probeMysql();
if (mysqlProblem && process.env.CI) {
  throw new Error(`MySQL/MariaDB at ${MYSQL_ADMIN_URL} is required in CI and is unreachable: ${mysqlProblem}`);
}
if (mysqlProblem) {
  console.warn(`[tests] skipping the MySQL suite: ${MYSQL_ADMIN_URL} unreachable (${mysqlProblem})`);
}

export const backends: Backend[] = mysqlProblem ? ['sqlite'] : ['sqlite', 'mysql'];

let counter = 0;

export interface TestDatabase {
  backend: Backend;
  url: string;
  db: Database;
  /** closes the connection and removes the file or database */
  dispose(): Promise<void>;
}

/** A new, empty, migrated database (unless `migrate: false`). */
export async function freshDatabase(backend: Backend, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `pc_t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  let url: string;
  let cleanup: () => Promise<void>;
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'pass-test-'));
    url = `sqlite:${join(dir, `${name}.sqlite`)}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const admin = await openDatabase(MYSQL_ADMIN_URL, { poolSize: 1 });
    await sql.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`).execute(admin.kysely);
    await admin.close();
    const base = new URL(MYSQL_ADMIN_URL);
    base.pathname = `/${name}`;
    url = base.toString();
    cleanup = async () => {
      const a = await openDatabase(MYSQL_ADMIN_URL, { poolSize: 1 });
      await sql.raw(`DROP DATABASE IF EXISTS \`${name}\``).execute(a.kysely);
      await a.close();
    };
  }
  const db = await openDatabase(url);
  if (options.migrate !== false) await migrateToLatest(db, migrations);
  return {
    backend,
    url,
    db,
    dispose: async () => {
      await db.close().catch(() => undefined);
      await cleanup();
    },
  };
}

/** `describe` once per available backend, named after it. */
export function describeEachBackend(title: string, body: (backend: Backend) => void): void {
  for (const backend of backends) describe(`${title} [${backend}]`, () => body(backend));
}
