// DESIGN.md: "a console pointed at an existing Spring Batch schema can show its history".
// On both databases and for each Spring Batch line Pass Console adopts (5.2 and 6.0, each from
// its own DDL in test/fixtures; on MariaDB also Spring's schema-mariadb.sql): the schema a Spring Batch application made, with history
// written the way Spring writes it, is adopted by the migrations; its executions list with their
// counts; the Spring application's running execution is left alone; Pass Console's own launches
// take ids from that version's sequences so the two never collide. A schema that is neither
// (Spring Batch 4's, a partial one, a newer one) is refused with advice that fits, nothing changed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { JobOperator } from '../../main/batch/index.ts';
import { openDatabase } from '../../main/batch/database/connection.ts';
import { migrateToLatest } from '../../main/batch/database/migrator.ts';
import { migrations } from '../../db/migrations/index.ts';
import { backends, describeEachBackend, freshDatabase, MYSQL_ADMIN_URL, type Backend, type TestDatabase } from '../support/databases.ts';
import { copyJob, createItemTables, fillSource, targetIds } from '../fixtures/testJobs.ts';

/**
 * Each Spring Batch line adopted: its DDL (test/fixtures/<fixtures>/schema-<ddl>.sql) and the
 * sequence its JDBC job repository takes instance ids from (6.0 renamed BATCH_JOB_SEQ).
 */
const SPRING_VERSIONS = [
  { version: '5.2', fixtures: 'spring-batch-5', instanceSequence: 'BATCH_JOB_SEQ' },
  { version: '6.0', fixtures: 'spring-batch-6', instanceSequence: 'BATCH_JOB_INSTANCE_SEQ' },
] as const;
type SpringVersion = (typeof SPRING_VERSIONS)[number];

/**
 * Spring's DDL files: schema-sqlite.sql; on MySQL/MariaDB schema-mysql.sql (one-row sequence
 * tables) and, where the server is MariaDB (MySQL has no SEQUENCE), schema-mariadb.sql.
 */
type Ddl = 'sqlite' | 'mysql' | 'mariadb';

async function serverIsMariaDb(): Promise<boolean> {
  const admin = await openDatabase(MYSQL_ADMIN_URL, { poolSize: 1 });
  try {
    const { rows } = await sql<{ v: string }>`SELECT VERSION() AS v`.execute(admin.kysely);
    return /mariadb/i.test(rows[0]!.v);
  } finally {
    await admin.close();
  }
}
const DDLS: Record<Backend, Ddl[]> = {
  sqlite: ['sqlite'],
  mysql: backends.includes('mysql') && (await serverIsMariaDb()) ? ['mysql', 'mariadb'] : ['mysql'],
};

const springSchema = (spring: SpringVersion, ddl: Ddl) =>
  readFileSync(join(import.meta.dirname, '../fixtures', spring.fixtures, `schema-${ddl}.sql`), 'utf8');

/**
 * A java.util.HashMap, Java-serialised and Base64-encoded: the default context serializer of
 * Spring Batch 5 and 6 alike (DefaultExecutionContextSerializer).
 */
const JAVA_CONTEXT = 'rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcAUH2sHDFmDRAwACRgAKbG9hZEZhY3RvckkACXRocmVzaG9sZHhwP0AAAAAAAAB3CAAAABAAAAAAeA==';

async function exec(db: Kysely<any>, statements: string): Promise<void> {
  const withoutComments = statements.replace(/^--.*$/gm, '');
  for (const statement of withoutComments.split(';').map((s) => s.trim()).filter(Boolean)) await sql.raw(statement).execute(db);
}

async function tableNames(db: Kysely<any>): Promise<string[]> {
  return (await db.introspection.getTables()).map((t) => t.name).sort();
}

/** The zone the Spring application's JVM runs in: the gym's (the operators' default). */
const SPRING_ZONE = 'Asia/Seoul';

/** How Spring Batch's JDBC code stores a time: its JVM's wall clock on MySQL, epoch milliseconds on SQLite. */
const springTime = (backend: Backend, iso: string) =>
  backend === 'mysql' ? `'${DateTime.fromISO(iso).setZone(SPRING_ZONE).toFormat('yyyy-MM-dd HH:mm:ss.SSS')}'` : String(Date.parse(iso));

