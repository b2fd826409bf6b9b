// main/service/transactions.ts: which errors make the service run a transaction again (only those
// after which it surely did not commit), how many times, and that a try that failed leaves nothing
// behind (an SQLite file of its own; the real deadlocks are test/integration/service-lock-retry).
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../main/service/errors.ts';
import { isLockConflict, retryingTransactions, TRANSACTION_RETRY } from '../../main/service/transactions.ts';
import { freshDatabase, type TestDatabase } from '../support/databases.ts';

const failure = (code: string) => Object.assign(new Error(code), { code });

describe('which errors a service transaction is run again after', () => {
  it('a deadlock, a lock wait timeout and a busy or locked SQLite file are run again', () => {
    for (const code of ['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']) expect(isLockConflict(failure(code)), code).toBe(true);
  });

  it('a refusal, a broken rule of the database and a lost connection (whose COMMIT may have gone through) are not', () => {
    const refusal = new ServiceError('CONFLICT', { ko: '안 됩니다', en: 'No' });
    for (const error of [refusal, failure('ER_DUP_ENTRY'), failure('SQLITE_CONSTRAINT_UNIQUE'), failure('PROTOCOL_CONNECTION_LOST'), failure('ECONNRESET'), new Error('Connection lost'), null, undefined]) {
      expect(isLockConflict(error), String((error as Error | null)?.message)).toBe(false);
    }
  });

  it('three tries in all, the waits between them short and random', () => {
    expect(TRANSACTION_RETRY.retries).toBe(2);
    for (let i = 0; i < 50; i++) {
      const first = TRANSACTION_RETRY.backoff!(0);
      const second = TRANSACTION_RETRY.backoff!(1);
      expect(first).toBeGreaterThanOrEqual(10);
      expect(first).toBeLessThanOrEqual(50);
      expect(second).toBeGreaterThanOrEqual(20);
      expect(second).toBeLessThanOrEqual(60);
    }
  });
});

describe('a retrying transaction', () => {
  let database: TestDatabase;
  let db: Kysely<{ note: { text: string } }>;
  const notes = async () => (await db.selectFrom('note').select('text').execute()).map((n) => n.text);

  beforeAll(async () => {
    database = await freshDatabase('sqlite', { migrate: false });
    db = retryingTransactions(database.db.kysely as unknown as Kysely<{ note: { text: string } }>);
    await sql`CREATE TABLE note (text TEXT NOT NULL)`.execute(db);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('a body refused for a lock twice runs a third time, and only the third try’s writes are kept', async () => {
    await db.deleteFrom('note').execute();
    let tries = 0;
    const answer = await db.transaction().execute(async (tx) => {
      tries++;
      await tx.insertInto('note').values({ text: `try ${tries}` }).execute();
      if (tries < 3) throw failure(tries === 1 ? 'SQLITE_BUSY' : 'ER_LOCK_DEADLOCK');
      return 'done';
    });
    expect(answer).toBe('done');
    expect(tries).toBe(3);
    expect(await notes()).toEqual(['try 3']);
  });

  it('a body refused for a lock three times gives up with that error, having written nothing', async () => {
    await db.deleteFrom('note').execute();
    let tries = 0;
    const run = db.transaction().execute(async (tx) => {
      tries++;
      await tx.insertInto('note').values({ text: `try ${tries}` }).execute();
      throw failure('ER_LOCK_WAIT_TIMEOUT');
    });
    await expect(run).rejects.toMatchObject({ code: 'ER_LOCK_WAIT_TIMEOUT' });
    expect(tries).toBe(3);
    expect(await notes()).toEqual([]);
  });

  it('a body that fails for any other reason runs once', async () => {
    let tries = 0;
    const refusal = new ServiceError('CONFLICT', { ko: '안 됩니다', en: 'No' });
    await expect(
      db.transaction().execute(async () => {
        tries++;
        throw refusal;
      }),
    ).rejects.toBe(refusal);
    expect(tries).toBe(1);
  });

  it('everything else is the database’s own: a query outside a transaction reads and writes as before', async () => {
    await db.deleteFrom('note').execute();
    await db.insertInto('note').values({ text: 'plain' }).execute();
    expect(await notes()).toEqual(['plain']);
    expect(db.isTransaction).toBe(false);
  });
});
