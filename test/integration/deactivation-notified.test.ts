// A member deactivated at the desk is told, on both databases: each booking of a class still to
// come cancelled with them and each waitlist place given up gets one MEMBER_DEACTIVATED row in the
// outbox, naming the class's title and time, written with the deactivation (its result and its
// activity-log row count them) and sent by the class reminders job; a deactivation that cancels
// nothing, and a second one after a reactivation, write none.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/databases.ts';
import { serviceHarness, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describeEachBackend('a deactivated member told of what was cancelled', (backend) => {
  let h: ServiceHarness;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  const kysely = () => h.database.db.kysely;
  const at = (ms: number) => new Date(Math.floor((Date.now() + ms) / MINUTE) * MINUTE).toISOString();
  const local = (iso: string) => DateTime.fromISO(iso, { zone: 'Asia/Seoul' }).toFormat('yyyy-MM-dd HH:mm');

  async function memberWithPass(): Promise<{ userId: string; userName: string; passSeq: number }> {
    const userName = `휴면 알림 ${backend} ${++counter}`;
    const userId = (await h.service.call(desk(), 'members.create', { userName })).detail.member.userId;
    const { passes } = await h.service.call(desk(), 'passes.register', { userId, packageSeq: 1, startedAt: at(-DAY), paymentMethod: 'CARD' });
    return { userId, userName, passSeq: passes[0]!.passSeq };
  }
  async function newClass(title: string, startOffset: number, capacity: number) {
    const [c] = await h.service.call(desk(), 'classes.create', { title, startedAt: at(startOffset), endedAt: at(startOffset + HOUR), capacity, packageSeqs: [1] });
    return c!;
  }
  const book = (classSeq: number, m: { userId: string; passSeq: number }) => h.service.call(desk(), 'bookings.create', { classSeq, userId: m.userId, passSeq: m.passSeq });
  const toldOf = (userId: string) =>
    kysely().selectFrom('notification').select(['event', 'target_key', 'booking_seq', 'pass_seq', 'text', 'sent']).where('user_id', '=', userId).orderBy('notification_seq').execute();
  const auditOf = async (action: string, userId: string) => (await h.service.call(h.sessions.ADMIN, 'audit.list', { action, pageSize: 200 })).items.filter((r) => r.target === `user:${userId}`);

  beforeAll(async () => {
    h = await serviceHarness(backend);
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('deactivating a member with an upcoming booking and a waitlist place queues one message for each, naming the class and its time, counted in the result and the activity log; reactivating and deactivating again queues nothing more', async () => {
    const [member, other] = [await memberWithPass(), await memberWithPass()];
    const yoga = await newClass(`요가 ${backend} ${++counter}`, DAY, 5);
    const pilates = await newClass(`필라테스 ${backend} ${++counter}`, 2 * DAY, 1);
    const booked = (await book(yoga.classSeq, member)).bookingSeq!;
    await book(pilates.classSeq, other);
    expect((await book(pilates.classSeq, member)).outcome).toBe('WAITLISTED');
    const [place] = (await h.service.call(desk(), 'classes.get', { classSeq: pilates.classSeq })).waitlist;

    const off = await h.service.call(desk(), 'members.deactivate', { userId: member.userId });
    expect(off.cancelled).toEqual({ bookings: 1, waitlist: 1, promoted: 0, notified: 2 });
    expect((await toldOf(member.userId)).map((n) => ({ ...n, sent: Number(n.sent) }))).toEqual([
      {
        event: 'MEMBER_DEACTIVATED',
        target_key: `booking:${booked}`,
        booking_seq: booked,
        pass_seq: member.passSeq,
        text: `${member.userName}님, 휴면 처리에 따라 예약하신 ${local(yoga.startedAt)} ${yoga.title} 수업 예약이 취소되었습니다. 이용권은 차감되지 않습니다.`,
        sent: 0,
      },
      {
        event: 'MEMBER_DEACTIVATED',
        target_key: `waitlist:${place!.waitlistSeq}`,
        booking_seq: null,
        pass_seq: member.passSeq,
        text: `${member.userName}님, 휴면 처리에 따라 대기하시던 ${local(pilates.startedAt)} ${pilates.title} 수업의 대기가 취소되었습니다.`,
        sent: 0,
      },
    ]);
    expect((await auditOf('members.deactivate', member.userId)).map((r) => (r.detail as { notified?: unknown }).notified)).toEqual([2]);
    // the booked member of the full class is told nothing: their place is untouched
    expect(await toldOf(other.userId)).toEqual([]);

    // nothing to cancel the second time: nothing more told
    await h.service.call(desk(), 'members.reactivate', { userId: member.userId });
    const again = await h.service.call(desk(), 'members.deactivate', { userId: member.userId });
    expect(again.cancelled).toEqual({ bookings: 0, waitlist: 0, promoted: 0, notified: 0 });
    expect(await toldOf(member.userId)).toHaveLength(2);
    expect((await auditOf('members.deactivate', member.userId)).map((r) => (r.detail as { notified?: unknown }).notified).sort()).toEqual([0, 2]);
  });

  it('deactivating a member with nothing upcoming queues no message', async () => {
    const member = await memberWithPass();
    const off = await h.service.call(desk(), 'members.deactivate', { userId: member.userId });
    expect(off.cancelled).toEqual({ bookings: 0, waitlist: 0, promoted: 0, notified: 0 });
    expect(await toldOf(member.userId)).toEqual([]);
  });

  it('the class reminders job sends the messages on its next run, each under its own idempotency key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pass-deactivated-'));
    await h.service.call(h.sessions.ADMIN, 'settings.update', { allowedFolders: [dir], notifier: { kind: 'logFile', path: join(dir, 'notifications.log') } });
    try {
      const [member, other] = [await memberWithPass(), await memberWithPass()];
      const cls = await newClass(`저녁 요가 ${backend} ${++counter}`, 3 * DAY, 1);
      const full = await newClass(`아침 요가 ${backend} ${++counter}`, 4 * DAY, 1);
      const booked = (await book(cls.classSeq, member)).bookingSeq!;
      await book(full.classSeq, other);
      await book(full.classSeq, member);
      const [place] = (await h.service.call(desk(), 'classes.get', { classSeq: full.classSeq })).waitlist;
      await h.service.call(desk(), 'members.deactivate', { userId: member.userId });
      const { execution } = await h.operator.start('sendNotificationBeforeClassJob', { now: new Date() }, { launchedBy: 'test' });
      expect(await waitForEnd(h, execution.id)).toBe('COMPLETED');
      expect((await toldOf(member.userId)).map((n) => [n.target_key, Number(n.sent)])).toEqual([
        [`booking:${booked}`, 1],
        [`waitlist:${place!.waitlistSeq}`, 1],
      ]);
      const log = readFileSync(join(dir, 'notifications.log'), 'utf8');
      expect(log).toContain(`MEMBER_DEACTIVATED:booking:${booked}`);
      expect(log).toContain(`MEMBER_DEACTIVATED:waitlist:${place!.waitlistSeq}`);
    } finally {
      await kysely().deleteFrom('settings').where('setting_key', 'in', ['notifier', 'allowedFolders']).execute();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
