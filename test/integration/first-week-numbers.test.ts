// Issue 16, the numbers staff meet in their first week, on both databases: the statistics say
// which days were never aggregated (rather than show 0) and a manager builds them; a bulk grant
// whose count was left empty shows the package's count its passes got; the demo gym's passes
// agree with their bookings.
import { DateTime } from 'luxon';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toDbTime } from '../../main/batch/index.ts';
import { seedDemoGym } from '../../main/pass/demo/demoGym.ts';
import { describeEachBackend, freshDatabase } from '../support/databases.ts';
import { refused, serviceHarness, USERNAMES, waitForEnd, type ServiceHarness } from '../support/serviceHarness.ts';

const ZONE = 'Asia/Seoul';

describeEachBackend('first week numbers', (backend) => {
  let h: ServiceHarness;
  beforeAll(async () => {
    h = await serviceHarness(backend);
  });
  afterAll(async () => {
    await h?.dispose();
  });

  /** bookings that ended in [from, to), as the statistics count them */
  async function bookingsBetween(from: Date, to: Date): Promise<number> {
    const row = await h.database.db.kysely
      .selectFrom('booking')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ended_at', '>=', toDbTime(from))
      .where('ended_at', '<', toDbTime(to))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('statistics say which days were never aggregated instead of showing 0, and a manager builds them', async () => {
    const manager = h.sessions.MANAGER;
    const today = DateTime.now().setZone(ZONE).startOf('day');
    const range = { from: today.minus({ days: 3 }).toFormat("yyyy-MM-dd'T'HH:mm"), to: today.toFormat("yyyy-MM-dd'T'HH:mm") };
    const days = [3, 2, 1].map((n) => today.minus({ days: n }).toFormat('yyyy-MM-dd'));
    const booked = await bookingsBetween(today.minus({ days: 3 }).toJSDate(), today.toJSDate());
    expect(booked).toBeGreaterThan(0);

    const before = await h.service.call(manager, 'statistics.series', { ...range, unit: 'day' });
    expect(before.totals.all).toBe(0);
    expect(before.daysNotAggregated).toEqual(days);
    expect(before.coverage).toEqual(before.points.map((p) => ({ at: p.at, hoursEnded: 24, hoursAggregated: 0 })));

    // The front desk may not; a range none of whose hours has ended builds nothing.
    expect((await refused(h.service.call(h.sessions.FRONT_DESK, 'statistics.build', range))).code).toBe('FORBIDDEN');
    const future = { from: today.plus({ days: 2 }).toFormat("yyyy-MM-dd'T'HH:mm"), to: today.plus({ days: 3 }).toFormat("yyyy-MM-dd'T'HH:mm") };
    const executionsBefore = (await h.service.call(h.sessions.ADMIN, 'executions.list', { job: 'makeStatisticsJob' })).total;
    const notYet = await refused(h.service.call(manager, 'statistics.build', future));
    expect(notYet.code).toBe('VALIDATION');
    expect(notYet.text.en).toContain('ended');
    expect((await h.service.call(h.sessions.ADMIN, 'executions.list', { job: 'makeStatisticsJob' })).total).toBe(executionsBefore);

    const execution = await h.service.call(manager, 'statistics.build', range);
    expect(execution).toMatchObject({ jobName: 'makeStatisticsJob', launchedBy: USERNAMES.MANAGER });
    expect(await waitForEnd(h, execution.id)).toBe('COMPLETED');
    const after = await h.service.call(manager, 'statistics.series', { ...range, unit: 'day' });
    expect(after.daysNotAggregated).toEqual([]);
    expect(after.coverage.map((c) => [c.hoursEnded, c.hoursAggregated])).toEqual([
      [24, 24],
      [24, 24],
      [24, 24],
    ]);
    expect(after.totals.all).toBe(booked);
    expect(after.points.reduce((sum, p) => sum + p.all, 0)).toBe(booked);

    // Built again: a new run of the same window (statistics are upserts: the same numbers).
    const again = await h.service.call(manager, 'statistics.build', range);
    expect(again.id).not.toBe(execution.id);
    expect(await waitForEnd(h, again.id)).toBe('COMPLETED');
    expect((await h.service.call(manager, 'statistics.series', { ...range, unit: 'day' })).totals).toEqual(after.totals);

    const audit = await h.service.call(h.sessions.ADMIN, 'audit.list', { action: 'statistics.build' });
    expect(audit.items.map((a) => [a.actor, a.target])).toEqual([
      [USERNAMES.MANAGER, `execution:${again.id}`],
      [USERNAMES.MANAGER, `execution:${execution.id}`],
    ]);
  });

  it('an hour that has not ended is neither counted as aggregated nor listed as missing', async () => {
    // the day from this hour on: hours still to come whatever the time (a calendar day has none left after 23:00)
    const hour = DateTime.now().setZone(ZONE).startOf('hour');
    const range = { from: hour.toFormat("yyyy-MM-dd'T'HH:mm"), to: hour.plus({ days: 1 }).toFormat("yyyy-MM-dd'T'HH:mm") };
    const series = await h.service.call(h.sessions.MANAGER, 'statistics.series', { ...range, unit: 'hour' });
    const later = series.coverage.filter((c) => new Date(c.at).getTime() >= Date.now());
    expect(later.length).toBeGreaterThan(0);
    for (const c of later) expect(c).toMatchObject({ hoursEnded: 0, hoursAggregated: 0 });
  });

  it('lists a bulk grant whose count was left empty with the package count its passes got, not as unlimited', async () => {
    const desk = h.sessions.FRONT_DESK;
    const packages = await h.service.call(desk, 'packages.list', {});
    const twoUses = packages.find((p) => p.count === 2)!;
    const unlimited = packages.find((p) => p.count === null)!;
    // scheduled, never due within the test (a grant starts at most a year ahead)
    const later = `${new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10)}T09:00`;
    const empty = await h.service.call(desk, 'bulkGrants.create', { packageSeq: twoUses.packageSeq, userGroupId: 'HANBADA', startedAt: later });
    const own = await h.service.call(desk, 'bulkGrants.create', { packageSeq: twoUses.packageSeq, userGroupId: 'HANBADA', count: 5, startedAt: later });
    const none = await h.service.call(desk, 'bulkGrants.create', { packageSeq: unlimited.packageSeq, userGroupId: 'HANBADA', startedAt: later });
    const listed = new Map((await h.service.call(desk, 'bulkGrants.list', {})).map((g) => [g.bulkPassSeq, g]));
    expect(listed.get(empty.bulkPassSeq)).toMatchObject({ count: null, usesGranted: 2, usesFromPackage: true });
    expect(listed.get(own.bulkPassSeq)).toMatchObject({ count: 5, usesGranted: 5, usesFromPackage: false });
    expect(listed.get(none.bulkPassSeq)).toMatchObject({ count: null, usesGranted: null, usesFromPackage: false });

    // What the list says is what the passes get.
    const { execution } = await h.service.call(desk, 'bulkGrants.grantNow', { bulkPassSeq: empty.bulkPassSeq });
    expect(await waitForEnd(h, execution.id)).toBe('COMPLETED');
    const passes = await h.database.db.kysely.selectFrom('pass').select('remaining_count').where('bulk_pass_seq', '=', empty.bulkPassSeq).execute();
    expect(passes.length).toBeGreaterThan(0);
    expect(new Set(passes.map((p) => Number(p.remaining_count)))).toEqual(new Set([2]));
  });
});

describeEachBackend('the demo gym', (backend) => {
  it('every pass with a count has the package count less its deducted bookings left, never below 0', async () => {
    const t = await freshDatabase(backend);
    try {
      await seedDemoGym(t.db, { now: new Date('2026-12-06T05:00:00Z') });
      const rows = await t.db.kysely
        .selectFrom('pass as p')
        .innerJoin('package as k', 'k.package_seq', 'p.package_seq')
        .leftJoin('bulk_pass as b', 'b.bulk_pass_seq', 'p.bulk_pass_seq')
        .select((eb) => [
          'p.pass_seq',
          'p.user_id',
          'p.remaining_count',
          sql<number | null>`COALESCE(b.count, k.count)`.as('count'),
          eb
            .selectFrom('booking as u')
            .select((u) => u.fn.countAll<number>().as('n'))
            .whereRef('u.pass_seq', '=', 'p.pass_seq')
            .where('u.used_pass', '=', 1)
            .as('deducted'),
        ])
        .execute();
      expect(rows.length).toBeGreaterThan(2000);
      const wrong = rows
        .filter((r) => (r.count === null ? r.remaining_count !== null : Number(r.remaining_count) !== Math.max(0, Number(r.count) - Number(r.deducted))))
        .map((r) => `${r.user_id} pass ${r.pass_seq}: ${r.remaining_count} left of ${r.count}, ${r.deducted} deducted`);
      expect(wrong).toEqual([]);
      // and no pass had more uses deducted than it holds
      expect(rows.filter((r) => r.count !== null && Number(r.deducted) > Number(r.count)).map((r) => r.pass_seq)).toEqual([]);
    } finally {
      await t.dispose();
    }
  });
});
