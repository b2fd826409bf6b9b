// A pass cancelled while another desk books a class with it, on both databases (on MySQL the two
// transactions truly overlap): whichever commits first, no live booking is left on a cancelled
// pass, and every booking that went with the pass has its message. Either the booking is refused
// ("취소된 이용권") or it went through first and the cancel took it with it (the cancel locks the
// classes it found, then the pass, and starts again when a booking came in meanwhile in a class
// it had not locked).
import { DateTime } from 'luxon';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LIVE_BOOKING } from '../../main/pass/schema.ts';
import { describeEachBackend } from '../support/databases.ts';
import { serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ROUNDS = 12;

describeEachBackend('a pass cancelled while a class is booked with it', (backend) => {
  let h: ServiceHarness;
  let counter = 0;
  const desk = () => h.sessions.FRONT_DESK;
  const kysely = () => h.database.db.kysely;
  const midnight = () => DateTime.now().setZone('Asia/Seoul').startOf('day').toMillis();
  const at = (ms: number) => new Date(midnight() + ms).toISOString();

  beforeAll(async () => {
    h = await serviceHarness(backend);
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it(`in ${ROUNDS} rounds of a cancel and a booking sent together, no live booking is left on a cancelled pass and each one cancelled with it was told`, async () => {
    const pkg = await h.service.call(h.sessions.MANAGER, 'packages.create', { packageName: `경합 PT ${backend}`, count: 10, period: 60, price: 100_000 });
    const outcomes = { refused: 0, takenWith: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const userId = (await h.service.call(desk(), 'members.create', { userName: `경합 ${backend} ${++counter}` })).detail.member.userId;
      const passSeq = (await h.service.call(desk(), 'passes.register', { userId, packageSeq: pkg.packageSeq, startedAt: at(-DAY), paymentMethod: 'CASH' })).passes[0]!.passSeq;
      const classes = [];
      for (const day of [1, 2]) {
        const [c] = await h.service.call(desk(), 'classes.create', { title: `경합 ${round}-${day}`, startedAt: at(day * DAY + (9 + round) * HOUR), endedAt: at(day * DAY + (10 + round) * HOUR), capacity: 3, packageSeqs: [pkg.packageSeq] });
        classes.push(c!);
      }
      // one booking made before; the other sent together with the cancel
      await h.service.call(desk(), 'bookings.create', { classSeq: classes[0]!.classSeq, userId, passSeq });
      const [cancel, booking] = await Promise.allSettled([
        h.service.call(desk(), 'passes.cancel', { passSeq, refund: 0 }),
        h.service.call(desk(), 'bookings.create', { classSeq: classes[1]!.classSeq, userId, passSeq }),
      ]);
      expect(cancel.status, JSON.stringify(cancel)).toBe('fulfilled');
      const pass = await kysely().selectFrom('pass').select(['status']).where('pass_seq', '=', passSeq).executeTakeFirstOrThrow();
      expect(pass.status).toBe('CANCELLED');
      const live = await kysely().selectFrom('booking').select(['booking_seq']).where('pass_seq', '=', passSeq).where('status', 'in', LIVE_BOOKING).execute();
      expect(live).toEqual([]);
      const cancelled = await kysely().selectFrom('booking').select(['booking_seq']).where('pass_seq', '=', passSeq).where('status', '=', 'CANCELLED').execute();
      const told = await kysely().selectFrom('notification').select(['target_key']).where('pass_seq', '=', passSeq).where('event', '=', 'PASS_CANCELLED').execute();
      expect(told.map((n) => n.target_key).sort()).toEqual(cancelled.map((b) => `booking:${b.booking_seq}`).sort());
      if (booking.status === 'rejected') {
        // refused because the pass was cancelled, not for any other reason
        expect((booking.reason as { text?: { ko?: string } }).text?.ko, String(booking.reason)).toContain('취소된 이용권');
        outcomes.refused++;
      }
      else outcomes.takenWith++;
    }
    console.log(`[race ${backend}]`, JSON.stringify(outcomes));
    // each round ended one of the two ways; which, the databases decide
    expect(outcomes.refused + outcomes.takenWith).toBe(ROUNDS);
  });
});
