// cleanJobHistoryJob on N finished job instances older than the days kept (each with its
// parameter, contexts, owner row and one step), among N/10 recent ones it must keep. Limit: the
// fewest set-based statements doing the same deletion with no engine (one DELETE per table,
// each picking the old instances by a subquery, in one transaction). No goal is set; the row
// says what a first clean-up of a long-kept history costs.
import { sql, type Kysely } from 'kysely';
import { cleanJobHistoryJob, JobOperator, toDbTime, type Database } from '../main/batch/index.ts';
import { row, type Benchmark, type BenchRow, type Scale } from './benchmark.ts';
import { freshMysql, log, round, tempSqlite, timeIt, type BenchDatabase } from './support.ts';

const DAY = 86_400_000;
const SIZES: Record<Scale, number> = { small: 10_000, default: 50_000, full: 200_000 };
const KEEP_DAYS = 90;

/** N old COMPLETED instances (ids 1..N) and N/10 recent ones after them, written in bulk. */
async function fill(k: Kysely<any>, n: number): Promise<void> {
  const old = toDbTime(new Date(Date.now() - 200 * DAY));
  const recent = toDbTime(new Date(Date.now() - DAY));
  const total = n + Math.floor(n / 10);
  for (let first = 1; first <= total; first += 1000) {
    const ids = Array.from({ length: Math.min(1000, total - first + 1) }, (_, i) => first + i);
    const t = (id: number) => (id <= n ? old : recent);
    await k.transaction().execute(async (tx) => {
      await tx.insertInto('BATCH_JOB_INSTANCE').values(ids.map((id) => ({ JOB_INSTANCE_ID: id, VERSION: 0, JOB_NAME: 'benchJob', JOB_KEY: String(id) }))).execute();
      await tx
        .insertInto('BATCH_JOB_EXECUTION')
        .values(ids.map((id) => ({ JOB_EXECUTION_ID: id, VERSION: 2, JOB_INSTANCE_ID: id, CREATE_TIME: t(id), START_TIME: t(id), END_TIME: t(id), STATUS: 'COMPLETED', EXIT_CODE: 'COMPLETED', EXIT_MESSAGE: '', LAST_UPDATED: t(id) })))
        .execute();
      await tx.insertInto('BATCH_JOB_EXECUTION_PARAMS').values(ids.map((id) => ({ JOB_EXECUTION_ID: id, PARAMETER_NAME: 'now', PARAMETER_TYPE: 'java.time.LocalDateTime', PARAMETER_VALUE: t(id), IDENTIFYING: 'Y' }))).execute();
      await tx.insertInto('BATCH_JOB_EXECUTION_CONTEXT').values(ids.map((id) => ({ JOB_EXECUTION_ID: id, SHORT_CONTEXT: '{}' }))).execute();
      await tx.insertInto('BATCH_JOB_EXECUTION_OWNER').values(ids.map((id) => ({ JOB_EXECUTION_ID: id, LAUNCHED_BY: null, OWNER_ID: 'bench', HOST: 'bench', PID: 1, HEARTBEAT_AT: t(id), LEASE_EXPIRES_AT: t(id) }))).execute();
      await tx
        .insertInto('BATCH_STEP_EXECUTION')
        .values(
          ids.map((id) => ({
            STEP_EXECUTION_ID: id, VERSION: 3, STEP_NAME: 'benchStep', JOB_EXECUTION_ID: id, CREATE_TIME: t(id), START_TIME: t(id), END_TIME: t(id), STATUS: 'COMPLETED',
            COMMIT_COUNT: 1, READ_COUNT: 10, FILTER_COUNT: 0, WRITE_COUNT: 10, READ_SKIP_COUNT: 0, WRITE_SKIP_COUNT: 0, PROCESS_SKIP_COUNT: 0, ROLLBACK_COUNT: 0,
            EXIT_CODE: 'COMPLETED', EXIT_MESSAGE: '', LAST_UPDATED: t(id),
          })),
        )
        .execute();
      await tx.insertInto('BATCH_STEP_EXECUTION_CONTEXT').values(ids.map((id) => ({ STEP_EXECUTION_ID: id, SHORT_CONTEXT: '{"benchReader.lastKey":10}' }))).execute();
    });
  }
}

