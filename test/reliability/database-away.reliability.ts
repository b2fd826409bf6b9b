// Part 3, the database goes away: the app reaches MariaDB through a TCP proxy written here
// (support/tcpProxy.ts), which at a chosen moment resets every open connection and resets every
// new one for a while. Promise: a short outage inside a chunk's transaction is retried and the
// job completes in the same execution; a long one fails the execution cleanly (a clear message,
// the chunk in flight rolled back, nothing partial committed), and once the database is back a
// fresh operator finds the execution by its expired lease and a restart completes it, leaving
// the business tables equal to an uninterrupted run's. MariaDB only (SQLite has no connection
// to lose).
//
// Shown to fail: PASS_RELIABILITY_BREAK=away runs every UPDATE also on a direct connection,
// committed at once (a writer that commits outside its chunk's transaction): the long outage
// then leaves a partial chunk behind and the "nothing partial" check fails.
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { JobOperator, isRunning, openDatabase, type BatchStatus, type Database, type JobExecution } from '../../main/batch/index.ts';
import { passJobs } from '../../main/pass/jobs/index.ts';
import { backends } from '../support/databases.ts';
import { diffTables, dumpTables } from '../support/tables.ts';
import { fixedParameters, gymTemplate, NOW, TIME_ZONE, type GymTemplate } from './support/gym.ts';
import { onBusinessWrites } from './support/queries.ts';
import { startTcpProxy, type TcpProxy } from './support/tcpProxy.ts';

const GYM = { members: 160, days: 10, seed: 7, now: NOW };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The URL of `url`'s database through the proxy. */
function throughProxy(url: string, proxy: TcpProxy): string {
  const u = new URL(url);
  u.host = `127.0.0.1:${proxy.port}`;
  return u.toString();
}

/**
 * The database through the proxy; `cutAtWrite` cuts it after that business write returned
 * (inside the chunk's open transaction). With PASS_RELIABILITY_BREAK=away every business write
 * is first also run on a direct connection of its own, committed at once: a writer that
 * commits outside the chunk's transaction, the bug the "nothing partial" check is there for.
 */
async function proxiedDatabase(url: string, proxy: TcpProxy, cutAtWrite: number | null, refuseMs: number): Promise<Database> {
  const opened = await openDatabase(throughProxy(url, proxy));
  const direct = process.env.PASS_RELIABILITY_BREAK === 'away' ? await openDatabase(url) : null;
  const plugins: KyselyPlugin[] = [];
  if (direct) {
    plugins.push({
      transformQuery: (args) => {
        const node = args.node;
        if (node.kind === 'UpdateQueryNode') {
          const compiled = direct.kysely.getExecutor().compileQuery(node, args.queryId);
          pendingBroken.push(direct.kysely.executeQuery(compiled).catch(() => undefined));
        }
        return node;
      },
      transformResult: async (args) => {
        await Promise.all(pendingBroken.splice(0));
        return args.result;
      },
    });
  }
  const pendingBroken: Array<Promise<unknown>> = [];
  plugins.push(
    onBusinessWrites((n) => {
      if (n === cutAtWrite) proxy.cut(refuseMs);
    }),
  );
  const kysely = plugins.reduce((k, plugin) => k.withPlugin(plugin), opened.kysely);
  return {
    ...opened,
    kysely,
    close: async () => {
      await opened.close();
      await direct?.close();
    },
  };
}

/** Waits until a fresh operator's recovery finds `id` (its lease ran out) and returns that operator. */
async function recoverByLease(database: Database, id: number): Promise<JobOperator> {
  const operator = new JobOperator({ database, jobs: passJobs, timeZone: TIME_ZONE, leaseMs: 2000, heartbeatMs: 500 });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const execution = await operator.execution(id);
    if (!isRunning(execution.status)) return operator;
    const recovered = await operator.recoverOrphans();
    if (recovered.some((e) => e.id === id)) return operator;
    if (Date.now() > deadline) throw new Error(`execution ${id} still ${execution.status} and not recovered`);
    await sleep(250);
  }
}

