// 통계 for the charts: the hour buckets makeStatisticsJob keeps in `statistics`, summed into
// hours, days or weeks (Monday first) of the gym's time zone, every bucket of the range present
// (zeros where nothing happened) so a chart has no gaps; with each bucket's coverage (its ended
// hours, and how many of them were aggregated) and the days never aggregated, so a screen tells
// "not aggregated yet" from "zero". "Build statistics" runs makeStatisticsJob over a range.
import { DateTime } from 'luxon';
import { BatchError, fromDbTime, toDbTime } from '../batch/index.ts';
import { makeStatisticsJob } from '../pass/jobs/makeStatisticsJob.ts';
import { hourBucket, hourShiftMinutes, isAggregated } from '../pass/reports/hourlyStatistics.ts';
import { instant, type HandlerContext } from './context.ts';
import type { ExecutionSummary, ParsedInputOf, StatisticsCoverage, StatisticsPoint, StatisticsSeries } from './contract.ts';
import { invalid } from './errors.ts';
import { executionSummary } from './executions.ts';
import { num } from './tables.ts';

const HOUR = 3_600_000;

const DAY = 86_400_000;
/** The longest range per unit: enough for any chart, small enough to answer at once. */
const MAX_RANGE_DAYS = { hour: 62, day: 400, week: 5 * 366 } as const;

type Counts = Omit<StatisticsPoint, 'at' | 'attendanceRate'>;

const rate = (c: Counts): number | null => {
  const held = c.all - c.cancelled;
  return held > 0 ? Math.round((c.attended / held) * 10_000) / 10_000 : null;
};

/**
 * For instants asked oldest first: the start of the bucket each falls in, of `starts` (ascending;
 * a bucket runs to the next start), or undefined before the first.
 */
function ascending(starts: number[]): (at: number) => number | undefined {
  let i = 0;
  return (at) => {
    if (!starts.length || at < starts[0]!) return undefined;
    while (i + 1 < starts.length && starts[i + 1]! <= at) i++;
    return starts[i];
  };
}

export async function statisticsSeries(ctx: HandlerContext, input: ParsedInputOf<'statistics.series'>): Promise<StatisticsSeries> {
  const from = instant(ctx, 'from', input.from);
  const to = instant(ctx, 'to', input.to);
  if (to <= from) throw invalid('to', { ko: '끝은 시작보다 뒤여야 합니다', en: 'must be after from' });
  const maxDays = MAX_RANGE_DAYS[input.unit];
  if (to.getTime() - from.getTime() > maxDays * DAY) {
    throw invalid('to', { ko: `${input.unit} 단위는 ${maxDays}일까지 볼 수 있습니다`, en: `a ${input.unit} series covers ${maxDays} days at most` });
  }
  const zone = ctx.timeZone;
  const start = (at: Date) => DateTime.fromJSDate(at, { zone }).startOf(input.unit === 'hour' ? 'hour' : input.unit === 'day' ? 'day' : 'week');

  const buckets = new Map<number, Counts>();
  const shift = hourShiftMinutes(zone, from);
  if (input.unit === 'hour') {
    // the gym's hours are an hour of real time each, from the one `from` falls in (as luxon's plus
    // would count them, without asking the time zone 1,488 times)
    for (let t = hourBucket(from, shift).getTime(); t < to.getTime(); t += HOUR) buckets.set(t, { all: 0, attended: 0, cancelled: 0 });
  } else {
    for (let t = start(from); t.toMillis() < to.getTime(); t = t.plus({ [`${input.unit}s`]: 1 })) {
      buckets.set(t.toMillis(), { all: 0, attended: 0, cancelled: 0 });
    }
  }
  // The rows and the hours below come oldest first, so each finds its bucket by moving on from
  // the last one's: luxon once per bucket, not per hour (a year by weeks: 8,760 hours).
  const rows = await ctx.db
    .selectFrom('statistics')
    .select(['statistics_at', 'all_count', 'attended_count', 'cancelled_count', 'modified_at'])
    .where('statistics_at', '>=', toDbTime(start(from).toJSDate()))
    .where('statistics_at', '<', toDbTime(to))
    .orderBy('statistics_at')
    .execute();
  const totals: Counts = { all: 0, attended: 0, cancelled: 0 };
  const aggregated = new Set<number>();
  const bucketOfRow = ascending([...buckets.keys()]);
  for (const row of rows) {
    const at = fromDbTime(row.statistics_at);
    if (isAggregated(row)) aggregated.add(at.getTime());
    const bucket = buckets.get(bucketOfRow(at.getTime()) ?? NaN);
    if (!bucket) continue;
    const c = { all: num(row.all_count), attended: num(row.attended_count), cancelled: num(row.cancelled_count) };
    bucket.all += c.all;
    bucket.attended += c.attended;
    bucket.cancelled += c.cancelled;
    // Totals count only what lies inside [from, to); the first bucket may begin earlier.
    if (at >= from) {
      totals.all += c.all;
      totals.attended += c.attended;
      totals.cancelled += c.cancelled;
    }
  }
  // Coverage: the gym's hours of [from, to) that have ended by now, and which were aggregated.
  const coverage = new Map<number, StatisticsCoverage>([...buckets.keys()].map((at) => [at, { at: new Date(at).toISOString(), hoursEnded: 0, hoursAggregated: 0 }]));
  const missing: string[] = [];
  const bucketOfHour = ascending([...coverage.keys()]);
  // The day of the last hour found missing, and where the next begins (called for an hour at or
  // after it): the next day if the hour is in it, by luxon's step, else the hour's day found anew.
  let day: DateTime | undefined;
  let dayEnd = -Infinity;
  const nameDay = (hour: number) => {
    day = day?.plus({ days: 1 });
    dayEnd = day?.plus({ days: 1 }).toMillis() ?? -Infinity;
    if (!day || hour >= dayEnd) {
      day = DateTime.fromMillis(hour, { zone }).startOf('day');
      dayEnd = day.plus({ days: 1 }).toMillis();
    }
    missing.push(`${day.year}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`);
  };
  for (let hour = hourBucket(from, shift).getTime(); hour < to.getTime() && hour + HOUR <= ctx.now.getTime(); hour += HOUR) {
    if (hour < from.getTime()) continue;
    const bucket = coverage.get(bucketOfHour(hour) ?? NaN);
    if (!bucket) continue;
    bucket.hoursEnded++;
    if (aggregated.has(hour)) bucket.hoursAggregated++;
    else if (hour >= dayEnd) nameDay(hour);
  }
  return {
    unit: input.unit,
    timeZone: zone,
    points: [...buckets].map(([at, c]) => ({ at: new Date(at).toISOString(), ...c, attendanceRate: rate(c) })),
    totals: { ...totals, attendanceRate: rate(totals) },
    coverage: [...coverage.values()],
    daysNotAggregated: missing,
  };
}

