// 이용권 취소 (passes.cancel), on both databases: the desk cancels a pass sold or given by mistake,
// or handed back for a refund. The pass becomes CANCELLED with when, what was handed back and
// why; it can no longer be booked; its bookings of classes still to come are cancelled without a
// use, its waitlist places given up, the first waiting member moved into each place freed, and the
// member told of each (PASS_CANCELLED, sent by the class reminders job); a booking made with
// another pass stays. A refund is asked for a sold pass (0 to its price) and refused for one not
// sold; an expired pass, one already cancelled and one that does not exist are refused, and a
// refusal changes nothing. Classes are counted from today's midnight in Seoul plus whole days, so
// no test depends on the hour it runs at.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/databases.ts';
import { refused, serviceHarness, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describeEachBackend('a pass cancelled at the desk', (backend) => {
  let h: ServiceHarness;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  const kysely = () => h.database.db.kysely;
  const unique = (name: string) => `${name} ${backend} ${++counter}`;
  const midnight = () => DateTime.now().setZone('Asia/Seoul').startOf('day').toMillis();
  /** today's midnight in Seoul plus `ms`, as the desk sends it */
  const at = (ms: number) => new Date(midnight() + ms).toISOString();
  const local = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Seoul' }).toFormat('yyyy-MM-dd HH:mm');
  let pt: { packageSeq: number; packageName: string };
  let bonus: { packageSeq: number; packageName: string };

  async function memberWithPass(startedAt = at(-DAY), bonusPackageSeq?: number) {
    const userName = unique('취소 회원');
    const userId = (await h.service.call(desk(), 'members.create', { userName })).detail.member.userId;
    const { passes } = await h.service.call(desk(), 'passes.register', { userId, packageSeq: pt.packageSeq, startedAt, paymentMethod: 'CARD', ...(bonusPackageSeq ? { bonusPackageSeq } : {}) });
    return { userId, userName, passSeq: passes[0]!.passSeq, bonusSeq: passes[1]?.passSeq };
  }
  async function newClass(startOffset: number, capacity: number) {
    const [c] = await h.service.call(desk(), 'classes.create', { title: unique('요가'), startedAt: at(startOffset), endedAt: at(startOffset + HOUR), capacity, packageSeqs: [pt.packageSeq, bonus.packageSeq] });
    return c!;
  }
  const book = (classSeq: number, userId: string, passSeq: number) => h.service.call(desk(), 'bookings.create', { classSeq, userId, passSeq });
  const passRow = (passSeq: number) =>
    kysely().selectFrom('pass').select(['status', 'cancelled_at', 'refund', 'cancel_reason', 'remaining_count', 'price']).where('pass_seq', '=', passSeq).executeTakeFirstOrThrow();
  const toldOf = (userId: string) => kysely().selectFrom('notification').select(['event', 'target_key', 'booking_seq', 'pass_seq', 'text', 'sent']).where('user_id', '=', userId).orderBy('notification_seq').execute();
  const auditOf = async (userId: string) => (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'passes.cancel', pageSize: 200 })).items.filter((r) => r.target === `user:${userId}`);

  beforeAll(async () => {
    h = await serviceHarness(backend);
    pt = await h.service.call(h.sessions.MANAGER, 'packages.create', { packageName: unique('PT 10회'), count: 10, period: 60, price: 300_000 });
    bonus = await h.service.call(h.sessions.MANAGER, 'packages.create', { packageName: unique('보너스 PT'), count: 2, period: 30, price: 50_000 });
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('a sold pass cancelled with a refund and a reason is shown cancelled with when, how much and why, keeps its price, can no longer be booked, and is in the activity log', async () => {
    const m = await memberWithPass();
    const done = await h.service.call(desk(), 'passes.cancel', { passSeq: m.passSeq, refund: 270_000, reason: '  이사 (회원 요청)  ' });
    expect(done.cancelled).toEqual({ bookings: 0, waitlist: 0, promoted: 0, notified: 0 });
    const shown = done.detail.passes.find((p) => p.passSeq === m.passSeq)!;
    expect(shown).toMatchObject({ status: 'CANCELLED', refund: 270_000, cancelReason: '이사 (회원 요청)', price: 300_000 });
    expect(Math.abs(Date.parse(shown.cancelledAt!) - Date.now())).toBeLessThan(60_000);
    expect(done.detail.member.livePasses).toBe(0);
    expect(await passRow(m.passSeq)).toMatchObject({ status: 'CANCELLED', refund: 270_000, cancel_reason: '이사 (회원 요청)', price: 300_000, remaining_count: 10 });
    // read again, it says the same
    expect((await h.service.call(desk(), 'members.passes', { userId: m.userId })).passes.find((p) => p.passSeq === m.passSeq)?.status).toBe('CANCELLED');

    const cls = await newClass(2 * DAY + 10 * HOUR, 5);
    const refusal = await refused(book(cls.classSeq, m.userId, m.passSeq));
    expect(refusal.text.ko).toContain('취소된 이용권');
    const [entry] = await auditOf(m.userId);
    expect(entry?.detail).toMatchObject({ passSeq: m.passSeq, packageName: pt.packageName, price: 300_000, refund: 270_000, reason: '이사 (회원 요청)', notified: 0 });

    const again = await refused(h.service.call(desk(), 'passes.cancel', { passSeq: m.passSeq, refund: 0 }));
    expect(again.code).toBe('CONFLICT');
    expect(again.text.ko).toContain('이미 취소');
    expect(await passRow(m.passSeq)).toMatchObject({ refund: 270_000, cancel_reason: '이사 (회원 요청)' });
  });

  it("the pass's bookings of classes still to come are cancelled without a use and its waitlist place given up, the first waiting member moves in, the member is told of each, and a booking made with another pass stays", async () => {
    const m = await memberWithPass(at(-DAY), bonus.packageSeq);
    const [waiter, holder] = [await memberWithPass(), await memberWithPass()];
    const yoga = await newClass(DAY + 9 * HOUR, 1);
    const full = await newClass(DAY + 12 * HOUR, 1);
    const other = await newClass(2 * DAY + 9 * HOUR, 5);
    const booked = (await book(yoga.classSeq, m.userId, m.passSeq)).bookingSeq!;
    expect((await book(yoga.classSeq, waiter.userId, waiter.passSeq)).outcome).toBe('WAITLISTED');
    await book(full.classSeq, holder.userId, holder.passSeq);
    expect((await book(full.classSeq, m.userId, m.passSeq)).outcome).toBe('WAITLISTED');
    const [place] = (await h.service.call(desk(), 'classes.get', { classSeq: full.classSeq })).waitlist;
    const kept = (await book(other.classSeq, m.userId, m.bonusSeq!)).bookingSeq!;

    const done = await h.service.call(desk(), 'passes.cancel', { passSeq: m.passSeq, refund: 0 });
    expect(done.cancelled).toEqual({ bookings: 1, waitlist: 1, promoted: 1, notified: 2 });
    const bookings = await kysely().selectFrom('booking').select(['booking_seq', 'user_id', 'status', 'used_pass']).where('class_seq', 'in', [yoga.classSeq, other.classSeq]).orderBy('booking_seq').execute();
    expect(bookings.map((b) => [b.booking_seq, b.user_id, b.status, Number(b.used_pass)])).toEqual(
      expect.arrayContaining([
        [booked, m.userId, 'CANCELLED', 0],
        [expect.any(Number), waiter.userId, 'READY', 0],
        [kept, m.userId, 'READY', 0],
      ]),
    );
    expect(bookings).toHaveLength(3);
    expect((await passRow(m.passSeq)).remaining_count).toBe(10);
    const fullNow = await h.service.call(desk(), 'classes.get', { classSeq: full.classSeq });
    expect(fullNow.waitlist).toEqual([]);
    expect(fullNow.removedFromWaitlist.map((r) => [r.userId, r.reason, r.why.ko, r.told])).toEqual([[m.userId, 'PASS', '회원의 이용권이 취소되어 대기 명단에서 빠졌습니다.', true]]);
    expect((await toldOf(m.userId)).map((n) => ({ ...n, sent: Number(n.sent) }))).toEqual([
      {
        event: 'PASS_CANCELLED',
        target_key: `booking:${booked}`,
        booking_seq: booked,
        pass_seq: m.passSeq,
        text: `${m.userName}님, 이용권 취소에 따라 예약하신 ${local(yoga.startedAt)} ${yoga.title} 수업 예약이 취소되었습니다.`,
        sent: 0,
      },
      {
        event: 'PASS_CANCELLED',
        target_key: `waitlist:${place!.waitlistSeq}`,
        booking_seq: null,
        pass_seq: m.passSeq,
        text: `${m.userName}님, 이용권 취소에 따라 대기하시던 ${local(full.startedAt)} ${full.title} 수업의 대기가 취소되었습니다.`,
        sent: 0,
      },
    ]);
    expect((await toldOf(waiter.userId)).map((n) => n.event)).toEqual(['WAITLIST_BOOKED']);
    const [entry] = await auditOf(m.userId);
    expect(entry?.detail).toMatchObject({ passSeq: m.passSeq, refund: 0, notified: 2, cancelledBookings: [expect.objectContaining({ bookingSeq: booked })] });
  });

  it('the class reminders job sends the messages on its next run, under their own idempotency keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pass-cancelled-'));
    await h.service.call(h.sessions.ADMIN, 'settings.update', { allowedFolders: [dir], notifier: { kind: 'logFile', path: join(dir, 'notifications.log') } });
    try {
      const m = await memberWithPass();
      const cls = await newClass(3 * DAY + 9 * HOUR, 3);
      const booked = (await book(cls.classSeq, m.userId, m.passSeq)).bookingSeq!;
      await h.service.call(desk(), 'passes.cancel', { passSeq: m.passSeq, refund: 300_000 });
      const { execution } = await h.operator.start('sendNotificationBeforeClassJob', { now: new Date() }, { launchedBy: 'test' });
      expect(await waitForEnd(h, execution.id)).toBe('COMPLETED');
      expect((await toldOf(m.userId)).map((n) => [n.target_key, Number(n.sent)])).toEqual([[`booking:${booked}`, 1]]);
      expect(readFileSync(join(dir, 'notifications.log'), 'utf8')).toContain(`PASS_CANCELLED:booking:${booked}`);
    } finally {
      await kysely().deleteFrom('settings').where('setting_key', 'in', ['notifier', 'allowedFolders']).execute();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a sold pass needs the amount handed back, from 0 to its price; a pass not sold takes none; an expired, unknown or already cancelled pass is refused; a refusal changes nothing', async () => {
    const m = await memberWithPass(at(-DAY), bonus.packageSeq);
    const before = await passRow(m.passSeq);
    const missing = await refused(h.service.call(desk(), 'passes.cancel', { passSeq: m.passSeq }));
    expect(missing).toMatchObject({ code: 'VALIDATION', field: 'refund' });
    expect(missing.text.ko).toContain('300,000원');
    const over = await refused(h.service.call(desk(), 'passes.cancel', { passSeq: m.passSeq, refund: 300_001 }));
    expect(over).toMatchObject({ code: 'VALIDATION', field: 'refund' });
    expect((await refused(h.service.call(desk(), 'passes.cancel', { passSeq: m.passSeq, refund: -1 }))).field).toBe('refund');
    expect((await refused(h.service.call(desk(), 'passes.cancel', { passSeq: m.passSeq, refund: 1.5 }))).field).toBe('refund');
    expect((await refused(h.service.call(desk(), 'passes.cancel', { passSeq: m.passSeq, refund: 0, reason: 'a\u0000b' }))).field).toBe('reason');
    expect((await refused(h.service.call(desk(), 'passes.cancel', { passSeq: m.passSeq, refund: 0, reason: 'x'.repeat(201) }))).field).toBe('reason');
    expect(await passRow(m.passSeq)).toEqual(before);
    expect(await auditOf(m.userId)).toEqual([]);

    // the bonus pass was given, not sold: nothing to hand back
    expect(await refused(h.service.call(desk(), 'passes.cancel', { passSeq: m.bonusSeq!, refund: 10_000 }))).toMatchObject({ code: 'VALIDATION', field: 'refund' });
    const given = await h.service.call(desk(), 'passes.cancel', { passSeq: m.bonusSeq! });
    expect(given.detail.passes.find((p) => p.passSeq === m.bonusSeq)).toMatchObject({ status: 'CANCELLED', refund: null, price: null, cancelReason: null });

    // sold today with its start 70 days back: a 60-day pass already over
    const late = await memberWithPass(at(-70 * DAY));
    const expired = await refused(h.service.call(desk(), 'passes.cancel', { passSeq: late.passSeq, refund: 0 }));
    expect(expired.code).toBe('CONFLICT');
    expect(expired.text.ko).toContain('만료');
    expect((await passRow(late.passSeq)).status).not.toBe('CANCELLED');

    expect(await refused(h.service.call(desk(), 'passes.cancel', { passSeq: 99_999_999, refund: 0 }))).toMatchObject({ code: 'NOT_FOUND', field: 'passSeq' });
    expect((await refused(h.service.call(h.sessions.KIOSK, 'passes.cancel', { passSeq: m.passSeq, refund: 0 }))).code).toBe('FORBIDDEN');
  });
});
