// Issue 16, items 5, 12 and 13 in the service, on both databases: the member search says how
// many it found and pages by key; every way a password is set keeps the same minimum rules,
// a person changes their own password, an admin's new password (and a generated one) asks to be
// changed at the next sign-in; managers see the notification outbox by member and date, keyset
// paged, and resend a failed one under its idempotency key.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JobOperator, migrateToLatest, toDbTime } from '../../main/batch/index.ts';
import { passJobs } from '../../main/pass/jobs/index.ts';
import { createService } from '../../main/service/service.ts';
import { ServiceError } from '../../main/service/errors.ts';
import { describeEachBackend, freshDatabase } from '../support/databases.ts';
import { fullSnapshot, PASSWORDS, serviceHarness, serviceMigrations, type ServiceHarness } from '../support/serviceHarness.ts';

async function refused(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  return error as ServiceError;
}

describeEachBackend('first week: people', (backend) => {
  let h: ServiceHarness;
  let dir: string;
  let savedNotifierEnv: { log?: string; webhook?: string } | undefined;

  beforeAll(async () => {
    h = await serviceHarness(backend);
    dir = mkdtempSync(join(tmpdir(), 'pass-first-week-'));
    // No notifier saved: the environment's log file is the one a send uses.
    savedNotifierEnv = { log: process.env.PASS_NOTIFIER_LOG, webhook: process.env.PASS_NOTIFIER_WEBHOOK_URL };
    delete process.env.PASS_NOTIFIER_WEBHOOK_URL;
    process.env.PASS_NOTIFIER_LOG = join(dir, 'notifications.log');
  });
  afterAll(async () => {
    for (const [name, value] of [['PASS_NOTIFIER_LOG', savedNotifierEnv?.log], ['PASS_NOTIFIER_WEBHOOK_URL', savedNotifierEnv?.webhook]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await h?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a member search says how many members match and pages through them by key, each once', async () => {
    const desk = h.sessions.FRONT_DESK;
    // every demo member's phone starts 010
    const first = await h.service.call(desk, 'members.search', { query: '010', limit: 15 });
    expect(first.total).toBe(40);
    expect(first.members).toHaveLength(15);
    expect(first.next).toEqual(expect.any(String));
    const seen = [...first.members];
    let next = first.next;
    while (next) {
      const page = await h.service.call(desk, 'members.search', { query: '010', limit: 15, after: next });
      expect(page.total).toBe(40);
      seen.push(...page.members);
      next = page.next;
    }
    expect(seen).toHaveLength(40);
    expect(new Set(seen.map((m) => m.userId)).size).toBe(40);
    const one = await h.service.call(desk, 'members.search', { query: 'M1000001' });
    expect(one).toMatchObject({ total: 1, next: null, members: [expect.objectContaining({ userId: 'M1000001' })] });
    expect((await refused(h.service.call(desk, 'members.search', { query: '010', after: 'not a cursor' }))).field).toBe('after');
  });

  it('every way of setting a password refuses a short one, the username and a common one, saying which rule failed', async () => {
    const admin = h.sessions.ADMIN;
    const before = await fullSnapshot(h);
    const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
      ['create, short', () => h.service.call(admin, 'staff.create', { username: 'rule.one', password: 'nine-char', role: 'FRONT_DESK' }), /10/],
      ['create, the username', () => h.service.call(admin, 'staff.create', { username: 'front.desk.1', password: 'Front.Desk.1', role: 'FRONT_DESK' }), /username|아이디/],
      ['create, common', () => h.service.call(admin, 'staff.create', { username: 'rule.two', password: 'password123', role: 'FRONT_DESK' }), /common|흔한/],
      ['setPassword, short', () => h.service.call(admin, 'staff.setPassword', { username: 'desk1', password: 'short-pw' }), /10/],
      ['setPassword, common', () => h.service.call(admin, 'staff.setPassword', { username: 'desk1', password: 'qwertyuiop' }), /common|흔한/],
      ['change, short', () => h.service.call(h.sessions.MANAGER, 'session.changePassword', { current: PASSWORDS.MANAGER, next: 'short-one' }), /10/],
      ['change, common', () => h.service.call(h.sessions.MANAGER, 'session.changePassword', { current: PASSWORDS.MANAGER, next: '1234567890' }), /common|흔한/],
    ];
    for (const [what, promise, words] of cases) {
      const error = await refused(promise());
      expect(error.code, what).toBe('VALIDATION');
      expect(error.field, what).toMatch(/password|next/);
      expect(`${error.text.en} ${error.text.ko}`, what).toMatch(words);
      expect(error.text.ko, what).toMatch(/[가-힣]/);
    }
    expect(await fullSnapshot(h)).toEqual(before);
  });

  it('a person changes their own password: a wrong current one is refused with the reason, the right one works, other sessions end', async () => {
    await h.service.call(h.sessions.ADMIN, 'staff.create', { username: 'park.desk', password: 'park-first-pass', role: 'FRONT_DESK' });
    const sign = async (password: string) => {
      const info = await h.service.call(null, 'session.login', { username: 'park.desk', password });
      return (await h.service.authenticate(info.token))!;
    };
    const here = await sign('park-first-pass');
    const elsewhere = await sign('park-first-pass');
    const wrong = await refused(h.service.call(here, 'session.changePassword', { current: 'not-my-password', next: 'park-second-pass' }));
    expect(wrong.code).toBe('VALIDATION');
    expect(wrong.field).toBe('current');
    expect(wrong.text.en).toMatch(/current password/i);
    await h.service.call(here, 'session.changePassword', { current: 'park-first-pass', next: 'park-second-pass' });
    expect(await h.service.authenticate(here.token)).not.toBeNull();
    expect(await h.service.authenticate(elsewhere.token)).toBeNull();
    expect((await refused(h.service.call(null, 'session.login', { username: 'park.desk', password: 'park-first-pass' }))).code).toBe('LOGIN_FAILED');
    await sign('park-second-pass');
    const audit = await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'session.changePassword' });
    expect(audit.items).toEqual([expect.objectContaining({ actor: 'park.desk', target: 'staff:park.desk' })]);
    expect(JSON.stringify(audit.items)).not.toContain('park-second-pass');
  });

  it("an admin's new password for someone asks them to change it at the next sign-in, and changing it clears that", async () => {
    await h.service.call(h.sessions.ADMIN, 'staff.create', { username: 'choi.desk', password: 'choi-first-pass', role: 'FRONT_DESK' });
    const plain = await h.service.call(null, 'session.login', { username: 'choi.desk', password: 'choi-first-pass' });
    expect(plain.mustChangePassword).toBe(false);
    await h.service.call(h.sessions.ADMIN, 'staff.setPassword', { username: 'choi.desk', password: 'set-by-the-admin' });
    const info = await h.service.call(null, 'session.login', { username: 'choi.desk', password: 'set-by-the-admin' });
    expect(info.mustChangePassword).toBe(true);
    const session = (await h.service.authenticate(info.token))!;
    expect(await h.service.call(session, 'session.me', {})).toEqual({ username: 'choi.desk', role: 'FRONT_DESK', mustChangePassword: true });
    const list = await h.service.call(h.sessions.ADMIN, 'staff.list', {});
    expect(list.find((s) => s.username === 'choi.desk')?.mustChangePassword).toBe(true);
    await h.service.call(session, 'session.changePassword', { current: 'set-by-the-admin', next: 'choi-own-choice' });
    // every transport reads the session from its token on each call
    expect(await h.service.call((await h.service.authenticate(info.token))!, 'session.me', {})).toMatchObject({ mustChangePassword: false });
  });

  it("the first run's generated admin password (serve, npm start) asks to be changed at the first sign-in; PASS_ADMIN_PASSWORD keeps the rules", async () => {
    const database = await freshDatabase(backend, { migrate: false });
    await migrateToLatest(database.db, serviceMigrations);
    const operator = new JobOperator({ database: database.db, jobs: passJobs, timeZone: 'Asia/Seoul' });
    try {
      const service = createService({ db: database.db, operator });
      const weak = await refused(service.ensureAdmin({ password: 'admin12345' }));
      expect([weak.code, weak.field]).toEqual(['VALIDATION', 'password']);
      expect(weak.text.en).toMatch(/PASS_ADMIN_PASSWORD.*common/);
      const boot = await service.ensureAdmin();
      const info = await service.call(null, 'session.login', { username: 'admin', password: boot.generatedPassword! });
      expect(info.mustChangePassword).toBe(true);
    } finally {
      await operator.close();
      await database.dispose();
    }
  });

  it('notifications: managers list the outbox by member and date, newest first, keyset-paged, with what failed and why', async () => {
    const k = h.database.db.kysely;
    const at = (day: number) => toDbTime(new Date(Date.UTC(2026, 10, day, 3)));
    const rows = [];
    for (let i = 0; i < 7; i++) {
      rows.push({
        event: 'EXPIRY_REMINDER',
        text: `reminder ${i}`,
        sent: i < 3 ? 1 : 0,
        sent_at: i < 3 ? at(10 + i) : null,
        user_id: i % 2 === 0 ? 'M1000003' : 'M1000004',
        target_key: `pass:${900 + i}:ENDING`,
        attempts: i < 3 ? 1 : i < 5 ? 5 : 0,
        last_error: i >= 3 && i < 5 ? 'webhook answered 502 Bad Gateway' : null,
        created_at: at(10 + i),
      });
    }
    await k.insertInto('notification').values(rows).execute();
    const manager = h.sessions.MANAGER;
    const first = await h.service.call(manager, 'notifications.list', { from: '2026-11-01', to: '2026-12-01', pageSize: 4 });
    expect(first.items.map((n) => n.text)).toEqual(['reminder 6', 'reminder 5', 'reminder 4', 'reminder 3']);
    expect(first.items.map((n) => n.status)).toEqual(['PENDING', 'PENDING', 'FAILED', 'FAILED']);
    expect(first.items[2]).toMatchObject({ lastError: 'webhook answered 502 Bad Gateway', attempts: 5, idempotencyKey: 'EXPIRY_REMINDER:pass:904:ENDING', userId: 'M1000003' });
    const second = await h.service.call(manager, 'notifications.list', { from: '2026-11-01', to: '2026-12-01', pageSize: 4, after: first.next! });
    expect(second.items.map((n) => n.text)).toEqual(['reminder 2', 'reminder 1', 'reminder 0']);
    expect(second.next).toBeNull();
    const byMember = await h.service.call(manager, 'notifications.list', { userId: 'M1000004', from: '2026-11-01', to: '2026-12-01' });
    expect(byMember.items.map((n) => n.text)).toEqual(['reminder 5', 'reminder 3', 'reminder 1']);
    const failed = await h.service.call(manager, 'notifications.list', { status: 'FAILED', from: '2026-11-01', to: '2026-12-01' });
    expect(failed.items.map((n) => n.text)).toEqual(['reminder 4', 'reminder 3']);
    expect((await refused(h.service.call(h.sessions.FRONT_DESK, 'notifications.list', {}))).code).toBe('FORBIDDEN');
  });

  it('a failed notification is resent under the same idempotency key; a sent one is refused and nothing changes', async () => {
    const manager = h.sessions.MANAGER;
    const [failed] = (await h.service.call(manager, 'notifications.list', { status: 'FAILED', from: '2026-11-01', to: '2026-12-01' })).items;
    const result = await h.service.call(manager, 'notifications.resend', { notificationSeq: failed!.notificationSeq });
    expect(result.sent).toBe(true);
    expect(result.notification).toMatchObject({ status: 'SENT', attempts: 6, notificationSeq: failed!.notificationSeq });
    const log = readFileSync(join(dir, 'notifications.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { idempotencyKey: string });
    expect(log.at(-1)!.idempotencyKey).toBe(failed!.idempotencyKey);
    const before = await fullSnapshot(h);
    expect((await refused(h.service.call(manager, 'notifications.resend', { notificationSeq: failed!.notificationSeq }))).code).toBe('CONFLICT');
    expect((await refused(h.service.call(manager, 'notifications.resend', { notificationSeq: 987654321 }))).code).toBe('NOT_FOUND');
    expect((await refused(h.service.call(h.sessions.FRONT_DESK, 'notifications.resend', { notificationSeq: failed!.notificationSeq }))).code).toBe('FORBIDDEN');
    expect(await fullSnapshot(h)).toEqual(before);
    const audit = await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'notifications.resend' });
    expect(audit.items).toEqual([expect.objectContaining({ actor: 'manager1', target: `notification:${failed!.notificationSeq}` })]);
  });
});
