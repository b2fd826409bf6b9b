// Saved settings take effect (issue 4's Settings screen), on both databases:
// - the notifier saved in the console is the one the next run of a notification job sends
//   through, on its worker threads, though the environment names another; a later change applies
//   to the run after it, with no restart;
// - the gym's time zone saved in the console is the one the JobOperator reads parameters in, at
//   once in this process and from the start on another (over PASS_TIME_ZONE), and the one a
//   schedule without a zone of its own is kept in.
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { JobOperator, Scheduler, toDbTime } from '../../main/batch/index.ts';
import { sendNotificationBeforeClassJob } from '../../main/pass/jobs/sendNotificationBeforeClassJob.ts';
import { readSavedSettings } from '../../main/pass/savedSettings.ts';
import { openRuntime, type Runtime } from '../../main/app/runtime.ts';
import { createService, type Service, type Session } from '../../main/service/service.ts';
import { startHttpSink, type HttpSink } from '../fixtures/httpSink.ts';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';

const MINUTE = 60_000;
/** 2026-01-05 08:50 in Seoul */
const NOW = new Date('2026-01-04T23:50:00.000Z');
const ADMIN_PASSWORD = 'admin-password-1';

async function adminOf(service: Service): Promise<Session> {
  await service.ensureAdmin({ password: ADMIN_PASSWORD });
  const { token } = await service.call(null, 'session.login', { username: 'admin', password: ADMIN_PASSWORD });
  return (await service.authenticate(token))!;
}

const lines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { idempotencyKey: string }) : []);

describeEachBackend('saved notifier setting', (backend) => {
  let t: TestDatabase;
  let operator: JobOperator;
  let sink: HttpSink;
  let dir: string;
  const savedEnv = { log: process.env.PASS_NOTIFIER_LOG, url: process.env.PASS_NOTIFIER_WEBHOOK_URL };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pass-saved-notifier-'));
    // The environment says: a log file. Worker threads copy this environment when they start.
    process.env.PASS_NOTIFIER_LOG = join(dir, 'env.log');
    delete process.env.PASS_NOTIFIER_WEBHOOK_URL;
    t = await freshDatabase(backend);
    sink = await startHttpSink();
    operator = new JobOperator({ database: t.db, jobs: [sendNotificationBeforeClassJob] });
    await t.db.kysely
      .insertInto('user')
      .values(Array.from({ length: 6 }, (_, i) => ({ user_id: `u${i + 1}`, user_name: `회원${i + 1}`, status: 'ACTIVE', phone: `010-0000-000${i + 1}`, meta: null })))
      .execute();
  });
  afterEach(async () => {
    await operator?.close();
    await sink?.close();
    await t?.dispose();
    if (savedEnv.log === undefined) delete process.env.PASS_NOTIFIER_LOG;
    else process.env.PASS_NOTIFIER_LOG = savedEnv.log;
    if (savedEnv.url !== undefined) process.env.PASS_NOTIFIER_WEBHOOK_URL = savedEnv.url;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Two bookings starting a few minutes after `now`, for users `first` and `first + 1`. */
  async function bookingsAt(now: Date, first: number) {
    await t.db.kysely
      .insertInto('booking')
      .values([0, 1].map((i) => ({
        booking_seq: first + i,
        pass_seq: 1,
        user_id: `u${first + i}`,
        status: 'READY',
        started_at: toDbTime(new Date(now.getTime() + (3 + i) * MINUTE)),
        ended_at: toDbTime(new Date(now.getTime() + 50 * MINUTE)),
      })))
      .execute();
  }

  const run = async (now: Date) => {
    const execution = await operator.run('sendNotificationBeforeClassJob', { now, backoffMs: 1 });
    expect(execution.status, execution.exitMessage).toBe('COMPLETED');
    return execution;
  };

  it('the next run sends through the saved notifier, not the environment’s; a later change applies to the run after it', async () => {
    const service = createService({ db: t.db, operator });
    const admin = await adminOf(service);
    const envLog = join(dir, 'env.log');

    // Nothing saved: the environment's log file.
    await bookingsAt(NOW, 1);
    await run(NOW);
    expect(lines(envLog).map((l) => l.idempotencyKey.replace(/:at:.*$/, '')).sort()).toEqual(['BEFORE_CLASS:booking:1', 'BEFORE_CLASS:booking:2']);
    expect(sink.requests).toHaveLength(0);

    // Saved: the webhook. The very next run posts to it, with each row's key.
    await service.call(admin, 'settings.update', { notifier: { kind: 'webhook', url: sink.url, timeoutMs: 5000 } });
    const second = new Date(NOW.getTime() + 20 * MINUTE);
    await bookingsAt(second, 3);
    await run(second);
    expect(sink.requests.map((r) => r.key!.replace(/:at:.*$/, '')).sort()).toEqual(['BEFORE_CLASS:booking:3', 'BEFORE_CLASS:booking:4']);
    expect(sink.requests.every((r) => r.status === 200)).toBe(true);
    expect(lines(envLog)).toHaveLength(2);

    // Saved again: another log file; the webhook hears nothing more.
    const savedLog = join(dir, 'saved.log');
    await service.call(admin, 'settings.update', { notifier: { kind: 'logFile', path: savedLog } });
    const third = new Date(NOW.getTime() + 40 * MINUTE);
    await bookingsAt(third, 5);
    await run(third);
    expect(lines(savedLog).map((l) => l.idempotencyKey.replace(/:at:.*$/, '')).sort()).toEqual(['BEFORE_CLASS:booking:5', 'BEFORE_CLASS:booking:6']);
    expect(sink.requests).toHaveLength(2);
    expect(lines(envLog)).toHaveLength(2);

    const sent = await t.db.kysely.selectFrom('notification').select(['sent']).execute();
    expect(sent.map((r) => Number(r.sent))).toEqual([1, 1, 1, 1, 1, 1]);
    // The settings test sends where the jobs send.
    const test = await service.call(admin, 'settings.testNotifier', {});
    expect(test).toMatchObject({ ok: true, target: savedLog });
    expect(lines(savedLog)).toHaveLength(3);
  });
});

