// 판매: what the gym took in, for its managers. Read from the passes themselves (`pass.price`, what
// each was sold for at the desk, migration 016): the passes made in a range that have a price, per
// day of the gym's time zone (every day of the range, zeros too), for the whole range, and by
// package. A pass without a price was not sold (granted in bulk, imported, a bonus, or sold before
// its package had a price) and is not counted. A sale is counted on the day it was made
// (`created_at`), not the day its pass starts. Summed in the database, a day per index range read
// (pass_created_at_package_price_ix holds every column read), since on SQLite this runs on the
// serving thread.
import { DateTime } from 'luxon';
import { sql } from 'kysely';
import { toDbTimeBound } from '../batch/index.ts';
import { instant, type HandlerContext } from './context.ts';
import type { ParsedInputOf, SalesSummary } from './contract.ts';
import { invalid } from './errors.ts';
import { gymDays } from './statistics.ts';
import { num } from './tables.ts';

const DAY = 86_400_000;
/** The longest range asked at once: more than a year, as the statistics by day. */
const MAX_RANGE_DAYS = 400;
/** How many days one query unites (SQLite allows 500 terms). */
const TERMS_PER_QUERY = 200;

interface Span {
  at: number;
  until: number;
}

/** The priced passes made in each span: how many and their total, one query per 200 spans. */
async function sumSpans(ctx: HandlerContext, spans: Span[]): Promise<Array<{ count: number; total: number }>> {
  const sums = spans.map(() => ({ count: 0, total: 0 }));
  for (let first = 0; first < spans.length; first += TERMS_PER_QUERY) {
    const terms = spans
      .slice(first, first + TERMS_PER_QUERY)
      .map(
        (span, k) =>
          sql`SELECT ${first + k} AS i, COUNT(price) AS n, SUM(price) AS total FROM pass WHERE created_at >= ${toDbTimeBound(new Date(span.at))} AND created_at < ${toDbTimeBound(new Date(span.until))} AND price IS NOT NULL`,
      );
    const { rows } = await sql<Record<'i' | 'n' | 'total', unknown>>`${sql.join(terms, sql` UNION ALL `)}`.execute(ctx.db);
    for (const r of rows) sums[num(r.i)] = { count: num(r.n), total: num(r.total) };
  }
  return sums;
}

export async function salesSummary(ctx: HandlerContext, input: ParsedInputOf<'sales.summary'>): Promise<SalesSummary> {
  const from = instant(ctx, 'from', input.from);
  const to = instant(ctx, 'to', input.to);
  if (to <= from) throw invalid('to', { ko: '끝은 시작보다 뒤여야 합니다', en: 'must be after from' });
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY) {
    throw invalid('to', { ko: `판매는 한 번에 ${MAX_RANGE_DAYS}일까지 볼 수 있습니다`, en: `sales cover ${MAX_RANGE_DAYS} days at most at once` });
  }
  const zone = ctx.timeZone;
  const begin = from.getTime();
  const end = to.getTime();
  // each of the gym's days, cut to the range (the first may start before `from`)
  const days = gymDays(DateTime.fromJSDate(from, { zone }).startOf('day'), end);
  const spans = days.map((day, i) => ({ at: Math.max(day.at, begin), until: Math.min(days[i + 1]?.at ?? end, end) }));
  const sums = await sumSpans(ctx, spans);

  const byPackage = await ctx.db
    .selectFrom('pass')
    .leftJoin('package', 'package.package_seq', 'pass.package_seq')
    .select((eb) => ['pass.package_seq', eb.fn.min('package.package_name').as('package_name'), eb.fn.count<number>('pass.price').as('n'), eb.fn.sum<number>('pass.price').as('total')])
    .where('pass.created_at', '>=', toDbTimeBound(from))
    .where('pass.created_at', '<', toDbTimeBound(to))
    .where('pass.price', 'is not', null)
    .groupBy('pass.package_seq')
    .execute();
  const packages = byPackage
    .map((r) => ({ packageSeq: num(r.package_seq), packageName: r.package_name ?? `#${num(r.package_seq)}`, count: num(r.n), total: num(r.total) }))
    .sort((a, b) => b.total - a.total || b.count - a.count || a.packageSeq - b.packageSeq);

  return {
    timeZone: zone,
    days: days.map((day, i) => ({ day: day.name, at: new Date(day.at).toISOString(), ...sums[i]! })),
    totals: { count: sums.reduce((n, s) => n + s.count, 0), total: sums.reduce((n, s) => n + s.total, 0) },
    packages,
  };
}
