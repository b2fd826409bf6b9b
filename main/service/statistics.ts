// 통계 for the charts: the hour buckets makeStatisticsJob keeps in `statistics`, summed into
// hours, days or weeks (Monday first) of the gym's time zone, every bucket of the range present
// (zeros where nothing happened) so a chart has no gaps.
import { DateTime } from 'luxon';
import { fromDbTime, toDbTime } from '../batch/index.ts';
import { instant, type HandlerContext } from './context.ts';
import type { ParsedInputOf, StatisticsPoint, StatisticsSeries } from './contract.ts';
import { invalid } from './errors.ts';
import { num } from './tables.ts';

const DAY = 86_400_000;
/** The longest range per unit: enough for any chart, small enough to answer at once. */
const MAX_RANGE_DAYS = { hour: 62, day: 400, week: 5 * 366 } as const;

type Counts = Omit<StatisticsPoint, 'at' | 'attendanceRate'>;

const rate = (c: Counts): number | null => {
  const held = c.all - c.cancelled;
  return held > 0 ? Math.round((c.attended / held) * 10_000) / 10_000 : null;
};

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
  for (let t = start(from); t.toMillis() < to.getTime(); t = t.plus({ [`${input.unit}s`]: 1 })) {
    buckets.set(t.toMillis(), { all: 0, attended: 0, cancelled: 0 });
  }
  const rows = await ctx.db
    .selectFrom('statistics')
    .select(['statistics_at', 'all_count', 'attended_count', 'cancelled_count'])
    .where('statistics_at', '>=', toDbTime(start(from).toJSDate()))
    .where('statistics_at', '<', toDbTime(to))
    .execute();
  const totals: Counts = { all: 0, attended: 0, cancelled: 0 };
  for (const row of rows) {
    const at = fromDbTime(row.statistics_at);
    const bucket = buckets.get(start(at).toMillis());
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
  return {
    unit: input.unit,
    timeZone: zone,
    points: [...buckets].map(([at, c]) => ({ at: new Date(at).toISOString(), ...c, attendanceRate: rate(c) })),
    totals: { ...totals, attendanceRate: rate(totals) },
  };
}
