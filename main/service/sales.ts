// 판매: what the gym took in, for its managers. Read from the passes themselves (`pass.price`, what
// each was sold for at the desk, migration 016): the passes made in a range that have a price, per
// day of the gym's time zone (every day of the range, zeros too), for the whole range, and by
// package; and the refunds (`pass.refund`, what was handed back when a sold pass was cancelled,
// migration 017), counted on the day of the cancellation, so the range's net is what it took in
// less what it handed back. A pass without a price was not sold (granted in bulk, imported, a bonus, or sold before
// its package had a price) and is not counted. A sale is counted on the day it was made
// (`created_at`), not the day its pass starts. And by how each was paid (`pass.payment_method`,
// migration 018), so the till can be reconciled: a refund goes back the way its pass was paid, and
// a pass sold before methods were kept is under none (null). Summed in the database, a day per
// index range read (pass_created_at_sale_ix and pass_cancelled_at_refund_method_ix hold every
// column read), since on SQLite this runs on the serving thread.
import { DateTime } from 'luxon';
import { sql } from 'kysely';
import { toDbTimeBound } from '../batch/index.ts';
import { instant, type HandlerContext } from './context.ts';
import type { ParsedInputOf, SalesFigures, SalesSummary } from './contract.ts';
import { invalid } from './errors.ts';
import { PaymentMethod } from '../pass/schema.ts';
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

/** What a span sums: sales by when their pass was made and its price, refunds by when it was cancelled and what was handed back. */
const MEASURES = {
  sales: { at: 'created_at', amount: 'price' },
  refunds: { at: 'cancelled_at', amount: 'refund' },
} as const;

/** How many passes of `measure` fall in each span and their amounts added up, one query per 200 spans. */
async function sumSpans(ctx: HandlerContext, spans: Span[], measure: keyof typeof MEASURES): Promise<Array<{ count: number; total: number }>> {
  const { at, amount } = MEASURES[measure];
  const sums = spans.map(() => ({ count: 0, total: 0 }));
  for (let first = 0; first < spans.length; first += TERMS_PER_QUERY) {
    const terms = spans
      .slice(first, first + TERMS_PER_QUERY)
      .map(
        (span, k) =>
          sql`SELECT ${first + k} AS i, COUNT(${sql.ref(amount)}) AS n, SUM(${sql.ref(amount)}) AS total FROM pass WHERE ${sql.ref(at)} >= ${toDbTimeBound(new Date(span.at))} AND ${sql.ref(at)} < ${toDbTimeBound(new Date(span.until))} AND ${sql.ref(amount)} IS NOT NULL`,
      );
    const { rows } = await sql<Record<'i' | 'n' | 'total', unknown>>`${sql.join(terms, sql` UNION ALL `)}`.execute(ctx.db);
    for (const r of rows) sums[num(r.i)] = { count: num(r.n), total: num(r.total) };
  }
  return sums;
}

/** The packages of the passes of `measure` in [from, to): how many and their amounts added up. */
async function byPackage(ctx: HandlerContext, from: Date, to: Date, measure: keyof typeof MEASURES) {
  const { at, amount } = MEASURES[measure];
  const rows = await ctx.db
    .selectFrom('pass')
    .leftJoin('package', 'package.package_seq', 'pass.package_seq')
    .select((eb) => ['pass.package_seq', eb.fn.min('package.package_name').as('package_name'), eb.fn.count<number>(`pass.${amount}`).as('n'), eb.fn.sum<number>(`pass.${amount}`).as('total')])
    .where(`pass.${at}`, '>=', toDbTimeBound(from))
    .where(`pass.${at}`, '<', toDbTimeBound(to))
    .where(`pass.${amount}`, 'is not', null)
    .groupBy('pass.package_seq')
    .execute();
  return rows.map((r) => ({ packageSeq: num(r.package_seq), packageName: r.package_name ?? `#${num(r.package_seq)}`, count: num(r.n), total: num(r.total) }));
}

/** The order methods are listed in; null (sold before methods were kept) last. */
const METHOD_ORDER: Array<PaymentMethod | null> = [...PaymentMethod.all, null];

/**
 * The passes of `measure` in [from, to) paid for with money (sold for more than 0원), by how they
 * were paid: how many and their amounts added up. A 0원 sale took nothing and has no method.
 */
async function byMethod(ctx: HandlerContext, from: Date, to: Date, measure: keyof typeof MEASURES) {
  const { at, amount } = MEASURES[measure];
  const rows = await ctx.db
    .selectFrom('pass')
    .select((eb) => ['pass.payment_method', eb.fn.count<number>(`pass.${amount}`).as('n'), eb.fn.sum<number>(`pass.${amount}`).as('total')])
    .where(`pass.${at}`, '>=', toDbTimeBound(from))
    .where(`pass.${at}`, '<', toDbTimeBound(to))
    .where(`pass.${amount}`, 'is not', null)
    .where('pass.price', '>', 0)
    .groupBy('pass.payment_method')
    .execute();
  return new Map(rows.map((r) => [r.payment_method, { count: num(r.n), total: num(r.total) }]));
}

const figures = (sold: { count: number; total: number } | undefined, refunded: { count: number; total: number } | undefined): SalesFigures => ({
  count: sold?.count ?? 0,
  total: sold?.total ?? 0,
  refundCount: refunded?.count ?? 0,
  refunded: refunded?.total ?? 0,
});

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
  const sales = await sumSpans(ctx, spans, 'sales');
  const refunds = await sumSpans(ctx, spans, 'refunds');

  const sold = await byPackage(ctx, from, to, 'sales');
  const refundedBy = new Map((await byPackage(ctx, from, to, 'refunds')).map((p) => [p.packageSeq, p]));
  const packages = [
    ...sold.map((p) => ({ packageSeq: p.packageSeq, packageName: p.packageName, ...figures(p, refundedBy.get(p.packageSeq)) })),
    ...[...refundedBy.values()].filter((r) => !sold.some((p) => p.packageSeq === r.packageSeq)).map((r) => ({ packageSeq: r.packageSeq, packageName: r.packageName, ...figures(undefined, r) })),
  ].sort((a, b) => b.total - a.total || b.count - a.count || a.packageSeq - b.packageSeq);

  const soldBy = await byMethod(ctx, from, to, 'sales');
  const refundedByMethod = await byMethod(ctx, from, to, 'refunds');
  const methods = METHOD_ORDER.filter((m) => soldBy.has(m) || refundedByMethod.has(m)).map((m) => ({ paymentMethod: m, ...figures(soldBy.get(m), refundedByMethod.get(m)) }));

  const sum = (list: Array<{ count: number; total: number }>) => ({ count: list.reduce((n, s) => n + s.count, 0), total: list.reduce((n, s) => n + s.total, 0) });
  const totals = figures(sum(sales), sum(refunds));
  return {
    timeZone: zone,
    days: days.map((day, i) => ({ day: day.name, at: new Date(day.at).toISOString(), ...figures(sales[i], refunds[i]) })),
    totals: { ...totals, net: totals.total - totals.refunded },
    packages,
    byMethod: methods,
  };
}
