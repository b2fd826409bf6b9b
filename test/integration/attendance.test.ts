// Issue 18, slice 4 in the service, on both databases: the desk marks members attended (one, or a
// whole class), usePassesJob completes an ended class's bookings and deducts them under the
// no-show policy exactly once, and the check-in kiosk reaches one member at a time by the last four
// digits of their phone, with masked names and opaque handles, and nothing else.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toDbTime } from '../../main/batch/index.ts';
import { bookingPolicy } from '../../main/pass/bookingPolicy.ts';
import { KIOSK_FINDS_PER_MINUTE, maskName } from '../../main/service/attendance.ts';
import { classStartToday, longestWaitForToday } from '../support/classToday.ts';
import { describeEachBackend } from '../support/databases.ts';
import { fullSnapshot, refused, serviceHarness, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';
import { paidFor } from '../support/payment.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

it('a masked name shows the first and last character only', () => {
  expect(['김민수', '이수', '남궁민수', 'Kim', '김'].map(maskName)).toEqual(['김*수', '이*', '남**수', 'K*m', '*']);
});

it('a long masked name shows at most three asterisks, so it does not tell the name’s length', () => {
  expect(['Alexandra Montgomery-Richardson', 'Karen', 'Maria', '제갈공명호'].map(maskName)).toEqual(['A***n', 'K***n', 'M***a', '제***호']);
  expect(maskName('Alexandra Montgomery-Richardson')).toBe(maskName('Alan'.padEnd(40, 'x') + 'n'));
});

describeEachBackend('attendance and the check-in kiosk', (backend) => {
  let h: ServiceHarness;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  const kiosk = () => h.sessions.KIOSK;
  const at = (ms: number) => new Date(Math.floor((Date.now() + ms) / MINUTE) * MINUTE).toISOString();
  /** a phone number ending in `last4`, different each time */
  const phone = (last4: string) => `010-${String(1000 + (++counter % 9000)).padStart(4, '0')}-${last4}`;

  async function member(name: string, last4: string, packageSeq = 1): Promise<{ userId: string; passSeq: number }> {
    const userId = (await h.service.call(desk(), 'members.create', { userName: name, phone: phone(last4) })).detail.member.userId;
    const { passes } = await h.service.call(desk(), 'passes.register', { userId, packageSeq, startedAt: at(-DAY), ...paidFor(packageSeq) });
    return { userId, passSeq: passes[0]!.passSeq };
  }

  async function classIn(startOffset: number, capacity = 10) {
    const [c] = await h.service.call(desk(), 'classes.create', { title: `출석 수업 ${++counter}`, startedAt: at(startOffset), endedAt: at(startOffset + HOUR), capacity, packageSeqs: [1, 2] });
    return c!;
  }

  /** a class starting about `aheadMs` from now and still today in the gym's zone (the kiosk lists today's classes): late in a day, the next day's */
  async function classToday(aheadMs: number) {
    const start = (await classStartToday({ aheadMs })).getTime();
    const [c] = await h.service.call(desk(), 'classes.create', { title: `출석 수업 ${++counter}`, startedAt: new Date(start).toISOString(), endedAt: new Date(start + HOUR).toISOString(), capacity: 10, packageSeqs: [1, 2] });
    return c!;
  }

  const book = async (classSeq: number, m: { userId: string; passSeq: number }) => (await h.service.call(desk(), 'bookings.create', { classSeq, ...m })).bookingSeq!;
  const remaining = async (passSeq: number) =>
    (await h.database.db.kysely.selectFrom('pass').select('remaining_count').where('pass_seq', '=', passSeq).executeTakeFirstOrThrow()).remaining_count;
  const booking = (seq: number) => h.database.db.kysely.selectFrom('booking').selectAll().where('booking_seq', '=', seq).executeTakeFirstOrThrow();

  /** usePassesJob as of `now` (plus a few milliseconds, so no two runs share their parameters), to its end */
  async function deduct(now: Date): Promise<void> {
    const { execution } = await h.operator.start('usePassesJob', { now: new Date(now.getTime() + (++counter % 1000)) }, { launchedBy: 'test' });
    expect(await waitForEnd(h, execution.id)).toBe('COMPLETED');
  }

  beforeAll(async () => {
    h = await serviceHarness(backend);
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('the desk marks a booking attended from an hour before its class, takes the mark back, marks the whole class at once, and each change is audited', async () => {
    const soon = await classIn(30 * MINUTE);
    const [a, b, c] = [await member('출석 가', '1111'), await member('출석 나', '1112'), await member('출석 다', '1113')];
    const [ba, bb] = [await book(soon.classSeq, a), await book(soon.classSeq, b)];
    await book(soon.classSeq, c);

    const marked = await h.service.call(desk(), 'bookings.markAttended', { bookingSeq: ba, attended: true });
    expect(marked.bookings.find((x) => x.bookingSeq === ba)).toMatchObject({ attended: true, attendedAt: expect.any(String) });
    const unmarked = await h.service.call(desk(), 'bookings.markAttended', { bookingSeq: ba, attended: false });
    expect(unmarked.bookings.find((x) => x.bookingSeq === ba)).toMatchObject({ attended: false, attendedAt: null });

    const all = await h.service.call(desk(), 'classes.markAllAttended', { classSeq: soon.classSeq });
    expect(all.bookings.map((x) => x.attended)).toEqual([true, true, true]);
    const audit = (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'classes.markAllAttended' })).items;
    expect(audit).toEqual([expect.objectContaining({ actor: 'desk1', target: `class:${soon.classSeq}`, detail: expect.objectContaining({ bookingSeqs: expect.arrayContaining([ba, bb]) }) })]);
    expect((await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'bookings.markAttended' })).items).toHaveLength(2);

    // a class two hours ahead can't be attended yet, and a booking that does not exist is not found; nothing changes
    const later = await classIn(2 * HOUR);
    const bl = await book(later.classSeq, a);
    const before = await fullSnapshot(h);
    const early = await refused(h.service.call(desk(), 'bookings.markAttended', { bookingSeq: bl, attended: true }));
    expect([early.code, early.text.en]).toEqual(['CONFLICT', 'Attendance opens an hour before the class starts.']);
    expect((await refused(h.service.call(desk(), 'classes.markAllAttended', { classSeq: later.classSeq }))).code).toBe('CONFLICT');
    expect((await refused(h.service.call(desk(), 'bookings.markAttended', { bookingSeq: 987654321, attended: true }))).code).toBe('NOT_FOUND');
    expect(await fullSnapshot(h)).toEqual(before);
  });

  it('after a class ends usePassesJob completes its bookings and, by default, deducts every one, attended or not, exactly once over two runs', async () => {
    const cls = await classIn(20 * MINUTE);
    const [came, stayedAway] = [await member('온 회원', '2221'), await member('안 온 회원', '2222')];
    const [bc, bs] = [await book(cls.classSeq, came), await book(cls.classSeq, stayedAway)];
    await h.service.call(desk(), 'bookings.markAttended', { bookingSeq: bc, attended: true });

    // before the class ends, nothing is completed nor deducted
    await deduct(new Date(Date.parse(cls.endedAt) - MINUTE));
    expect((await booking(bc)).status).toBe('READY');

    const afterClass = new Date(Date.parse(cls.endedAt) + MINUTE);
    await deduct(afterClass);
    await deduct(new Date(afterClass.getTime() + MINUTE));
    expect(await remaining(came.passSeq)).toBe(9);
    expect(await remaining(stayedAway.passSeq)).toBe(9);
    expect(await booking(bs)).toMatchObject({ status: 'COMPLETED' });
    expect(Number((await booking(bs)).used_pass)).toBe(1);
    // settled: the mark can't change any more
    expect((await refused(h.service.call(desk(), 'bookings.markAttended', { bookingSeq: bc, attended: false }))).text.en).toContain('deducted already');
  });

  it('with no-shows not deducted only the attended member loses a use, and putting the policy back later does not deduct the settled no-show', async () => {
    const policy = (deductNoShows: boolean) => h.service.call(h.sessions.ADMIN, 'settings.update', { bookingPolicy: { cancelCutoffMinutes: 180, lateCancelCountsAsUse: true, deductNoShows } });
    expect((await policy(false)).bookingPolicy.deductNoShows).toBe(false);
    try {
      const cls = await classIn(20 * MINUTE);
      const [came, stayedAway] = [await member('정책 온', '3331'), await member('정책 안 옴', '3332')];
      const [bc, bs] = [await book(cls.classSeq, came), await book(cls.classSeq, stayedAway)];
      await h.service.call(desk(), 'bookings.markAttended', { bookingSeq: bc, attended: true });
      const afterClass = new Date(Date.parse(cls.endedAt) + MINUTE);
      await deduct(afterClass);
      expect([await remaining(came.passSeq), await remaining(stayedAway.passSeq)]).toEqual([9, 10]);
      expect(await booking(bs)).toMatchObject({ status: 'COMPLETED' });
      expect(Number((await booking(bs)).no_show_free)).toBe(1);

      await policy(true);
      await deduct(new Date(afterClass.getTime() + MINUTE));
      expect([await remaining(came.passSeq), await remaining(stayedAway.passSeq)]).toEqual([9, 10]);
    } finally {
      await h.database.db.kysely.deleteFrom('settings').where('setting_key', '=', 'bookingPolicy').execute();
    }
  });

  it('a booking policy saved before the no-show part existed reads with no-shows deducted, on the Settings screen and in the job alike', async () => {
    await h.database.db.kysely
      .insertInto('settings')
      .values({ setting_key: 'bookingPolicy', value: '{"cancelCutoffMinutes":120,"lateCancelCountsAsUse":false}', modified_at: '2026-01-01 00:00:00.000', modified_by: 'older version' })
      .execute();
    try {
      expect((await h.service.call(h.sessions.ADMIN, 'settings.get', {})).bookingPolicy).toEqual({ cancelCutoffMinutes: 120, lateCancelCountsAsUse: false, deductNoShows: true });
      expect(await bookingPolicy(h.database.db.kysely)).toEqual({ cancelCutoffMinutes: 120, lateCancelCountsAsUse: false, deductNoShows: true });
    } finally {
      await h.database.db.kysely.deleteFrom('settings').where('setting_key', '=', 'bookingPolicy').execute();
    }
  });

  it('the kiosk finds members by their last four digits with masked names only, shows the picked member their passes and today\'s bookings, and checks them in', async () => {
    const cls = await classToday(40 * MINUTE);
    const [kim, lee] = [await member('김민수', '4441'), await member('이수', '4441')];
    const bk = await book(cls.classSeq, kim);
    await book(cls.classSeq, lee);

    const found = await h.service.call(kiosk(), 'kiosk.find', { phoneLast4: '4441' });
    expect(found.map((f) => f.maskedName).sort()).toEqual(['김*수', '이*']);
    // a handle is opaque: neither the member's id nor anything else of theirs
    expect(JSON.stringify(found)).not.toContain(kim.userId);
    expect(found.every((f) => /^[0-9a-f]{24}$/.test(f.member) && Object.keys(f).sort().join() === 'maskedName,member')).toBe(true);
    const handle = found.find((f) => f.maskedName === '김*수')!.member;

    const shown = await h.service.call(kiosk(), 'kiosk.member', { phoneLast4: '4441', member: handle });
    expect(shown.passes).toEqual([expect.objectContaining({ remainingCount: 10 })]);
    expect(shown.bookings).toEqual([expect.objectContaining({ bookingSeq: bk, classTitle: cls.title, attended: false, canCheckIn: true })]);
    expect(JSON.stringify(shown)).not.toContain(kim.userId);

    const checked = await h.service.call(kiosk(), 'kiosk.checkIn', { phoneLast4: '4441', member: handle, bookingSeq: bk });
    expect(checked.member.bookings[0]).toMatchObject({ attended: true, canCheckIn: false });
    expect(Number((await booking(bk)).attended)).toBe(1);
    const audit = (await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'kiosk.checkIn' })).items;
    expect(audit).toEqual([expect.objectContaining({ actor: 'kiosk1', target: `booking:${bk}` })]);
    expect((await refused(h.service.call(kiosk(), 'kiosk.checkIn', { phoneLast4: '4441', member: handle, bookingSeq: bk }))).text.en).toContain('already checked in');
  }, 120_000 + longestWaitForToday());

  it('the kiosk shows a member only the passes they can use: one whose end has passed is left out before the nightly expiry has run', async () => {
    const m = await member('정하늘', '6661');
    const { passes } = await h.service.call(desk(), 'passes.register', { userId: m.userId, packageSeq: 1, startedAt: at(-DAY), paymentMethod: 'CARD' });
    // its end came an hour ago; expirePassesJob has not run since, so its status still says in use
    await h.database.db.kysely.updateTable('pass').set({ ended_at: toDbTime(new Date(Date.now() - HOUR)) }).where('pass_seq', '=', passes[0]!.passSeq).execute();
    const handle = (await h.service.call(kiosk(), 'kiosk.find', { phoneLast4: '6661' }))[0]!.member;
    const shown = await h.service.call(kiosk(), 'kiosk.member', { phoneLast4: '6661', member: handle });
    expect(shown.passes).toHaveLength(1);
    expect(shown.passes[0]!.endedAt === null || Date.parse(shown.passes[0]!.endedAt) > Date.now()).toBe(true);
  });

  it('a member with no usable pass is told why from their own latest pass (its end, or no use left), one with none is told nothing of a pass, and a pass not started yet carries its start', async () => {
    const show = async (last4: string, masked: string) => {
      const handle = (await h.service.call(kiosk(), 'kiosk.find', { phoneLast4: last4 })).find((f) => f.maskedName === masked)!.member;
      return h.service.call(kiosk(), 'kiosk.member', { phoneLast4: last4, member: handle });
    };
    const ended = await member('한지민', '6671');
    const endedAt = new Date(Math.floor((Date.now() - HOUR) / MINUTE) * MINUTE);
    await h.database.db.kysely.updateTable('pass').set({ ended_at: toDbTime(endedAt) }).where('pass_seq', '=', ended.passSeq).execute();
    const usedUp = await member('오세훈', '6671');
    await h.database.db.kysely.updateTable('pass').set({ remaining_count: 0 }).where('pass_seq', '=', usedUp.passSeq).execute();
    // under the same digits, one with a usable pass and one never sold any
    await member('한지수', '6671');
    await h.service.call(desk(), 'members.create', { userName: '윤서연', phone: phone('6671') });

    const endedShown = await show('6671', '한*민');
    expect(endedShown.passes).toEqual([]);
    expect(endedShown.lastPass).toEqual({ packageName: expect.any(String), endedAt: endedAt.toISOString(), usedUp: false });
    const usedUpShown = await show('6671', '오*훈');
    expect(usedUpShown.passes).toEqual([]);
    expect(usedUpShown.lastPass).toMatchObject({ usedUp: true });
    expect((await show('6671', '윤*연')).lastPass).toBeNull();
    const usable = await show('6671', '한*수');
    expect([usable.passes.length, usable.lastPass]).toEqual([1, null]);

    // a pass sold to start in ten days: shown, with its start
    const later = await h.service.call(desk(), 'members.create', { userName: '서지우', phone: phone('6672') });
    const startsAt = at(10 * DAY);
    await h.service.call(desk(), 'passes.register', { userId: later.detail.member.userId, packageSeq: 1, startedAt: startsAt, paymentMethod: 'CARD' });
    const laterShown = await show('6672', '서*우');
    expect(laterShown.passes).toEqual([expect.objectContaining({ startedAt: new Date(startsAt).toISOString() })]);
    expect(laterShown.lastPass).toBeNull();
  });

  it('the kiosk reaches no other member: another member\'s booking, a handle under other digits, or a made-up handle is refused alike and changes nothing', async () => {
    const cls = await classIn(40 * MINUTE);
    const [mine, theirs] = [await member('박지훈', '5551'), await member('최유리', '5552')];
    await book(cls.classSeq, mine);
    const theirBooking = await book(cls.classSeq, theirs);
    const handle = (await h.service.call(kiosk(), 'kiosk.find', { phoneLast4: '5551' }))[0]!.member;

    const before = await fullSnapshot(h);
    const cases = [
      () => h.service.call(kiosk(), 'kiosk.checkIn', { phoneLast4: '5551', member: handle, bookingSeq: theirBooking }),
      () => h.service.call(kiosk(), 'kiosk.member', { phoneLast4: '5552', member: handle }),
      () => h.service.call(kiosk(), 'kiosk.checkIn', { phoneLast4: '5552', member: handle, bookingSeq: theirBooking }),
      () => h.service.call(kiosk(), 'kiosk.member', { phoneLast4: '5551', member: 'a'.repeat(24) }),
    ];
    for (const call of cases) expect((await refused(call())).code).toBe('NOT_FOUND');
    expect((await refused(h.service.call(kiosk(), 'kiosk.find', { phoneLast4: '55a1' }))).code).toBe('VALIDATION');
    expect(await fullSnapshot(h)).toEqual(before);
  });

  it('a booking the desk cancels, and a member the desk deactivates, while the member is at the kiosk are refused in words a member reads: no booking number, no field name, and where to ask', async () => {
    const cls = await classIn(40 * MINUTE);
    const m = await member('한가람', '7771');
    const bk = await book(cls.classSeq, m);
    const handle = (await h.service.call(kiosk(), 'kiosk.find', { phoneLast4: '7771' }))[0]!.member;
    await h.service.call(desk(), 'bookings.cancel', { bookingSeq: bk });
    const gone = await refused(h.service.call(kiosk(), 'kiosk.checkIn', { phoneLast4: '7771', member: handle, bookingSeq: bk }));
    expect(gone.code).toBe('NOT_FOUND');
    for (const text of [gone.text.ko, gone.text.en]) {
      expect(text).not.toContain(String(bk));
      expect(text).not.toMatch(/bookingSeq|member:/);
    }
    expect(gone.text.ko).toContain('안내 데스크');
    expect(gone.text.en).toContain('front desk');

    await h.service.call(desk(), 'members.deactivate', { userId: m.userId });
    for (const call of [
      () => h.service.call(kiosk(), 'kiosk.member', { phoneLast4: '7771', member: handle }),
      () => h.service.call(kiosk(), 'kiosk.checkIn', { phoneLast4: '7771', member: handle, bookingSeq: bk }),
    ]) {
      const unknown = await refused(call());
      expect(unknown.code).toBe('NOT_FOUND');
      expect(unknown.text.en).not.toMatch(/bookingSeq|member:/);
      expect(unknown.text.ko).toContain('안내 데스크');
      expect(unknown.text.en).toContain('front desk');
    }
  });

  it('a kiosk may search 60 times a minute; the next search is refused as too many, in plain words, and changes nothing', async () => {
    const username = `kiosk.burst.${backend}`;
    await h.service.call(h.sessions.ADMIN, 'staff.create', { username, password: 'kiosk-password-1', role: 'KIOSK' });
    const burst = (await h.service.authenticate((await h.service.call(null, 'session.login', { username, password: 'kiosk-password-1' })).token))!;
    for (let i = 0; i < KIOSK_FINDS_PER_MINUTE; i++) await h.service.call(burst, 'kiosk.find', { phoneLast4: String(6000 + i) });
    const before = await fullSnapshot(h);
    const refusal = await refused(h.service.call(burst, 'kiosk.find', { phoneLast4: '6999' }));
    expect([refusal.code, refusal.text.en]).toEqual(['TOO_MANY_REQUESTS', 'Too many searches. Please try again in a minute.']);
    expect(await fullSnapshot(h)).toEqual(before);
    // another kiosk is not held back by this one
    expect(await h.service.call(kiosk(), 'kiosk.find', { phoneLast4: '6999' })).toEqual([]);
  });

  it('a kiosk account may call the kiosk\'s operations and nothing else, and no staff role may call the kiosk\'s', async () => {
    for (const [name, input] of [
      ['members.search', { query: '5551' }],
      ['classes.list', { from: at(0), to: at(DAY) }],
      ['bookings.markAttended', { bookingSeq: 1, attended: true }],
      ['executions.list', {}],
      ['staff.list', {}],
    ] as const) {
      expect((await refused(h.service.call(kiosk(), name, input as never))).code, name).toBe('FORBIDDEN');
    }
    for (const role of ['FRONT_DESK', 'MANAGER', 'ADMIN'] as const) {
      expect((await refused(h.service.call(h.sessions[role], 'kiosk.find', { phoneLast4: '5551' }))).code, role).toBe('FORBIDDEN');
    }
    expect(await h.service.call(kiosk(), 'session.me', {})).toMatchObject({ username: 'kiosk1', role: 'KIOSK' });
  });
});
