// Part 2, several desks: three processes, each with the six pass jobs and a Scheduler, on one
// MariaDB holding a demo gym, every job on a seconds-field cron (every 2 to 6 s) for about a
// minute. Promise: each fire time ran exactly once (one claim, at most one execution, no fire
// missed), no execution is left STARTED, and no optimistic-locking or recording error reaches
// any desk's output. (SQLite is one desk's file by design: this part is MariaDB only.)
//
// Shown to fail: PASS_RELIABILITY_BREAK=desks adds a fourth, rogue desk that launches every
// job on every fire time without claiming the fire (as a desk that skipped the fire table
// would): its executions match no fire, and the exactly-once checks fail.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cron } from 'croner';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { isRunning, toDbTime, type BatchStatus } from '../../main/batch/index.ts';
import { seedDemoGym } from '../../main/pass/demo/demoGym.ts';
import { startHttpSink, type HttpSink } from '../fixtures/httpSink.ts';
import { backends, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { startChild } from './support/children.ts';
import { DESK_SCHEDULES } from './support/deskSchedules.ts';

const RUN_MS = Number(process.env.PASS_RELIABILITY_DESKS_MS ?? 60_000);
const DESKS = ['desk-1', 'desk-2', 'desk-3'];
/** Fire outcomes that mean "handled once": run to the end, or refused by the launch rules. */
// SKIPPED_NO_WORK: the job's own check found nothing to do, so the fire made no execution (issue 16)
const HANDLED = new Set(['COMPLETED', 'SKIPPED_RUNNING', 'SKIPPED_COMPLETE', 'SKIPPED_NO_WORK']);

let t: TestDatabase;
let sink: HttpSink;
let reportDir: string;

beforeAll(async () => {
  if (!backends.includes('mysql')) return;
  t = await freshDatabase('mysql');
  await seedDemoGym(t.db, { members: 80, days: 3, seed: 11, now: new Date() });
  sink = await startHttpSink();
  reportDir = mkdtempSync(join(tmpdir(), 'pass-rel-desks-'));
});
afterAll(async () => {
  await t?.dispose();
  await sink?.close();
  if (reportDir) rmSync(reportDir, { recursive: true, force: true });
});

test.runIf(backends.includes('mysql'))(
  'three desks, six jobs every few seconds for a minute: each fire ran exactly once, nothing left STARTED, no locking error surfaced',
  async () => {
    const startAt = Date.now() + 5000; // all three are up and connected by then
    const stopAt = startAt + RUN_MS;
    const env = { PASS_NOTIFIER_WEBHOOK_URL: sink.url, PASS_REPORT_DIR: reportDir };
    const desks = DESKS.map((name) => startChild('test/reliability/support/deskChild.ts', [t.url, name, String(startAt), String(stopAt)], env));
    if (process.env.PASS_RELIABILITY_BREAK === 'desks') {
      // a desk that launches on every fire without claiming it (shown-to-fail mode)
      desks.push(startChild('test/reliability/support/rogueDeskChild.ts', [t.url, String(startAt), String(stopAt)], env));
    }
    const results = await Promise.all(desks.map((d) => d.done));
    const output = results.map((r) => r.out).join('\n');
    expect(results.map((r) => r.code), output).toEqual(results.map(() => 0));
    expect(output).not.toMatch(/optimistic|OptimisticLocking|changed by someone else|tick failed|could not record|ER_LOCK_DEADLOCK/i);

    const fires = await t.db.kysely.selectFrom('BATCH_SCHEDULE_FIRE').selectAll().orderBy('FIRE_TIME').execute();
    const executions = await t.db.kysely
      .selectFrom('BATCH_JOB_EXECUTION as e')
      .innerJoin('BATCH_JOB_INSTANCE as i', 'i.JOB_INSTANCE_ID', 'e.JOB_INSTANCE_ID')
      .select(['e.JOB_EXECUTION_ID', 'e.STATUS', 'e.EXIT_MESSAGE', 'i.JOB_NAME'])
      .execute();
    const lines: string[] = [];
    for (const { jobName, cron } of DESK_SCHEDULES) {
      const schedule = await t.db.kysely.selectFrom('BATCH_SCHEDULE').selectAll().where('JOB_NAME', '=', jobName).executeTakeFirstOrThrow();
      const activeSince = new Date(String(schedule.ACTIVE_SINCE).replace(' ', 'T') + 'Z');
      // every fire time after the schedule was stored, up to a moment before the desks stopped
      const expected = new Cron(cron, { timezone: 'Asia/Seoul' })
        .nextRuns(200, activeSince)
        .filter((d) => d.getTime() <= stopAt - 2000)
        .map(toDbTime);
      expect(expected.length).toBeGreaterThan(RUN_MS / 7000);
      const own = fires.filter((f) => f.JOB_NAME === jobName);
      const times = own.map((f) => String(f.FIRE_TIME));
      expect(new Set(times).size, `${jobName}: a fire time claimed twice`).toBe(times.length);
      expect(times.slice(0, expected.length), `${jobName}: fires missed or out of place`).toEqual(expected);
      for (const fire of own) expect(HANDLED.has(String(fire.OUTCOME)), `${jobName} ${fire.FIRE_TIME}: ${fire.OUTCOME} ${fire.MESSAGE}`).toBe(true);
      const ran = own.filter((f) => f.OUTCOME === 'COMPLETED');
      for (const fire of ran) expect(fire.JOB_EXECUTION_ID, `${jobName} ${fire.FIRE_TIME} completed without an execution`).not.toBeNull();
      const jobExecutions = executions.filter((e) => e.JOB_NAME === jobName);
      // one execution per fire that ran, and none that no fire launched
      expect(jobExecutions.map((e) => Number(e.JOB_EXECUTION_ID)).sort((a, b) => a - b), `${jobName}: executions and fires disagree`).toEqual(
        ran.map((f) => Number(f.JOB_EXECUTION_ID)).sort((a, b) => a - b),
      );
      lines.push(`${jobName}: ${own.length} fires (${ran.length} ran, ${own.length - ran.length} refused as running/complete or with nothing to do) by ${new Set(own.map((f) => f.CLAIMED_BY)).size} desks`);
    }
    expect(executions.filter((e) => isRunning(e.STATUS as BatchStatus)), 'executions left running').toEqual([]);
    expect(executions.filter((e) => e.STATUS !== 'COMPLETED').map((e) => `${e.JOB_NAME} ${e.STATUS}: ${e.EXIT_MESSAGE}`)).toEqual([]);
    expect(new Set(fires.map((f) => f.CLAIMED_BY)).size, 'the work was not shared').toBeGreaterThan(1);
    console.log(`[several desks] ${RUN_MS / 1000}s, ${DESKS.length} desks:\n${lines.join('\n')}\n${results.map((r) => r.lines.at(-1) && JSON.stringify(r.lines.at(-1))).join('\n')}`);
  },
  RUN_MS + 90_000,
);