/** The limit: one set-based DELETE per table, children first, in one transaction. */
async function setBased(k: Kysely<any>, before: Date): Promise<void> {
  const cutoff = toDbTime(before);
  // The old finished executions, as a derived table (MySQL refuses a subquery on the table a DELETE changes).
  const oldExecutions = `SELECT JOB_EXECUTION_ID FROM (SELECT JOB_EXECUTION_ID FROM BATCH_JOB_EXECUTION WHERE STATUS = 'COMPLETED' AND LAST_UPDATED < '${cutoff}') AS old`;
  await k.transaction().execute(async (tx) => {
    await sql.raw(`DELETE FROM BATCH_STEP_EXECUTION_CONTEXT WHERE STEP_EXECUTION_ID IN (SELECT STEP_EXECUTION_ID FROM BATCH_STEP_EXECUTION WHERE JOB_EXECUTION_ID IN (${oldExecutions}))`).execute(tx);
    await sql.raw(`DELETE FROM BATCH_STEP_EXECUTION WHERE JOB_EXECUTION_ID IN (${oldExecutions})`).execute(tx);
    for (const table of ['BATCH_JOB_EXECUTION_CONTEXT', 'BATCH_JOB_EXECUTION_PARAMS', 'BATCH_JOB_EXECUTION_OWNER']) {
      await sql.raw(`DELETE FROM ${table} WHERE JOB_EXECUTION_ID IN (${oldExecutions})`).execute(tx);
    }
    await sql.raw(`DELETE FROM BATCH_JOB_EXECUTION WHERE STATUS = 'COMPLETED' AND LAST_UPDATED < '${cutoff}'`).execute(tx);
    await sql.raw(`DELETE FROM BATCH_JOB_INSTANCE WHERE JOB_INSTANCE_ID NOT IN (SELECT JOB_INSTANCE_ID FROM BATCH_JOB_EXECUTION)`).execute(tx);
  });
}

async function left(k: Kysely<any>): Promise<{ instances: number; executions: number; steps: number }> {
  const count = async (table: string) => Number((await k.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { instances: await count('BATCH_JOB_INSTANCE'), executions: await count('BATCH_JOB_EXECUTION'), steps: await count('BATCH_STEP_EXECUTION') };
}

async function rowFor(label: string, n: number, open: () => Promise<BenchDatabase | { unreachable: string }>): Promise<BenchRow> {
  const job = 'cleanJobHistoryJob';
  const recent = Math.floor(n / 10);
  const timed = async (work: (db: Database) => Promise<void>): Promise<{ seconds: number; db: BenchDatabase } | { unreachable: string }> => {
    const opened = await open();
    if ('unreachable' in opened) return opened;
    await fill(opened.db.kysely, n);
    const seconds = await timeIt(() => work(opened.db));
    const rest = await left(opened.db.kysely);
    // what is left: the recent instances (and the clean-up's own execution, for the job)
    if (rest.instances - recent > 1 || rest.executions - recent > 1 || rest.steps - recent > 1 || rest.executions < recent) {
      throw new Error(`${label}: after the clean-up ${JSON.stringify(rest)} are left; expected the ${recent} recent ones`);
    }
    return { seconds, db: opened };
  };
  const limit = await timed((db) => setBased(db.kysely, new Date(Date.now() - KEEP_DAYS * DAY)));
  if ('unreachable' in limit) {
    log(`historyCleanup/${label}: skipped, ${limit.unreachable}`);
    return row({ job, db: label, items: n, note: `skipped: ${limit.unreachable}` });
  }
  await limit.db.dispose();
  const engine = await timed(async (db) => {
    const operator = new JobOperator({ database: db, jobs: [cleanJobHistoryJob] });
    try {
      const execution = await operator.run('cleanJobHistoryJob', { keepDays: KEEP_DAYS });
      if (execution.status !== 'COMPLETED') throw new Error(`the clean-up ended ${execution.status}: ${execution.exitMessage}`);
    } finally {
      await operator.close();
    }
  });
  if ('unreachable' in engine) throw new Error(engine.unreachable);
  await engine.db.dispose();
  const ratio = engine.seconds / limit.seconds;
  log(`historyCleanup/${label}: job ${engine.seconds.toFixed(2)} s, set-based DELETEs ${limit.seconds.toFixed(2)} s, ratio ${ratio.toFixed(2)}×`);
  return row({
    job,
    db: label,
    items: n,
    seconds: round(engine.seconds, 3),
    itemsPerSecond: Math.round(n / engine.seconds),
    ratioToLimit: round(ratio, 2),
    baselineSeconds: round(limit.seconds, 3),
    note: `${n.toLocaleString('en-US')} finished instances older than ${KEEP_DAYS} days among ${recent.toLocaleString('en-US')} recent; limit = one set-based DELETE per table in one transaction; the job deletes 200 instances per transaction (a stop or crash leaves whole instances); no goal set`,
  });
}

const benchmark: Benchmark = {
  name: 'historyCleanup',
  description: 'cleanJobHistoryJob: N old finished instances among N/10 recent, vs one set-based DELETE per table (no goal set)',
  async run(scale) {
    const n = SIZES[scale];
    return [await rowFor('sqlite', n, () => tempSqlite('history')), await rowFor('mariadb', n, () => freshMysql('history'))];
  },
};

export default benchmark;
