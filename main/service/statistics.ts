// 통계 for the charts: the hour buckets makeStatisticsJob keeps in `statistics`, summed into
// hours, days or weeks (Monday first) of the gym's time zone, every bucket of the range present
// (zeros where nothing happened) so a chart has no gaps; with each bucket's coverage (its ended
// hours, and how many of them were aggregated) and the days never aggregated, so a screen tells
// "not aggregated yet" from "zero". The rows are summed in the database, span by span (a
// bucket, or a day where the days not aggregated are sought), since on SQLite this runs on the
// serving thread: five years of hours are 43,800 rows. "Build statistics" runs makeStatisticsJob
// over a range.
import { DateTime } from 'luxon';
import { sql } from 'kysely';
import { BatchError, fromDbTime, toDbTimeBound } from '../batch/index.ts';
import { makeStatisticsJob } from '../pass/jobs/makeStatisticsJob.ts';
import { aggregatedInSql, hourBucket, hourShiftMinutes } from '../pass/reports/hourlyStatistics.ts';
import { instant, type HandlerContext } from './context.ts';
import type { ExecutionSummary, ParsedInputOf, StatisticsPoint, StatisticsSeries } from './contract.ts';
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

/** One of the gym's days: when it starts, its name (YYYY-MM-DD), whether it is a Monday. */
export interface GymDay {
  at: number;
  name: string;
  monday: boolean;
}

/**
 * The gym's days from `first` (a day's start) until `end`. Luxon asks the time zone (~20 µs a
 * time), so it steps a week at once where those seven days are 24 hours each, the clocks not
 * changed in them (no zone changes them twice in a week), and a day at once only in a week
 * where they change: five years, ~270 steps rather than 1,826.
 */
export function gymDays(first: DateTime, end: number): GymDay[] {
  const days: GymDay[] = [];
  const add = (at: number, year: number, month: number, day: number) => {
    const date = new Date(Date.UTC(year, month - 1, day));
    days.push({ at, name: date.toISOString().slice(0, 10), monday: date.getUTCDay() === 1 });
  };
  for (let day = first; day.toMillis() < end; ) {
    const at = day.toMillis();
    const week = day.plus({ days: 7 }).startOf('day');
    if (week.toMillis() - at === 7 * DAY) {
      for (let k = 0; k < 7 && at + k * DAY < end; k++) add(at + k * DAY, day.year, day.month, day.day + k);
      day = week;
    } else {
      add(at, day.year, day.month, day.day);
      day = day.plus({ days: 1 }).startOf('day');
    }
  }
  return days;
}

/**
 * For instants asked oldest first: the index in `starts` (ascending; each runs to the next) of
 * the one each falls in, or -1 before the first.
 */
function ascending(starts: number[]): (at: number) => number {
  let i = -1;
  return (at) => {
    while (i + 1 < starts.length && starts[i + 1]! <= at) i++;
    return i;
  };
}

/** A span [at, until) of the range, and what its statistics rows add up to. */
interface Piece {
  at: number;
  until: number;
}
interface PieceSums extends Counts {
  /** its rows that aggregate their hour */
  aggregated: number;
}

/** How many spans one query unites (SQLite allows 500 terms). */
const TERMS_PER_QUERY = 200;

/**
 * The sums of each piece, added up in the database: one query of united terms per 200 pieces,
 * each term an index range, so five years by week reads 263 sums rather than 43,800 rows.
 */
async function sumPieces(ctx: HandlerContext, pieces: Piece[]): Promise<PieceSums[]> {
  const aggregated = aggregatedInSql(ctx.database.dialect);
  const sums: PieceSums[] = [];
  for (let first = 0; first < pieces.length; first += TERMS_PER_QUERY) {
    const terms = pieces
      .slice(first, first + TERMS_PER_QUERY)
      .map(
        (piece, k) =>
          sql`SELECT ${first + k} AS i, SUM(all_count) AS all_count, SUM(attended_count) AS attended_count, SUM(cancelled_count) AS cancelled_count, SUM(${aggregated}) AS aggregated FROM statistics WHERE statistics_at >= ${toDbTimeBound(new Date(piece.at))} AND statistics_at < ${toDbTimeBound(new Date(piece.until))}`,
      );
    const { rows } = await sql<Record<'i' | 'all_count' | 'attended_count' | 'cancelled_count' | 'aggregated', unknown>>`${sql.join(terms, sql` UNION ALL `)}`.execute(ctx.db);
    for (const r of rows) sums[num(r.i)] = { all: num(r.all_count), attended: num(r.attended_count), cancelled: num(r.cancelled_count), aggregated: num(r.aggregated) };
  }
  return sums;
}

/**
 * The same for pieces that follow one another and hold an hour's row at most each (a series by
 * hour: 1,490 pieces at most): their rows read in one query and put in their pieces here, which
 * is quicker than as many terms.
 */
async function sumRows(ctx: HandlerContext, pieces: Piece[]): Promise<PieceSums[]> {
  const sums: PieceSums[] = pieces.map(() => ({ all: 0, attended: 0, cancelled: 0, aggregated: 0 }));
  if (!pieces.length) return sums;
  const rows = await ctx.db
    .selectFrom('statistics')
    .select(['statistics_at', 'all_count', 'attended_count', 'cancelled_count', aggregatedInSql(ctx.database.dialect).as('aggregated')])
    .where('statistics_at', '>=', toDbTimeBound(new Date(pieces[0]!.at)))
    .where('statistics_at', '<', toDbTimeBound(new Date(pieces.at(-1)!.until)))
    .orderBy('statistics_at')
    .execute();
  const pieceOf = ascending(pieces.map((piece) => piece.at));
  for (const row of rows) {
    const sum = sums[pieceOf(fromDbTime(row.statistics_at).getTime())];
    if (!sum) continue;
    sum.all += num(row.all_count);
    sum.attended += num(row.attended_count);
    sum.cancelled += num(row.cancelled_count);
    sum.aggregated += num(row.aggregated);
  }
  return sums;
}

