// A desk's change is not refused with "something went wrong, try again" only because another
// desk's locks got in its way (main/service/transactions.ts): on MariaDB a booking chosen as a
// deadlock's victim is rolled back and done again, and goes through with its booking and its
// activity-log row once each; one whose lock wait timed out is refused once, in plain words. A
// refusal by the rules is not tried again.
// The deadlock and the timeout are MySQL's (SQLite has one writer and never deadlocks); the
// refusal runs on both databases.
import { sql, TransactionBuilder } from 'kysely';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { forUpdate } from '../../main/batch/index.ts';
import { openDatabase } from '../../main/batch/database/connection.ts';
import { createService } from '../../main/service/service.ts';
import { describeEachBackend } from '../support/databases.ts';
import { refused, serviceHarness, type ServiceHarness } from '../support/serviceHarness.ts';
import { waitUntil } from '../support/waitUntil.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describeEachBackend('a change caught in another desk’s locks', (backend) => {
  let h: ServiceHarness;
  let counter = 0;
  const errors: unknown[] = [];
  const desk = () => h.sessions.FRONT_DESK;
  const kysely = () => h.database.db.kysely;
  const at = (ms: number) => new Date(Math.floor((Date.now() + ms) / 60_000) * 60_000).toISOString();

  async function memberWithPass(): Promise<{ userId: string; passSeq: number }> {
    const userId = (await h.service.call(desk(), 'members.create', { userName: `잠금 시험 ${++counter}` })).detail.member.userId;
    const { passes } = await h.service.call(desk(), 'passes.register', { userId, packageSeq: 1, startedAt: at(-DAY), paymentMethod: 'CARD' });
    return { userId, passSeq: passes[0]!.passSeq };
  }
  async function newClass() {
    const [c] = await h.service.call(desk(), 'classes.create', { title: `잠금 수업 ${++counter}`, startedAt: at(DAY + counter * HOUR), endedAt: at(DAY + counter * HOUR + HOUR / 2), capacity: 5, packageSeqs: [1] });
    return c!;
  }
  /** the activity log's last row: what a change writes after it is counted from there */
  const lastAudit = async () => Number((await kysely().selectFrom('audit_log').select((eb) => eb.fn.max('audit_seq').as('n')).executeTakeFirst())?.n ?? 0);
  const auditSince = (seq: number) => kysely().selectFrom('audit_log').select(['action', 'target']).where('audit_seq', '>', seq).orderBy('audit_seq').execute();
  const liveBookings = (classSeq: number, userId: string) =>
    kysely().selectFrom('booking').select('booking_seq').where('class_seq', '=', classSeq).where('user_id', '=', userId).where('status', '<>', 'CANCELLED').execute();
  /** a transaction of this test's database waits for a lock (INNODB_TRX: the server's, every database's) */
  const waitingHere = async () =>
    Number(
      (
        await sql<{ n: number }>`SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
          WHERE t.trx_state = 'LOCK WAIT' AND p.DB = DATABASE()`.execute(kysely())
      ).rows[0]!.n,
    ) > 0;
  const deadlocks = async () => Number((await sql<{ Value: string }>`SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'`.execute(kysely())).rows[0]!.Value);
  /** rolls back the other desk's transaction once it has done its part */
  class RollBack extends Error {}

  beforeAll(async () => {
    h = await serviceHarness(backend, { service: { logError: (error) => void errors.push(error) } });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    errors.length = 0;
  });
  afterAll(async () => {
    await h?.dispose();
  });

  // Another desk (a raw connection) writes every member's row, the booked member's too, then asks
  // for the class's row, which the booking locked first and holds while it waits for the member's:
  // a deadlock, and InnoDB rolls back the transaction that changed less, the booking's.
  it.runIf(backend === 'mysql')('a booking chosen as a deadlock’s victim is done again and goes through, with one booking and one activity-log row', async () => {
    const member = await memberWithPass();
    const cls = await newClass();
    const mark = await lastAudit();
    const deadlocksBefore = await deadlocks();

    let held!: () => void;
    const heldYet = new Promise<void>((resolve) => (held = resolve));
    let closeCycle!: () => void;
    const closeNow = new Promise<void>((resolve) => (closeCycle = resolve));
    const otherDesk = kysely()
      .transaction()
      .execute(async (tx) => {
        await tx.updateTable('user').set({ memo: 'held by another desk' }).execute();
        held();
        await closeNow;
        // the class the waiting booking holds: granted only once the booking is rolled back
        await forUpdate('mysql', tx.selectFrom('gym_class').select('class_seq').where('class_seq', '=', cls.classSeq)).execute();
        throw new RollBack();
      })
      .catch((error) => {
        if (!(error instanceof RollBack)) throw error;
      });
    await heldYet;
    const attempts = vi.spyOn(TransactionBuilder.prototype, 'execute');
    const booking = h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, userId: member.userId, passSeq: member.passSeq });
    booking.catch(() => undefined); // awaited below, after the other desk
    // InnoDB refreshes INNODB_TRX only when it was last read over 0.1 s ago: asked less often
    await waitUntil(waitingHere, 'the booking to wait for the member’s row', { timeoutMs: 10_000, everyMs: 250 });
    closeCycle();
    await otherDesk;
    const booked = await booking;

    expect(booked.outcome).toBe('BOOKED');
    expect(await deadlocks()).toBeGreaterThan(deadlocksBefore);
    expect(attempts.mock.calls.length).toBe(2);
    expect((await liveBookings(cls.classSeq, member.userId)).map((b) => Number(b.booking_seq))).toEqual([booked.bookingSeq]);
    expect(await auditSince(mark)).toEqual([{ action: 'bookings.create', target: `booking:${booked.bookingSeq}` }]);
    expect(errors).toEqual([]);
  });

  // The service over a connection of its own whose lock waits end after a second (the server's
  // default, 50 s, is left alone): the other desk holds the member's row past the booking's wait.
  it.runIf(backend === 'mysql')('a booking whose lock wait timed out is not tried again: it is refused once in plain words, nothing written, and goes through when made again after the other desk lets go', async () => {
    const member = await memberWithPass();
    const cls = await newClass();
    const own = await openDatabase(h.database.url, { poolSize: 1 });
    try {
      await sql`SET SESSION innodb_lock_wait_timeout = 1`.execute(own.kysely);
      expect(Number((await sql<{ t: number }>`SELECT @@SESSION.innodb_lock_wait_timeout AS t`.execute(own.kysely)).rows[0]!.t)).toBe(1);
      const service = createService({ db: own, operator: h.operator }, { logError: (error) => void errors.push(error) });
      const mark = await lastAudit();

      let held!: () => void;
      const heldYet = new Promise<void>((resolve) => (held = resolve));
      let letGo!: () => void;
      const letGoNow = new Promise<void>((resolve) => (letGo = resolve));
      const otherDesk = kysely()
        .transaction()
        .execute(async (tx) => {
          await forUpdate('mysql', tx.selectFrom('user').select('user_id').where('user_id', '=', member.userId)).execute();
          held();
          await letGoNow;
        });
      await heldYet;
      const attempts = vi.spyOn(TransactionBuilder.prototype, 'execute');
      const started = Date.now();
      const error = await refused(service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, userId: member.userId, passSeq: member.passSeq }));
      letGo();
      await otherDesk;

      expect(Date.now() - started).toBeGreaterThan(1_000);
      expect(attempts.mock.calls.length).toBe(1);
      expect(error.code).toBe('UNAVAILABLE');
      expect(error.message).toBe('Another desk or a running job was using the same records, so nothing was changed. Try again in a moment.');
      expect(error.toJSON().message.ko).toMatch(/바뀐 것은 없습니다/);
      expect(await liveBookings(cls.classSeq, member.userId)).toEqual([]);
      expect(await auditSince(mark)).toEqual([]);
      expect(errors.map((e) => (e as { code?: string }).code)).toEqual(['ER_LOCK_WAIT_TIMEOUT']);

      const booked = await service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, userId: member.userId, passSeq: member.passSeq });
      expect(booked.outcome).toBe('BOOKED');
      expect((await liveBookings(cls.classSeq, member.userId)).map((b) => Number(b.booking_seq))).toEqual([booked.bookingSeq]);
    } finally {
      await own.close();
    }
  });

  it('a booking refused by the rules (its class cancelled) is refused at once: its transaction runs once, and nothing is written', async () => {
    const member = await memberWithPass();
    const cls = await newClass();
    await h.service.call(desk(), 'classes.cancel', { classSeq: cls.classSeq });
    const mark = await lastAudit();
    const attempts = vi.spyOn(TransactionBuilder.prototype, 'execute');
    const error = await refused(h.service.call(desk(), 'bookings.create', { classSeq: cls.classSeq, userId: member.userId, passSeq: member.passSeq }));
    expect(error.code).toBe('CONFLICT');
    expect(attempts.mock.calls.length).toBe(1);
    expect(await liveBookings(cls.classSeq, member.userId)).toEqual([]);
    expect(await auditSince(mark)).toEqual([]);
  });
});
