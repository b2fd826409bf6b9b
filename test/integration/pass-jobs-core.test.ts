// expirePassesJob, addPassesJob and usePassesJob on hand-made gyms, on both databases: exact
// rows at the boundaries (Seoul midnight), a second run that changes nothing, a grant that
// fails halfway and is restarted, parallel deductions on worker threads, and the demo gym.
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { JobOperator, toDbTime, type JobExecution, type StepExecution } from '../../main/batch/index.ts';
import { seedDemoGym } from '../../main/pass/demo/demoGym.ts';
import { addPassesJob, GRANT_BATCH_SIZE } from '../../main/pass/jobs/addPassesJob.ts';
import { expirePassesJob } from '../../main/pass/jobs/expirePassesJob.ts';
import { usePassesJob } from '../../main/pass/jobs/usePassesJob.ts';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import {
  at,
  bookingStates,
  bulkPassStates,
  DAY,
  domainSnapshot,
  gym,
  HOUR,
  MINUTE,
  NOW,
  passState,
  passStates,
  SECOND,
  type Gym,
} from '../fixtures/passFixtures.ts';

const NOW_DB = toDbTime(NOW); // '2026-11-30 15:00:00.000'
const A_SECOND_LATER = new Date(NOW.getTime() + SECOND);

describeEachBackend('pass jobs: expire, grant, deduct', (backend) => {
  let t: TestDatabase;
  let operator: JobOperator;
  beforeEach(async () => {
    t = await freshDatabase(backend);
    operator = new JobOperator({ database: t.db, jobs: [expirePassesJob, addPassesJob, usePassesJob] });
  });
  afterEach(async () => {
    await operator.close();
    await t.dispose();
  });

  const steps = (e: JobExecution) => operator.repository.stepExecutions(e.id);
  const step = async (e: JobExecution, name: string): Promise<StepExecution> => {
    const found = (await steps(e)).find((s) => s.stepName === name);
    if (!found) throw new Error(`execution ${e.id} has no step ${name}`);
    return found;
  };
  const run = async (job: string, params: Record<string, unknown>) => {
    const execution = await operator.run(job, params);
    expect(execution.exitMessage).toBe('');
    expect(execution.status).toBe('COMPLETED');
    return execution;
  };
  /** Runs again a second later (the same `now` is the same instance) and expects no change at all. */
  const runAgainChangesNothing = async (job: string, params: Record<string, unknown> = {}) => {
    const before = await domainSnapshot(t.db);
    await run(job, { ...params, now: A_SECOND_LATER });
    expect(await domainSnapshot(t.db)).toEqual(before);
  };

  // ---- expirePassesJob ------------------------------------------------------------------------

  /** Passes around the boundaries; `justAfter` is how far past NOW the "not yet" cases lie. */
  function expiryCases(g: Gym, justAfter: number) {
    const u1 = g.member('U1');
    const u2 = g.member('U2');
    const u3 = g.member('U3');
    return {
      endsNow: g.pass(u1, { endedAt: at(0) }),
      endsJustAfter: g.pass(u1, { endedAt: at(justAfter) }), // U1 has two passes: one expires, one not
      endedBeforeMidnight: g.pass(u2, { endedAt: at(-1) }), // 2026-11-30 23:59:59.999 in Seoul
      usedUp: g.pass(u2, { remaining: 0, endedAt: at(30 * DAY) }),
      usedUpNoEnd: g.pass(u2, { remaining: 0, endedAt: null }),
      unlimited: g.pass(u3, { remaining: null, endedAt: null }),
      unlimitedEnded: g.pass(u3, { remaining: null, endedAt: at(-DAY) }),
      readyStartsNow: g.pass(u3, { status: 'READY', startedAt: at(0), endedAt: at(60 * DAY) }),
      readyStartsJustAfter: g.pass(u3, { status: 'READY', startedAt: at(justAfter), endedAt: at(60 * DAY) }),
      readyStartedAndEnded: g.pass(u3, { status: 'READY', startedAt: at(-10 * DAY), endedAt: at(-DAY) }),
      readyUnlimitedStarted: g.pass(u3, { status: 'READY', remaining: null, startedAt: at(-HOUR), endedAt: null }),
      alreadyExpired: g.pass(u1, { status: 'EXPIRED', remaining: 3, endedAt: at(-5 * DAY), expiredAt: at(-5 * DAY + 5 * MINUTE) }),
    };
  }

  test('expirePassesJob at Seoul midnight: exact rows at every boundary', async () => {
    const g = gym();
    const p = expiryCases(g, 1);
    await g.insert(t.db);
    const before = await passStates(t.db);

    // Written without an offset: the gym's time zone (Asia/Seoul) applies.
    const execution = await run('expirePassesJob', { now: '2026-12-01T00:00' });
    expect(NOW_DB).toBe('2026-11-30 15:00:00.000');

    const expired = [p.endsNow, p.endedBeforeMidnight, p.usedUp, p.usedUpNoEnd, p.unlimitedEnded, p.readyStartedAndEnded];
    const started = [p.readyStartsNow, p.readyUnlimitedStarted];
    const expected = before.map((pass) =>
      expired.includes(pass.pass_seq)
        ? { ...pass, status: 'EXPIRED', expired_at: NOW_DB, modified_at: NOW_DB }
        : started.includes(pass.pass_seq)
          ? { ...pass, status: 'PROGRESSED', modified_at: NOW_DB }
          : pass,
    );
    expect(await passStates(t.db)).toEqual(expected);
    expect(await step(execution, 'expirePassesStep')).toMatchObject({ status: 'COMPLETED', readCount: 6, writeCount: 6 });
    expect(await step(execution, 'startPassesStep')).toMatchObject({ status: 'COMPLETED', readCount: 2, writeCount: 2 });
  });

  test('expirePassesJob run again a second later changes nothing', async () => {
    const g = gym();
    expiryCases(g, HOUR);
    await g.insert(t.db);
    await run('expirePassesJob', { now: NOW });
    await runAgainChangesNothing('expirePassesJob');
  });

  // ---- addPassesJob ---------------------------------------------------------------------------

  function grantCases(g: Gym, justAfter: number) {
    const pilates = g.package('필라테스 1회 체험', 1, 30);
    const gymPkg = g.package('3개월 헬스 무제한', null, 90);
    const inbody = g.package('인바디 상담', null, null);
    g.member('A', { groups: ['G1', 'G2'] });
    g.member('B', { status: 'INACTIVE', groups: ['G1', 'G2'] });
    g.member('C', { groups: ['G1'] });
    g.member('D', { groups: ['G2'] });
    g.member('E'); // in no group
    const cOwn = g.pass('C', { packageSeq: gymPkg, remaining: null });
    return {
      packages: { pilates, gymPkg, inbody },
      cOwn,
      // the package's count and period, from the grant's start (an hour ago)
      pilatesForG1: g.grant({ packageSeq: pilates, group: 'G1', startedAt: at(-HOUR) }),
      // the grant's own count and end
      gymForG2: g.grant({ packageSeq: gymPkg, group: 'G2', count: 5, startedAt: at(-2 * DAY), endedAt: at(28 * DAY) }),
      // unlimited and never ending, due exactly now
      inbodyForG1: g.grant({ packageSeq: inbody, group: 'G1', startedAt: at(0) }),
      notYet: g.grant({ packageSeq: pilates, group: 'G1', startedAt: at(justAfter) }),
      cancelled: g.grant({ packageSeq: pilates, group: 'G2', status: 'CANCELLED', startedAt: at(-DAY) }),
      emptyGroup: g.grant({ packageSeq: pilates, group: 'NOBODY', startedAt: at(-DAY) }),
    };
  }

  test('addPassesJob: every active member of each due grant gets one pass with the right count and end', async () => {
    const g = gym();
    const c = grantCases(g, 1);
    await g.insert(t.db);

    const execution = await run('addPassesJob', { now: NOW });
    const granted = (await passStates(t.db)).filter((p) => p.bulk_pass_seq !== null);
    const pass = (bulk: number, user: string, packageSeq: number, remaining: number | null, startedAt: string, endedAt: string | null) => ({
      user_id: user,
      bulk_pass_seq: bulk,
      package_seq: packageSeq,
      status: 'PROGRESSED',
      remaining_count: remaining,
      started_at: startedAt,
      ended_at: endedAt,
      expired_at: null,
      modified_at: null,
    });
    expect(granted.map(({ pass_seq: _, ...rest }) => rest).sort((a, b) => a.bulk_pass_seq! - b.bulk_pass_seq! || a.user_id.localeCompare(b.user_id))).toEqual([
      pass(c.pilatesForG1, 'A', c.packages.pilates, 1, at(-HOUR), at(-HOUR + 30 * DAY)),
      pass(c.pilatesForG1, 'C', c.packages.pilates, 1, at(-HOUR), at(-HOUR + 30 * DAY)),
      pass(c.gymForG2, 'A', c.packages.gymPkg, 5, at(-2 * DAY), at(28 * DAY)),
      pass(c.gymForG2, 'D', c.packages.gymPkg, 5, at(-2 * DAY), at(28 * DAY)),
      pass(c.inbodyForG1, 'A', c.packages.inbody, null, at(0), null),
      pass(c.inbodyForG1, 'C', c.packages.inbody, null, at(0), null),
    ]);
    // C keeps the pass it had, and now has three
    expect((await passStates(t.db)).filter((p) => p.user_id === 'C').map((p) => p.pass_seq)).toHaveLength(3);
    expect(await passState(t.db, c.cOwn)).toMatchObject({ bulk_pass_seq: null, remaining_count: null });
    expect(await bulkPassStates(t.db)).toEqual([
      { bulk_pass_seq: c.pilatesForG1, status: 'COMPLETED', modified_at: NOW_DB },
      { bulk_pass_seq: c.gymForG2, status: 'COMPLETED', modified_at: NOW_DB },
      { bulk_pass_seq: c.inbodyForG1, status: 'COMPLETED', modified_at: NOW_DB },
      { bulk_pass_seq: c.notYet, status: 'READY', modified_at: null },
      { bulk_pass_seq: c.cancelled, status: 'CANCELLED', modified_at: null },
      { bulk_pass_seq: c.emptyGroup, status: 'COMPLETED', modified_at: NOW_DB },
    ]);
    expect(await step(execution, 'addPassesStep')).toMatchObject({ writeCount: 6, executionContext: { granted: 6, completedGrants: 4 } });
  });

  test('addPassesJob run again a second later changes nothing', async () => {
    const g = gym();
    grantCases(g, HOUR);
    await g.insert(t.db);
    await run('addPassesJob', { now: NOW });
    await runAgainChangesNothing('addPassesJob');
  });

  test('addPassesJob with bulkPassSeq grants only that grant, as its own instance', async () => {
    const g = gym();
    const c = grantCases(g, HOUR);
    await g.insert(t.db);
    const one = await run('addPassesJob', { now: NOW, bulkPassSeq: c.gymForG2 });
    expect((await bulkPassStates(t.db)).filter((b) => b.status === 'COMPLETED').map((b) => b.bulk_pass_seq)).toEqual([c.gymForG2]);
    expect((await step(one, 'addPassesStep')).executionContext).toMatchObject({ granted: 2, completedGrants: 1 });
    const rest = await run('addPassesJob', { now: NOW });
    expect(rest.instanceId).not.toBe(one.instanceId);
    expect((await step(rest, 'addPassesStep')).executionContext).toMatchObject({ granted: 4, completedGrants: 3 });
  });

  test('addPassesJob failing in its second batch of members, restarted: every active member has exactly one pass', async () => {
    const g = gym();
    const pkg = g.package('필라테스 1회 체험', 1, 30);
    // every 10th member INACTIVE: 2.5 batches of active members (2 full, a half)
    const members = Array.from({ length: Math.round((GRANT_BATCH_SIZE * 2.5) / 0.9) }, (_, i) => `G${String(i + 1).padStart(6, '0')}`);
    members.forEach((id, i) => g.member(id, { status: i % 10 === 3 ? 'INACTIVE' : 'ACTIVE', groups: ['BIG'] }));
    const grant = g.grant({ packageSeq: pkg, group: 'BIG', startedAt: at(-MINUTE) });
    await g.insert(t.db);
    const active = members.filter((_, i) => i % 10 !== 3);
    const breaksAt = active[GRANT_BATCH_SIZE + GRANT_BATCH_SIZE / 2]!; // in the second batch of active members

    // A pass row the database refuses, as a full disk or a broken row would.
    if (backend === 'sqlite') {
      await sql.raw(`CREATE TRIGGER pass_refused BEFORE INSERT ON pass WHEN NEW.user_id = '${breaksAt}' BEGIN SELECT RAISE(ABORT, 'refused on purpose'); END`).execute(t.db.kysely);
    } else {
      await sql.raw(`CREATE TRIGGER pass_refused BEFORE INSERT ON pass FOR EACH ROW BEGIN IF NEW.user_id = '${breaksAt}' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused on purpose'; END IF; END`).execute(t.db.kysely);
    }
    const failed = await operator.run('addPassesJob', { now: NOW });
    expect(failed.status).toBe('FAILED');
    expect(failed.exitMessage).toMatch(/refused on purpose/);
    const firstBatch = (await passStates(t.db)).map((p) => p.user_id);
    expect(firstBatch).toEqual(active.slice(0, GRANT_BATCH_SIZE));
    expect((await bulkPassStates(t.db))[0]!.status).toBe('READY');

    await sql.raw('DROP TRIGGER pass_refused').execute(t.db.kysely);
    const restarted = await (await operator.restart(failed.id)).done;
    expect(restarted.status).toBe('COMPLETED');
    expect(restarted.instanceId).toBe(failed.instanceId);
    const passes = await passStates(t.db);
    expect(passes.map((p) => p.user_id)).toEqual(active);
    expect(passes.every((p) => p.bulk_pass_seq === grant && p.remaining_count === 1)).toBe(true);
    expect((await bulkPassStates(t.db))[0]!.status).toBe('COMPLETED');
    const resumed = await step(restarted, 'addPassesStep');
    expect(resumed.executionContext).toMatchObject({ granted: active.length, completedGrants: 1 });
    // resumed after the committed batch: the second and third batches, the completion, the empty look
    expect(resumed.commitCount).toBe(3);

    await runAgainChangesNothing('addPassesJob');
  });

  // ---- usePassesJob ---------------------------------------------------------------------------

  function deductionCases(g: Gym, justAfter: number) {
    const u1 = g.member('U1');
    const u2 = g.member('U2');
    const oneUse = g.pass(u1, { remaining: 1 });
    const unlimited = g.pass(u2, { remaining: null, endedAt: null });
    const five = g.pass(u2, { remaining: 5 });
    const three = g.pass(u2, { remaining: 3 }); // U2's second limited pass, two classes in one chunk
    const expiredThree = g.pass(u1, { status: 'EXPIRED', remaining: 3, endedAt: at(-HOUR), expiredAt: at(-HOUR) });
    const untouched = g.pass(u1, { remaining: 4 });
    const b = {
      oneUseA: g.booking(oneUse, { endedAt: at(-3 * HOUR) }),
      oneUseB: g.booking(oneUse, { endedAt: at(-10 * MINUTE) }), // 23:50 Seoul, the day before NOW
      unlimited: g.booking(unlimited),
      fiveEndsNow: g.booking(five, { endedAt: at(0) }),
      fiveCancelled: g.booking(five, { status: 'CANCELLED' }),
      fiveAlreadyUsed: g.booking(five, { usedPass: 1 }),
      fiveEndsJustAfter: g.booking(five, { endedAt: at(justAfter) }),
      fiveInProgress: g.booking(five, { status: 'PROGRESSED', endedAt: at(20 * MINUTE) }),
      fiveTomorrow: g.booking(five, { status: 'READY', endedAt: at(DAY) }),
      threeA: g.booking(three, { endedAt: at(-DAY) }),
      threeB: g.booking(three, { endedAt: at(-DAY + HOUR) }),
      expiredThree: g.booking(expiredThree, { endedAt: at(-2 * HOUR) }),
      untouchedCancelled: g.booking(untouched, { status: 'CANCELLED' }),
    };
    return { passes: { oneUse, unlimited, five, three, expiredThree, untouched }, b };
  }

  test('usePassesJob: each completed class deducts once, never below 0, never from an unlimited pass', async () => {
    const g = gym();
    const { passes: p, b } = deductionCases(g, 1);
    await g.insert(t.db);
    const before = await passStates(t.db);
    const bookingsBefore = await bookingStates(t.db);

    const execution = await run('usePassesJob', { now: '2026-12-01T00:00:00+09:00' });

    const remaining = new Map([
      [p.oneUse, 0],
      [p.five, 4],
      [p.three, 1],
      [p.expiredThree, 2],
    ]);
    expect(await passStates(t.db)).toEqual(
      before.map((pass) => (remaining.has(pass.pass_seq) ? { ...pass, remaining_count: remaining.get(pass.pass_seq)!, modified_at: NOW_DB } : pass)),
    );
    const used = [b.oneUseA, b.oneUseB, b.unlimited, b.fiveEndsNow, b.threeA, b.threeB, b.expiredThree];
    expect(await bookingStates(t.db)).toEqual(
      bookingsBefore.map((booking) => (used.includes(booking.booking_seq) ? { ...booking, used_pass: 1, modified_at: NOW_DB } : booking)),
    );
    const manager = await step(execution, 'usePassesStep');
    expect(manager).toMatchObject({ status: 'COMPLETED', readCount: 7, writeCount: 7 });
    const partitions = (await steps(execution)).filter((s) => s.stepName.startsWith('usePassesStep:partition'));
    expect(partitions.map((s) => [s.stepName, s.status]).sort()).toEqual([
      ['usePassesStep:partition0', 'COMPLETED'],
      ['usePassesStep:partition1', 'COMPLETED'],
    ]);
  });

  test('usePassesJob run again a second later changes nothing', async () => {
    const g = gym();
    deductionCases(g, HOUR);
    await g.insert(t.db);
    await run('usePassesJob', { now: NOW });
    await runAgainChangesNothing('usePassesJob');
  });

  /** 60 passes (some unlimited, some about to run out) and 500 bookings spread over them at random. */
  async function manyBookings(bookingCount = 500) {
    const g = gym();
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const passes: Array<{ seq: number; remaining: number | null }> = [];
    for (let i = 0; i < 60; i++) {
      const user = g.member(`P${i}`);
      const remaining = i % 7 === 0 ? null : Math.floor(random() * 12);
      passes.push({ seq: g.pass(user, { remaining }), remaining });
    }
    const due = new Map<number, number>();
    for (let i = 0; i < bookingCount; i++) {
      const pass = passes[Math.floor(random() * passes.length)]!;
      const roll = random();
      const options =
        roll < 0.75
          ? { endedAt: at(-Math.floor(random() * 5 * DAY) - 1) }
          : roll < 0.85
            ? { status: 'CANCELLED' as const }
            : roll < 0.93
              ? { usedPass: 1 as const }
              : { status: 'READY' as const, endedAt: at(DAY) };
      g.booking(pass.seq, options);
      if (roll < 0.75) due.set(pass.seq, (due.get(pass.seq) ?? 0) + 1);
    }
    await g.insert(t.db);
    const dueCount = [...due.values()].reduce((a, b) => a + b, 0);
    /** every pass's count is its original less its due bookings, floored at 0; every due booking used */
    const expectDeductedOnce = async () => {
      const after = new Map((await passStates(t.db)).map((p) => [p.pass_seq, p.remaining_count]));
      expect(passes.map((p) => [p.seq, after.get(p.seq)])).toEqual(
        passes.map((p) => [p.seq, p.remaining === null ? null : Math.max(p.remaining - (due.get(p.seq) ?? 0), 0)]),
      );
      const bookings = await bookingStates(t.db);
      expect(bookings.filter((b) => b.used_pass === 1 && b.modified_at !== null)).toHaveLength(dueCount);
    };
    return { dueCount, expectDeductedOnce };
  }

  test('usePassesJob: 500 bookings over 60 passes in 2 partitions on worker threads deduct exactly once each', async () => {
    const { dueCount, expectDeductedOnce } = await manyBookings();
    const execution = await run('usePassesJob', { now: NOW, partitions: 2 });
    await expectDeductedOnce();
    const partitions = (await steps(execution)).filter((s) => s.stepName.startsWith('usePassesStep:partition'));
    expect(partitions).toHaveLength(2);
    expect(partitions.every((s) => s.status === 'COMPLETED' && s.writeCount > 0)).toBe(true);
    expect(partitions.reduce((n, s) => n + s.writeCount, 0)).toBe(dueCount);
  });

  test('usePassesJob: two runs at once (3 + 2 partitions racing on the same bookings) still deduct each booking once', async () => {
    const { expectDeductedOnce } = await manyBookings();
    const [a, b] = await Promise.all([
      operator.start('usePassesJob', { now: NOW, partitions: 3 }),
      operator.start('usePassesJob', { now: A_SECOND_LATER, partitions: 2 }),
    ]);
    const done = await Promise.all([a.done, b.done]);
    expect(done.map((e) => [e.status, e.exitMessage])).toEqual([
      ['COMPLETED', ''],
      ['COMPLETED', ''],
    ]);
    await expectDeductedOnce();
  });

  test('usePassesJob: partitions split the passes, so no pass is deducted from in two partitions', async () => {
    const { expectDeductedOnce } = await manyBookings();
    const execution = await run('usePassesJob', { now: NOW, partitions: 3 });
    await expectDeductedOnce();
    const partitions = (await steps(execution)).filter((s) => s.stepName.startsWith('usePassesStep:partition'));
    expect(partitions).toHaveLength(3);
    const ranges = partitions.map((s) => [Number(s.executionContext.minPassSeq), Number(s.executionContext.maxPassSeq)] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBeGreaterThan(ranges[i - 1]![1]);
  });

  test('usePassesJob: 2,600 bookings (several chunks a partition), two runs at once, still deduct each booking once', async () => {
    const { dueCount, expectDeductedOnce } = await manyBookings(2600);
    expect(dueCount).toBeGreaterThan(1500);
    const [a, b] = await Promise.all([
      operator.start('usePassesJob', { now: NOW, partitions: 2 }),
      operator.start('usePassesJob', { now: A_SECOND_LATER, partitions: 1 }),
    ]);
    const done = await Promise.all([a.done, b.done]);
    expect(done.map((e) => [e.status, e.exitMessage])).toEqual([
      ['COMPLETED', ''],
      ['COMPLETED', ''],
    ]);
    await expectDeductedOnce();
    const written = await Promise.all(done.map(async (e) => (await step(e, 'usePassesStep')).writeCount));
    // every due booking was written by one run or the other (a booking both read counts in both)
    expect(written[0]! + written[1]!).toBeGreaterThanOrEqual(dueCount);
  });

  // ---- the demo gym ---------------------------------------------------------------------------

  test('on the demo gym each job completes with work done', async () => {
    await seedDemoGym(t.db, { members: 300, days: 7, seed: 42, now: NOW });

    const expire = await run('expirePassesJob', { now: NOW });
    expect((await step(expire, 'expirePassesStep')).writeCount).toBeGreaterThan(0);
    expect((await step(expire, 'startPassesStep')).writeCount).toBeGreaterThan(0);

    const grant = await run('addPassesJob', { now: NOW });
    expect(Number((await step(grant, 'addPassesStep')).executionContext.granted)).toBeGreaterThan(0);
    expect((await bulkPassStates(t.db)).filter((b) => b.status === 'READY')).toHaveLength(1); // next week's

    const use = await run('usePassesJob', { now: NOW });
    expect((await step(use, 'usePassesStep')).writeCount).toBeGreaterThan(0);
    expect((await passStates(t.db)).every((p) => p.remaining_count === null || p.remaining_count >= 0)).toBe(true);
    const undeducted = (await t.db.kysely
      .selectFrom('booking')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '=', 'COMPLETED')
      .where('used_pass', '=', 0)
      .where('ended_at', '<=', NOW_DB)
      .executeTakeFirstOrThrow()) as { n: unknown };
    expect(Number(undeducted.n)).toBe(0);
  });
});
