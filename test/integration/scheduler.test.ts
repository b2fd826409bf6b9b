// The cron scheduler: schedules stored and edited in the database, fires worked out in the
// schedule's time zone on an injected clock, misfire policies, and, on MariaDB, three desks in
// three processes firing every second (and every two) where each fire runs exactly once.
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { JobOperator, openDatabase, toDbTime, type Database } from '../../main/batch/index.ts';
import { describeCron, Scheduler, ScheduleError, validateCron, type FireReport } from '../../main/batch/scheduler/index.ts';
import { passSchedules } from '../../main/pass/schedules.ts';
import { backends, describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { CHILD_SCHEDULES, createStampTable, onceJob, STAMP_TABLE, stampJob } from '../fixtures/runSchedulerChild.ts';

const silent = { info: () => undefined, warn: () => undefined };
/** A Seoul wall-clock time on 2 March 2026. */
const seoul = (time: string) => new Date(`2026-03-02T${time}+09:00`);

async function stamps(db: Database) {
  const rows = await db.kysely.selectFrom(STAMP_TABLE).selectAll().orderBy('id').execute();
  return rows.map((r) => ({ job: r.job_name as string, fireTime: r.fire_time as string, executionId: Number(r.execution_id), tag: r.tag as string | null }));
}

async function fireRows(db: Database, jobName?: string) {
  let query = db.kysely.selectFrom('BATCH_SCHEDULE_FIRE').selectAll();
  if (jobName) query = query.where('JOB_NAME', '=', jobName);
  return query.orderBy('FIRE_TIME').execute();
}

async function expectScheduleError(promise: Promise<unknown>, code: string, message: RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScheduleError);
  expect((error as ScheduleError).code).toBe(code);
  expect((error as ScheduleError).message).toMatch(message);
}

describe('describeCron', () => {
  test.each([
    ['5 0 * * *', '매일 00:05', 'Daily at 00:05'],
    ['* * * * *', '매분', 'Every minute'],
    ['*/10 * * * *', '10분마다', 'Every 10 minutes'],
    ['0 1 * * *', '매일 01:00', 'Daily at 01:00'],
    ['0 10 * * *', '매일 10:00', 'Daily at 10:00'],
    ['0 9,18 * * *', '매일 09:00, 18:00', 'Daily at 09:00 and 18:00'],
    ['30 * * * *', '매시 30분', 'Hourly at :30'],
    ['0 */2 * * *', '2시간마다', 'Every 2 hours'],
    ['0 9 * * 1-5', '평일 09:00', 'Weekdays at 09:00'],
    ['0 9 * * 1,3', '매주 월·수요일 09:00', 'Every Monday and Wednesday at 09:00'],
    ['0 9 * * sat,sun', '주말 09:00', 'Weekends at 09:00'],
    ['0 0 1 * *', '매월 1일 00:00', 'Monthly on day 1 at 00:00'],
    ['@daily', '매일 00:00', 'Daily at 00:00'],
    ['* * * * * *', '매초', 'Every second'],
    ['*/2 * * * * *', '2초마다', 'Every 2 seconds'],
    ['0 5 0 * * *', '매일 00:05', 'Daily at 00:05'],
    ['0 5 1-7 * 1', '사용자 지정 (0 5 1-7 * 1)', 'Custom (0 5 1-7 * 1)'],
  ])('%s', (cron, ko, en) => {
    expect(describeCron(cron, 'ko')).toBe(ko);
    expect(describeCron(cron, 'en')).toBe(en);
  });

  test('validateCron says what is wrong', () => {
    expect(validateCron(' 5  0 * * * ', 'Asia/Seoul')).toBe('5 0 * * *');
    expect(validateCron('@hourly', 'UTC')).toBe('0 * * * *');
    expect(() => validateCron('* * *', 'Asia/Seoul')).toThrow(/needs 5 fields/);
    expect(() => validateCron('61 * * * *', 'Asia/Seoul')).toThrow(/minute: 61/);
    expect(() => validateCron('0 0 30 2 *', 'Asia/Seoul')).toThrow(/never fires/);
    expect(() => validateCron('* * * * *', 'Mars/Olympus')).toThrow(/not a time zone/);
  });
});

