// Issue 16, items 7–11 ("what staff meet in their first week"), through the service on both
// databases: a failure told in words with what to do next, a reversed window refused at launch,
// restart lineage and refusals that say why, scheduled runs with nothing to do not launched,
// empty runs hidden on request, and no fixed window on a repeating schedule.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Scheduler } from '../../main/batch/index.ts';
import { main as passBatch } from '../../main/cli/index.ts';
import { addPassesJob } from '../../main/pass/jobs/addPassesJob.ts';
import { sendNotificationBeforeClassJob } from '../../main/pass/jobs/sendNotificationBeforeClassJob.ts';
import { passSchedules } from '../../main/pass/schedules.ts';
import { describeEachBackend } from '../support/databases.ts';
import { refused, serviceHarness, snapshot, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';

describeEachBackend('first week', (backend) => {
  let h: ServiceHarness;
  let dir: string;
  const reportDirBefore = process.env.PASS_REPORT_DIR;
  beforeAll(async () => {
    h = await serviceHarness(backend, { scheduler: true });
    dir = mkdtempSync(join(tmpdir(), 'pass-first-week-'));
    // The operator's report folder: one a job may be told to write in.
    process.env.PASS_REPORT_DIR = dir;
  });
  afterAll(async () => {
    if (reportDirBefore === undefined) delete process.env.PASS_REPORT_DIR;
    else process.env.PASS_REPORT_DIR = reportDirBefore;
    await h?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a statistics window whose end is not after its start before any execution exists', async () => {
    const before = await snapshot(h);
    const error = await refused(
      h.service.call(h.sessions.ADMIN, 'executions.launch', { job: 'makeStatisticsJob', params: { from: '2026-12-01T00:00', to: '2026-11-01T00:00' } }),
    );
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.status).toBe(400);
    expect(error.field).toBe('params.to');
    expect(error.text.ko).toContain('집계 끝');
    expect(error.text.ko).toContain('2026. 11. 1. 00:00');
    expect(error.text.en).toMatch(/must come after/);
    expect(await snapshot(h)).toEqual(before);
  });

  it('refuses a reversed statistics window on the command line with exit 2 and one line, writing nothing', async () => {
    const before = await snapshot(h);
    const out = { text: '', write(chunk: string) { this.text += chunk; return true; } };
    const err = { text: '', write(chunk: string) { this.text += chunk; return true; } };
    const code = await passBatch(['run', 'makeStatisticsJob', 'from=2026-12-01T00:00', 'to=2026-11-01T00:00'], { dbUrl: h.database.url, stdout: out, stderr: err, isTTY: false });
    expect(code).toBe(2);
    expect(err.text).toMatch(/^pass-batch: Parameter "to" \(.*\) must come after "from" \(.*\): the window would hold no hour\n$/);
    expect(await snapshot(h)).toEqual(before);
  });

  it('tells a failed execution in words with advice, links a restart both ways and refuses a second restart saying why', async () => {
    const admin = h.sessions.ADMIN;
    // The report folder's parent is a file: the report steps cannot make the folder.
    const blocker = join(dir, 'blocked');
    writeFileSync(blocker, 'not a folder');
    const failed = await h.service.call(admin, 'executions.launch', {
      job: 'makeStatisticsJob',
      params: { from: '2026-11-02T00:00', to: '2026-11-03T00:00', reportDir: join(blocker, 'reports') },
    });
    expect(await waitForEnd(h, failed.id)).toBe('FAILED');
    const detail = await h.service.call(admin, 'executions.get', { id: failed.id });
    expect(detail.failure).not.toBeNull();
    expect(detail.failure!.kind).toBe('folder');
    expect(detail.failure!.message.ko).toContain(join(blocker, 'reports'));
    expect(detail.failure!.message.ko).not.toMatch(/EEXIST|ENOTDIR/);
    expect(detail.failure!.advice.ko).toContain('재시작');
    expect(detail.failure!.advice.en).toMatch(/restart/i);
    expect(detail.failure!.technical).toMatch(/EEXIST|ENOTDIR/);
    expect(detail.lineage!).toMatchObject({ restartOf: null, restartedAs: null, latest: true });
    expect(detail.lineage!.executions.map((e) => e.id)).toEqual([failed.id]);

    rmSync(blocker);
    const restarted = await h.service.call(admin, 'executions.restart', { id: failed.id });
    expect(await waitForEnd(h, restarted.id)).toBe('COMPLETED');
    const old = await h.service.call(admin, 'executions.get', { id: failed.id });
    expect(old.lineage).toMatchObject({ restartOf: null, restartedAs: { id: restarted.id, status: 'COMPLETED' }, latest: false });
    const fresh = await h.service.call(admin, 'executions.get', { id: restarted.id });
    expect(fresh.lineage).toMatchObject({ restartOf: { id: failed.id, status: 'FAILED' }, restartedAs: null, latest: true });
    expect(fresh.lineage!.executions.map((e) => e.id)).toEqual([failed.id, restarted.id]);
    expect(fresh.failure).toBeNull();

    // The list says where each one stands in its instance too.
    const listed = await h.service.call(admin, 'executions.list', { job: 'makeStatisticsJob', pageSize: 50 });
    expect(listed.items.find((e) => e.id === failed.id)!.restartedAs).toEqual({ id: restarted.id, status: 'COMPLETED' });
    expect(listed.items.find((e) => e.id === restarted.id)!.restartedAs).toBeNull();

    const before = await snapshot(h);
    const again = await refused(h.service.call(admin, 'executions.restart', { id: failed.id }));
    expect(again.code).toBe('NOT_RESTARTABLE');
    expect(again.text.ko).toContain(`#${restarted.id}`);
    expect(again.text.ko).toContain('완료');
    expect(again.text.en).toContain(`execution ${restarted.id}`);
    expect(await snapshot(h)).toEqual(before);
  });

  it('describes a recovery and a stop in words with the gym’s local time', async () => {
    const { describeFailure } = await import('../../main/service/failures.ts');
    const recovered = describeFailure(
      'FAILED',
      'Marked FAILED by recovery: the process running it (pid 4242 on desk-1) ended without finishing, last heartbeat 2026-11-30T15:00:00.000Z. Restart it to resume from the last committed chunk.',
      'Asia/Seoul',
    )!;
    expect(recovered.kind).toBe('recovered');
    expect(recovered.message.ko).toContain('2026. 12. 1. 00:00');
    expect(recovered.message.en).toContain('Dec 1, 2026, 00:00');
    expect(recovered.advice.ko).toContain('재시작');
    const stopped = describeFailure('STOPPED', 'Stopped at a chunk boundary on request', 'Asia/Seoul')!;
    expect(stopped.kind).toBe('stopped');
    expect(stopped.message.ko).toContain('중지');
    const unreachable = describeFailure('FAILED', 'expirePassesStep: connect ECONNREFUSED 127.0.0.1:3306', 'Asia/Seoul')!;
    expect(unreachable.kind).toBe('database');
    const full = describeFailure('FAILED', "writeDailyReportStep: ENOSPC: no space left on device, write '/data/reports/daily.csv.tmp'", 'Asia/Seoul')!;
    expect(full.kind).toBe('disk-full');
    expect(full.message.ko).toContain('/data/reports/daily.csv.tmp');
    expect(describeFailure('COMPLETED', '', 'Asia/Seoul')).toBeNull();
  });

  it('hides completed runs that read and wrote nothing when asked', async () => {
    const admin = h.sessions.ADMIN;
    // The first run at a far date expires every pass; a second a day later finds nothing left.
    const busy = await h.service.call(admin, 'executions.launch', { job: 'expirePassesJob', params: { now: '2040-01-01T00:00' } });
    expect(await waitForEnd(h, busy.id)).toBe('COMPLETED');
    const empty = await h.service.call(admin, 'executions.launch', { job: 'expirePassesJob', params: { now: '2040-01-02T00:00' } });
    expect(await waitForEnd(h, empty.id)).toBe('COMPLETED');
    expect((await h.service.call(admin, 'executions.get', { id: empty.id })).totals).toMatchObject({ read: 0, write: 0 });
    const all = await h.service.call(admin, 'executions.list', { job: 'expirePassesJob' });
    expect(all.items.map((e) => e.id)).toEqual(expect.arrayContaining([empty.id, busy.id]));
    const shown = await h.service.call(admin, 'executions.list', { job: 'expirePassesJob', hideEmpty: true });
    expect(shown.items.map((e) => e.id)).toContain(busy.id);
    expect(shown.items.map((e) => e.id)).not.toContain(empty.id);
    expect(shown.total).toBe(all.total - 1);
  });

  it('records a scheduled fire with nothing to do as skipped, with the reason, and launches nothing', async () => {
    // Long ago: no bulk grant was due then and no class was about to start.
    let clock = new Date('2001-03-02T12:00:30+09:00');
    const scheduler = new Scheduler({ database: h.database.db, operator: h.operator, ownerName: 'quiet-desk', now: () => clock, logger: { info: () => undefined, warn: () => undefined } });
    await h.database.db.kysely.deleteFrom('BATCH_SCHEDULE').execute();
    await scheduler.ensureDefaults(passSchedules);
    const executionsBefore = (await h.service.call(h.sessions.ADMIN, 'executions.list', {})).total;
    expect(await addPassesJob.hasWork!(h.database.db, { now: clock, bulkPassSeq: 0 })).toBe(false);
    expect(await sendNotificationBeforeClassJob.hasWork!(h.database.db, { now: clock, minutesBefore: 10, maxAttempts: 5, backoffMs: 500 })).toBe(false);
    clock = new Date('2001-03-02T12:01:10+09:00');
    const reports = await scheduler.tick();
    await scheduler.drain();
    const every = reports.filter((r) => r.jobName === 'addPassesJob' || r.jobName === 'sendNotificationBeforeClassJob');
    expect(every).toHaveLength(2);
    for (const report of every) {
      expect(report.outcome).toBe('SKIPPED_NO_WORK');
      expect(report.executionId).toBeNull();
      expect(report.message).toMatch(/nothing to do/i);
    }
    const fires = await h.database.db.kysely.selectFrom('BATCH_SCHEDULE_FIRE').selectAll().where('JOB_NAME', '=', 'addPassesJob').execute();
    expect(fires.map((f) => f.OUTCOME)).toEqual(['SKIPPED_NO_WORK']);
    expect((await h.service.call(h.sessions.ADMIN, 'executions.list', {})).total).toBe(executionsBefore);
    // A due grant is work.
    expect(await addPassesJob.hasWork!(h.database.db, { now: new Date('2099-01-01T00:00:00Z'), bulkPassSeq: 0 })).toBe(true);
  });

  it('describes every job parameter in plain words, naming no environment variable', async () => {
    const jobs = await h.service.call(h.sessions.ADMIN, 'jobs.list', {});
    for (const job of jobs) {
      for (const parameter of job.parameters) {
        expect(`${parameter.description?.ko ?? ''} ${parameter.description?.en ?? ''}`, `${job.name}.${parameter.name}`).not.toMatch(/PASS_[A-Z_]+|<data dir>/);
      }
    }
  });

  it('refuses a schedule that would fire more than once a minute, saying why, and saves nothing; one second of every minute is fine', async () => {
    const admin = h.sessions.ADMIN;
    const before = (await h.service.call(admin, 'schedules.list', {})).find((s) => s.jobName === 'usePassesJob')!;
    for (const cron of ['*/1 * * * * *', '* * * * * *', '0,30 * * * * *', '*/10 * * * * *']) {
      const error = await refused(h.service.call(admin, 'schedules.update', { job: 'usePassesJob', cron }));
      expect([error.code, error.field], cron).toEqual(['VALIDATION', 'cron']);
      expect(error.text.en).toContain('at most once a minute');
    }
    const after = (await h.service.call(admin, 'schedules.list', {})).find((s) => s.jobName === 'usePassesJob')!;
    expect(after.cron).toBe(before.cron);
    expect((await h.service.call(admin, 'schedules.update', { job: 'usePassesJob', cron: '30 15 3 * * *' })).cron).toBe('30 15 3 * * *');
    await h.service.call(admin, 'schedules.update', { job: 'usePassesJob', cron: before.cron });
  });

  it('refuses a cron with a number its field does not have (minute 61, hour 24), naming the field and its range, and saves nothing', async () => {
    const admin = h.sessions.ADMIN;
    const before = (await h.service.call(admin, 'schedules.list', {})).find((s) => s.jobName === 'usePassesJob')!;
    const cases: Array<[string, string, string]> = [
      ['61 * * * *', '분 자리에는 0부터 59까지 쓸 수 있습니다. 61분은 없습니다', 'the minute field takes 0 to 59; there is no minute 61'],
      ['0 24 * * *', '시 자리에는 0부터 23까지', 'there is no hour 24'],
      ['0 9 * * 1-8', '요일 자리에는 0부터 7까지', 'there is no weekday 8'],
    ];
    for (const [cron, ko, en] of cases) {
      const error = await refused(h.service.call(admin, 'schedules.update', { job: 'usePassesJob', cron }));
      expect([error.code, error.field], cron).toEqual(['INVALID_CRON', 'cron']);
      expect(error.text.ko, cron).toContain(ko);
      expect(error.text.en, cron).toContain(en);
    }
    expect((await h.service.call(admin, 'schedules.list', {})).find((s) => s.jobName === 'usePassesJob')!.cron).toBe(before.cron);
    // In range, with a seconds field first: saved.
    expect((await h.service.call(admin, 'schedules.update', { job: 'usePassesJob', cron: '0 0 0 1 * *' })).cron).toBe('0 0 0 1 * *');
    await h.service.call(admin, 'schedules.update', { job: 'usePassesJob', cron: before.cron });
  });

  it('refuses a fixed date and time on a repeating schedule, saying why, and saves nothing', async () => {
    const admin = h.sessions.ADMIN;
    const service = h.service;
    const before = (await service.call(admin, 'schedules.list', {})).find((s) => s.jobName === 'makeStatisticsJob')!;
    const error = await refused(service.call(admin, 'schedules.update', { job: 'makeStatisticsJob', params: { from: '2026-11-01T00:00', to: '2026-11-02T00:00' } }));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.status).toBe(400);
    expect(error.field).toBe('params.from');
    expect(error.text.ko).toContain('집계 시작');
    expect(error.text.ko).toContain('매번');
    expect(error.text.en).toMatch(/every fire/i);
    const after = (await service.call(admin, 'schedules.list', {})).find((s) => s.jobName === 'makeStatisticsJob')!;
    expect(after.params).toEqual(before.params);
    // Parameters that are no window are still fine.
    const saved = await service.call(admin, 'schedules.update', { job: 'makeStatisticsJob', params: { rerun: 0 } });
    expect(saved.params).toEqual({ rerun: 0 });
  });
});
