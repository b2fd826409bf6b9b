// The service on a real database (SQLite and MariaDB/MySQL): sign-in, roles enforced in the
// service itself, every input checked before anything is touched, and every change audited.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { migrateToLatest } from '../../main/batch/index.ts';
import { createService } from '../../main/service/service.ts';
import { describeEachBackend, freshDatabase } from '../support/databases.ts';
import { PASSWORDS, refused, serviceHarness, serviceMigrations, snapshot, USERNAMES, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';
import { BatchError, JobOperator } from '../../main/batch/index.ts';
import { insertForeignExecution } from '../support/foreignExecution.ts';

/**
 * A day `days` ahead (yyyy-MM-dd): a grant starting then is scheduled and never due within a test,
 * and a grant may start at most a year ahead (as a desk sale), so 2099 is refused.
 */
const ahead = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const LATER = ahead(300);

describeEachBackend('service', (backend) => {
  let h: ServiceHarness;
  beforeAll(async () => {
    h = await serviceHarness(backend);
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('refuses a wrong password, an unknown name and a disabled account alike', async () => {
    const wrong = await refused(h.service.call(null, 'session.login', { username: 'admin', password: 'not-the-password' }));
    expect(wrong.code).toBe('LOGIN_FAILED');
    expect(wrong.status).toBe(401);
    expect(wrong.text.ko).toContain('비밀번호');
    const unknown = await refused(h.service.call(null, 'session.login', { username: 'nobody', password: 'whatever-123' }));
    expect(unknown.toJSON()).toEqual(wrong.toJSON());
    expect(await h.service.authenticate('not-a-token')).toBeNull();

    const admin = h.sessions.ADMIN;
    await h.service.call(admin, 'staff.create', { username: 'temp.desk', password: 'temp-password-1', role: 'FRONT_DESK' });
    const { token } = await h.service.call(null, 'session.login', { username: 'temp.desk', password: 'temp-password-1' });
    expect(await h.service.authenticate(token)).toMatchObject({ username: 'temp.desk', role: 'FRONT_DESK' });
    await h.service.call(admin, 'staff.disable', { username: 'temp.desk' });
    // Disabling ends the account's sessions at once and refuses new ones.
    expect(await h.service.authenticate(token)).toBeNull();
    expect((await refused(h.service.call(null, 'session.login', { username: 'temp.desk', password: 'temp-password-1' }))).code).toBe('LOGIN_FAILED');
  });

  it('keeps the token only as a hash, and logout ends the session', async () => {
    const { token } = await h.service.call(null, 'session.login', { username: USERNAMES.MANAGER, password: PASSWORDS.MANAGER });
    const rows = await h.database.db.kysely.selectFrom('staff_session').select('token_hash').execute();
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
    const session = (await h.service.authenticate(token))!;
    expect(await h.service.call(session, 'session.me', {})).toEqual({ username: USERNAMES.MANAGER, role: 'MANAGER', mustChangePassword: false });
    await h.service.call(session, 'session.logout', {});
    expect(await h.service.authenticate(token)).toBeNull();
  });

  it('lets the front desk find members by name, phone or id', async () => {
    const desk = h.sessions.FRONT_DESK;
    const member = await h.database.db.kysely.selectFrom('user').selectAll().where('user_id', '=', 'M1000001').executeTakeFirstOrThrow();
    const byId = await h.service.call(desk, 'members.search', { query: 'M1000001' });
    expect(byId.members[0]).toMatchObject({ userId: 'M1000001', userName: member.user_name });
    const byPhone = await h.service.call(desk, 'members.search', { query: `${member.phone.slice(0, 3)}-${member.phone.slice(3, 7)}-${member.phone.slice(7)}` });
    expect(byPhone.members.map((m) => m.userId)).toContain('M1000001');
    const byName = await h.service.call(desk, 'members.search', { query: member.user_name });
    expect(byName.members.map((m) => m.userId)).toContain('M1000001');
    // LIKE wildcards are plain characters here.
    expect(await h.service.call(desk, 'members.search', { query: '%' })).toEqual({ members: [], total: 0, next: null });
    expect(await h.service.call(desk, 'members.search', { query: "' OR 1=1 --" })).toEqual({ members: [], total: 0, next: null });
  });

  it('lets the front desk register a bulk grant and grant it now; the member sees the pass', async () => {
    const desk = h.sessions.FRONT_DESK;
    const packages = await h.service.call(desk, 'packages.list', {});
    const groups = await h.service.call(desk, 'groups.list', {});
    const all = groups.find((g) => g.userGroupId === 'ALL')!;
    expect(all.memberCount).toBe(40);
    const pkg = packages.find((p) => p.count === 1)!;

    const grant = await h.service.call(desk, 'bulkGrants.create', {
      packageSeq: pkg.packageSeq,
      userGroupId: 'ALL',
      startedAt: `${LATER}T09:00`,
    });
    // 09:00 in Seoul is 00:00 UTC
    expect(grant).toMatchObject({ status: 'READY', userGroupName: '전체 회원', passesCreated: 0, startedAt: `${LATER}T00:00:00.000Z` });

    const { execution } = await h.service.call(desk, 'bulkGrants.grantNow', { bulkPassSeq: grant.bulkPassSeq });
    expect(execution).toMatchObject({ jobName: 'addPassesJob', launchedBy: USERNAMES.FRONT_DESK });
    expect(execution.parameters.bulkPassSeq).toBe(grant.bulkPassSeq);
    expect(await waitForEnd(h, execution.id)).toBe('COMPLETED');

    const after = (await h.service.call(desk, 'bulkGrants.list', {})).find((g) => g.bulkPassSeq === grant.bulkPassSeq)!;
    expect(after.status).toBe('COMPLETED');
    expect(after.passesCreated).toBe(all.activeMemberCount);
    // brought forward to now
    expect(Date.parse(after.startedAt)).toBeLessThanOrEqual(Date.now());

    const passes = await h.service.call(desk, 'members.passes', { userId: 'M1000001' });
    expect(passes.passes.find((p) => p.bulkPassSeq === grant.bulkPassSeq)).toMatchObject({ status: 'PROGRESSED', remainingCount: 1, packageName: pkg.packageName });
    expect(passes.bookings.length).toBeGreaterThan(0);

    const audit = await h.service.call(h.sessions.ADMIN, 'audit.list', { actor: USERNAMES.FRONT_DESK });
    expect(audit.items.map((a) => a.action)).toEqual(expect.arrayContaining(['bulkGrants.create', 'bulkGrants.grantNow']));
    expect(audit.items.find((a) => a.action === 'bulkGrants.grantNow')).toMatchObject({ target: `bulk_pass:${grant.bulkPassSeq}`, detail: { executionId: execution.id } });

    // Granted: no second grant, no cancel.
    expect((await refused(h.service.call(desk, 'bulkGrants.grantNow', { bulkPassSeq: grant.bulkPassSeq }))).code).toBe('CONFLICT');
    expect((await refused(h.service.call(desk, 'bulkGrants.cancel', { bulkPassSeq: grant.bulkPassSeq }))).code).toBe('CONFLICT');
  });

  it('audits a grant-now\'s moved start date with the move itself, even when the launch is then refused', async () => {
    const desk = h.sessions.FRONT_DESK;
    const grant = await h.service.call(desk, 'bulkGrants.create', { packageSeq: 1, userGroupId: 'PT', count: 2, startedAt: `${LATER}T09:00` });
    const start = vi.spyOn(h.operator, 'start').mockRejectedValueOnce(new BatchError('INVALID_PARAMETER', 'refused for the test'));
    try {
      await refused(h.service.call(desk, 'bulkGrants.grantNow', { bulkPassSeq: grant.bulkPassSeq }));
    } finally {
      start.mockRestore();
    }
    const after = (await h.service.call(desk, 'bulkGrants.list', {})).find((g) => g.bulkPassSeq === grant.bulkPassSeq)!;
    expect(after.status).toBe('READY');
    expect(Date.parse(after.startedAt)).toBeLessThanOrEqual(Date.now());
    const audit = await h.service.call(h.sessions.ADMIN, 'audit.list', { actor: USERNAMES.FRONT_DESK });
    const target = `bulk_pass:${grant.bulkPassSeq}`;
    expect(audit.items.filter((a) => a.target === target).map((a) => a.action).sort()).toEqual(['bulkGrants.create', 'bulkGrants.moveStart']);
    expect(audit.items.find((a) => a.action === 'bulkGrants.moveStart' && a.target === target)).toMatchObject({
      detail: { bulkPassSeq: grant.bulkPassSeq, startedAtWas: `${LATER}T00:00:00.000Z`, startedAt: after.startedAt },
    });
    await h.service.call(desk, 'bulkGrants.cancel', { bulkPassSeq: grant.bulkPassSeq });
  });

  it('cancels only a scheduled grant', async () => {
    const desk = h.sessions.FRONT_DESK;
    const grant = await h.service.call(desk, 'bulkGrants.create', { packageSeq: 1, userGroupId: 'PT', count: 3, startedAt: LATER, endedAt: ahead(360) });
    const cancelled = await h.service.call(desk, 'bulkGrants.cancel', { bulkPassSeq: grant.bulkPassSeq });
    expect(cancelled.status).toBe('CANCELLED');
    const again = await refused(h.service.call(desk, 'bulkGrants.cancel', { bulkPassSeq: grant.bulkPassSeq }));
    expect(again.code).toBe('CONFLICT');
    expect(again.text.en).toContain('cancelled');
    expect((await refused(h.service.call(desk, 'bulkGrants.grantNow', { bulkPassSeq: grant.bulkPassSeq }))).code).toBe('CONFLICT');
    expect((await refused(h.service.call(desk, 'bulkGrants.cancel', { bulkPassSeq: 987654 }))).toJSON()).toMatchObject({ code: 'NOT_FOUND', field: 'bulkPassSeq' });
  });

  it('registers a desk sale with a bonus pass, audited', async () => {
    const desk = h.sessions.FRONT_DESK;
    // midnight in Seoul three months ahead (a sale starts at most a year from today)
    const midnight = DateTime.now().setZone('Asia/Seoul').plus({ months: 3 }).startOf('day');
    const { passes } = await h.service.call(desk, 'passes.register', { userId: 'M1000002', packageSeq: 1, bonusPackageSeq: 3, startedAt: midnight.toFormat("yyyy-MM-dd'T'HH:mm"), paymentMethod: 'CARD' });
    expect(passes).toHaveLength(2);
    expect(passes[0]).toMatchObject({ packageSeq: 1, status: 'READY', remainingCount: 10, startedAt: midnight.toUTC().toISO() });
    expect(passes[1]).toMatchObject({ packageSeq: 3, remainingCount: null });
    const audit = await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'passes.register' });
    expect(audit.items[0]).toMatchObject({ actor: USERNAMES.FRONT_DESK, target: 'user:M1000002' });
    expect((await refused(h.service.call(desk, 'passes.register', { userId: 'NOPE', packageSeq: 1, startedAt: '2030-01-01', paymentMethod: 'CARD' }))).toJSON()).toMatchObject({
      code: 'NOT_FOUND',
      field: 'userId',
    });
  });

  it('refuses the front desk every other launch and the admin screens, writing nothing', async () => {
    const desk = h.sessions.FRONT_DESK;
    const admin = h.sessions.ADMIN;
    const launched = await h.service.call(admin, 'executions.launch', { job: 'expirePassesJob', params: {} });
    await waitForEnd(h, launched.id);
    const before = await snapshot(h);
    const calls: Array<[string, unknown]> = [
      ['executions.restart', { id: launched.id }],
      ['executions.stop', { id: launched.id }],
      ['executions.abandon', { id: launched.id }],
      ['executions.launch', { job: 'addPassesJob', params: {} }],
      ['executions.list', {}],
      ['executions.get', { id: launched.id }],
      ['statistics.series', { from: '2025-01-01', to: '2025-01-02', unit: 'hour' }],
      ['jobs.list', {}],
      ['reports.list', {}],
      ['audit.list', {}],
      ['staff.create', { username: 'sneaky', password: 'sneaky-password', role: 'ADMIN' }],
      ['schedules.update', { job: 'expirePassesJob', enabled: false }],
      // Refused for the role before the input is even looked at.
      ['executions.restart', { id: 'garbage' }],
    ];
    for (const [name, input] of calls) {
      const error = await refused(h.service.call(desk, name as 'executions.restart', input));
      expect(error.code, name).toBe('FORBIDDEN');
      expect(error.status).toBe(403);
    }
    expect(await snapshot(h)).toEqual(before);
  });

  it('lets a manager read executions but not launch or change them', async () => {
    const manager = h.sessions.MANAGER;
    const list = await h.service.call(manager, 'executions.list', { job: 'addPassesJob' });
    expect(list.total).toBeGreaterThan(0);
    expect(list.items.every((e) => e.jobName === 'addPassesJob')).toBe(true);
    const detail = await h.service.call(manager, 'executions.get', { id: list.items[0]!.id });
    expect(detail.steps[0]).toMatchObject({ stepName: 'addPassesStep', status: 'COMPLETED' });
    expect(detail.steps[0]!.writeCount).toBeGreaterThan(0);
    const jobs = await h.service.call(manager, 'jobs.list', {});
    expect(jobs.find((j) => j.name === 'addPassesJob')!.parameters.map((p) => p.name)).toEqual(['now', 'bulkPassSeq']);
    const stats = await h.service.call(manager, 'statistics.series', { from: '2025-01-01', to: '2025-01-08', unit: 'day' });
    expect(stats.points).toHaveLength(7);
    expect(stats.totals).toMatchObject({ all: 0, attendanceRate: null });
    expect(Array.isArray(await h.service.call(manager, 'reports.list', {}))).toBe(true);

    const before = await snapshot(h);
    for (const [name, input] of [
      ['executions.launch', { job: 'expirePassesJob', params: {} }],
      ['executions.restart', { id: list.items[0]!.id }],
      ['staff.list', {}],
      ['audit.list', {}],
    ] as const) {
      expect((await refused(h.service.call(manager, name, input))).code, name).toBe('FORBIDDEN');
    }
    expect(await snapshot(h)).toEqual(before);
  });

  it('lists executions with read/write/skip totals (a partitioned step counted once) and filters them by time range', async () => {
    const admin = h.sessions.ADMIN;
    const manager = h.sessions.MANAGER;
    const before = new Date();
    const used = await h.service.call(admin, 'executions.launch', { job: 'usePassesJob', params: {} });
    expect(used.totals).toEqual({ read: 0, write: 0, skip: 0 });
    expect(await waitForEnd(h, used.id)).toBe('COMPLETED');
    const expired = await h.service.call(admin, 'executions.launch', { job: 'expirePassesJob', params: { now: '2032-03-03T00:00' } });
    expect(await waitForEnd(h, expired.id)).toBe('COMPLETED');
    const after = new Date(Date.now() + 1000);

    // usePassesJob: one manager step and its partitions; the manager's sum is not added again.
    const usedDetail = await h.service.call(manager, 'executions.get', { id: used.id });
    const managerStep = usedDetail.steps.find((s) => s.stepName === 'usePassesStep')!;
    const partitions = usedDetail.steps.filter((s) => s.stepName.startsWith('usePassesStep:partition'));
    expect(partitions.length).toBeGreaterThan(0);
    const sum = (key: 'readCount' | 'writeCount') => partitions.reduce((n, s) => n + s[key], 0);
    expect(managerStep.readCount).toBe(sum('readCount'));
    expect(usedDetail.totals).toEqual({ read: sum('readCount'), write: sum('writeCount'), skip: 0 });
    expect(usedDetail.totals.read).toBeGreaterThan(0);

    // Skips are the three skip counters together, over every step of the execution.
    const [firstStep] = (await h.service.call(manager, 'executions.get', { id: expired.id })).steps;
    await h.database.db.kysely
      .updateTable('BATCH_STEP_EXECUTION')
      .set({ READ_SKIP_COUNT: 1, PROCESS_SKIP_COUNT: 2, WRITE_SKIP_COUNT: 4 })
      .where('STEP_EXECUTION_ID', '=', firstStep!.id)
      .execute();
    const expiredDetail = await h.service.call(manager, 'executions.get', { id: expired.id });
    expect(expiredDetail.totals).toEqual({
      read: expiredDetail.steps.reduce((n, s) => n + s.readCount, 0),
      write: expiredDetail.steps.reduce((n, s) => n + s.writeCount, 0),
      skip: 7,
    });

    // The list carries the same totals as the detail, for every row of the page.
    const range = { from: before.toISOString(), to: after.toISOString() };
    const listed = await h.service.call(manager, 'executions.list', { ...range, pageSize: 200 });
    expect(listed.items.map((e) => e.id)).toEqual([expired.id, used.id]);
    expect(listed.total).toBe(2);
    expect(listed.items[0]!.totals).toEqual(expiredDetail.totals);
    expect(listed.items[1]!.totals).toEqual(usedDetail.totals);
    const all = await h.service.call(manager, 'executions.list', { pageSize: 200 });
    expect(all.total).toBeGreaterThanOrEqual(2);
    for (const e of all.items) expect(e.totals).toEqual((await h.service.call(manager, 'executions.get', { id: e.id })).totals);

    // The range is on the create time: from inclusive, to exclusive; with job and status too.
    const createdAt = new Date(listed.items[1]!.createTime);
    const startingThen = await h.service.call(manager, 'executions.list', { from: createdAt.toISOString(), to: after.toISOString(), job: 'usePassesJob' });
    expect(startingThen.items.map((e) => e.id)).toEqual([used.id]);
    // (a second before `before`: the launch can fall in the very millisecond `before` was taken)
    const endingThen = await h.service.call(manager, 'executions.list', { from: new Date(before.getTime() - 1000).toISOString(), to: createdAt.toISOString(), job: 'usePassesJob' });
    expect(endingThen.items.map((e) => e.id)).toEqual([]);
    expect((await h.service.call(manager, 'executions.list', { from: after.toISOString() })).total).toBe(0);
    expect((await h.service.call(manager, 'executions.list', { to: before.toISOString(), job: 'usePassesJob' })).total).toBe(0);
    expect((await h.service.call(manager, 'executions.list', { ...range, status: 'FAILED' })).total).toBe(0);
    // Without an offset a date is the gym's (Asia/Seoul): the same as that day's midnight at +09:00.
    const seoulToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul' }).format(before);
    const fromLocal = await h.service.call(manager, 'executions.list', { ...range, from: seoulToday, pageSize: 200 });
    const fromOffset = await h.service.call(manager, 'executions.list', { ...range, from: `${seoulToday}T00:00:00+09:00`, pageSize: 200 });
    expect(fromLocal.items.map((e) => e.id)).toEqual(fromOffset.items.map((e) => e.id));
    expect(fromLocal.items.map((e) => e.id)).toEqual(expect.arrayContaining([used.id, expired.id]));

    const snap = await snapshot(h);
    const reversed = await refused(h.service.call(manager, 'executions.list', { from: after.toISOString(), to: before.toISOString() }));
    expect(reversed.toJSON()).toMatchObject({ code: 'VALIDATION', field: 'to' });
    expect(reversed.status).toBe(400);
    expect((await refused(h.service.call(manager, 'executions.list', { from: range.from, to: range.from }))).field).toBe('to');
    expect((await refused(h.service.call(manager, 'executions.list', { from: 'last week' }))).toJSON()).toMatchObject({ code: 'VALIDATION', field: 'from' });
    expect((await refused(h.service.call(manager, 'executions.list', { to: '2026-02-31T25:00' }))).toJSON()).toMatchObject({ code: 'VALIDATION', field: 'to' });
    expect((await refused(h.service.call(h.sessions.FRONT_DESK, 'executions.list', range))).code).toBe('FORBIDDEN');
    expect(await snapshot(h)).toEqual(snap);
  });

  it('refuses a bulk grant that starts before today or ends before now, saying which day to choose, and takes one from earlier today', async () => {
    const desk = h.sessions.FRONT_DESK;
    const today = DateTime.now().setZone('Asia/Seoul').startOf('day');
    const local = (t: DateTime) => t.toFormat("yyyy-MM-dd'T'HH:mm");
    const before = await snapshot(h);
    const yesterday = await refused(h.service.call(desk, 'bulkGrants.create', { packageSeq: 1, userGroupId: 'ALL', startedAt: local(today.minus({ minutes: 1 })) }));
    expect(yesterday.toJSON()).toMatchObject({ code: 'VALIDATION', field: 'startedAt' });
    expect(yesterday.text).toEqual({
      ko: `시작일: 시작 시각이 이미 지났습니다. 오늘(${today.toFormat('yyyy-MM-dd')})이나 그 뒤로 정하세요`,
      en: `startedAt: has already passed: choose today (${today.toFormat('yyyy-MM-dd')}) or later`,
    });
    const years = await refused(h.service.call(desk, 'bulkGrants.create', { packageSeq: 1, userGroupId: 'ALL', startedAt: '2020-01-01T09:00' }));
    expect(years.field).toBe('startedAt');
    const over = await refused(h.service.call(desk, 'bulkGrants.create', { packageSeq: 1, userGroupId: 'ALL', startedAt: local(today), endedAt: local(DateTime.now().setZone('Asia/Seoul').minus({ minutes: 1 })) }));
    expect(over.field).toBe('endedAt');
    expect(await snapshot(h)).toEqual(before);
    const morning = await h.service.call(desk, 'bulkGrants.create', { packageSeq: 1, userGroupId: 'PT', startedAt: local(today) });
    expect(morning).toMatchObject({ status: 'READY', startedAt: today.toUTC().toISO() });
    await h.service.call(desk, 'bulkGrants.cancel', { bulkPassSeq: morning.bulkPassSeq });
  });

  it('says what is wrong with an input in words a person can act on, in Korean as in English, the Korean naming the field as the screen does', async () => {
    const desk = h.sessions.FRONT_DESK;
    const before = await snapshot(h);
    const cases: Array<[string, unknown, string, { ko: string; en: string }]> = [
      ['members.create', { userName: '새 회원', phone: 'abc-not-a-phone' }, 'phone', {
        ko: '전화번호: 전화번호가 아닙니다. 010-1234-5678이나 +82 10 1234 5678처럼 쓰세요',
        en: 'phone: is not a phone number; type it like 010-1234-5678 or +82 10 1234 5678',
      }],
      ['members.search', { query: 'x'.repeat(101) }, 'query', { ko: '검색어: 100자까지 쓸 수 있습니다', en: 'query: can be at most 100 characters' }],
      ['members.search', { query: '   ' }, 'query', { ko: '검색어: 비어 있습니다', en: 'query: is empty' }],
      ['bulkGrants.create', { packageSeq: 1, userGroupId: 'ALL', startedAt: LATER, count: 0 }, 'count', { ko: '횟수: 1 이상이어야 합니다', en: 'count: must be 1 or more' }],
      ['bulkGrants.create', { packageSeq: 'one', userGroupId: 'ALL', startedAt: LATER }, 'packageSeq', { ko: '패키지: 숫자여야 합니다', en: 'packageSeq: must be a number' }],
      ['bulkGrants.create', { userGroupId: 'ALL', startedAt: LATER }, 'packageSeq', { ko: '패키지: 빠졌습니다. 꼭 넣어야 합니다', en: 'packageSeq: is missing' }],
      ['bulkGrants.create', { packageSeq: 1, userGroupId: 'ALL', startedAt: '1999-01-01' }, 'startedAt', {
        ko: '시작일: 2000년부터 2100년 사이의 있는 날짜여야 합니다',
        en: 'startedAt: must be a real date between 2000 and 2100',
      }],
    ];
    for (const [operation, input, field, text] of cases) {
      const error = await refused(h.service.call(desk, operation as never, input as never));
      expect([error.code, error.field, error.text], `${operation} ${JSON.stringify(input)}`).toEqual(['VALIDATION', field, text]);
    }
    expect(await snapshot(h)).toEqual(before);
  });

  it('a job\'s refused launch condition is named in Korean with the job\'s own reason, not only "실행 조건이 올바르지 않습니다"', async () => {
    const error = await refused(h.service.call(h.sessions.ADMIN, 'executions.launch', { job: 'makeStatisticsJob', params: { rerun: -1 } }));
    expect([error.code, error.field]).toEqual(['INVALID_PARAMETER', 'params.rerun']);
    expect(error.text.ko).toBe(`실행 조건 rerun에 문제가 있습니다: ${error.text.en}`);
    expect(error.text.en).toMatch(/rerun/);
  });

  it('names the field of a bad input and writes nothing', async () => {
    const desk = h.sessions.FRONT_DESK;
    const before = await snapshot(h);
    const cases: Array<[string, unknown, string]> = [
      ['bulkGrants.create', { packageSeq: 1, userGroupId: 'ALL', startedAt: LATER, count: -1 }, 'count'],
      ['bulkGrants.create', { packageSeq: 1, userGroupId: 'ALL', startedAt: LATER, count: 1e9 }, 'count'],
      ['bulkGrants.create', { packageSeq: 1, userGroupId: 'ALL', startedAt: 'tomorrow' }, 'startedAt'],
      ['bulkGrants.create', { packageSeq: 1, userGroupId: 'ALL', startedAt: '2099-13-01' }, 'startedAt'],
      ['bulkGrants.create', { packageSeq: '1', userGroupId: 'ALL', startedAt: LATER }, 'packageSeq'],
      ['bulkGrants.create', { packageSeq: 1.5, userGroupId: 'ALL', startedAt: LATER }, 'packageSeq'],
      ['bulkGrants.create', { userGroupId: 'ALL', startedAt: LATER }, 'packageSeq'],
      ['bulkGrants.create', { packageSeq: 1, userGroupId: 'ALL', startedAt: ahead(301), endedAt: LATER }, 'endedAt'],
      ['bulkGrants.create', { packageSeq: 1, userGroupId: 'ALL', startedAt: LATER, drop: 'table' }, 'drop'],
      ['bulkGrants.create', { packageSeq: 1, userGroupId: "x'; DROP TABLE pass; --", startedAt: LATER }, 'userGroupId'],
      ['bulkGrants.create', { packageSeq: 999, userGroupId: 'ALL', startedAt: LATER }, 'packageSeq'],
      ['bulkGrants.create', { packageSeq: 1, userGroupId: 'NOGROUP', startedAt: LATER }, 'userGroupId'],
      ['bulkGrants.cancel', { bulkPassSeq: -3 }, 'bulkPassSeq'],
      ['bulkGrants.grantNow', {}, 'bulkPassSeq'],
      ['members.search', { query: '' }, 'query'],
      ['members.search', { query: 'x'.repeat(101) }, 'query'],
      ['passes.register', { userId: 'M1000001', packageSeq: 1, startedAt: '2030-01-01', bonusPackageSeq: 0, paymentMethod: 'CARD' }, 'bonusPackageSeq'],
      ['bulkGrants.create', null, 'packageSeq'],
    ];
    for (const [name, input, field] of cases) {
      const error = await refused(h.service.call(desk, name as 'bulkGrants.create', input));
      expect(['VALIDATION', 'NOT_FOUND'], `${name} ${JSON.stringify(input)}`).toContain(error.code);
      expect(error.field, `${name} ${JSON.stringify(input)}`).toBe(field);
      expect(error.text.en).toContain(field);
      // the Korean names the field as the screen does, not by the code's name (an unknown key has none other)
      if (field !== 'drop') expect(error.text.ko.startsWith(`${field}:`), error.text.ko).toBe(false);
    }
    const manager = h.sessions.MANAGER;
    expect((await refused(h.service.call(manager, 'statistics.series', { from: '2025-02-01', to: '2025-01-01', unit: 'day' }))).field).toBe('to');
    expect((await refused(h.service.call(manager, 'statistics.series', { from: '2020-01-01', to: '2025-01-01', unit: 'hour' }))).field).toBe('to');
    expect((await refused(h.service.call(manager, 'statistics.series', { from: '2025-01-01', to: '2025-01-02', unit: 'month' }))).field).toBe('unit');
    expect(await snapshot(h)).toEqual(before);
  });

  it('lets an admin launch, and maps the engine refusals to stable codes', async () => {
    const admin = h.sessions.ADMIN;
    const before = await snapshot(h);
    const badParam = await refused(h.service.call(admin, 'executions.launch', { job: 'addPassesJob', params: { bulkPassSeq: 'abc' } }));
    expect(badParam.toJSON()).toMatchObject({ code: 'INVALID_PARAMETER', field: 'params.bulkPassSeq' });
    expect(badParam.status).toBe(400);
    expect((await refused(h.service.call(admin, 'executions.launch', { job: 'noSuchJob', params: {} }))).toJSON()).toMatchObject({ code: 'NO_SUCH_JOB' });
    expect((await refused(h.service.call(admin, 'executions.get', { id: 999_999 }))).status).toBe(404);
    expect(await snapshot(h)).toEqual(before);

    const launched = await h.service.call(admin, 'executions.launch', { job: 'expirePassesJob', params: { now: '2031-01-01T00:00' } });
    expect(launched.launchedBy).toBe('admin');
    expect(await waitForEnd(h, launched.id)).toBe('COMPLETED');
    const again = await refused(h.service.call(admin, 'executions.launch', { job: 'expirePassesJob', params: { now: '2031-01-01T00:00' } }));
    expect(again.code).toBe('ALREADY_COMPLETE');
    expect(again.status).toBe(409);
    expect(again.text.ko).toContain('이미');
    expect((await refused(h.service.call(admin, 'executions.stop', { id: launched.id }))).code).toBe('NOT_RUNNING');
    expect((await refused(h.service.call(admin, 'executions.restart', { id: launched.id }))).code).toBe('ALREADY_COMPLETE');
    expect((await refused(h.service.call(admin, 'executions.abandon', { id: launched.id }))).code).toBe('CANNOT_ABANDON');
    expect((await refused(h.service.call(admin, 'schedules.list', {}))).code).toBe('UNAVAILABLE');

    const audit = await h.service.call(admin, 'audit.list', { action: 'executions.launch' });
    expect(audit.items.find((a) => a.target === `execution:${launched.id}`)).toMatchObject({ actor: 'admin', detail: { job: 'expirePassesJob' } });
  });

  it("shows another application's execution as such, and lets an admin mark it failed once that application stopped", async () => {
    const id = await insertForeignExecution(h.database.db, 'springReportJob', new Date('2026-11-30T01:00:00Z'));

    const names = await h.service.call(h.sessions.MANAGER, 'jobs.namesInHistory', {});
    expect(names).toContain('springReportJob');
    expect(names).toEqual([...names].sort());
    expect((await refused(h.service.call(h.sessions.FRONT_DESK, 'jobs.namesInHistory', {}))).code).toBe('FORBIDDEN');
    const listed = await h.service.call(h.sessions.MANAGER, 'executions.list', { job: 'springReportJob' });
    expect(listed.items).toEqual([expect.objectContaining({ id, status: 'STARTED', external: true, launchedBy: null })]);
    expect((await h.service.call(h.sessions.MANAGER, 'executions.list', {})).items.filter((e) => e.id !== id).every((e) => !e.external)).toBe(true);

    const before = await snapshot(h);
    expect((await refused(h.service.call(h.sessions.MANAGER, 'executions.markFailed', { id }))).code).toBe('FORBIDDEN');
    expect(await snapshot(h)).toEqual(before);
    const marked = await h.service.call(h.sessions.ADMIN, 'executions.markFailed', { id });
    expect(marked).toMatchObject({ id, status: 'FAILED', exitCode: 'FAILED', external: true });
    expect(marked.exitMessage).toMatch(/^Marked FAILED by admin on .*: the application running it had stopped/);
    const again = await refused(h.service.call(h.sessions.ADMIN, 'executions.markFailed', { id }));
    expect(again.code).toBe('CANNOT_MARK_FAILED');
    expect(again.status).toBe(409);
    expect(again.text.ko).toContain('실패로 표시');
    expect((await refused(h.service.call(h.sessions.ADMIN, 'executions.restart', { id }))).code).toBe('NOT_RESTARTABLE');
    const audit = await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'executions.markFailed' });
    expect(audit.items).toEqual([expect.objectContaining({ actor: 'admin', target: `execution:${id}` })]);
  });

  it('manages staff: passwords never logged, the last admin kept', async () => {
    const admin = h.sessions.ADMIN;
    await h.service.call(admin, 'staff.create', { username: 'kim.manager', password: 'first-password', role: 'MANAGER' });
    expect((await refused(h.service.call(admin, 'staff.create', { username: 'kim.manager', password: 'other-password', role: 'MANAGER' }))).code).toBe('CONFLICT');
    const { token } = await h.service.call(null, 'session.login', { username: 'kim.manager', password: 'first-password' });
    await h.service.call(admin, 'staff.setPassword', { username: 'kim.manager', password: 'second-password' });
    expect(await h.service.authenticate(token)).toBeNull();
    await h.service.call(null, 'session.login', { username: 'kim.manager', password: 'second-password' });
    expect((await refused(h.service.call(admin, 'staff.create', { username: 'short', password: 'short', role: 'MANAGER' }))).field).toBe('password');

    expect((await refused(h.service.call(admin, 'staff.disable', { username: 'admin' }))).code).toBe('CONFLICT');
    expect((await refused(h.service.call(admin, 'staff.setRole', { username: 'admin', role: 'MANAGER' }))).code).toBe('CONFLICT');
    expect((await refused(h.service.call(admin, 'staff.disable', { username: 'ghost' }))).code).toBe('NOT_FOUND');

    const list = await h.service.call(admin, 'staff.list', {});
    expect(list.map((s) => s.username)).toEqual(expect.arrayContaining(['admin', 'kim.manager', USERNAMES.FRONT_DESK]));
    const rows = await h.database.db.kysely.selectFrom('audit_log').select(['action', 'detail']).where('action', 'like', 'staff.%').execute();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) expect(String(row.detail)).not.toMatch(/first-password|second-password/);
  });

  it('requires a session for everything but sign-in, and knows its operations', async () => {
    expect((await refused(h.service.call(null, 'members.search', { query: 'kim' }))).code).toBe('UNAUTHENTICATED');
    const expired = { ...h.sessions.ADMIN, expiresAt: new Date(Date.now() - 1000) };
    expect((await refused(h.service.call(expired, 'staff.list', {}))).code).toBe('UNAUTHENTICATED');
    expect((await refused(h.service.call(h.sessions.ADMIN, 'nope.nothing' as 'staff.list', {}))).code).toBe('UNKNOWN_OPERATION');
    expect((await refused(h.service.call(h.sessions.ADMIN, 'constructor' as 'staff.list', {}))).code).toBe('UNKNOWN_OPERATION');
  });
});

describeEachBackend('first run', (backend) => {
  it('creates admin with a generated password shown once, then never again', async () => {
    const database = await freshDatabase(backend, { migrate: false });
    const saved = process.env.PASS_ADMIN_PASSWORD;
    delete process.env.PASS_ADMIN_PASSWORD;
    try {
      await migrateToLatest(database.db, serviceMigrations);
      const operator = new JobOperator({ database: database.db, jobs: [] });
      const service = createService({ db: database.db, operator });
      const first = await service.ensureAdmin();
      expect(first).toMatchObject({ created: true, username: 'admin' });
      expect(first.generatedPassword).toMatch(/^[a-zA-Z2-9]{20}$/);
      expect(await service.ensureAdmin()).toEqual({ created: false, username: 'admin' });
      const row = await database.db.kysely.selectFrom('staff_account').selectAll().executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^scrypt\$/);
      expect(row.password_hash).not.toContain(first.generatedPassword);
      const { token } = await service.call(null, 'session.login', { username: 'admin', password: first.generatedPassword! });
      expect(await service.authenticate(token)).toMatchObject({ role: 'ADMIN' });
    } finally {
      if (saved !== undefined) process.env.PASS_ADMIN_PASSWORD = saved;
      await database.dispose();
    }
  });
});