describeEachBackend('scheduler', (backend) => {
  let t: TestDatabase;
  let operator: JobOperator;
  let clock: Date;
  let gate: { promise: Promise<void>; open: () => void };
  const schedulers: Scheduler[] = [];
  const extraDatabases: Database[] = [];

  const newGate = () => {
    let open!: () => void;
    const promise = new Promise<void>((r) => (open = r));
    return { promise, open };
  };

  function desk(ownerName = 'desk-a', database: Database = t.db, op: JobOperator = operator) {
    const scheduler = new Scheduler({ database, operator: op, ownerName, now: () => clock, logger: silent });
    schedulers.push(scheduler);
    return scheduler;
  }

  beforeEach(async () => {
    t = await freshDatabase(backend);
    await createStampTable(t.db);
    gate = newGate();
    operator = new JobOperator({ database: t.db, jobs: [stampJob('stampJob'), onceJob('onceJob', { gate: () => gate.promise })] });
    clock = seoul('00:00:30');
  });

  afterEach(async () => {
    gate.open();
    for (const s of schedulers.splice(0)) {
      await s.stop();
      await s.drain();
    }
    await operator.close();
    for (const db of extraDatabases.splice(0)) await db.close();
    await t.dispose();
  });

  test('a bad cron, time zone, policy or parameter is refused with a clear error and nothing is written', async () => {
    const scheduler = desk();
    await expectScheduleError(scheduler.ensureDefaults([{ jobName: 'stampJob', cron: '61 * * * *' }]), 'INVALID_CRON', /stampJob: "61 \* \* \* \*" is not a valid cron expression: Invalid value for minute: 61/);
    // all are checked before any is written
    await expectScheduleError(
      scheduler.ensureDefaults([{ jobName: 'stampJob', cron: '* * * * *' }, { jobName: 'onceJob', cron: 'every day' }]),
      'INVALID_CRON',
      /onceJob: "every day" is not a cron expression: it needs 5 fields/,
    );
    expect(await scheduler.store.all()).toEqual([]);

    expect(await scheduler.ensureDefaults([{ jobName: 'stampJob', cron: '5 0 * * *' }])).toEqual(['stampJob']);
    const before = await scheduler.store.get('stampJob');
    expect(before).toMatchObject({ cron: '5 0 * * *', timeZone: 'Asia/Seoul', enabled: true, misfirePolicy: 'RUN_ONCE', params: {}, modifiedBy: 'defaults', lastFireAt: null });

    await expectScheduleError(scheduler.update('stampJob', { cron: '* * *' }, 'admin'), 'INVALID_CRON', /needs 5 fields/);
    await expectScheduleError(scheduler.update('stampJob', { cron: '0 0 30 2 *' }, 'admin'), 'INVALID_CRON', /never fires/);
    await expectScheduleError(scheduler.update('stampJob', { timeZone: 'Mars/Olympus' }, 'admin'), 'INVALID_TIME_ZONE', /not a time zone name/);
    await expectScheduleError(scheduler.update('stampJob', { misfirePolicy: 'SOMETIMES' as never }, 'admin'), 'INVALID_MISFIRE_POLICY', /RUN_ONCE, SKIP/);
    await expectScheduleError(scheduler.update('stampJob', { params: { colour: 'red' } }, 'admin'), 'INVALID_PARAMETER', /stampJob has no parameter "colour"/);
    await expectScheduleError(scheduler.update('noSuchJob', { enabled: false }, 'admin'), 'NO_SUCH_SCHEDULE', /no schedule for noSuchJob/);
    expect(await scheduler.store.get('stampJob')).toEqual(before);

    clock = seoul('00:01:00');
    const edited = await scheduler.update('stampJob', { cron: '@hourly', misfirePolicy: 'SKIP', params: { tag: 'hourly' } }, 'admin');
    expect(edited).toMatchObject({ cron: '0 * * * *', misfirePolicy: 'SKIP', params: { tag: 'hourly' }, modifiedBy: 'admin', modifiedAt: seoul('00:01:00'), activeSince: seoul('00:01:00') });
    // the defaults never overwrite an edit
    expect(await scheduler.ensureDefaults([{ jobName: 'stampJob', cron: '5 0 * * *' }])).toEqual([]);
    expect(await scheduler.store.get('stampJob')).toEqual(edited);
  });

  test('catching up a week of every-minute fires, the scheduler gives the event loop a turn at least every 25 fires it counts', async () => {
    const scheduler = desk();
    await scheduler.ensureDefaults([{ jobName: 'stampJob', cron: '* * * * *', misfirePolicy: 'RUN_ONCE' }]);
    expect(await scheduler.tick()).toEqual([]);
    clock = new Date(clock.getTime() + 7 * 86_400_000); // the console was closed for a week
    let turns = 0;
    let ticking = true;
    const spin = () => {
      if (!ticking) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    const reports = await scheduler.tick();
    ticking = false;
    expect(reports).toHaveLength(1);
    expect(reports[0]!.message).toMatch(/Catch-up \(RUN_ONCE\): over 1000 fires came while no scheduler was running; the latest ran, once/);
    expect(turns).toBeGreaterThanOrEqual(Math.floor(1000 / 25));
  });

  test('RUN_ONCE: after several missed fires, one catch-up run for the latest, with now = that fire time', async () => {
    const scheduler = desk();
    await scheduler.ensureDefaults([{ jobName: 'stampJob', cron: '*/10 * * * *', misfirePolicy: 'RUN_ONCE' }]);
    expect(await scheduler.tick()).toEqual([]);

    clock = seoul('01:03:30'); // 00:10 ... 01:00 missed: six fires, all older than the grace window
    const [report, ...more] = await scheduler.tick();
    expect(more).toEqual([]);
    expect(report).toMatchObject({ jobName: 'stampJob', fireTime: seoul('01:00:00'), outcome: 'STARTED' });
    expect(report!.message).toMatch(/Catch-up \(RUN_ONCE\): 6 fires came while no scheduler was running; the latest ran, once/);
    await scheduler.drain();
    expect(await scheduler.tick()).toEqual([]);

    const execution = await operator.execution(report!.executionId!);
    expect(execution).toMatchObject({ status: 'COMPLETED', launchedBy: 'scheduler@desk-a' });
    expect(execution.parameters.find((p) => p.name === 'now')!.value).toEqual(seoul('01:00:00'));
    expect(await stamps(t.db)).toEqual([{ job: 'stampJob', fireTime: toDbTime(seoul('01:00:00')), executionId: execution.id, tag: '' }]);
    const [fire] = await fireRows(t.db);
    expect(fire).toMatchObject({ CLAIMED_BY: 'desk-a', OUTCOME: 'COMPLETED', FIRE_TIME: toDbTime(seoul('01:00:00')) });
    expect(Number(fire!.JOB_EXECUTION_ID)).toBe(execution.id);

    clock = seoul('01:10:20'); // on time again
    expect((await scheduler.tick()).map((r) => [r.fireTime, r.outcome])).toEqual([[seoul('01:10:00'), 'STARTED']]);
    await scheduler.drain();
    expect((await stamps(t.db)).map((s) => s.fireTime)).toEqual([toDbTime(seoul('01:00:00')), toDbTime(seoul('01:10:00'))]);

    const [view] = await scheduler.list();
    expect(view).toMatchObject({
      jobName: 'stampJob',
      description: { ko: '10분마다', en: 'Every 10 minutes' },
      nextFires: [seoul('01:20:00'), seoul('01:30:00'), seoul('01:40:00')],
      lastFireAt: seoul('01:10:00'),
      lastFire: { fireTime: seoul('01:10:00'), outcome: 'COMPLETED', claimedBy: 'desk-a' },
      jobKnown: true,
    });
  });

  test('SKIP: missed fires are recorded as skipped and not run; a fire within the grace window runs', async () => {
    const scheduler = desk();
    await scheduler.ensureDefaults([{ jobName: 'stampJob', cron: '*/10 * * * *', misfirePolicy: 'SKIP' }]);
    clock = seoul('01:03:30');
    expect(await scheduler.tick()).toEqual([
      expect.objectContaining({ fireTime: seoul('01:00:00'), outcome: 'SKIPPED_MISFIRE', executionId: null }),
    ]);
    expect(await scheduler.tick()).toEqual([]);
    expect(await stamps(t.db)).toEqual([]);
    expect((await operator.explorer.listJobExecutions()).total).toBe(0);

    clock = seoul('01:10:20');
    expect((await scheduler.tick()).map((r) => [r.fireTime, r.outcome])).toEqual([[seoul('01:10:00'), 'STARTED']]);
    // closed again over 01:20; back at 01:30:30: 01:20 is skipped, 01:30 (30 s ago) runs
    clock = seoul('01:30:30');
    const [late] = await scheduler.tick();
    expect(late).toMatchObject({ fireTime: seoul('01:30:00'), outcome: 'STARTED' });
    expect(late!.message).toMatch(/1 earlier fire\(s\) missed .* were skipped/);
    await scheduler.drain();
    expect((await stamps(t.db)).map((s) => s.fireTime)).toEqual([toDbTime(seoul('01:10:00')), toDbTime(seoul('01:30:00'))]);
    expect((await fireRows(t.db)).map((f) => [f.FIRE_TIME, f.OUTCOME])).toEqual([
      [toDbTime(seoul('01:00:00')), 'SKIPPED_MISFIRE'],
      [toDbTime(seoul('01:10:00')), 'COMPLETED'],
      [toDbTime(seoul('01:30:00')), 'COMPLETED'],
    ]);
  });

  test('a late tick runs each on-time fire once (seconds field); nothing is coalesced while a scheduler is running', async () => {
    const scheduler = desk();
    await scheduler.ensureDefaults([{ jobName: 'stampJob', cron: '*/10 * * * * *', misfirePolicy: 'RUN_ONCE' }]);
    clock = seoul('00:01:05');
    expect((await scheduler.tick()).map((r) => r.fireTime)).toEqual([seoul('00:00:40'), seoul('00:00:50'), seoul('00:01:00')]);
    await scheduler.drain();
    expect(await stamps(t.db)).toHaveLength(3);
  });

  test('a disabled schedule does not fire, and re-enabling it does not make up the disabled time', async () => {
    const scheduler = desk();
    await scheduler.ensureDefaults([{ jobName: 'stampJob', cron: '*/10 * * * *' }]);
    clock = seoul('00:00:40');
    await scheduler.update('stampJob', { enabled: false }, 'admin');
    clock = seoul('00:20:30');
    expect(await scheduler.tick()).toEqual([]);
    expect((await scheduler.list())[0]).toMatchObject({ enabled: false, nextFires: [] });
    await scheduler.update('stampJob', { enabled: true }, 'admin');
    expect(await scheduler.tick()).toEqual([]);
    clock = seoul('00:30:05');
    expect((await scheduler.tick()).map((r) => r.fireTime)).toEqual([seoul('00:30:00')]);
    await scheduler.drain();
    expect((await stamps(t.db)).map((s) => s.fireTime)).toEqual([toDbTime(seoul('00:30:00'))]);
    expect(await fireRows(t.db)).toHaveLength(1);
  });

  test('a fire already claimed is not run again; two desks ticking at once run it once; an expired claim is taken over', async () => {
    const a = desk('desk-a');
    await a.ensureDefaults([{ jobName: 'stampJob', cron: '*/10 * * * *' }]);
    const claim = (time: string, outcome: string, by: string, expires: string) =>
      t.db.kysely
        .insertInto('BATCH_SCHEDULE_FIRE')
        .values({ JOB_NAME: 'stampJob', FIRE_TIME: toDbTime(seoul(time)), CLAIMED_BY: by, CLAIMED_AT: toDbTime(seoul(time)), CLAIM_EXPIRES_AT: toDbTime(seoul(expires)), OUTCOME: outcome })
        .execute();

    // another desk has 00:10 and launched it: handled, not run here
    await claim('00:10:00', 'STARTED', 'desk-b', '00:11:00');
    clock = seoul('00:10:05');
    expect(await a.tick()).toEqual([]);
    expect((await a.store.get('stampJob'))!.lastFireAt).toEqual(seoul('00:10:00'));

    // two desks, one clock: one run. On MariaDB each desk has its own connections; SQLite is
    // one process's file, and better-sqlite3 waits for a lock synchronously, so a second
    // connection in this process would stall the first: there both share the one connection.
    const otherDb = backend === 'mysql' ? await openDatabase(t.url) : t.db;
    if (otherDb !== t.db) extraDatabases.push(otherDb);
    const otherOperator = new JobOperator({ database: otherDb, jobs: [stampJob('stampJob')] });
    const b = desk('desk-b', otherDb, otherOperator);
    clock = seoul('00:20:05');
    const reports: FireReport[] = (await Promise.all([a.tick(), b.tick()])).flat();
    expect(reports.map((r) => [r.fireTime, r.outcome])).toEqual([[seoul('00:20:00'), 'STARTED']]);
    await a.drain();
    await b.drain();
    await otherOperator.close();

    // a claim whose desk died before launching: taken over once it expires
    await claim('00:30:00', 'CLAIMED', 'desk-dead', '00:30:20');
    clock = seoul('00:30:10');
    expect(await a.tick()).toEqual([]); // still its claim
    expect((await a.store.get('stampJob'))!.lastFireAt).toEqual(seoul('00:20:00'));
    clock = seoul('00:30:25');
    expect((await a.tick()).map((r) => [r.fireTime, r.outcome])).toEqual([[seoul('00:30:00'), 'STARTED']]);
    await a.drain();

    expect((await stamps(t.db)).map((s) => s.fireTime)).toEqual([toDbTime(seoul('00:20:00')), toDbTime(seoul('00:30:00'))]);
    const fires = await fireRows(t.db);
    expect(fires.map((f) => [f.FIRE_TIME, f.OUTCOME])).toEqual([
      [toDbTime(seoul('00:10:00')), 'STARTED'],
      [toDbTime(seoul('00:20:00')), 'COMPLETED'],
      [toDbTime(seoul('00:30:00')), 'COMPLETED'],
    ]);
    expect(fires[2]).toMatchObject({ CLAIMED_BY: 'desk-a' });
    expect(fires[2]!.MESSAGE).toMatch(/Taken over from desk-dead/);
  });

  test('outcomes: a fire while the instance runs is SKIPPED_RUNNING, after it completed SKIPPED_COMPLETE; a failing run is FAILED', async () => {
    const scheduler = desk();
    await scheduler.ensureDefaults([
      { jobName: 'onceJob', cron: '* * * * *' },
      { jobName: 'stampJob', cron: '*/10 * * * *', params: { tag: 'fail' } },
    ]);
    clock = seoul('00:01:05');
    expect((await scheduler.tick()).map((r) => [r.jobName, r.outcome])).toEqual([['onceJob', 'STARTED']]);
    clock = seoul('00:02:05');
    expect((await scheduler.tick()).map((r) => [r.jobName, r.outcome])).toEqual([['onceJob', 'SKIPPED_RUNNING']]);
    gate.open();
    await scheduler.drain();
    clock = seoul('00:10:05');
    expect((await scheduler.tick()).map((r) => [r.jobName, r.outcome])).toEqual([
      ['onceJob', 'SKIPPED_COMPLETE'],
      ['stampJob', 'STARTED'],
    ]);
    await scheduler.drain();
    expect((await scheduler.history('onceJob')).map((f) => f.outcome)).toEqual(['SKIPPED_COMPLETE', 'SKIPPED_RUNNING', 'COMPLETED']);
    const [failed] = await scheduler.history('stampJob');
    expect(failed).toMatchObject({ outcome: 'FAILED', fireTime: seoul('00:10:00') });
    expect(failed!.message).toMatch(/failing on purpose/);
    const views = await scheduler.list();
    expect(views.find((v) => v.jobName === 'onceJob')!.lastFire).toMatchObject({ outcome: 'SKIPPED_COMPLETE' });
  });

  test("the pass jobs' default schedules: stored once, in words, in Seoul time; jobs this app lacks never fire", async () => {
    const scheduler = desk();
    expect(await scheduler.ensureDefaults(passSchedules)).toHaveLength(6);
    expect(await scheduler.ensureDefaults(passSchedules)).toEqual([]);
    const views = await scheduler.list();
    const byName = Object.fromEntries(views.map((v) => [v.jobName, v]));
    expect(byName.expirePassesJob).toMatchObject({
      timeZone: 'Asia/Seoul',
      misfirePolicy: 'RUN_ONCE',
      description: { ko: '매일 00:05', en: 'Daily at 00:05' },
      nextFires: [seoul('00:05:00'), new Date('2026-03-03T00:05:00+09:00'), new Date('2026-03-04T00:05:00+09:00')],
      jobKnown: false,
    });
    expect(byName.addPassesJob!.description.ko).toBe('매분');
    expect(byName.sendNotificationBeforeClassJob!.description.en).toBe('Every minute');
    expect(byName.usePassesJob!.description.ko).toBe('10분마다');
    expect(byName.makeStatisticsJob!.description.ko).toBe('매일 01:00');
    expect(byName.sendExpiryReminderJob!.description.ko).toBe('매일 10:00');
    clock = seoul('12:00:00');
    expect(await scheduler.tick()).toEqual([]);
    expect(await fireRows(t.db)).toEqual([]);
  });

  test("the default schedules run on the gym's clock: a gym in Kolkata gets them in Kolkata time", async () => {
    const kolkata = new JobOperator({ database: t.db, jobs: [], timeZone: 'Asia/Kolkata' });
    const scheduler = desk('desk-a', t.db, kolkata);
    await scheduler.ensureDefaults(passSchedules);
    const views = await scheduler.list();
    expect(new Set(views.map((v) => v.timeZone))).toEqual(new Set(['Asia/Kolkata']));
    // 00:05 in Kolkata is 03:35 in Seoul
    expect(views.find((v) => v.jobName === 'expirePassesJob')!.nextFires[0]).toEqual(seoul('03:35:00'));
    await kolkata.close();
  });
});

// "Two scheduler processes on one MariaDB over a few minutes of every-minute schedules", made
// CI-sized: three desks, an every-second and an every-two-seconds schedule, for ~40 s.
const CHILD = 'test/fixtures/runSchedulerChild.ts';

function startChild(args: string[]) {
  const child = spawn(process.execPath, ['bin/run-ts.mjs', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

test.runIf(backends.includes('mysql'))(
  'three scheduler processes on one MariaDB: every fire between start and stop ran exactly once',
  async () => {
    const t = await freshDatabase('mysql');
    try {
      await createStampTable(t.db);
      const startAt = Date.now() + 4000; // all three processes are up and connected by then
      const stopAt = startAt + 40_000;
      const results = await Promise.all(['desk-1', 'desk-2', 'desk-3'].map((name) => startChild([t.url, name, String(startAt), String(stopAt), '200'])));
      const output = results.map((r) => r.out).join('\n');
      expect(results.map((r) => r.code), output).toEqual([0, 0, 0]);
      expect(output).not.toMatch(/optimistic|OptimisticLocking|changed by someone else|tick failed|could not record/i);

      const { Cron } = await import('croner');
      for (const { jobName, cron } of CHILD_SCHEDULES) {
        const schedule = (await t.db.kysely.selectFrom('BATCH_SCHEDULE').selectAll().where('JOB_NAME', '=', jobName).executeTakeFirstOrThrow()) as { ACTIVE_SINCE: string };
        const activeSince = new Date(schedule.ACTIVE_SINCE.replace(' ', 'T') + 'Z');
        // every fire time after the schedule was stored, up to a moment before the desks stopped
        const expected = new Cron(cron, { timezone: 'Asia/Seoul' }).nextRuns(100, activeSince).filter((d) => d.getTime() <= stopAt - 1500).map(toDbTime);
        expect(expected.length).toBeGreaterThan(jobName === 'everySecondJob' ? 30 : 15);

        const fires = await fireRows(t.db, jobName);
        const fireTimes = fires.map((f) => f.FIRE_TIME as string);
        expect(new Set(fireTimes).size).toBe(fireTimes.length);
        expect(fireTimes.slice(0, expected.length)).toEqual(expected);
        for (const fire of fires) {
          expect(fire.OUTCOME, `${jobName} ${fire.FIRE_TIME}: ${fire.MESSAGE}`).toBe('COMPLETED');
          expect(fire.JOB_EXECUTION_ID).not.toBeNull();
        }
        const runs = (await stamps(t.db)).filter((s) => s.job === jobName);
        expect(runs.map((r) => r.fireTime).sort()).toEqual(fireTimes);
        expect(runs.map((r) => r.executionId).sort((x, y) => x - y)).toEqual(fires.map((f) => Number(f.JOB_EXECUTION_ID)).sort((x, y) => x - y));
      }
      const executions = (await t.db.kysely.selectFrom('BATCH_JOB_EXECUTION').select('STATUS').execute()).map((e) => e.STATUS);
      expect(executions.filter((s) => s !== 'COMPLETED')).toEqual([]);
      expect(executions).toHaveLength((await fireRows(t.db)).length);
      // the work was shared: more than one desk won fires
      const desks = new Set((await fireRows(t.db)).map((f) => f.CLAIMED_BY));
      expect(desks.size).toBeGreaterThan(1);
    } finally {
      await t.dispose();
    }
  },
  90_000,
);