/**
 * What a Spring Batch application had written: one import that completed, one report still
 * running there. 5.2 and 6.0 write the same rows (their JdbcJobExecutionDao: PARAMETER_TYPE the
 * Java class name, PARAMETER_VALUE through the conversion service), except for the sequence name.
 */
async function springHistory(db: Kysely<any>, backend: Backend, ddl: Ddl, spring: SpringVersion): Promise<void> {
  const t = (iso: string) => springTime(backend, iso);
  const longAgo = t('2026-11-30T01:00:00.000Z');
  await exec(
    db,
    `INSERT INTO BATCH_JOB_INSTANCE VALUES (1, 0, 'importMembersJob', '0c5b7d9e0b1f4a2c8d3e6f7a8b9c0d1e');
     INSERT INTO BATCH_JOB_INSTANCE VALUES (2, 0, 'nightlyReportJob', '9f8e7d6c5b4a39281706f5e4d3c2b1a0');
     INSERT INTO BATCH_JOB_EXECUTION VALUES (1, 2, 1, ${t('2026-11-29T09:00:00.000Z')}, ${t('2026-11-29T09:00:00.120Z')}, ${t('2026-11-29T09:00:04.500Z')}, 'COMPLETED', 'COMPLETED', '', ${t('2026-11-29T09:00:04.500Z')});
     INSERT INTO BATCH_JOB_EXECUTION VALUES (2, 1, 2, ${longAgo}, ${longAgo}, NULL, 'STARTED', 'UNKNOWN', '', ${longAgo});
     INSERT INTO BATCH_JOB_EXECUTION_PARAMS VALUES (1, 'chunkSize', 'java.lang.Long', '100', 'N');
     INSERT INTO BATCH_JOB_EXECUTION_PARAMS VALUES (1, 'requestedAt', 'java.time.LocalDateTime', '2026-11-29T09:00:00', 'Y');
     INSERT INTO BATCH_JOB_EXECUTION_PARAMS VALUES (1, 'runDate', 'java.time.LocalDate', '2026-11-29', 'Y');
     INSERT INTO BATCH_JOB_EXECUTION_PARAMS VALUES (1, 'ratio', 'java.lang.Double', 'not-a-number', 'N');
     INSERT INTO BATCH_JOB_EXECUTION_CONTEXT VALUES (1, '${JAVA_CONTEXT}', NULL);
     INSERT INTO BATCH_JOB_EXECUTION_CONTEXT VALUES (2, '${JAVA_CONTEXT}', NULL);
     INSERT INTO BATCH_STEP_EXECUTION VALUES (1, 5, 'importStep', 1, ${t('2026-11-29T09:00:00.150Z')}, ${t('2026-11-29T09:00:00.150Z')}, ${t('2026-11-29T09:00:04.400Z')}, 'COMPLETED', 3, 250, 5, 240, 0, 5, 0, 1, 'COMPLETED', '', ${t('2026-11-29T09:00:04.400Z')});
     INSERT INTO BATCH_STEP_EXECUTION_CONTEXT VALUES (1, '${JAVA_CONTEXT}', NULL);
     INSERT INTO BATCH_STEP_EXECUTION VALUES (2, 3, 'reportStep', 2, ${longAgo}, ${longAgo}, NULL, 'STARTED', 2, 2000, 0, 2000, 0, 0, 0, 0, 'EXECUTING', '', ${longAgo});
     INSERT INTO BATCH_STEP_EXECUTION_CONTEXT VALUES (2, '${JAVA_CONTEXT}', NULL)`,
  );
  for (const sequence of [spring.instanceSequence, 'BATCH_JOB_EXECUTION_SEQ', 'BATCH_STEP_EXECUTION_SEQ']) {
    const set = { mysql: `UPDATE ${sequence} SET ID = 2`, mariadb: `SELECT SETVAL(${sequence}, 2)`, sqlite: `INSERT INTO ${sequence} VALUES (2)` };
    await exec(db, set[ddl]);
  }
}