/** The pieces between the instants of `at` (any order, repeats ignored) of [first, end), the last one running to `end`. */
function piecesFrom(at: number[], first: number, end: number): Piece[] {
  const cuts = [...new Set(at)].filter((t) => t >= first && t < end).sort((a, b) => a - b);
  return cuts.map((t, i) => ({ at: t, until: cuts[i + 1] ?? end }));
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
  const begin = from.getTime();
  const end = to.getTime();
  // the gym's hours are an hour of real time each, from the one `from` falls in
  const shift = hourShiftMinutes(zone, from);
  const firstHour = hourBucket(from, shift).getTime();
  const days = gymDays(DateTime.fromJSDate(from, { zone }).startOf(input.unit === 'week' ? 'week' : 'day'), end);
  const starts: number[] = [];
  if (input.unit === 'hour') for (let t = firstHour; t < end; t += HOUR) starts.push(t);
  else for (const day of days) if (input.unit === 'day' || day.monday || !starts.length) starts.push(day.at);
  // The hours that count for coverage: from `from` until the current hour (the ones before it have ended).
  const ended = Math.max(begin, Math.min(end, hourBucket(ctx.now, shift).getTime()));
  // the gym's hours (each starting firstHour + k hours) that start in [at, until)
  const hoursIn = (at: number, until: number) => Math.ceil((until - firstHour) / HOUR) - Math.ceil((at - firstHour) / HOUR);
  /** Each group's ended hours and how many were aggregated, of the pieces within [from, ended); groups by start, ascending. */
  const coverageOf = (groupStarts: number[], pieces: Piece[], sums: PieceSums[]) => {
    const groups = groupStarts.map(() => ({ ended: 0, aggregated: 0 }));
    const groupOf = ascending(groupStarts);
    pieces.forEach((piece, i) => {
      const group = groups[groupOf(piece.at)];
      if (!group || piece.at < begin || piece.until > ended) return;
      const hours = hoursIn(piece.at, piece.until);
      group.ended += hours;
      // a row off the hours (written under another time zone's) makes no hour of its own
      group.aggregated += Math.min(sums[i]!.aggregated, hours);
    });
    return groups;
  };

  // The range cut at every bucket's start, at `from` (totals count from there; the first bucket
  // may begin before) and where the ended hours end.
  const pieces = piecesFrom([...starts, begin, ended], starts[0]!, end);
  const sums = input.unit === 'hour' ? await sumRows(ctx, pieces) : await sumPieces(ctx, pieces);
  const points: Counts[] = starts.map(() => ({ all: 0, attended: 0, cancelled: 0 }));
  const totals: Counts = { all: 0, attended: 0, cancelled: 0 };
  const bucketOf = ascending(starts);
  pieces.forEach((piece, i) => {
    for (const counts of piece.at >= begin ? [points[bucketOf(piece.at)]!, totals] : [points[bucketOf(piece.at)]!]) {
      counts.all += sums[i]!.all;
      counts.attended += sums[i]!.attended;
      counts.cancelled += sums[i]!.cancelled;
    }
  });
  const covered = coverageOf(starts, pieces, sums);

  // The days not wholly aggregated: by day and by hour, the days of the buckets not wholly
  // aggregated; by week, the days of such weeks, summed again day by day (one week for a gym
  // whose job runs every hour).
  const dayStarts = days.map((d) => d.at);
  const missing = new Set<number>();
  if (input.unit === 'week') {
    // (a week with no hour aggregated needs no sums: every day of it with an ended hour is missing)
    const weeks = starts.map((at, i) => ({ at, until: starts[i + 1] ?? end, ...covered[i]! })).filter((week) => week.aggregated < week.ended);
    const dayIndex = new Map(dayStarts.map((at, i) => [at, i]));
    const dayPieces = weeks.map((week) => {
      const first = dayIndex.get(week.at)!;
      return piecesFrom([...dayStarts.slice(first, first + 7), begin, ended], week.at, week.until);
    });
    const partial = weeks.flatMap((week, i) => (week.aggregated > 0 ? dayPieces[i]! : []));
    const partialSums = await sumPieces(ctx, partial);
    const none: PieceSums = { all: 0, attended: 0, cancelled: 0, aggregated: 0 };
    let next = 0;
    const daySums = weeks.flatMap((week, i) => dayPieces[i]!.map(() => (week.aggregated > 0 ? partialSums[next++]! : none)));
    const byDay = coverageOf(dayStarts, dayPieces.flat(), daySums);
    byDay.forEach((d, i) => d.aggregated < d.ended && missing.add(i));
  } else {
    const dayOf = ascending(dayStarts);
    starts.forEach((at, i) => covered[i]!.aggregated < covered[i]!.ended && missing.add(dayOf(Math.max(at, begin))));
  }
  return {
    unit: input.unit,
    timeZone: zone,
    points: points.map((c, i) => ({ at: new Date(starts[i]!).toISOString(), ...c, attendanceRate: rate(c) })),
    totals: { ...totals, attendanceRate: rate(totals) },
    coverage: starts.map((at, i) => ({ at: new Date(at).toISOString(), hoursEnded: covered[i]!.ended, hoursAggregated: covered[i]!.aggregated })),
    daysNotAggregated: days.filter((_, i) => missing.has(i)).map((d) => d.name),
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
