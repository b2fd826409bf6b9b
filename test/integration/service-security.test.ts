// Issue 17 (security hardening), items 4, 5, 6, 9 and 10, on SQLite and MariaDB: text that is not
// well-formed Unicode is refused at the door (never by a JSON column after the job started);
// a launch's activity-log row is written before the execution, so none runs unrecorded; member
// ids are matched byte for byte and may hold no invisible character; UTC offsets and years are
// kept to ones that exist.
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { backupDatabaseJob, backupDatabaseSchedule, backupDirectory, defineJob, malformedTextAt, parseJobParameters, taskletStep } from '../../main/batch/index.ts';
import { maskUrlSecrets } from '../../main/service/audit.ts';
import { reportFilePath } from '../../main/service/reports.ts';
import { reportDirectory } from '../../main/pass/reports/reportFiles.ts';
import { makeStatisticsJob } from '../../main/pass/jobs/makeStatisticsJob.ts';
import { describeEachBackend } from '../support/databases.ts';
import { fullSnapshot, refused, serviceHarness, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';

describeEachBackend('security: text, launches, member ids and dates', (backend) => {
  let h: ServiceHarness;
  beforeAll(async () => {
    h = await serviceHarness(backend);
  });
  afterAll(async () => {
    await h?.dispose();
  });

  const executions = async () => Number((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM BATCH_JOB_EXECUTION`.execute(h.database.db.kysely)).rows[0]!.n);

  it('refuses a report folder holding a lone surrogate with 400, before any execution or activity-log row exists', async () => {
    const before = await fullSnapshot(h);
    const error = await refused(h.service.call(h.sessions.ADMIN, 'executions.launch', { job: 'makeStatisticsJob', params: { reportDir: '\ud800' } }));
    expect(error.code).toBe('VALIDATION');
    expect(error.status).toBe(400);
    expect(error.field).toBe('params.reportDir');
    expect(error.text.ko).toContain('깨진 문자');
    expect(await fullSnapshot(h)).toEqual(before);
  });

  it('refuses a lone surrogate anywhere in any operation, in a key as much as in a value', async () => {
    const before = await fullSnapshot(h);
    for (const [name, input, field] of [
      ['members.search', { query: 'kim\udc00' }, 'query'],
      ['schedules.update', { job: 'makeStatisticsJob', params: { reportDir: 'a\ud83d' } }, 'params.reportDir'],
      ['executions.launch', { job: 'expirePassesJob', params: { '\udfff': 'x' } }, 'params.\udfff'],
      ['bulkGrants.create', { packageSeq: 1, userGroupId: 'G\ud800', startedAt: '2026-03-10T09:00' }, 'userGroupId'],
    ] as const) {
      const error = await refused(h.service.call(h.sessions.ADMIN, name, input));
      expect(error.code, name).toBe('VALIDATION');
      expect(error.field, name).toBe(field);
    }
    expect(await fullSnapshot(h)).toEqual(before);
    // a well-formed pair (an emoji) is text like any other
    expect(malformedTextAt({ query: 'kim 😀' })).toBeUndefined();
  });

  it('refuses a lone surrogate in a command-line job parameter', () => {
    expect(() => parseJobParameters('makeStatisticsJob', makeStatisticsJob.params, { reportDir: 'x\udbff' }, { timeZone: 'Asia/Seoul' })).toThrow(/broken character/);
  });

  it('writes the activity-log row before a launch: when it cannot be written, no execution starts', async () => {
    const before = await executions();
    await sql`ALTER TABLE audit_log RENAME TO audit_log_away`.execute(h.database.db.kysely);
    try {
      const error = await refused(h.service.call(h.sessions.ADMIN, 'executions.launch', { job: 'expirePassesJob', params: { now: '2031-01-01T00:00:00Z' } }));
      expect(error.code).toBe('INTERNAL');
    } finally {
      await sql`ALTER TABLE audit_log_away RENAME TO audit_log`.execute(h.database.db.kysely);
    }
    expect(await executions()).toBe(before);
  });

  it('records a launch with the execution it made, and removes the row of a launch the engine refused', async () => {
    const launched = await h.service.call(h.sessions.ADMIN, 'executions.launch', { job: 'expirePassesJob', params: { now: '2032-01-01T00:00:00Z' } });
    const row = await h.database.db.kysely.selectFrom('audit_log').selectAll().where('target', '=', `execution:${launched.id}`).executeTakeFirstOrThrow();
    expect(row.action).toBe('executions.launch');
    expect(JSON.parse(String(row.detail))).toMatchObject({ job: 'expirePassesJob', executionId: launched.id });
    await waitForEnd(h, launched.id);
    const before = await fullSnapshot(h);
    const again = await refused(h.service.call(h.sessions.ADMIN, 'executions.launch', { job: 'expirePassesJob', params: { now: '2032-01-01T00:00:00Z' } }));
    expect(again.code).toBe('ALREADY_COMPLETE');
    expect(await fullSnapshot(h)).toEqual(before);
  });

  it('matches a member id byte for byte: another case, a trailing zero-width space or a NUL sells no pass', async () => {
    const before = await fullSnapshot(h);
    for (const userId of ['m1000001', 'M1000001\u200b', 'M1000001\u0000', '\u202eM1000001', 'M1000001\ufeffx']) {
      const sale = await refused(h.service.call(h.sessions.FRONT_DESK, 'passes.register', { userId, packageSeq: 1, startedAt: '2026-03-10T09:00', paymentMethod: 'CARD' }));
      expect(['NOT_FOUND', 'VALIDATION'], JSON.stringify(userId)).toContain(sale.code);
      expect(sale.field).toBe('userId');
      const passes = await refused(h.service.call(h.sessions.FRONT_DESK, 'members.passes', { userId }));
      expect(['NOT_FOUND', 'VALIDATION'], JSON.stringify(userId)).toContain(passes.code);
    }
    expect((await refused(h.service.call(h.sessions.FRONT_DESK, 'members.passes', { userId: 'M1000001\u200b' }))).code).toBe('VALIDATION');
    expect((await refused(h.service.call(h.sessions.FRONT_DESK, 'members.passes', { userId: 'm1000001' }))).code).toBe('NOT_FOUND');
    expect(await fullSnapshot(h)).toEqual(before);
    // the id as stored still sells
    const sold = await h.service.call(h.sessions.FRONT_DESK, 'passes.register', { userId: 'M1000001', packageSeq: 1, startedAt: '2026-03-10T09:00', paymentMethod: 'CARD' });
    expect(sold.passes).toHaveLength(1);
  });

  it('refuses UTC offsets that do not exist and years before 2000 or after 2100, in the contract and in job parameters', async () => {
    const before = await fullSnapshot(h);
    for (const startedAt of ['2026-03-10T09:00+99:99', '2026-03-10T09:00+14:30', '2026-03-10T09:00-13:00', '2026-03-10T09:00+09:60', '1999-12-31', '2101-01-01', '0001-01-01T00:00Z']) {
      const error = await refused(h.service.call(h.sessions.FRONT_DESK, 'passes.register', { userId: 'M1000002', packageSeq: 1, startedAt, paymentMethod: 'CARD' }));
      expect(error.code, startedAt).toBe('VALIDATION');
      expect(error.field, startedAt).toBe('startedAt');
    }
    for (const now of ['2026-03-10T09:00+99:99', '1999-12-31T00:00', '2101-01-01', '9999-12-31T23:59Z']) {
      const error = await refused(h.service.call(h.sessions.ADMIN, 'executions.launch', { job: 'expirePassesJob', params: { now } }));
      expect(error.code, now).toBe('INVALID_PARAMETER');
      expect(error.field, now).toBe('params.now');
    }
    expect(await fullSnapshot(h)).toEqual(before);
    // the edges themselves, and real offsets, are dates
    for (const startedAt of ['2000-01-01', '2026-03-10T09:00+14:00', '2026-03-10T09:00-12:00', '2026-03-10T09:00+0530']) {
      const sale = await h.service.call(h.sessions.FRONT_DESK, 'passes.register', { userId: 'M1000002', packageSeq: 1, startedAt, paymentMethod: 'CARD' });
      expect(sale.passes, startedAt).toHaveLength(1);
    }
    // the last passes the contract, to be refused by the desk's own rule: a sale starts at most a year ahead
    const late = await refused(h.service.call(h.sessions.FRONT_DESK, 'passes.register', { userId: 'M1000002', packageSeq: 1, startedAt: '2100-12-31T23:00', paymentMethod: 'CARD' }));
    expect([late.field, late.text.en]).toEqual(['startedAt', expect.stringContaining('2100-12-31 is too far ahead')]);
  });
});

// Item 5: folders people name (reports, backups, the notification log) stay inside the data
// folder, the operator's, or one an admin added on the Settings screen.
describeEachBackend('security: folders', (backend) => {
  let h: ServiceHarness;
  let dataDir: string;
  let outside: string;
  const savedDataDir = process.env.PASS_DATA_DIR;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pass-sec-data-'));
    outside = mkdtempSync(join(tmpdir(), 'pass-sec-outside-'));
    process.env.PASS_DATA_DIR = dataDir;
    h = await serviceHarness(backend, { scheduler: true, extraJobs: [backupDatabaseJob] });
    await h.scheduler!.ensureDefaults([backupDatabaseSchedule]);
  });
  afterAll(async () => {
    await h?.dispose();
    if (savedDataDir === undefined) delete process.env.PASS_DATA_DIR;
    else process.env.PASS_DATA_DIR = savedDataDir;
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  const admin = () => h.sessions.ADMIN;
  const window = { from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' };

  it('refuses a report or backup folder outside the data folder at launch, before anything is written or created', async () => {
    const before = await fullSnapshot(h);
    for (const reportDir of ['../../../../tmp/pass-sec-x', join(outside, 'reports'), '/etc']) {
      const error = await refused(h.service.call(admin(), 'executions.launch', { job: 'makeStatisticsJob', params: { ...window, reportDir } }));
      expect(error.code, reportDir).toBe('INVALID_PARAMETER');
      expect(error.field, reportDir).toBe('params.reportDir');
      expect(error.text.en).toMatch(/outside the folders/);
    }
    const backup = await refused(h.service.call(admin(), 'executions.launch', { job: 'backupDatabaseJob', params: { backupDir: outside, keep: 1 } }));
    expect(backup.code).toBe('INVALID_PARAMETER');
    expect(backup.field).toBe('params.backupDir');
    expect(await fullSnapshot(h)).toEqual(before);
    expect(existsSync(join(outside, 'reports'))).toBe(false);
    expect(existsSync('/tmp/pass-sec-x')).toBe(false);
  });

  it('reads a relative folder in the data folder, never the working directory', async () => {
    expect(reportDirectory('reports-relative')).toBe(join(dataDir, 'reports-relative'));
    expect(backupDirectory('/x/gym.sqlite', 'copies')).toBe(join(dataDir, 'copies'));
    const run = await h.service.call(admin(), 'executions.launch', { job: 'makeStatisticsJob', params: { ...window, reportDir: 'reports-relative' } });
    expect(await waitForEnd(h, run.id)).toBe('COMPLETED');
    expect(readdirSync(join(dataDir, 'reports-relative')).length).toBeGreaterThan(0);
  });

  it('follows a symbolic link before the check: a link in the data folder to a folder outside is refused', async () => {
    symlinkSync(outside, join(dataDir, 'link-out'));
    const error = await refused(h.service.call(admin(), 'executions.launch', { job: 'makeStatisticsJob', params: { ...window, reportDir: 'link-out/reports' } }));
    expect(error.code).toBe('INVALID_PARAMETER');
    expect(error.text.en).toContain(realpathSync(outside));
  });

  it('refuses a schedule whose saved folder lies outside, and a notification log outside, naming the field', async () => {
    const before = await fullSnapshot(h);
    const schedule = await refused(h.service.call(admin(), 'schedules.update', { job: 'backupDatabaseJob', params: { backupDir: '../../../../tmp/pass-sec-y' } }));
    expect(schedule.code).toBe('INVALID_PARAMETER');
    expect(schedule.field).toBe('params.backupDir');
    const log = await refused(h.service.call(admin(), 'settings.update', { notifier: { kind: 'logFile', path: join(outside, 'n.log') } }));
    expect(log.code).toBe('VALIDATION');
    expect(log.field).toBe('notifier.path');
    expect(await fullSnapshot(h)).toEqual(before);
  });

  it('lets an admin add a folder on the Settings screen (kept resolved, audited), which reports, backups and the log may then use', async () => {
    const view = await h.service.call(admin(), 'settings.update', { allowedFolders: [join(outside, '.', 'sub', '..')] });
    expect(view.allowedFolders).toEqual([realpathSync(outside)]);
    expect(view.dataFolder).toBe(dataDir);
    const audit = await h.database.db.kysely.selectFrom('audit_log').selectAll().where('action', '=', 'settings.update').orderBy('audit_seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(String(audit.detail))).toMatchObject({ allowedFolders: { from: [], to: [realpathSync(outside)] } });
    await h.service.call(admin(), 'schedules.update', { job: 'makeStatisticsJob', params: { reportDir: join(outside, 'reports') } });
    await h.service.call(admin(), 'settings.update', { notifier: { kind: 'logFile', path: join(outside, 'notifications.log') } });
    const run = await h.service.call(admin(), 'executions.launch', { job: 'makeStatisticsJob', params: { ...window, rerun: 1, reportDir: join(outside, 'reports') } });
    expect(await waitForEnd(h, run.id)).toBe('COMPLETED');
    // removed again: refused again
    await h.service.call(admin(), 'settings.update', { allowedFolders: [], notifier: { kind: 'logFile' } });
    const again = await refused(h.service.call(admin(), 'executions.launch', { job: 'makeStatisticsJob', params: { ...window, rerun: 2, reportDir: join(outside, 'reports') } }));
    expect(again.code).toBe('INVALID_PARAMETER');
  });

  it('keeps a folder only an admin may allow: a manager cannot change the list', async () => {
    const error = await refused(h.service.call(h.sessions.MANAGER, 'settings.update', { allowedFolders: ['/'] }));
    expect(error.code).toBe('FORBIDDEN');
  });
});

// Item 10: technical detail (stack frames, server paths) is an admin's; secrets in URLs never
// reach the activity log.
const brokenJob = defineJob({
  name: 'brokenTestJob',
  params: {},
  steps: [
    taskletStep({
      name: 'breakStep',
      tasklet: async () => {
        throw new Error(`could not open ${join(process.cwd(), 'data', 'reports', 'daily.csv')}`);
      },
    }),
  ],
});

describeEachBackend('security: technical detail and secrets', (backend) => {
  let h: ServiceHarness;
  beforeAll(async () => {
    h = await serviceHarness(backend, { extraJobs: [brokenJob] });
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('shows a failed execution’s stack and server paths to an admin only; a manager gets the sentence', async () => {
    const run = await h.service.call(h.sessions.ADMIN, 'executions.launch', { job: 'brokenTestJob', params: {} });
    expect(await waitForEnd(h, run.id)).toBe('FAILED');
    const asAdmin = await h.service.call(h.sessions.ADMIN, 'executions.get', { id: run.id });
    expect(asAdmin.exitMessage).toContain(process.cwd());
    const asManager = await h.service.call(h.sessions.MANAGER, 'executions.get', { id: run.id });
    const shown = JSON.stringify(asManager);
    expect(shown).not.toContain(process.cwd());
    expect(shown).not.toMatch(/\\n\s+at /);
    expect(asManager.exitMessage).toContain('could not open daily.csv');
    expect(asManager.failure?.message.ko).toBeTruthy();
    const listed = await h.service.call(h.sessions.MANAGER, 'executions.list', { job: 'brokenTestJob' });
    expect(JSON.stringify(listed)).not.toContain(process.cwd());
  });

  it('tells only an admin where a report file is on the server', async () => {
    const run = await h.service.call(h.sessions.ADMIN, 'executions.launch', { job: 'makeStatisticsJob', params: { from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z', reportDir: 'reports-sec' } });
    expect(await waitForEnd(h, run.id)).toBe('COMPLETED');
    const [report] = await h.service.call(h.sessions.MANAGER, 'reports.list', {});
    const asManager = await h.service.call(h.sessions.MANAGER, 'reports.file', { id: report!.reportSeq });
    expect(asManager.path).toBeNull();
    expect(JSON.stringify(asManager)).not.toContain('/');
    expect(reportFilePath(asManager)).toMatch(/reports-sec/);
    const asAdmin = await h.service.call(h.sessions.ADMIN, 'reports.file', { id: report!.reportSeq });
    expect(asAdmin.path).toMatch(/reports-sec/);
  });

  it('masks a webhook’s key, token and password in the activity log', async () => {
    await h.service.call(h.sessions.ADMIN, 'settings.update', { notifier: { kind: 'webhook', url: 'https://hooks.example/send?key=SECRET-KEY-1&team=7&token=SECRET-TOKEN-2' } });
    const rows = await h.database.db.kysely.selectFrom('audit_log').select('detail').execute();
    const text = rows.map((r) => String(r.detail)).join('\n');
    expect(text).toContain('key=***');
    expect(text).toContain('team=7');
    expect(text).not.toContain('SECRET-KEY-1');
    expect(text).not.toContain('SECRET-TOKEN-2');
    expect(maskUrlSecrets('mysql://pass_user:hunter2@db:3306/gym')).toBe('mysql://pass_user:***@db:3306/gym');
  });
});
