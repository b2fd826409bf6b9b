// A gate on the served database's `pass` table, installed by the browser test (never by the app):
// while closed, changing the status of one chosen pass is refused, so expirePassesJob fails at
// the chunk holding it with the chunks before it committed; once opened, every status change
// costs a little time (MariaDB: SLEEP, SQLite: a small cross join), so a restart runs chunk by
// chunk slowly enough for the screens to show each chunk's progress. Which chunk is blocked and
// in what order the counts grow is fixed by the data, not by a clock. The test also adds passes
// due to expire, so there are many chunks whatever the job's chunk size.
import { createConnection, type Connection } from 'mysql2/promise';
import type { Database as Sqlite } from 'better-sqlite3';
import { toDbTime } from '../../../main/batch/index.ts';
import type { Served } from './server.ts';

/** Per changed row while open: about half a millisecond, a few seconds for a restart's rows. */
const MYSQL_DELAY_SECONDS = 0.0005;
const SQLITE_BALLAST_ROWS = 100; // 100 × 100 rows joined per changed row

/** Copies of every pass, made active and ended in 2030 (so due at any later `now`), for no bulk grant. */
const COPY_PASSES = (endedAt: string) =>
  `INSERT INTO pass (package_seq, user_id, status, remaining_count, started_at, ended_at, created_at, modified_at)
   SELECT package_seq, user_id, 'PROGRESSED', 5, started_at, '${endedAt}', created_at, created_at FROM pass WHERE bulk_pass_seq IS NULL`;

export interface PassGate {
  /** doubles the passes sold at the desk `times` times over, each copy due to expire after 2030 */
  addDuePasses(times: number): Promise<void>;
  /** the passes expirePassesJob would expire at `now`, by pass_seq (its reading order) */
  dueForExpiry(now: Date): Promise<number[]>;
  /** closed: a status change of `passSeq` is refused */
  install(passSeq: number): Promise<void>;
  open(): Promise<void>;
  remove(): Promise<void>;
  close(): Promise<void>;
}

const DUE = (at: string) => `status IN ('READY', 'PROGRESSED') AND (ended_at <= '${at}' OR remaining_count = 0)`;

export async function passGate(served: Served): Promise<PassGate> {
  if (served.backend === 'sqlite') return sqliteGate(served.dbUrl.slice('sqlite:'.length));
  return mysqlGate(await createConnection(served.dbUrl));
}

async function sqliteGate(path: string): Promise<PassGate> {
  const { default: SQLite } = await import('better-sqlite3');
  const db: Sqlite = new SQLite(path);
  db.pragma('busy_timeout = 15000');
  return {
    async addDuePasses(times) {
      for (let i = 0; i < times; i++) db.exec(COPY_PASSES(toDbTime(new Date('2030-01-01T00:00:00Z'))));
    },
    async dueForExpiry(now) {
      return (db.prepare(`SELECT pass_seq FROM pass WHERE ${DUE(toDbTime(now))} ORDER BY pass_seq`).all() as { pass_seq: number }[]).map((r) => Number(r.pass_seq));
    },
    async install(passSeq) {
      db.exec(`
        CREATE TABLE e2e_gate (id INTEGER PRIMARY KEY, open INTEGER NOT NULL);
        INSERT INTO e2e_gate VALUES (1, 0);
        CREATE TABLE e2e_ballast (n INTEGER NOT NULL);
        CREATE TRIGGER e2e_gate_refuse BEFORE UPDATE OF status ON pass
          WHEN NEW.pass_seq = ${Number(passSeq)} AND NEW.status <> OLD.status AND (SELECT open FROM e2e_gate WHERE id = 1) = 0
          BEGIN SELECT RAISE(ABORT, 'e2e gate: pass ${Number(passSeq)} may not change yet'); END;
        CREATE TRIGGER e2e_gate_slow BEFORE UPDATE OF status ON pass
          WHEN NEW.status <> OLD.status AND (SELECT open FROM e2e_gate WHERE id = 1) = 1
          BEGIN SELECT count(*) FROM e2e_ballast AS a, e2e_ballast AS b WHERE a.n + b.n < 0; END;
      `);
      const insert = db.prepare('INSERT INTO e2e_ballast VALUES (?)');
      db.transaction(() => {
        for (let n = 0; n < SQLITE_BALLAST_ROWS; n++) insert.run(n);
      })();
    },
    async open() {
      db.exec('UPDATE e2e_gate SET open = 1 WHERE id = 1');
    },
    async remove() {
      db.exec('DROP TRIGGER IF EXISTS e2e_gate_refuse; DROP TRIGGER IF EXISTS e2e_gate_slow; DROP TABLE IF EXISTS e2e_gate; DROP TABLE IF EXISTS e2e_ballast;');
    },
    async close() {
      db.close();
    },
  };
}

async function mysqlGate(c: Connection): Promise<PassGate> {
  return {
    async addDuePasses(times) {
      for (let i = 0; i < times; i++) await c.query(COPY_PASSES(toDbTime(new Date('2030-01-01T00:00:00Z'))));
    },
    async dueForExpiry(now) {
      const [rows] = await c.query(`SELECT pass_seq FROM pass WHERE ${DUE(toDbTime(now))} ORDER BY pass_seq`);
      return (rows as { pass_seq: number }[]).map((r) => Number(r.pass_seq));
    },
    async install(passSeq) {
      await c.query('CREATE TABLE e2e_gate (id INT PRIMARY KEY, open INT NOT NULL)');
      await c.query('INSERT INTO e2e_gate VALUES (1, 0)');
      await c.query(`CREATE TRIGGER e2e_gate BEFORE UPDATE ON pass FOR EACH ROW BEGIN
        IF NEW.status <> OLD.status THEN
          IF (SELECT open FROM e2e_gate WHERE id = 1) = 0 THEN
            IF NEW.pass_seq = ${Number(passSeq)} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'e2e gate: pass ${Number(passSeq)} may not change yet'; END IF;
          ELSE
            DO SLEEP(${MYSQL_DELAY_SECONDS});
          END IF;
        END IF;
      END`);
    },
    async open() {
      await c.query('UPDATE e2e_gate SET open = 1 WHERE id = 1');
    },
    async remove() {
      await c.query('DROP TRIGGER IF EXISTS e2e_gate');
      await c.query('DROP TABLE IF EXISTS e2e_gate');
    },
    async close() {
      await c.end();
    },
  };
}
