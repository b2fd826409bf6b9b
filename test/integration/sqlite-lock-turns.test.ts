// Whose turn SQLite's write lock is (issue 15): a job's connection ('job') gives way before its
// next transaction while a transaction of the thread that serves people ('people') waits for the
// lock, so a desk sale waits for the chunk being written, not for a job committing chunk after
// chunk. Two connections on one file, in this thread: the job's first transaction holds the lock
// while the desk's waits; the job then begins its second at once, as a chunk loop does.
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openDatabase, type Database } from '../../main/batch/index.ts';
import { freshDatabase, type TestDatabase } from '../support/databases.ts';
import { waitUntil } from '../support/waitUntil.ts';

let t: TestDatabase;
let job: Database;
let desk: Database;
beforeEach(async () => {
  t = await freshDatabase('sqlite', { migrate: false });
  await sql`CREATE TABLE turns (id INTEGER PRIMARY KEY, who TEXT NOT NULL)`.execute(t.db.kysely);
  job = await openDatabase(t.url, { lockTurn: 'job' });
  desk = await openDatabase(t.url, { synchronous: 'AFTER_COMMIT', lockTurn: 'people' });
});
afterEach(async () => {
  await job.close();
  await desk.close();
  await t.dispose();
});

const write = (db: Database, who: string) => db.transaction((tx) => tx.run('INSERT INTO turns (who) VALUES (?)', [who]));

/**
 * A job's two chunks: the first holds the lock until `release`, then the next begins at once and
 * holds it for a while (without giving way, a desk would wait it out). Resolves once the first holds it.
 */
async function twoChunks(): Promise<{ release: () => void; chunks: Promise<void> }> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let entered = false;
  const chunks = (async () => {
    await job.transaction(async (tx) => {
      await tx.run('INSERT INTO turns (who) VALUES (?)', ['job 1']);
      entered = true;
      await held;
    });
    await job.transaction(async (tx) => {
      await tx.run('INSERT INTO turns (who) VALUES (?)', ['job 2']);
      await new Promise((r) => setTimeout(r, 100));
    });
  })();
  await waitUntil(() => entered, 'the job to hold the write lock');
  return { release, chunks };
}

test('a desk write waiting for a job\'s transaction goes in before the job\'s next one', async () => {
  const { release, chunks } = await twoChunks();
  const sale = write(desk, 'desk');
  await new Promise((r) => setTimeout(r, 30)); // the desk is waiting for the lock
  release();
  await Promise.all([chunks, sale]);
  const order = await sql<{ who: string }>`SELECT who FROM turns ORDER BY id`.execute(t.db.kysely);
  expect(order.rows.map((r) => r.who)).toEqual(['job 1', 'desk', 'job 2']);
});

test('a desk write outside any transaction (a sign-out) waits for a job\'s lock with the thread free and goes in before the job\'s next transaction', async () => {
  const { release, chunks } = await twoChunks();
  // A statement that commits by itself: inside SQLite's busy handler it would hold this thread,
  // and with it the job's transaction, which only this thread can end.
  const signOut = desk.kysely.insertInto('turns').values({ who: 'desk' }).execute();
  let turned = false;
  await new Promise((r) => setTimeout(r, 30)).then(() => (turned = true));
  expect(turned).toBe(true);
  release();
  await Promise.all([chunks, signOut]);
  const order = await sql<{ who: string }>`SELECT who FROM turns ORDER BY id`.execute(t.db.kysely);
  expect(order.rows.map((r) => r.who)).toEqual(['job 1', 'desk', 'job 2']);
});

test('a job\'s write outside any transaction waits for a desk transaction with the thread free', async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let entered = false;
  const sale = desk.transaction(async (tx) => {
    await tx.run('INSERT INTO turns (who) VALUES (?)', ['desk']);
    entered = true;
    await held;
  });
  await waitUntil(() => entered, 'the desk to hold the write lock');
  const lease = job.kysely.insertInto('turns').values({ who: 'job' }).execute();
  await new Promise((r) => setTimeout(r, 30));
  release();
  await Promise.all([sale, lease]);
  const order = await sql<{ who: string }>`SELECT who FROM turns ORDER BY id`.execute(t.db.kysely);
  expect(order.rows.map((r) => r.who)).toEqual(['desk', 'job']);
});
