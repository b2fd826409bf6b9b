// The job thread (issue 15): on SQLite the console runs a job's steps on a worker thread of its
// own, so the thread serving people answers while a job is in the middle of a chunk. The gated
// job (test/fixtures/testJobs.ts) holds whatever thread runs it, synchronously, the way a
// better-sqlite3 statement does, until the test opens its gate, which the test does only after
// an HTTP request was answered: run on the serving thread, nothing could answer, the gate would
// time out and the execution would fail.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { JobOperator, openDatabase, sqlitePath, type BatchEvent, type Database } from '../../main/batch/index.ts';
import { startHttpServer } from '../../main/http/server.ts';
import { createService } from '../../main/service/service.ts';
import { freshDatabase, type TestDatabase } from '../support/databases.ts';
import { createItemTables, fillSource, targetIds } from '../fixtures/testJobs.ts';
import { testJobThreadFile, threadJobs } from '../fixtures/testJobThread.ts';
import { waitUntil } from '../support/waitUntil.ts';

const PASSWORD = 'admin-password-1';

let t: TestDatabase;
let dir: string;
let operator: JobOperator;
beforeEach(async () => {
  t = await freshDatabase('sqlite');
  await createItemTables(t.db);
  dir = mkdtempSync(join(tmpdir(), 'pass-job-thread-'));
  operator = new JobOperator({ database: t.db, jobs: threadJobs, jobThread: { filename: testJobThreadFile } });
});
afterEach(async () => {
  await operator.close();
  await t.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('on SQLite the HTTP API answers while a job on the job thread is held in the middle of a chunk', async () => {
  const service = createService({ db: t.db, operator });
  await service.ensureAdmin({ password: PASSWORD });
  const server = await startHttpServer({ service, warn: () => undefined });
  try {
    const login = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const gate = join(dir, 'gate');
    const reached = join(dir, 'reached');
    const events: BatchEvent['type'][] = [];
    operator.events.subscribe((event) => events.push(event.type));

    const launched = await operator.start('gatedJob', { gate, reached, gateMs: 20_000 });
    await waitUntil(() => existsSync(reached), 'the job to reach its gate');
    const answer = await fetch(`${server.url}/api/executions?pageSize=20`, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(200);
    const listed = (await answer.json()) as { items: Array<{ id: number; status: string }> };
    expect(listed.items.find((e) => e.id === launched.execution.id)?.status).toBe('STARTED');
    writeFileSync(gate, 'open');

    const done = await launched.done;
    expect([done.status, done.exitMessage]).toEqual(['COMPLETED', '']);
    expect(await targetIds(t.db.kysely)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // it ran on another thread of this process, and its events crossed back
    expect(Number(readFileSync(reached, 'utf8'))).not.toBe(threadId);
    expect(events).toEqual(['job-started', 'step-started', 'chunk-committed', 'chunk-committed', 'step-finished', 'job-finished']);
  } finally {
    await server.close();
  }
});

test('a stop asked on the serving thread ends the job thread\'s execution STOPPED at a chunk boundary, and a restart finishes it', async () => {
  await fillSource(t.db, 2_000);
  const launched = await operator.start('copyJob', { run: 'stop-me' });
  let committed = 0;
  operator.events.subscribe((event) => {
    if (event.type === 'chunk-committed') committed++;
  });
  await waitUntil(() => committed >= 3, 'three chunks to commit');
  await operator.stop(launched.execution.id);
  const stopped = await launched.done;
  expect(stopped.status).toBe('STOPPED');
  const written = (await targetIds(t.db.kysely)).length;
  expect(written % 10).toBe(0);
  expect(written).toBeLessThan(2_000);

  const restarted = await (await operator.restart(stopped.id)).done;
  expect(restarted.status).toBe('COMPLETED');
  expect(await targetIds(t.db.kysely)).toEqual(Array.from({ length: 2_000 }, (_, i) => i + 1));
});

test('a stop another desk writes into the database reaches the job thread through the lease it renews there', async () => {
  await fillSource(t.db, 2_000);
  const fast = new JobOperator({ database: t.db, jobs: threadJobs, jobThread: { filename: testJobThreadFile }, heartbeatMs: 200 });
  const otherDesk = new JobOperator({ database: t.db, jobs: threadJobs });
  try {
    let committed = 0;
    fast.events.subscribe((event) => {
      if (event.type === 'chunk-committed') committed++;
    });
    const launched = await fast.start('copyJob', { run: 'stop-from-afar' });
    await waitUntil(() => committed >= 2, 'two chunks to commit');
    const owner = () => t.db.kysely.selectFrom('BATCH_JOB_EXECUTION_OWNER').select('HEARTBEAT_AT').where('JOB_EXECUTION_ID', '=', launched.execution.id).executeTakeFirstOrThrow();
    const first = (await owner()).HEARTBEAT_AT;
    await otherDesk.stop(launched.execution.id);
    expect((await launched.done).status).toBe('STOPPED');
    // the thread renewed the lease while it ran
    expect((await owner()).HEARTBEAT_AT).not.toBe(first);
    expect((await targetIds(t.db.kysely)).length).toBeLessThan(2_000);
  } finally {
    await fast.close();
    await otherDesk.close();
  }
});

test('the console on SQLite records people\'s actions synced before they return (its WAL synced after each commit) and runs its jobs on the job thread; the command line\'s runtime stays in-process with NORMAL', async () => {
  const { openRuntime } = await import('../../main/app/runtime.ts');
  const synchronous = async (db: TestDatabase['db']) => Number((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db.kysely)).rows[0]!.synchronous);
  const consoleRuntime = await openRuntime({ dbUrl: t.url, jobThread: true });
  try {
    expect(await synchronous(consoleRuntime.db)).toBe(1); // NORMAL inside SQLite,
    expect(consoleRuntime.db.commitsSynced).toBe('after-commit'); // the WAL synced after each commit
    expect(consoleRuntime.operator.runsOnJobThread).toBe(true);
  } finally {
    await consoleRuntime.close();
  }
  const cliRuntime = await openRuntime({ dbUrl: t.url });
  try {
    expect(await synchronous(cliRuntime.db)).toBe(1); // NORMAL
    expect(cliRuntime.db.commitsSynced).toBe('at-checkpoint');
    expect(cliRuntime.operator.runsOnJobThread).toBe(false);
  } finally {
    await cliRuntime.close();
  }
});

test('the console on SQLite never checkpoints the WAL on the serving thread: pages people wrote stay in the WAL until the job thread copies them, when asked and every checkpointEveryMs', async () => {
  const { openRuntime } = await import('../../main/app/runtime.ts');
  const file = sqlitePath(t.url);
  const fileSize = () => statSync(file).size;
  // 40 transactions of 30 rows of 4,000 bytes: about 1,200 pages, past SQLite's automatic
  // checkpoint at 1,000, which would copy them into the file on the committing connection
  const writeADay = async (db: Database, from: number) => {
    for (let i = 0; i < 40; i++) {
      await db.transaction(async (tx) => {
        for (let j = 0; j < 30; j++) await tx.run('INSERT INTO test_source (id, value) VALUES (?, ?)', [from + i * 30 + j, 'x'.repeat(4000)]);
      });
    }
  };
  const asked = await openRuntime({ dbUrl: t.url, jobThread: true, checkpointEveryMs: 3_600_000 });
  try {
    const before = fileSize();
    await writeADay(asked.db, 1);
    expect(fileSize()).toBe(before); // all of it still in the WAL
    await asked.operator.checkpoint();
    expect(fileSize()).toBeGreaterThan(before + 1_000 * 4096);
  } finally {
    await asked.close();
  }
  const timed = await openRuntime({ dbUrl: t.url, jobThread: true, checkpointEveryMs: 50 });
  try {
    const before = fileSize();
    await writeADay(timed.db, 10_001);
    await waitUntil(() => fileSize() > before + 1_000 * 4096, 'the job thread to checkpoint the WAL on its own');
  } finally {
    await timed.close();
  }
});

test('a write on the serving connection waits for the job\'s open chunk with the serving thread free, then commits', async () => {
  const serving = await openDatabase(t.url, { synchronous: 'AFTER_COMMIT', lockTurn: 'people' });
  try {
    const gate = join(dir, 'gate');
    const reached = join(dir, 'reached');
    const launched = await operator.start('gatedJob', { gate, reached, inWriter: 1, gateMs: 20_000 });
    await waitUntil(() => existsSync(reached), 'the job to hold its chunk\'s write lock');
    // a desk sale's transaction: it can't begin until the chunk commits
    let written = false;
    const sale = serving.kysely
      .transaction()
      .execute(async (tx) => {
        await tx.insertInto('test_source').values({ id: 1, value: 'sold at the desk' }).execute();
      })
      .then(() => (written = true));
    // meanwhile this thread goes on: timers fire, and the gate is opened from here
    await new Promise((r) => setTimeout(r, 200));
    expect(written).toBe(false);
    writeFileSync(gate, 'open');
    await sale;
    const done = await launched.done;
    expect([done.status, done.exitMessage]).toEqual(['COMPLETED', '']);
    expect(await targetIds(t.db.kysely)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await serving.kysely.selectFrom('test_source').select('value').execute()).toEqual([{ value: 'sold at the desk' }]);
  } finally {
    await serving.close();
  }
});