/** The longest range "build statistics" takes at once (the job builds a week of hours per commit). */
const MAX_BUILD_DAYS = 400;

/**
 * 통계 만들기: makeStatisticsJob over the hours of [from, to) that have ended (to is brought back
 * to the start of the current hour), launched as the caller. The same window a second time is a
 * new run of it (the next `rerun`), which rebuilds it to the same numbers.
 */
export async function buildStatistics(ctx: HandlerContext, input: ParsedInputOf<'statistics.build'>): Promise<ExecutionSummary> {
  const from = instant(ctx, 'from', input.from);
  const to = instant(ctx, 'to', input.to);
  if (to <= from) throw invalid('to', { ko: '끝은 시작보다 뒤여야 합니다', en: 'must be after from' });
  if (to.getTime() - from.getTime() > MAX_BUILD_DAYS * DAY) {
    throw invalid('to', { ko: `통계는 한 번에 ${MAX_BUILD_DAYS}일까지 만들 수 있습니다`, en: `statistics are built for ${MAX_BUILD_DAYS} days at most at once` });
  }
  const end = new Date(Math.min(to.getTime(), hourBucket(ctx.now, hourShiftMinutes(ctx.timeZone, ctx.now)).getTime()));
  if (end <= from) {
    throw invalid('from', {
      ko: '이 기간에는 아직 끝난 시간이 없어 만들 통계가 없습니다',
      en: 'no hour of this range has ended yet, so there are no statistics to build',
    });
  }
  const params = { from, to: end };
  for (let rerun = 0; ; rerun++) {
    try {
      const launched = await ctx.auditLaunch(
        { action: 'statistics.build', target: `job:${makeStatisticsJob.name}`, detail: { from: params.from.toISOString(), to: params.to.toISOString(), rerun } },
        () => ctx.operator.start(makeStatisticsJob.name, { ...params, rerun }, { launchedBy: ctx.actor, now: ctx.now }),
        (l) => ({ target: `execution:${l.execution.id}` }),
      );
      return executionSummary(launched.execution);
    } catch (error) {
      // this window was built before: the next run of it
      if (error instanceof BatchError && error.code === 'ALREADY_COMPLETE' && rerun < 10_000) continue;
      throw error;
    }
  }
}
