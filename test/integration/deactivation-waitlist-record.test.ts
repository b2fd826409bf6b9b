// A member deactivated while waiting for classes still to come, on both databases: each class's
// detail lists them under "taken off the waitlist" with why (reason INACTIVE, in Korean and
// English), as it lists those taken off at the desk or by the service, instead of their place
// vanishing with no trace; the others waiting keep their order, and the member is told of each
// place by a MEMBER_DEACTIVATED notification (deactivation-notified.test.ts), not WAITLIST_REMOVED.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/databases.ts';
import { serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describeEachBackend('a deactivated member taken off the waitlists', (backend) => {
  let h: ServiceHarness;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  const at = (ms: number) => new Date(Math.floor((Date.now() + ms) / MINUTE) * MINUTE).toISOString();

  async function memberWithPass(): Promise<{ userId: string; userName: string; passSeq: number }> {
    const userName = `대기 휴면 ${backend} ${++counter}`;
    const userId = (await h.service.call(desk(), 'members.create', { userName })).detail.member.userId;
    const { passes } = await h.service.call(desk(), 'passes.register', { userId, packageSeq: 1, startedAt: at(-DAY), paymentMethod: 'CARD' });
    return { userId, userName, passSeq: passes[0]!.passSeq };
  }
  async function fullClass(startOffset: number, booked: { userId: string; passSeq: number }) {
    const [c] = await h.service.call(desk(), 'classes.create', { title: `대기 휴면 수업 ${++counter}`, startedAt: at(startOffset), endedAt: at(startOffset + HOUR), capacity: 1, packageSeqs: [1] });
    await h.service.call(desk(), 'bookings.create', { classSeq: c!.classSeq, userId: booked.userId, passSeq: booked.passSeq });
    return c!;
  }
  const wait = async (classSeq: number, m: { userId: string; passSeq: number }) =>
    expect((await h.service.call(desk(), 'bookings.create', { classSeq, userId: m.userId, passSeq: m.passSeq })).outcome).toBe('WAITLISTED');

  beforeAll(async () => {
    h = await serviceHarness(backend);
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it("each class's detail lists the deactivated member as taken off its waitlist, reason INACTIVE with why in both languages; the others keep their order and the member is told by the deactivation's own notification, not a WAITLIST_REMOVED one", async () => {
    const [member, bookedX, bookedY, before1, after1] = [await memberWithPass(), await memberWithPass(), await memberWithPass(), await memberWithPass(), await memberWithPass()];
    // X, full: the member waits alone; Y, full: `before1` waits before the member, `after1` after
    const x = await fullClass(DAY, bookedX);
    const y = await fullClass(2 * DAY, bookedY);
    await wait(x.classSeq, member);
    await wait(y.classSeq, before1);
    await wait(y.classSeq, member);
    await wait(y.classSeq, after1);
    const [waitedX] = (await h.service.call(desk(), 'classes.get', { classSeq: x.classSeq })).waitlist;
    const waitedY = (await h.service.call(desk(), 'classes.get', { classSeq: y.classSeq })).waitlist.find((w) => w.userId === member.userId)!;

    const before = Date.now();
    const off = await h.service.call(desk(), 'members.deactivate', { userId: member.userId });
    expect(off.cancelled).toEqual({ bookings: 0, waitlist: 2, promoted: 0, notified: 2 });

    const why = { ko: '회원이 휴면 처리되어 대기 명단에서 빠졌습니다.', en: 'The member was deactivated.' };
    const classX = await h.service.call(desk(), 'classes.get', { classSeq: x.classSeq });
    expect(classX.waitlist).toEqual([]);
    expect(classX.removedFromWaitlist).toEqual([
      { userId: member.userId, userName: member.userName, passSeq: member.passSeq, reason: 'INACTIVE', why, waitedSince: waitedX!.createdAt, removedAt: expect.any(String), told: true },
    ]);
    expect(Date.parse(classX.removedFromWaitlist[0]!.removedAt)).toBeGreaterThanOrEqual(before - 1000);
    const classY = await h.service.call(desk(), 'classes.get', { classSeq: y.classSeq });
    expect(classY.waitlist.map((w) => w.userId)).toEqual([before1.userId, after1.userId]);
    expect(classY.removedFromWaitlist).toEqual([
      { userId: member.userId, userName: member.userName, passSeq: member.passSeq, reason: 'INACTIVE', why, waitedSince: waitedY.createdAt, removedAt: expect.any(String), told: true },
    ]);

    // told once per place, by the deactivation's own notification, and no waitlist.takenOff row: the deactivation's own row lists the places
    const told = await h.database.db.kysely.selectFrom('notification').select(['event', 'target_key']).where('user_id', '=', member.userId).orderBy('notification_seq').execute();
    expect(told).toEqual([
      { event: 'MEMBER_DEACTIVATED', target_key: `waitlist:${waitedX!.waitlistSeq}` },
      { event: 'MEMBER_DEACTIVATED', target_key: `waitlist:${waitedY.waitlistSeq}` },
    ]);
    const takenOff = await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'waitlist.takenOff', pageSize: 200 });
    expect(takenOff.items.filter((r) => (r.detail as { userId?: string }).userId === member.userId)).toEqual([]);
    const [row] = (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'members.deactivate', pageSize: 200 })).items.filter((r) => r.target === `user:${member.userId}`);
    expect((row!.detail as { leftWaitlists: unknown }).leftWaitlists).toEqual([
      { waitlistSeq: waitedX!.waitlistSeq, classSeq: x.classSeq },
      { waitlistSeq: waitedY.waitlistSeq, classSeq: y.classSeq },
    ]);
  });

  it("a member deactivated before deactivations were told is listed as taken off but not as notified: 'told' is read from the outbox, not guessed from the reason", async () => {
    const [member, booked] = [await memberWithPass(), await memberWithPass()];
    const cls = await fullClass(DAY, booked);
    await wait(cls.classSeq, member);
    await h.service.call(desk(), 'members.deactivate', { userId: member.userId });
    // as an older version left it: the removal recorded, no message written
    await h.database.db.kysely.deleteFrom('notification').where('user_id', '=', member.userId).execute();
    const [removed] = (await h.service.call(desk(), 'classes.get', { classSeq: cls.classSeq })).removedFromWaitlist;
    expect(removed).toMatchObject({ userId: member.userId, reason: 'INACTIVE', told: false });
  });
});