/** The next id as the Spring Batch application takes it (its MySQL, MariaDB and SQLite incrementers' SQL). */
async function springNextId(db: Kysely<any>, ddl: Ddl, table: string): Promise<number> {
  return db.connection().execute(async (conn) => {
    if (ddl === 'mariadb') {
      const { rows } = await sql.raw<{ id: number }>(`SELECT NEXT VALUE FOR ${table} AS id`).execute(conn);
      return Number(rows[0]!.id);
    }
    if (ddl === 'mysql') {
      await sql.raw(`UPDATE ${table} SET ID = LAST_INSERT_ID(ID + 1)`).execute(conn);
      const { rows } = await sql.raw<{ id: number }>('SELECT LAST_INSERT_ID() AS id').execute(conn);
      return Number(rows[0]!.id);
    }
    await sql.raw(`INSERT INTO ${table} VALUES (NULL)`).execute(conn);
    const { rows } = await sql.raw<{ id: number }>(`SELECT MAX(ROWID) AS id FROM ${table}`).execute(conn);
    return Number(rows[0]!.id);
  });
}

/** `describe` once per Spring Batch version, backend and Spring DDL for that backend. */
function describeEachSpringSchema(body: (spring: SpringVersion, backend: Backend, ddl: Ddl) => void): void {
  for (const spring of SPRING_VERSIONS) {
    describeEachBackend(`a database Spring Batch ${spring.version} made`, (backend) => {
      for (const ddl of DDLS[backend]) describe(`with schema-${ddl}.sql`, () => body(spring, backend, ddl));
    });
  }
}

