// main/service/transactions.ts: which errors make the service run a transaction again (only those
// after which it surely did not commit), how many times, and that a try that failed leaves nothing
// behind (an SQLite file of its own; the real deadlocks are test/integration/service-lock-retry).
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError, toServiceError } from '../../main/service/errors.ts';
import { isLockConflict, isRefusedForLocks, retryingTransactions, TRANSACTION_RETRY } from '../../main/service/transactions.ts';
import { freshDatabase, type TestDatabase } from '../support/databases.ts';

const failure = (code: string) => Object.assign(new Error(code), { code });

describe('which errors a service transaction is run again after', () => {
  it('a deadlock, a stale SQLite snapshot and a locked SQLite table, which come at once, are run again', () => {
    for (const code of ['ER_LOCK_DEADLOCK', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']) expect(isLockConflict(failure(code)), code).toBe(true);
  });

  it('a lock wait that timed out (MariaDB 1205, SQLite busy past its timeout) is not run again: the person has waited long already, and it is answered in plain words, not as "something went wrong"', () => {
    for (const code of ['ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY']) {
      expect(isLockConflict(failure(code)), code).toBe(false);
      expect(isRefusedForLocks(failure(code)), code).toBe(true);
      const answered = toServiceError(failure(code));
      expect(answered.code, code).toBe('UNAVAILABLE');
      expect(answered.message).toMatch(/nothing was changed\. Try again in a moment/);
    }
    expect(toServiceError(failure('ER_LOCK_DEADLOCK')).code).toBe('UNAVAILABLE');
    expect(toServiceError(failure('ER_DUP_ENTRY')).code).toBe('INTERNAL');
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
      if (tries < 3) throw failure(tries === 1 ? 'SQLITE_BUSY_SNAPSHOT' : 'ER_LOCK_DEADLOCK');
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
      throw failure('ER_LOCK_DEADLOCK');
    });
    await expect(run).rejects.toMatchObject({ code: 'ER_LOCK_DEADLOCK' });
    expect(tries).toBe(3);
    expect(await notes()).toEqual([]);
  });

  it('a body whose lock wait timed out runs once and gives up with that error, having written nothing', async () => {
    await db.deleteFrom('note').execute();
    let tries = 0;
    const run = db.transaction().execute(async (tx) => {
      tries++;
      await tx.insertInto('note').values({ text: `try ${tries}` }).execute();
      throw failure('ER_LOCK_WAIT_TIMEOUT');
    });
    await expect(run).rejects.toMatchObject({ code: 'ER_LOCK_WAIT_TIMEOUT' });
    expect(tries).toBe(1);
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
