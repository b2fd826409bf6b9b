// When people's changes reach the disk on SQLite (issue 15 item 6): the console's own connection
// commits as with synchronous = NORMAL and lets go of the write lock, then syncs the WAL off the
// thread before the commit returns (synchronous AFTER_COMMIT). These tests hold that sync open
// (a syncWal the test releases) to show what waits for it and what does not.
import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openDatabase, sqlitePath, type Database } from '../../main/batch/index.ts';
import { walSyncer } from '../../main/batch/database/connection.ts';
import { freshDatabase, type TestDatabase } from '../support/databases.ts';
import { waitUntil } from '../support/waitUntil.ts';

let t: TestDatabase;
let desk: Database;
let job: Database;
/** the WAL files the desk's connection asked to sync, and the syncs not yet let through */
let synced: string[];
let held: Array<() => void>;
beforeEach(async () => {
  t = await freshDatabase('sqlite', { migrate: false });
  await sql`CREATE TABLE sales (id INTEGER PRIMARY KEY, what TEXT NOT NULL)`.execute(t.db.kysely);
  synced = [];
  held = [];
  const heldSync = (walFile: string) => {
    synced.push(walFile);
    return new Promise<void>((resolve) => held.push(resolve));
  };
  desk = await openDatabase(t.url, { synchronous: 'AFTER_COMMIT', lockTurn: 'people', syncWal: heldSync });
  job = await openDatabase(t.url, { lockTurn: 'job' });
});
afterEach(async () => {
  for (const release of held) release();
  await desk.close();
  await job.close();
  await t.dispose();
});

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setTimeout(r, 50));
  return done;
};

test('a desk transaction returns only once its WAL is synced, and the write lock is free for a job while the sync runs', async () => {
  const sale = desk.transaction((tx) => tx.run('INSERT INTO sales (what) VALUES (?)', ['a 10-class pass']));
  await waitUntil(() => held.length === 1, 'the sale to ask for its sync');
  expect(synced).toEqual([`${sqlitePath(t.url)}-wal`]);
  expect(await settled(sale)).toBe(false);
  // committed and the lock let go: a job's chunk goes in meanwhile and sees the sale
  await job.transaction((tx) => tx.run('INSERT INTO sales (what) VALUES (?)', ['a job chunk']));
  expect((await job.kysely.selectFrom('sales').select('what').orderBy('id').execute()).map((r) => r.what)).toEqual(['a 10-class pass', 'a job chunk']);
  held.shift()!();
  await sale;
});

test('a single statement that writes, and a Kysely transaction, each return only after the sync; reads and a rolled-back transaction ask for none', async () => {
  const single = desk.kysely.insertInto('sales').values({ what: 'one statement' }).execute();
  await waitUntil(() => held.length === 1, 'the statement to ask for its sync');
  expect(await settled(single)).toBe(false);
  held.shift()!();
  await single;

  const kyselyTransaction = desk.kysely.transaction().execute(async (tx) => {
    await tx.insertInto('sales').values({ what: 'in a transaction' }).execute();
    await tx.updateTable('sales').set({ what: 'changed in it' }).where('what', '=', 'in a transaction').execute();
  });
  await waitUntil(() => held.length === 1, 'the transaction to ask for its sync');
  expect(await settled(kyselyTransaction)).toBe(false);
  held.shift()!();
  await kyselyTransaction;
  expect(synced).toHaveLength(2);

  // nothing written: nothing to sync
  expect(await desk.kysely.selectFrom('sales').select('what').orderBy('id').execute()).toEqual([{ what: 'one statement' }, { what: 'changed in it' }]);
  await expect(
    desk.kysely.transaction().execute(async (tx) => {
      await tx.insertInto('sales').values({ what: 'undone' }).execute();
      throw new Error('the desk cancelled');
    }),
  ).rejects.toThrow('the desk cancelled');
  expect(synced).toHaveLength(2);
  expect(held).toHaveLength(0);
});

test('a job\'s connection and the command line\'s never wait for a sync of their own', async () => {
  const cli = await openDatabase(t.url, { syncWal: () => Promise.reject(new Error('not to be called')) });
  try {
    await cli.kysely.insertInto('sales').values({ what: 'from the command line' }).execute();
    await job.transaction((tx) => tx.run('INSERT INTO sales (what) VALUES (?)', ['a job chunk']));
    expect([cli.commitsSynced, job.commitsSynced, desk.commitsSynced]).toEqual(['at-checkpoint', 'at-checkpoint', 'after-commit']);
    expect(synced).toEqual([]);
  } finally {
    await cli.close();
  }
});

test('the WAL syncer syncs an existing WAL file, again and again through one handle, and does nothing where there is none', async () => {
  await t.db.kysely.insertInto('sales').values({ what: 'to have a WAL' }).execute();
  const wal = `${sqlitePath(t.url)}-wal`;
  expect(existsSync(wal)).toBe(true);
  const syncer = walSyncer(wal);
  await expect(syncer.sync()).resolves.toBeUndefined();
  await t.db.kysely.insertInto('sales').values({ what: 'more' }).execute();
  await expect(syncer.sync()).resolves.toBeUndefined();
  await syncer.close();
  const none = walSyncer(`${wal}-that-is-not-there`);
  await expect(none.sync()).resolves.toBeUndefined();
  await none.close();
});