describeEachSpringSchema((spring, backend, ddl) => {
  let t: TestDatabase;
  let operator: JobOperator | undefined;
  beforeEach(async () => {
    t = await freshDatabase(backend, { migrate: false });
    await exec(t.db.kysely, springSchema(spring, ddl));
    await springHistory(t.db.kysely, backend, ddl, spring);
  });
  afterEach(async () => {
    await operator?.close();
    operator = undefined;
    await t.dispose();
  });

  test('is adopted: its history stays and lists with its parameters and counts; migrating again does nothing', async () => {
    expect(await migrateToLatest(t.db, migrations)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(t.db, migrations)).toEqual([]);
    operator = new JobOperator({ database: t.db, jobs: [copyJob()] });

    const { total, executions } = await operator.explorer.listJobExecutions();
    expect(total).toBe(2);
    const imported = executions.find((e) => e.id === 1)!;
    expect(imported).toMatchObject({ jobName: 'importMembersJob', status: 'COMPLETED', instanceId: 1, launchedBy: null });
    expect(imported.endTime).toEqual(new Date('2026-11-29T09:00:04.500Z'));
    const params = Object.fromEntries(imported.parameters.map((p) => [p.name, p]));
    expect(params.chunkSize).toEqual({ name: 'chunkSize', type: 'number', value: 100, identifying: false });
    expect(params.requestedAt).toMatchObject({ type: 'dateTime', identifying: true });
    expect(params.runDate).toEqual({ name: 'runDate', type: 'string', value: '2026-11-29', identifying: true });
    expect(params.ratio).toEqual({ name: 'ratio', type: 'string', value: 'not-a-number', identifying: false });

    expect((await operator.explorer.executionTotals([1])).get(1)).toEqual({ read: 250, write: 240, filter: 5, skip: 5 });
    const [step] = await operator.repository.stepExecutions(1);
    expect(step).toMatchObject({ stepName: 'importStep', commitCount: 3, rollbackCount: 1, writeSkipCount: 5, executionContext: {} });
    expect(await operator.repository.getJobExecutionContext(1)).toEqual({});

    // Told the Spring application runs on UTC, the same MySQL wall clock reads 9 hours later; SQLite's instants stay.
    const onUtc = new JobOperator({ database: t.db, jobs: [copyJob()], springTimeZone: 'UTC' });
    try {
      const end = (await onUtc.repository.getJobExecution(1))!.endTime;
      expect(end).toEqual(new Date(backend === 'mysql' ? '2026-11-29T18:00:04.500Z' : '2026-11-29T09:00:04.500Z'));
    } finally {
      await onUtc.close();
    }
    expect(() => new JobOperator({ database: t.db, jobs: [], springTimeZone: 'Mars/Olympus' })).toThrow(/"Mars\/Olympus" is not a time zone name/);
  });

  test("leaves the Spring application's running execution alone, and takes ids from Spring's sequences so neither side collides", async () => {
    await migrateToLatest(t.db, migrations);
    await createItemTables(t.db);
    await fillSource(t.db, 250);
    operator = new JobOperator({ database: t.db, jobs: [copyJob()], leaseMs: 1000 });

    expect(await operator.recoverOrphans()).toEqual([]);
    const execution = await operator.run('copyJob');
    expect(execution.status).toBe('COMPLETED');
    expect(await targetIds(t.db.kysely)).toHaveLength(250);
    expect((await operator.repository.getJobExecution(2))?.status).toBe('STARTED');

    // Spring's sequences stood at 2, 2 and 2: this run took the next of each.
    expect(execution).toMatchObject({ id: 3, instanceId: 3, external: false });
    expect((await operator.repository.stepExecutions(3)).map((s) => s.id)).toEqual([3]);
    // ... so the ids the Spring application takes next are free.
    const nextExecution = await springNextId(t.db.kysely, ddl, 'BATCH_JOB_EXECUTION_SEQ');
    expect(nextExecution).toBe(4);
    await exec(t.db.kysely, `INSERT INTO BATCH_JOB_EXECUTION VALUES (${nextExecution}, 0, 2, ${springTime(backend, new Date().toISOString())}, NULL, NULL, 'STARTING', 'UNKNOWN', '', NULL)`);

    // A relaunch of the same instance reuses it and takes no instance id.
    await expect(operator.run('copyJob')).rejects.toThrow(/already complete/);
    const springInstance = await springNextId(t.db.kysely, ddl, spring.instanceSequence);
    expect(springInstance).toBe(4);
    await exec(t.db.kysely, `INSERT INTO BATCH_JOB_INSTANCE VALUES (${springInstance}, 0, 'importMembersJob', 'a1b2c3d4e5f60718293a4b5c6d7e8f90')`);

    // Our next launch (a new instance) takes the ids after the ones the Spring application took.
    await sql`DELETE FROM test_target`.execute(t.db.kysely);
    const again = await operator.run('copyJob', { run: 'again' });
    expect(again).toMatchObject({ status: 'COMPLETED', id: 5, instanceId: 5 });
    expect((await operator.repository.stepExecutions(5)).map((s) => s.id)).toEqual([4]);
    expect(await springNextId(t.db.kysely, ddl, 'BATCH_STEP_EXECUTION_SEQ')).toBe(5);

    await expect(operator.restart(2)).rejects.toThrow(/nightlyReportJob.*not defined here/);
  });


  test("the date filter finds the Spring application's executions by their own times, and ours by ours", async () => {
    await migrateToLatest(t.db, migrations);
    await createItemTables(t.db);
    await fillSource(t.db, 10);
    operator = new JobOperator({ database: t.db, jobs: [copyJob()] });
    const before = new Date();
    const ours = await operator.run('copyJob');
    const ids = async (from?: string | Date, to?: string | Date) =>
      (await operator!.explorer.listJobExecutions({ from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined })).executions.map((e) => e.id);

    // Spring's import was created at 09:00 UTC on the 29th (18:00 on its JVM's clock, on MySQL).
    expect(await ids('2026-11-29T08:30:00Z', '2026-11-29T09:30:00Z')).toEqual([1]);
    expect(await ids('2026-11-29T09:00:00.001Z', '2026-11-29T09:30:00Z')).toEqual([]);
    expect(await ids('2026-11-29T00:00:00Z', '2026-12-01T00:00:00Z')).toEqual([2, 1]);
    expect(await ids('2026-11-30T00:00:00Z')).toEqual([ours.id, 2]);
    expect(await ids(new Date(before.getTime() - 1000))).toEqual([ours.id]);
    expect(await ids(undefined, '2026-11-30T00:00:00Z')).toEqual([1]);
  });
  test('an execution the Spring application left running when it died can be marked failed; a live one of ours cannot', async () => {
    await migrateToLatest(t.db, migrations);
    await createItemTables(t.db);
    await fillSource(t.db, 250);
    operator = new JobOperator({ database: t.db, jobs: [copyJob({ chunkSize: 10, delayMs: 2 })] });
    expect((await operator.repository.getJobExecution(2))?.external).toBe(true);

    const marked = await operator.markFailed(2, 'admin');
    expect(marked).toMatchObject({ id: 2, status: 'FAILED', exitCode: 'FAILED' });
    const stored = await operator.repository.getJobExecution(2);
    expect(stored).toMatchObject({ status: 'FAILED', external: true });
    expect(stored!.exitMessage).toMatch(/^Marked FAILED by admin on \S+: the application running it had stopped/);
    // ... with its end written the way Spring writes times (its zone's wall clock on MySQL, epoch ms on SQLite)
    expect(Math.abs(stored!.endTime!.getTime() - Date.now())).toBeLessThan(60_000);
    const { rows } = await sql<{ END_TIME: unknown }>`SELECT END_TIME FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = 2`.execute(t.db.kysely);
    const raw = rows[0]!.END_TIME;
    const instant = backend === 'mysql' ? DateTime.fromSQL(String(raw), { zone: SPRING_ZONE }).toMillis() : Number(raw);
    expect(Math.abs(instant - Date.now())).toBeLessThan(60_000);
    // Its start, read and written back through the same rule, is unchanged.
    expect(stored!.startTime).toEqual(new Date('2026-11-30T01:00:00.000Z'));
    const [step] = await operator.repository.stepExecutions(2);
    expect(step).toMatchObject({ status: 'FAILED', readCount: 2000, writeCount: 2000 });
    await expect(operator.markFailed(2)).rejects.toMatchObject({ code: 'CANNOT_MARK_FAILED' });
    await expect(operator.markFailed(1)).rejects.toMatchObject({ code: 'CANNOT_MARK_FAILED' });

    const running = await operator.start('copyJob');
    await expect(operator.markFailed(running.execution.id)).rejects.toThrow(/being run by Pass Console.*stop it instead/);
    expect((await running.done).status).toBe('COMPLETED');
    expect(await targetIds(t.db.kysely)).toHaveLength(250);
  });
});