describe.runIf(backends.includes('mysql'))('the database goes away [mysql]', () => {
  let template: GymTemplate;
  let proxy: TcpProxy;
  const expected = new Map<string, Awaited<ReturnType<typeof dumpTables>>>();
  const disposers: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    template = await gymTemplate('mysql', GYM);
    const target = new URL(template.source.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 3306));
  });
  afterAll(async () => {
    for (const dispose of disposers.reverse()) await dispose().catch(() => undefined);
    await proxy?.close();
    await template?.dispose();
  });

  /** The uninterrupted run's tables for a job, on a clone, straight to MariaDB. */
  async function reference(jobName: string) {
    if (!expected.has(jobName)) {
      const a = await template.clone();
      disposers.push(() => a.dispose());
      const operator = new JobOperator({ database: a.db, jobs: passJobs, timeZone: TIME_ZONE });
      const done = await operator.run(jobName, fixedParameters(operator.job(jobName), ''));
      await operator.close();
      expect(done.status, done.exitMessage).toBe('COMPLETED');
      expected.set(jobName, await dumpTables(a.db));
    }
    return expected.get(jobName)!;
  }

  test('a short outage inside a chunk transaction is retried: the same execution completes, tables equal an uninterrupted run', async () => {
    const b = await template.clone();
    disposers.push(() => b.dispose());
    const db = await proxiedDatabase(b.url, proxy, 1, 700);
    disposers.push(() => db.close());
    const operator = new JobOperator({ database: db, jobs: passJobs, timeZone: TIME_ZONE });
    const cutBefore = proxy.stats.cut;
    const done = await operator.run('expirePassesJob', fixedParameters(operator.job('expirePassesJob'), ''));
    await operator.close();
    expect(proxy.stats.cut, 'the proxy cut nothing').toBeGreaterThan(cutBefore);
    expect(done.status, done.exitMessage).toBe('COMPLETED');
    const steps = await operator.repository.stepExecutions(done.id);
    expect(steps.reduce((n, s) => n + s.rollbackCount, 0), 'no chunk was rolled back and retried').toBeGreaterThan(0);
    expect(diffTables(await reference('expirePassesJob'), await dumpTables(b.db))).toEqual([]);
  });

  test('a long outage fails the execution cleanly with nothing partial committed; back up, recovery by lease and a restart complete it', async () => {
    const b = await template.clone();
    disposers.push(() => b.dispose());
    const seeded = await dumpTables(b.db);
    const db = await proxiedDatabase(b.url, proxy, 1, 7000);
    disposers.push(() => db.close());
    const operator = new JobOperator({ database: db, jobs: passJobs, timeZone: TIME_ZONE, leaseMs: 2000, heartbeatMs: 500 });
    const done: JobExecution = await operator.run('expirePassesJob', fixedParameters(operator.job('expirePassesJob'), ''));
    await operator.close();
    // fails cleanly: the caller hears FAILED and why
    expect(done.status).toBe('FAILED');
    expect(done.exitMessage).toMatch(/ECONNRESET|ECONNREFUSED|Connection lost|closed state|PROTOCOL_CONNECTION_LOST|socket hang up|read ECONNRESET/i);
    while (proxy.refusing) await sleep(100);

    // nothing partial: the one chunk of the first step was in flight, so no pass changed
    const afterOutage = await dumpTables(b.db);
    expect(diffTables(seeded, afterOutage), 'a partial chunk was committed').toEqual([]);

    const recoverer = await recoverByLease(b.db, done.id);
    const [latest] = (await recoverer.explorer.listJobExecutions({ jobName: 'expirePassesJob', pageSize: 1 })).executions;
    expect(latest!.id).toBe(done.id);
    expect(latest!.status).toBe('FAILED');
    const restarted = await (await recoverer.restart(done.id, { launchedBy: 'reliability' })).done;
    await recoverer.close();
    expect(restarted.status, restarted.exitMessage).toBe('COMPLETED');
    expect(diffTables(await reference('expirePassesJob'), await dumpTables(b.db))).toEqual([]);
  });

  test('worker threads lose their connections mid-run too: the run fails or retries through, and a restart leaves tables equal an uninterrupted run', async () => {
    const b = await template.clone();
    disposers.push(() => b.dispose());
    const db = await proxiedDatabase(b.url, proxy, null, 0);
    disposers.push(() => db.close());
    const operator = new JobOperator({ database: db, jobs: passJobs, timeZone: TIME_ZONE, leaseMs: 2000, heartbeatMs: 500 });
    let cutAt: number | null = null;
    operator.events.subscribe((event) => {
      if (cutAt === null && event.type === 'step-started' && event.step.stepName.includes(':partition')) {
        cutAt = Date.now();
        // the worker threads are starting and opening their connections through the proxy
        setTimeout(() => proxy.cut(6000), 400);
      }
    });
    const done = await operator.run('usePassesJob', fixedParameters(operator.job('usePassesJob'), ''));
    await operator.close();
    expect(cutAt, 'no partition started').not.toBeNull();
    while (proxy.refusing) await sleep(100);
    let final = await b.db.kysely.selectFrom('BATCH_JOB_EXECUTION').select('STATUS').where('JOB_EXECUTION_ID', '=', done.id).executeTakeFirstOrThrow();
    let story = `first run ${done.status}`;
    if (final.STATUS !== 'COMPLETED') {
      expect(done.status).not.toBe('COMPLETED');
      const recoverer = await recoverByLease(b.db, done.id);
      const restarted = await (await recoverer.restart(done.id, { launchedBy: 'reliability' })).done;
      await recoverer.close();
      expect(restarted.status, restarted.exitMessage).toBe('COMPLETED');
      story += ', restarted COMPLETED';
      final = { STATUS: restarted.status as BatchStatus };
    }
    expect(final.STATUS).toBe('COMPLETED');
    expect(diffTables(await reference('usePassesJob'), await dumpTables(b.db)), story).toEqual([]);
    console.log(`[database away] usePassesJob: ${story}; proxy ${JSON.stringify(proxy.stats)}`);
  });
});