describeEachBackend('saved time zone', (backend) => {
  let t: TestDatabase;
  let runtime: Runtime | undefined;
  const savedEnv = process.env.PASS_TIME_ZONE;

  beforeEach(async () => {
    delete process.env.PASS_TIME_ZONE;
    t = await freshDatabase(backend);
    await t.db.close(); // openRuntime opens it, as a process would
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    if (savedEnv === undefined) delete process.env.PASS_TIME_ZONE;
    else process.env.PASS_TIME_ZONE = savedEnv;
    await t?.dispose();
  });

  /** makeStatisticsJob's `from` default: the start of yesterday in the operator's zone. */
  const defaultFrom = (operator: JobOperator, now: Date) => operator.parameters('makeStatisticsJob', {}, now).find((p) => p.name === 'from')!.value as Date;
  const at = new Date('2026-03-10T12:00:00Z'); // 21:00 in Seoul, 08:00 in New York

  it('takes effect at once in this process, and at the start of the next one over PASS_TIME_ZONE', async () => {
    runtime = await openRuntime({ dbUrl: t.url });
    expect([runtime.operator.timeZone, runtime.timeZoneSource]).toEqual(['Asia/Seoul', 'default']);
    expect(defaultFrom(runtime.operator, at).toISOString()).toBe('2026-03-08T15:00:00.000Z'); // 03-09 00:00 +09:00

    const service = createService(runtime);
    const admin = await adminOf(service);
    const launched: number[] = [];
    const launchedAt = async (now: string) => {
      const e = await service.call(admin, 'executions.launch', { job: 'expirePassesJob', params: { now } });
      launched.push(e.id);
      return e.parameters.now;
    };
    expect(await launchedAt('2030-01-01T09:00')).toBe('2030-01-01T00:00:00.000Z');

    const changed = await service.call(admin, 'settings.update', { timeZone: 'America/New_York' });
    expect(changed).toMatchObject({ timeZone: 'America/New_York', activeTimeZone: 'America/New_York' });
    // No restart: the next launch reads its parameters in the saved zone.
    expect(runtime.operator.timeZone).toBe('America/New_York');
    expect(defaultFrom(runtime.operator, at).toISOString()).toBe('2026-03-09T04:00:00.000Z'); // 03-09 00:00 EDT (-04:00 since 03-08)
    expect(await launchedAt('2030-01-02T09:00')).toBe('2030-01-02T14:00:00.000Z');
    // and settings.get says which zone this process uses now
    expect((await service.call(admin, 'settings.get', {})).activeTimeZone).toBe('America/New_York');
    await runtime.close(); // lets the two launches end first
    expect(launched).toHaveLength(2);
    runtime = undefined;

    // The next start: the saved zone wins over the environment's.
    process.env.PASS_TIME_ZONE = 'Europe/Berlin';
    runtime = await openRuntime({ dbUrl: t.url });
    expect([runtime.operator.timeZone, runtime.timeZoneSource]).toEqual(['America/New_York', 'settings']);
    expect(defaultFrom(runtime.operator, at).toISOString()).toBe('2026-03-09T04:00:00.000Z');

    // A schedule with no zone of its own is kept in the gym's zone, and its next fires say so.
    const scheduler = new Scheduler({
      database: runtime.db,
      operator: runtime.operator,
      ownerName: 'test',
      now: () => new Date('2026-03-10T00:00:00Z'),
      logger: { info: () => undefined, warn: () => undefined },
    });
    await scheduler.ensureDefaults([{ jobName: 'expirePassesJob', cron: '0 6 * * *' }]);
    const [schedule] = await scheduler.list();
    expect(schedule!.timeZone).toBe('America/New_York');
    expect(schedule!.nextFires[0]!.toISOString()).toBe('2026-03-10T10:00:00.000Z'); // 06:00 EDT (-04:00 from 03-08)
  });

  it('without a saved zone: PASS_TIME_ZONE, and a zone given by the caller over it', async () => {
    process.env.PASS_TIME_ZONE = 'Europe/Berlin';
    runtime = await openRuntime({ dbUrl: t.url });
    expect([runtime.operator.timeZone, runtime.timeZoneSource]).toEqual(['Europe/Berlin', 'PASS_TIME_ZONE']);
    await runtime.close();
    runtime = await openRuntime({ dbUrl: t.url, timeZone: 'UTC' });
    expect([runtime.operator.timeZone, runtime.timeZoneSource]).toEqual(['UTC', 'option']);
  });
});

describeEachBackend('saved settings reader', (backend) => {
  it('reads nothing saved on a database without the settings table, and skips a row edited into nonsense', async () => {
    const bare = await freshDatabase(backend, { migrate: false });
    try {
      expect(await readSavedSettings(bare.db.kysely)).toEqual({ modifiedAt: null, modifiedBy: null });
    } finally {
      await bare.dispose();
    }
    const t = await freshDatabase(backend);
    try {
      const at = toDbTime(new Date('2026-01-01T00:00:00Z'));
      await t.db.kysely
        .insertInto('settings')
        .values([
          { setting_key: 'timeZone', value: '"Mars/Olympus"', modified_at: at, modified_by: 'hand' },
          { setting_key: 'notifier', value: '{"kind":"webhook"}', modified_at: at, modified_by: 'hand' },
          { setting_key: 'language', value: '"en"', modified_at: at, modified_by: 'admin' },
        ])
        .execute();
      expect(await readSavedSettings(t.db.kysely)).toEqual({ language: 'en', modifiedAt: new Date('2026-01-01T00:00:00Z'), modifiedBy: 'admin' });
    } finally {
      await t.dispose();
    }
  });
});