/** Migrating `t` is refused with a message matching `message`, and nothing of ours is left behind. */
async function expectRefusedUnchanged(t: TestDatabase, message: RegExp): Promise<void> {
  const before = await tableNames(t.db.kysely);
  await expect(migrateToLatest(t.db, migrations)).rejects.toThrow(message);
  // Only the migrator's own bookkeeping is new: no table of ours, no index, no row.
  expect((await tableNames(t.db.kysely)).filter((name) => !before.includes(name))).toEqual(['pass_migration', 'pass_migration_lock']);
  const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM pass_migration`.execute(t.db.kysely);
  expect(Number(rows[0]!.n)).toBe(0);
}

describeEachBackend('a Spring Batch schema Pass Console cannot adopt', (backend) => {
  let t: TestDatabase;
  const [v5, v6] = SPRING_VERSIONS;
  beforeEach(async () => {
    t = await freshDatabase(backend, { migrate: false });
  });
  afterEach(async () => {
    await t.dispose();
  });

  test("Spring Batch 4's is refused, naming what differs and pointing to Spring's 5.0 migration script, and nothing is changed", async () => {
    // 4.x: parameters as TYPE_CD / KEY_NAME / *_VAL, JOB_CONFIGURATION_LOCATION, no step CREATE_TIME; BATCH_JOB_SEQ.
    await exec(t.db.kysely, springSchema(v5, backend));
    await exec(
      t.db.kysely,
      `DROP TABLE BATCH_JOB_EXECUTION_PARAMS;
       CREATE TABLE BATCH_JOB_EXECUTION_PARAMS (JOB_EXECUTION_ID BIGINT NOT NULL, TYPE_CD VARCHAR(6) NOT NULL, KEY_NAME VARCHAR(100) NOT NULL,
         STRING_VAL VARCHAR(250), DATE_VAL DATETIME(6), LONG_VAL BIGINT, DOUBLE_VAL DOUBLE PRECISION, IDENTIFYING CHAR(1) NOT NULL);
       ALTER TABLE BATCH_JOB_EXECUTION ADD COLUMN JOB_CONFIGURATION_LOCATION VARCHAR(2500);
       ALTER TABLE BATCH_STEP_EXECUTION DROP COLUMN CREATE_TIME`,
    );
    await expectRefusedUnchanged(
      t,
      new RegExp(
        "Spring Batch 4's tables \\(or older\\), not Spring Batch 5's or 6's: BATCH_JOB_EXECUTION has JOB_CONFIGURATION_LOCATION; " +
          'BATCH_JOB_EXECUTION_PARAMS lacks PARAMETER_NAME, PARAMETER_TYPE, PARAMETER_VALUE and has TYPE_CD, KEY_NAME, STRING_VAL, DATE_VAL, LONG_VAL, DOUBLE_VAL; ' +
          "BATCH_STEP_EXECUTION lacks CREATE_TIME\\. Upgrade them with Spring Batch's 5\\.0 migration script .*migration/5\\.0/.*nothing was changed",
      ),
    );
  });

  test('a newer one is refused, naming the tables and columns that differ from 5 and 6, and nothing is changed', async () => {
    // Say a later Spring Batch added a column and a sequence for a new kind of row.
    await exec(t.db.kysely, springSchema(v6, backend));
    await exec(
      t.db.kysely,
      `ALTER TABLE BATCH_STEP_EXECUTION ADD COLUMN PARTITION_KEY VARCHAR(100) NOT NULL DEFAULT '';
       CREATE TABLE BATCH_JOB_RUN_SEQ (ID BIGINT NOT NULL)`,
    );
    await expectRefusedUnchanged(
      t,
      /differ from Spring Batch 5's and 6's: BATCH_STEP_EXECUTION has PARTITION_KEY, which neither Spring Batch 5 nor 6 declares; BATCH_JOB_RUN_SEQ: an id sequence table neither Spring Batch 5 nor 6 has\. .*does not know yet .*nothing was changed/,
    );
  });

  test('a partial one is refused, naming the missing tables and sequences, and nothing is changed', async () => {
    await exec(t.db.kysely, springSchema(v6, backend));
    await exec(t.db.kysely, `DROP TABLE BATCH_STEP_EXECUTION_CONTEXT; DROP TABLE BATCH_STEP_EXECUTION_SEQ`);
    await expectRefusedUnchanged(
      t,
      /only part of Spring Batch's tables.*: BATCH_STEP_EXECUTION_CONTEXT is missing; of Spring Batch's id sequence tables only BATCH_JOB_EXECUTION_SEQ, BATCH_JOB_INSTANCE_SEQ exist\. Complete it with the schema-<database>\.sql .*nothing was changed/,
    );
  });

  test.skipIf(!DDLS[backend].includes('mariadb'))(
    'one whose id sequences are partly MariaDB SEQUENCE objects and partly one-row tables is refused, and nothing is changed',
    async () => {
      await exec(t.db.kysely, springSchema(v6, 'mysql'));
      await exec(
        t.db.kysely,
        `DROP TABLE BATCH_JOB_INSTANCE_SEQ; CREATE SEQUENCE BATCH_JOB_INSTANCE_SEQ START WITH 1 MINVALUE 1 MAXVALUE 9223372036854775806 INCREMENT BY 1 NOCACHE NOCYCLE ENGINE=InnoDB`,
      );
      await expectRefusedUnchanged(t, /its id sequences are of two kinds: tables \(BATCH_JOB_EXECUTION_SEQ, BATCH_STEP_EXECUTION_SEQ\) and SEQUENCE objects \(BATCH_JOB_INSTANCE_SEQ\)\. .*nothing was changed/);
    },
  );

  test("one with both Spring Batch 5's and 6's instance sequence is refused, since either could be the one in use, and nothing is changed", async () => {
    await exec(t.db.kysely, springSchema(v6, backend));
    await exec(
      t.db.kysely,
      backend === 'mysql' ? `CREATE TABLE BATCH_JOB_SEQ (ID BIGINT NOT NULL); INSERT INTO BATCH_JOB_SEQ VALUES (0)` : `CREATE TABLE BATCH_JOB_SEQ (ID INTEGER PRIMARY KEY AUTOINCREMENT)`,
    );
    await expectRefusedUnchanged(t, /both BATCH_JOB_SEQ \(Spring Batch 5's\) and BATCH_JOB_INSTANCE_SEQ \(Spring Batch 6's\) exist.*Drop or rename the one it no longer uses.*nothing was changed/);
  });
});
