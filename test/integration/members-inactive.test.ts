// An inactive member at the desk, on both databases: no pass is sold to them (the refusal says
// they are inactive and how to reactivate them), nor one starting more than a year ahead (a slip
// of the year, refused on its field naming the last day that may be chosen); deactivating cancels
// their bookings still to come without taking a use and takes them off the waitlists of classes
// still to come, moving the first waiting member into each place freed, in one transaction with
// the activity-log row that lists them; the member's detail counts beforehand what it will cancel,
// and reactivating restores nothing. Refusals write nothing.
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forUpdate, toDbTime } from '../../main/batch/index.ts';
import { describeEachBackend } from '../support/databases.ts';
import { fullSnapshot, refused, serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';
import { waitUntil } from '../support/waitUntil.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describeEachBackend('an inactive member at the desk', (backend) => {
  let h: ServiceHarness;
  /** the service's clock: the real one unless a test holds it */
  let frozen: Date | null = null;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  const kysely = () => h.database.db.kysely;
  const now = () => frozen ?? new Date();
  const at = (ms: number) => new Date(Math.floor((now().getTime() + ms) / MINUTE) * MINUTE).toISOString();

  async function memberWithPass(): Promise<{ userId: string; passSeq: number }> {
    const userId = (await h.service.call(desk(), 'members.create', { userName: `휴면 시험 ${++counter}` })).detail.member.userId;
    const { passes } = await h.service.call(desk(), 'passes.register', { userId, packageSeq: 1, startedAt: at(-DAY), paymentMethod: 'CARD' });
    return { userId, passSeq: passes[0]!.passSeq };
  }
  async function newClass(startOffset: number, capacity: number) {
    const [c] = await h.service.call(desk(), 'classes.create', { title: `휴면 수업 ${++counter}`, startedAt: at(startOffset), endedAt: at(startOffset + HOUR), capacity, packageSeqs: [1] });
    return c!;
  }
  const book = (classSeq: number, m: { userId: string; passSeq: number }) => h.service.call(desk(), 'bookings.create', { classSeq, userId: m.userId, passSeq: m.passSeq });
  const bookingRow = (bookingSeq: number) => kysely().selectFrom('booking').select(['status', 'used_pass', 'cancelled_at']).where('booking_seq', '=', bookingSeq).executeTakeFirstOrThrow();
  const remaining = async (passSeq: number) => (await kysely().selectFrom('pass').select('remaining_count').where('pass_seq', '=', passSeq).executeTakeFirstOrThrow()).remaining_count;
  const auditOf = async (action: string, target: string) => (await h.service.call(h.sessions.ADMIN, 'audit.list', { action, pageSize: 200 })).items.filter((r) => r.target === target);

  beforeAll(async () => {
    h = await serviceHarness(backend, { service: { now } });
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('a pass is not sold to an inactive member: the refusal says they are inactive and how to reactivate them, nothing is written, and once reactivated the sale goes through', async () => {
    const userId = (await h.service.call(desk(), 'members.create', { userName: '휴면 판매' })).detail.member.userId;
    await h.service.call(desk(), 'members.deactivate', { userId });
    const before = await fullSnapshot(h);
    const error = await refused(h.service.call(desk(), 'passes.register', { userId, packageSeq: 1, bonusPackageSeq: 3, startedAt: at(0), paymentMethod: 'CARD' }));
    expect(error).toMatchObject({ code: 'CONFLICT', field: 'userId' });
    expect(error.text.ko).toBe(`휴면 판매(${userId}) 회원은 휴면 상태라 이용권을 등록할 수 없습니다. 회원 정보의 '다시 활동' 버튼으로 먼저 활동 회원으로 바꾼 뒤 등록하세요.`);
    expect(error.text.en).toBe(`휴면 판매 (${userId}) is an inactive member, so no pass can be registered for them. Reactivate them first (the Reactivate button on their details), then register the pass.`);
    expect(await fullSnapshot(h)).toEqual(before);

    await h.service.call(desk(), 'members.reactivate', { userId });
    expect((await h.service.call(desk(), 'passes.register', { userId, packageSeq: 1, startedAt: at(0), paymentMethod: 'CARD' })).passes).toHaveLength(1);
  });

  it('a start more than a year ahead is refused on its field, naming the last day that may be chosen; a year ahead to the minute still sells, and the refusal writes nothing', async () => {
    frozen = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
    try {
      const latest = DateTime.fromJSDate(frozen, { zone: 'Asia/Seoul' }).plus({ years: 1 });
      const bound = latest.toFormat('yyyy-MM-dd');
      const before = await fullSnapshot(h);
      for (const [startedAt, typed] of [
        ['2099-01-01', '2099-01-01'],
        [latest.plus({ minutes: 1 }).toISO()!, bound],
        [latest.plus({ days: 1 }).toFormat('yyyy-MM-dd'), latest.plus({ days: 1 }).toFormat('yyyy-MM-dd')],
      ] as const) {
        const error = await refused(h.service.call(desk(), 'passes.register', { userId: 'M1000003', packageSeq: 1, startedAt, paymentMethod: 'CARD' }));
        expect(error, startedAt).toMatchObject({ code: 'VALIDATION', field: 'startedAt' });
        expect(error.text.ko, startedAt).toBe(`시작일: ${typed}${/[013678]$/.test(typed) ? '은' : '는'} 너무 먼 날입니다. 시작일은 오늘부터 1년 뒤인 ${bound}까지 정할 수 있습니다. 연도를 확인하세요`);
        expect(error.text.en, startedAt).toBe(`startedAt: ${typed} is too far ahead: a pass may start at most a year from today, on ${bound} at the latest. Check the year`);
      }
      expect(await fullSnapshot(h)).toEqual(before);
      const sold = await h.service.call(desk(), 'passes.register', { userId: 'M1000003', packageSeq: 1, startedAt: latest.toISO()!, paymentMethod: 'CARD' });
      expect(sold.passes[0]).toMatchObject({ status: 'READY', startedAt: latest.toUTC().toISO() });
    } finally {
      frozen = null;
    }
  });

  it("deactivating cancels the member's bookings still to come without taking a use and takes them off the waitlists of classes still to come, moving the first waiting member in; their detail counted these beforehand, the activity log lists them, and reactivating restores nothing", async () => {
    const [member, waiter, other] = [await memberWithPass(), await memberWithPass(), await memberWithPass()];
    // A: the member holds its one place and `waiter` waits; B: full with `other`, the member waits;
    // C: starts in a few minutes, and is under way when the member is deactivated
    const [a, b, c] = [await newClass(DAY, 1), await newClass(2 * DAY, 1), await newClass(5 * MINUTE, 5)];
    const inA = (await book(a.classSeq, member)).bookingSeq!;
    expect((await book(a.classSeq, waiter)).outcome).toBe('WAITLISTED');
    const otherInB = (await book(b.classSeq, other)).bookingSeq!;
    expect((await book(b.classSeq, member)).outcome).toBe('WAITLISTED');
    const inC = (await book(c.classSeq, member)).bookingSeq!;
    const [waitingInB] = (await h.service.call(desk(), 'classes.get', { classSeq: b.classSeq })).waitlist;
    const usesBefore = await remaining(member.passSeq);

    frozen = new Date(Date.now() + 10 * MINUTE);
    try {
      const seen = await h.service.call(desk(), 'members.passes', { userId: member.userId });
      expect(seen.upcoming).toEqual({ bookings: 1, waitlist: 1 });

      const off = await h.service.call(desk(), 'members.deactivate', { userId: member.userId });
      expect(off.cancelled).toEqual({ bookings: 1, waitlist: 1, promoted: 1, notified: 2 });
      expect(off.detail.member.status).toBe('INACTIVE');
      expect(off.detail.upcoming).toEqual({ bookings: 0, waitlist: 0 });

      // A: cancelled free, the place taken by the waiting member, who is told
      expect(await bookingRow(inA)).toMatchObject({ status: 'CANCELLED', used_pass: 0 });
      expect(await remaining(member.passSeq)).toBe(usesBefore);
      const classA = await h.service.call(desk(), 'classes.get', { classSeq: a.classSeq });
      expect(classA.waitlist).toEqual([]);
      const moved = classA.bookings.find((x) => x.userId === waiter.userId)!;
      expect(moved).toMatchObject({ status: 'READY' });
      const told = await kysely().selectFrom('notification').select(['event', 'user_id']).where('booking_seq', '=', moved.bookingSeq).execute();
      expect(told).toEqual([{ event: 'WAITLIST_BOOKED', user_id: waiter.userId }]);
      // B: off its waitlist, the booked member untouched; C: under way, kept
      const classB = await h.service.call(desk(), 'classes.get', { classSeq: b.classSeq });
      expect(classB.waitlist).toEqual([]);
      expect(classB.bookings.map((x) => [x.bookingSeq, x.status])).toEqual([[otherInB, 'READY']]);
      expect(await bookingRow(inC)).toMatchObject({ status: 'READY', cancelled_at: null });

      const [row] = await auditOf('members.deactivate', `user:${member.userId}`);
      expect(row!.detail).toEqual({
        userId: member.userId,
        status: 'INACTIVE',
        was: 'ACTIVE',
        cancelledBookings: [{ bookingSeq: inA, classSeq: a.classSeq, startedAt: a.startedAt }],
        leftWaitlists: [{ waitlistSeq: waitingInB!.waitlistSeq, classSeq: b.classSeq }],
        promoted: [{ classSeq: a.classSeq, userId: waiter.userId, bookingSeq: moved.bookingSeq }],
        notified: 2,
      });

      // reactivating brings back neither the booking nor the waitlist place
      const on = await h.service.call(desk(), 'members.reactivate', { userId: member.userId });
      expect(on.cancelled).toBeUndefined();
      expect(on.detail.upcoming).toEqual({ bookings: 0, waitlist: 0 });
      expect(await bookingRow(inA)).toMatchObject({ status: 'CANCELLED' });
      expect((await h.service.call(desk(), 'classes.get', { classSeq: b.classSeq })).waitlist).toEqual([]);
      expect((await auditOf('members.reactivate', `user:${member.userId}`))[0]!.detail).toEqual({ userId: member.userId, status: 'ACTIVE', was: 'INACTIVE' });
    } finally {
      frozen = null;
    }
  });

  it('a deactivation refused (an unknown member, one already inactive, or an activity-log row that cannot be written) cancels no booking and frees no place', async () => {
    const [member, waiter] = [await memberWithPass(), await memberWithPass()];
    const cls = await newClass(DAY, 1);
    await book(cls.classSeq, member);
    await book(cls.classSeq, waiter);
    const before = await fullSnapshot(h);
    expect((await refused(h.service.call(desk(), 'members.deactivate', { userId: 'M9999999' }))).code).toBe('NOT_FOUND');
    await sql`ALTER TABLE audit_log RENAME TO audit_log_away`.execute(kysely());
    try {
      await refused(h.service.call(desk(), 'members.deactivate', { userId: member.userId }));
    } finally {
      await sql`ALTER TABLE audit_log_away RENAME TO audit_log`.execute(kysely());
    }
    expect(await fullSnapshot(h)).toEqual(before);

    const inactive = await memberWithPass();
    await h.service.call(desk(), 'members.deactivate', { userId: inactive.userId });
    const then = await fullSnapshot(h);
    expect((await refused(h.service.call(desk(), 'members.deactivate', { userId: inactive.userId }))).code).toBe('CONFLICT');
    expect(await fullSnapshot(h)).toEqual(then);
  });

  // On MySQL a desk's booking can commit while the deactivation runs (SQLite has one writer, so it
  // can't): here, one holding its class and its new booking uncommitted until the deactivation is
  // waiting for the member's bookings. The deactivation must see it (a locking read) and cancel it
  // with its class locked first, moving that class's waiting member in.
  it.runIf(backend === 'mysql')('a booking committed while the member is being deactivated, in a class the deactivation had not seen, is cancelled too and its place goes to the waiting member', async () => {
    const [member, waiter] = [await memberWithPass(), await memberWithPass()];
    const [seen, unseen] = [await newClass(DAY, 5), await newClass(2 * DAY, 1)];
    await book(seen.classSeq, member);
    // the class fills up with the member's booking below: the waiter is first on its waitlist
    const filler = await memberWithPass();
    const fillerBooking = (await book(unseen.classSeq, filler)).bookingSeq!;
    expect((await book(unseen.classSeq, waiter)).outcome).toBe('WAITLISTED');

    let inserted!: () => void;
    const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
    let commit!: () => void;
    const commitNow = new Promise<void>((resolve) => (commit = resolve));
    let raced = 0;
    const desk2 = kysely()
      .transaction()
      .execute(async (tx) => {
        // as bookings.create does: the class locked first, then the booking written (the filler's place handed over)
        await forUpdate('mysql', tx.selectFrom('gym_class').select('class_seq').where('class_seq', '=', unseen.classSeq)).execute();
        await tx.updateTable('booking').set({ status: 'CANCELLED', cancelled_at: toDbTime(now()) }).where('booking_seq', '=', fillerBooking).execute();
        const result = await tx
          .insertInto('booking')
          .values({ pass_seq: member.passSeq, user_id: member.userId, status: 'READY', started_at: toDbTime(new Date(unseen.startedAt)), ended_at: toDbTime(new Date(unseen.endedAt)), cancelled_at: null, class_seq: unseen.classSeq, created_at: toDbTime(now()), modified_at: null })
          .executeTakeFirst();
        raced = Number(result.insertId);
        inserted();
        await commitNow;
      });
    await insertedYet;
    const deactivation = h.service.call(desk(), 'members.deactivate', { userId: member.userId });
    const waiting = async () => Number((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'`.execute(kysely())).rows[0]!.n) > 0;
    // (without a locking read it never waits: the booking then escapes it, and the checks below
    // fail). InnoDB refreshes this table only when it was last read over 0.1 s ago: asked less often.
    await waitUntil(waiting, 'the deactivation to wait for the booking', { timeoutMs: 5_000, everyMs: 250 }).catch(() => undefined);
    commit();
    await desk2;
    const off = await deactivation;

    expect(off.cancelled).toEqual({ bookings: 2, waitlist: 0, promoted: 1, notified: 2 });
    expect(await bookingRow(raced)).toMatchObject({ status: 'CANCELLED', used_pass: 0 });
    const after = await h.service.call(desk(), 'classes.get', { classSeq: unseen.classSeq });
    expect(after.waitlist).toEqual([]);
    expect(after.bookings.filter((x) => x.status === 'READY').map((x) => x.userId)).toEqual([waiter.userId]);
  });
});
