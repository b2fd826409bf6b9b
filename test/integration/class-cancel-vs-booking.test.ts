// A class cancelled at one desk while another desk books a member into it, at the same moment, on
// both databases, many times (two services on connections of their own, as two desks are): the
// two can't both half-succeed. Both lock the class's row first (MySQL: FOR UPDATE; SQLite has one
// writer), so one goes after the other: a booking first is then cancelled with the class (no use
// taken, the member told, in the cancellation's own count and activity-log row), and a booking
// second is refused in plain words, writing nothing. Afterwards no booking of the class is live,
// none took a use, its waitlist is empty, and no call was answered INTERNAL.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../main/batch/database/connection.ts';
import type { Database } from '../../main/batch/index.ts';
import { ServiceError } from '../../main/service/errors.ts';
import { createService, type Service } from '../../main/service/service.ts';
import { describeEachBackend } from '../support/databases.ts';
import { serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ROUNDS = 20;

describeEachBackend('a class cancelled while a desk books into it', (backend) => {
  let h: ServiceHarness;
  /** the two desks: each a service of its own over connections of its own */
  let connections: Database[] = [];
  let one: Service;
  let other: Service;
  let counter = 0;
  const unexpected: unknown[] = [];
  const desk = () => h.sessions.FRONT_DESK;
  const kysely = () => h.database.db.kysely;
  const at = (ms: number) => new Date(Math.floor((Date.now() + ms) / MINUTE) * MINUTE).toISOString();

  async function memberWithPass(): Promise<{ userId: string; passSeq: number }> {
    const userId = (await h.service.call(desk(), 'members.create', { userName: `취소 경합 ${backend} ${++counter}` })).detail.member.userId;
    const { passes } = await h.service.call(desk(), 'passes.register', { userId, packageSeq: 1, startedAt: at(-DAY), paymentMethod: 'CARD' });
    return { userId, passSeq: passes[0]!.passSeq };
  }
  const remaining = async (passSeq: number) => (await kysely().selectFrom('pass').select('remaining_count').where('pass_seq', '=', passSeq).executeTakeFirstOrThrow()).remaining_count;
  const auditOf = async (action: string, target: string) => (await h.service.call(h.sessions.ADMIN, 'audit.list', { action, pageSize: 200 })).items.filter((r) => r.target === target);

  beforeAll(async () => {
    const logError = (error: unknown, operation: string) => void unexpected.push({ operation, error });
    h = await serviceHarness(backend, { service: { logError } });
    // SQLite: two connections of one thread, each waiting for the write lock with the thread free
    // (lockTurn; SQLite's busy handler would hold the thread, and the other could never commit)
    connections = [await openDatabase(h.database.url, { poolSize: 2, lockTurn: 'people' }), await openDatabase(h.database.url, { poolSize: 2, lockTurn: 'people' })];
    one = createService({ db: connections[0]!, operator: h.operator }, { logError });
    other = createService({ db: connections[1]!, operator: h.operator }, { logError });
  });
  afterAll(async () => {
    for (const db of connections) await db.close();
    await h?.dispose();
  });

  it('each round, the cancellation and the booking either both land with the booking cancelled free and its member told, or the booking is refused in plain words writing nothing; no booking of the class stays live or takes a use, and nothing is answered INTERNAL', async () => {
    const seen = { bookedFirst: 0, refused: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      // a class of two places: one taken already, the racing member takes the other (or, when a
      // filler took it too, waits); every other round it is full before the race
      const full = round % 2 === 1;
      const [holder, racer] = [await memberWithPass(), await memberWithPass()];
      const [cls] = await h.service.call(desk(), 'classes.create', { title: `경합 수업 ${backend} ${round}`, startedAt: at(2 * DAY + round * HOUR), endedAt: at(2 * DAY + round * HOUR + 50 * MINUTE), capacity: 2, packageSeqs: [1] });
      const classSeq = cls!.classSeq;
      const held = (await h.service.call(desk(), 'bookings.create', { classSeq, userId: holder.userId, passSeq: holder.passSeq })).bookingSeq!;
      if (full) {
        const filler = await memberWithPass();
        await h.service.call(desk(), 'bookings.create', { classSeq, userId: filler.userId, passSeq: filler.passSeq });
      }
      const usesBefore = await remaining(racer.passSeq);

      // the two desks at once, each starting first in turn
      const cancel = () => one.call(desk(), 'classes.cancel', { classSeq });
      const book = () => other.call(desk(), 'bookings.create', { classSeq, userId: racer.userId, passSeq: racer.passSeq });
      let cancelling: ReturnType<typeof cancel>;
      let booking: ReturnType<typeof book>;
      if (round % 4 < 2) [cancelling, booking] = [cancel(), book()];
      else [booking, cancelling] = [book(), cancel()];
      const [cancelled, booked] = await Promise.allSettled([cancelling, booking]);
      const label = `round ${round} (${full ? 'full' : 'a place left'})`;

      for (const outcome of [cancelled, booked]) {
        if (outcome.status === 'fulfilled') continue;
        expect(outcome.reason, label).toBeInstanceOf(ServiceError);
        const error = outcome.reason as ServiceError;
        expect(error.code, `${label}: ${error.message}`).not.toBe('INTERNAL');
        expect(error.text.ko, label).toMatch(/[가-힣]/);
      }
      // nothing here refuses the cancellation (the class is ahead, no one checked in): it always lands
      expect(cancelled.status, `${label}: ${cancelled.status === 'rejected' ? String(cancelled.reason) : ''}`).toBe('fulfilled');
      if (cancelled.status === 'rejected') throw cancelled.reason;
      const result = cancelled.value;

      const bookings = await kysely().selectFrom('booking').select(['booking_seq', 'user_id', 'status', 'used_pass']).where('class_seq', '=', classSeq).orderBy('booking_seq').execute();
      expect(bookings.filter((b) => b.status !== 'CANCELLED'), label).toEqual([]);
      expect(bookings.filter((b) => Number(b.used_pass) !== 0), label).toEqual([]);
      expect(await kysely().selectFrom('class_waitlist').select('waitlist_seq').where('class_seq', '=', classSeq).execute(), label).toEqual([]);
      expect(await remaining(racer.passSeq), label).toBe(usesBefore);
      const racerRows = bookings.filter((b) => b.user_id === racer.userId);
      const told = await kysely().selectFrom('notification').select(['event', 'target_key']).where('user_id', '=', racer.userId).execute();
      const [audit] = await auditOf('classes.cancel', `class:${classSeq}`);
      const audited = audit!.detail as { bookingSeqs: number[]; waitlist: string[] };

      if (booked.status === 'fulfilled') {
        // the booking went first: the cancellation found it, cancelled it free and told its member
        seen.bookedFirst++;
        const outcome = booked.value;
        if (full) {
          expect(outcome.outcome, label).toBe('WAITLISTED');
          expect(racerRows, label).toEqual([]);
          expect(result.waitlistCleared, label).toBe(1);
          expect(audited.waitlist, label).toEqual([racer.userId]);
          expect(told.map((n) => n.event), label).toEqual(['CLASS_CANCELLED']);
          expect(told[0]!.target_key, label).toMatch(/^waitlist:\d+$/);
        } else {
          expect(outcome.outcome, label).toBe('BOOKED');
          expect(racerRows.map((b) => Number(b.booking_seq)), label).toEqual([outcome.bookingSeq]);
          expect(audited.bookingSeqs, label).toEqual([held, outcome.bookingSeq]);
          expect(told, label).toEqual([{ event: 'CLASS_CANCELLED', target_key: `booking:${outcome.bookingSeq}` }]);
        }
        expect(result.notified, label).toBe(full ? 3 : 2);
      } else {
        // the cancellation went first: the booking is refused as the class's, and wrote nothing
        seen.refused++;
        const error = booked.reason as ServiceError;
        expect(error.code, label).toBe('CONFLICT');
        expect(error.text.en, label).toMatch(/^The class was cancelled at .+; it can't be booked\.$/);
        expect(racerRows, label).toEqual([]);
        expect(told, label).toEqual([]);
        expect(audited.waitlist, label).toEqual([]);
        expect(result.notified, label).toBe(full ? 2 : 1);
        expect((await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'bookings.create', pageSize: 200 })).items.filter((r) => (r.detail as { userId?: string }).userId === racer.userId), label).toEqual([]);
      }
      expect(result.bookingsCancelled, label).toBe(bookings.length);
    }
    expect(seen.bookedFirst + seen.refused).toBe(ROUNDS);
    expect(unexpected).toEqual([]);
  });
});
