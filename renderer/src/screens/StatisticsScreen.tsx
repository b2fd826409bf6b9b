// 6. 통계: bookings, attended and cancelled by hour, day or week over a range; attendance rate; totals.
// Days never aggregated are shaded and named, never shown as a plain 0, with "build statistics".
// Below, the range's sales: what the passes sold at the desk took in, by day (or week) and by package.
import { DateTime } from 'luxon';
import { useEffect, useId, useRef } from 'react';
import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SalesDay, SalesSummary, StatisticsSeries } from '../../../main/service/contract.ts';
import { Empty, Field, Loaded, PageHeader, Table } from '../components/common.tsx';
import { FirstSteps } from '../components/FirstSteps.tsx';
import { DateInput } from '../components/DateInput.tsx';
import { both, useT } from '../i18n/i18n.ts';
import type { Lang } from '../i18n/words.ts';
import { focusLost, focusSoon } from '../lib/focus.ts';
import { formatNumber, formatPercent, formatWon } from '../lib/format.ts';
import { atLeast, useSession } from '../stores/session.ts';
import { presetRange, useStatistics, type Preset, type Unit } from '../stores/statistics.ts';
import { useUi } from '../stores/ui.ts';

const PRESETS: Preset[] = ['lastWeek', 'thisWeek', 'last30Days'];
const UNITS: { unit: Unit; label: 'byHour' | 'byDay' | 'byWeek' }[] = [
  { unit: 'hour', label: 'byHour' },
  { unit: 'day', label: 'byDay' },
  { unit: 'week', label: 'byWeek' },
];

/**
 * Keeps the chart one stop in the Tab order. Recharts draws its layers into <g> elements through
 * React portals, and React listens for focus events on every portal's container; Chromium makes an
 * SVG element with focus listeners focusable, so Tab stopped on seven invisible layers after the
 * chart. Each such layer is taken out of the Tab order (tabindex -1), now and whenever one is added.
 */
function useOneTabStop<E extends HTMLElement>() {
  const ref = useRef<E>(null);
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const untab = () => root.querySelectorAll('svg g:not([tabindex])').forEach((g) => g.setAttribute('tabindex', '-1'));
    untab();
    const observer = new MutationObserver(untab);
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, []);
  return ref;
}

export function StatisticsScreen() {
  const { t } = useT();
  const zone = useUi((s) => s.timeZone);
  const setTimeZone = useUi((s) => s.setTimeZone);
  const { range, preset, unit, series, problem, setRange, setUnit, fetch } = useStatistics();
  // a day that is not one (2026-02-30, 12/07/2026) or a last day before the first: said, nothing asked
  const rangeProblem = problem ? t(problem === 'reversed' ? 'rangeReversed' : 'rangeBadDate') : null;

  useEffect(() => {
    if (!range) {
      setRange(presetRange('lastWeek', zone), 'lastWeek');
      void fetch().then((s) => s && setTimeZone(s.timeZone));
    }
  }, [range, setRange, fetch, zone, setTimeZone]);

  const choose = (p: Preset) => {
    setRange(presetRange(p, zone), p);
    void fetch();
  };

  return (
    <div className="page">
      <PageHeader title={t('navStatistics')} />
      <FirstSteps />
      <div className="filters">
        <div className="segmented" role="group" aria-label={t('period')}>
          {PRESETS.map((p) => (
            <button key={p} type="button" className={preset === p ? 'active' : ''} aria-pressed={preset === p} onClick={() => choose(p)} data-testid={`preset-${p}`}>
              {t(p)}
            </button>
          ))}
        </div>
        <Field label={t('from')}>
          <DateInput value={range?.from ?? ''} onChange={(from) => range && setRange({ ...range, from })} asTyped invalid={problem !== null} testId="stats-from" />
        </Field>
        <Field label={t('to')} error={rangeProblem}>
          <DateInput value={range?.to ?? ''} onChange={(to) => range && setRange({ ...range, to })} asTyped invalid={problem !== null} testId="stats-to" />
        </Field>
        <div className="segmented" role="group" aria-label={t('unit')}>
          {UNITS.map((u) => (
            <button
              key={u.unit}
              type="button"
              className={unit === u.unit ? 'active' : ''}
              aria-pressed={unit === u.unit}
              onClick={() => {
                setUnit(u.unit);
                void fetch();
              }}
              data-testid={`unit-${u.unit}`}
            >
              {t(u.label)}
            </button>
          ))}
        </div>
        <button type="button" className="btn btn-primary" onClick={() => void fetch()} data-testid="stats-show">
          {t('show')}
        </button>
      </div>
      {rangeProblem ? (
        <Empty>{rangeProblem}</Empty>
      ) : (
        <>
          <Loaded load={series} onRetry={() => void fetch()}>
            {(data) => <StatisticsView data={data} />}
          </Loaded>
          <Sales />
        </>
      )}
    </div>
  );
}

/**
 * The attendance rate from the counts themselves: the service's rate is rounded to four digits,
 * and rounding it again to a tenth of a percent can be off by one (0.845491 → 0.8455 → 84.6%).
 */
function heldRate(c: { all: number; attended: number; cancelled: number }): number | null {
  const held = c.all - c.cancelled;
  return held > 0 ? c.attended / held : null;
}

function StatisticsView({ data }: { data: StatisticsSeries }) {
  const { t, lang } = useT();
  const chartCard = useOneTabStop<HTMLElement>();
  const label = (iso: string) => {
    const at = DateTime.fromISO(iso, { zone: 'utc' }).setZone(data.timeZone);
    if (data.unit === 'hour') return at.toFormat(lang === 'ko' ? 'M/d HH시' : 'M/d HH:00');
    if (data.unit === 'week') return lang === 'ko' ? `${at.toFormat('M/d')} 주` : `Wk ${at.toFormat('M/d')}`;
    return lang === 'ko' ? at.toFormat('M/d (ccc)', { locale: 'ko' }) : at.toFormat('ccc M/d', { locale: 'en' });
  };
  const points = data.points.map((p) => {
    const r = heldRate(p);
    return { ...p, label: label(p.at), rate: r === null ? null : Math.round(r * 1000) / 10 };
  });
  // points with an ended hour never aggregated: their numbers are not the bookings' (yet)
  const unaggregated = points.filter((_, i) => {
    const c = data.coverage[i];
    return c !== undefined && c.hoursAggregated < c.hoursEnded;
  });
  // After "build statistics" the button that had the focus went (every day built) or turned off
  // while it ran: once the screen shows the outcome, the focus goes back to the button when days
  // are still missing, else to the totals it made (the first of the two on the page), unless the
  // person went somewhere else meanwhile.
  const building = useStatistics((s) => s.building);
  const wasBuilding = useRef(false);
  useEffect(() => {
    if (building !== null) wasBuilding.current = true;
    else if (wasBuilding.current) {
      wasBuilding.current = false;
      if (focusLost()) focusSoon('[data-testid=stats-build], [data-testid=stats-totals]');
    }
  }, [building]);
  const missing = data.daysNotAggregated;
  const empty = data.totals.all === 0 && missing.length === 0;
  // nothing of the range aggregated: its totals are unknown, not 0
  const unknown = missing.length > 0 && data.coverage.every((c) => c.hoursAggregated === 0);
  const total = (n: number) => (unknown ? '–' : formatNumber(n, lang));
  return (
    <>
      {missing.length > 0 && <NotAggregated days={missing} />}
      <div className="kpis" data-testid="stats-totals" role="group" aria-label={t('statisticsTotals')} tabIndex={-1}>
        <Kpi label={t('allBookings')} value={total(data.totals.all)} />
        <Kpi label={t('attended')} value={total(data.totals.attended)} tone="ok" />
        <Kpi label={t('cancelled')} value={total(data.totals.cancelled)} tone="warn" />
        <Kpi label={t('attendanceRate')} value={formatPercent(heldRate(data.totals), lang)} tone="info" testId="stats-rate" />
      </div>
      <section className="card chart-card" aria-label={t('statistics')} ref={chartCard}>
        {empty ? (
          <Empty>{t('noStatistics')}</Empty>
        ) : (
          <div className="chart" data-testid="stats-chart" data-not-aggregated={unaggregated.length}>
            <ResponsiveContainer width="100%" height={340}>
              <ComposedChart data={points} margin={{ top: 12, right: 24, left: 0, bottom: 0 }} title={t('statsChartName')}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
                <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
                <YAxis yAxisId="n" tick={{ fontSize: 12 }} tickFormatter={(v: number) => formatNumber(v, lang)} />
                <YAxis yAxisId="rate" orientation="right" domain={[0, 100]} tick={{ fontSize: 12 }} unit="%" />
                <Tooltip formatter={(value, name) => (name === t('attendanceRate') ? `${String(value)}%` : formatNumber(Number(value), lang))} />
                <Legend />
                {unaggregated.map((p) => (
                  <ReferenceArea key={p.at} yAxisId="n" x1={p.label} x2={p.label} fill="#9ca3af" fillOpacity={0.25} stroke="#9ca3af" strokeDasharray="4 3" ifOverflow="extendDomain" />
                ))}
                <Bar yAxisId="n" dataKey="all" name={t('allBookings')} fill="#93c5fd" radius={[3, 3, 0, 0]} isAnimationActive={false} />
                <Bar yAxisId="n" dataKey="attended" name={t('attended')} fill="#34d399" radius={[3, 3, 0, 0]} isAnimationActive={false} />
                <Bar yAxisId="n" dataKey="cancelled" name={t('cancelled')} fill="#fbbf24" radius={[3, 3, 0, 0]} isAnimationActive={false} />
                <Line yAxisId="rate" type="monotone" dataKey="rate" name={t('attendanceRate')} stroke="#6366f1" strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
              </ComposedChart>
            </ResponsiveContainer>
          </div>
        )}
      </section>
    </>
  );
}

/**
 * 판매: the range's takings, passes sold and a table by package, read from the passes' own prices.
 * A sales answer that could not come is said in a line, not as a second alert beside the chart's.
 */
function Sales() {
  const { t, pick } = useT();
  const sales = useStatistics((s) => s.sales);
  const titleId = useId();
  const data = 'data' in sales ? sales.data : undefined;
  return (
    <section className="card" aria-labelledby={titleId} data-testid="stats-sales" style={{ marginTop: 16 }}>
      <h2 id={titleId}>{t('salesTitle')}</h2>
      <p className="muted">{t('salesHint')}</p>
      {sales.state === 'error' && (
        <p className="muted" data-testid="sales-error">
          {t('salesNotLoaded')} {pick(sales.error)}
        </p>
      )}
      {data === undefined ? null : data.totals.count === 0 && data.totals.refundCount === 0 ? (
        <Empty>
          <span data-testid="sales-none">{t('salesNone')}</span>
        </Empty>
      ) : (
        <SalesView data={data} />
      )}
    </section>
  );
}

function SalesView({ data }: { data: SalesSummary }) {
  const { t, lang } = useT();
  // refunds shown only where there are some: most ranges have none, and a column of dashes says nothing
  const refunds = data.totals.refundCount > 0;
  return (
    <>
      <div className="kpis" data-testid="sales-totals" role="group" aria-label={t('salesTitle')}>
        <Kpi label={t('salesTotal')} value={formatWon(data.totals.total, lang)} tone="ok" testId="sales-total" />
        <Kpi label={t('salesCount')} value={formatNumber(data.totals.count, lang)} testId="sales-count" />
        {refunds && (
          <>
            <Kpi label={`${t('salesRefunded')} (${t('salesRefundCount', { n: data.totals.refundCount })})`} value={formatWon(data.totals.refunded, lang)} tone="warn" testId="sales-refunded" />
            <Kpi label={t('salesNet')} value={formatWon(data.totals.net, lang)} testId="sales-net" />
          </>
        )}
      </div>
      {refunds && <p className="muted">{t('salesNetHint')}</p>}
      <SalesByMethod data={data} refunds={refunds} />
      <SalesChart days={data.days} />
      <h3>{t('salesByPackage')}</h3>
      <div className="table-wrap">
        <Table
          columns={[
            t('package'),
            { label: t('salesPassCount'), className: 'num' },
            { label: t('salesTotal'), className: 'num' },
            ...(refunds ? [{ label: t('salesRefundCountColumn'), className: 'num' }, { label: t('salesRefunded'), className: 'num' }] : []),
          ]}
        >
          {data.packages.map((p) => (
            <tr key={p.packageSeq} data-testid="sales-package-row" data-package={p.packageSeq}>
              <td>{p.packageName}</td>
              <td className="num">{formatNumber(p.count, lang)}</td>
              <td className="num">{formatWon(p.total, lang)}</td>
              {refunds && (
                <>
                  <td className="num">{formatNumber(p.refundCount, lang)}</td>
                  <td className="num">{formatWon(p.refunded, lang)}</td>
                </>
              )}
            </tr>
          ))}
        </Table>
      </div>
    </>
  );
}

/**
 * 결제 수단별: what the till should hold, by how each sale was paid (card, cash, bank transfer, and
 * the sales from before methods were kept), only the methods with a figure in the range; refunds
 * beside them where there are some, each under the method its pass was paid with.
 */
function SalesByMethod({ data, refunds }: { data: SalesSummary; refunds: boolean }) {
  const { t, lang } = useT();
  if (data.byMethod.length === 0) return null;
  return (
    <div data-testid="sales-by-method">
      <h3>{t('salesByMethod')}</h3>
      <div className="table-wrap">
        <Table
          columns={[
            t('paymentMethod'),
            { label: t('salesPassCount'), className: 'num' },
            { label: t('salesTotal'), className: 'num' },
            ...(refunds ? [{ label: t('salesRefundCountColumn'), className: 'num' }, { label: t('salesRefunded'), className: 'num' }] : []),
          ]}
        >
          {data.byMethod.map((m) => (
            <tr key={m.paymentMethod ?? 'none'} data-testid="sales-method-row" data-method={m.paymentMethod ?? 'NONE'}>
              <td>{m.paymentMethod ? t(`payment${m.paymentMethod}`) : t('paymentNotRecorded')}</td>
              <td className="num">{formatNumber(m.count, lang)}</td>
              <td className="num">{formatWon(m.total, lang)}</td>
              {refunds && (
                <>
                  <td className="num">{formatNumber(m.refundCount, lang)}</td>
                  <td className="num">{formatWon(m.refunded, lang)}</td>
                </>
              )}
            </tr>
          ))}
        </Table>
      </div>
      {refunds && <p className="muted small">{t('salesByMethodHint')}</p>}
    </div>
  );
}

/**
 * Up to this many days the sales chart draws a bar a day; beyond, a bar a week (Monday first, as
 * the bookings chart's weeks and the presets). In a 1024-px window the plot is some 850 px wide:
 * two months by day leave each bar about 10 px and a label every few days, while the 400 days the
 * service answers would be 2-px slivers under unreadable labels. By week, 400 days are 58 bars,
 * as legible as two months by day. (It follows the range alone, not the bookings chart's unit:
 * sales come by day, so "by hour" has nothing to draw, and a short range reads best day by day.)
 */
const MOST_DAY_BARS = 62;

interface SalesBar {
  /** the x-axis label: the day, or the week by its Monday */
  label: string;
  /** the days of the range it covers, for its tooltip */
  span: string;
  /** what was taken in, in whole won */
  total: number;
  /** what was handed back (refunds counted on the day of their cancellation), in whole won */
  refunded: number;
}

/** The sales days as the chart's bars: a day each, or a week each for a long range. */
function salesBars(days: SalesDay[], lang: Lang): { unit: 'day' | 'week'; bars: SalesBar[] } {
  const date = (day: string) => DateTime.fromISO(day, { zone: 'utc' });
  const dayLabel = (at: DateTime) => (lang === 'ko' ? at.toFormat('M/d (ccc)', { locale: 'ko' }) : at.toFormat('ccc M/d', { locale: 'en' }));
  if (days.length <= MOST_DAY_BARS) {
    return { unit: 'day', bars: days.map((d) => ({ label: dayLabel(date(d.day)), span: dayLabel(date(d.day)), total: d.total, refunded: d.refunded })) };
  }
  const weeks: Array<{ monday: DateTime; first: DateTime; last: DateTime; total: number; refunded: number }> = [];
  for (const d of days) {
    const at = date(d.day);
    const week = weeks.at(-1);
    if (week && +week.monday === +at.startOf('week')) {
      week.last = at;
      week.total += d.total;
      week.refunded += d.refunded;
    } else weeks.push({ monday: at.startOf('week'), first: at, last: at, total: d.total, refunded: d.refunded });
  }
  return {
    unit: 'week',
    bars: weeks.map((w) => ({
      label: lang === 'ko' ? `${w.monday.toFormat('M/d')} 주` : `Wk ${w.monday.toFormat('M/d')}`,
      span: +w.first === +w.last ? dayLabel(w.first) : `${dayLabel(w.first)} – ${dayLabel(w.last)}`,
      total: w.total,
      refunded: w.refunded,
    })),
  };
}

/**
 * What the range took in, a bar a day or a week, named and described for a screen reader and one
 * Tab stop where the arrow keys step through the bars, as the bookings chart. It draws `total`
 * alone: another series (refunds, say) is one more field summed in salesBars and one more <Bar>.
 */
function SalesChart({ days }: { days: SalesDay[] }) {
  const { t, lang } = useT();
  const chart = useOneTabStop<HTMLDivElement>();
  const { unit, bars } = salesBars(days, lang);
  const refunds = bars.some((bar) => bar.refunded > 0);
  const best = bars.reduce<SalesBar | undefined>((most, bar) => (most === undefined || bar.total > most.total ? bar : most), undefined);
  const desc = best ? t(unit === 'week' ? 'salesChartBestWeek' : 'salesChartBestDay', { when: best.span, won: formatWon(best.total, lang) }) : undefined;
  return (
    <>
      <h3>{t(unit === 'week' ? 'salesByWeek' : 'salesByDay')}</h3>
      {/* data-desc: the <desc> the svg gets, for tests without a layout (happy-dom draws no chart) */}
      <div className="chart" ref={chart} data-testid="sales-chart" data-unit={unit} data-bars={bars.length} data-desc={desc} data-series={refunds ? 'total refunded' : 'total'}>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={bars} margin={{ top: 12, right: 24, left: 0, bottom: 0 }} title={t('salesChartName')} desc={desc}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
            <YAxis width="auto" tick={{ fontSize: 12 }} tickFormatter={(v: number) => formatWon(v, lang)} />
            <Tooltip labelFormatter={(label, payload) => (payload[0]?.payload as SalesBar | undefined)?.span ?? String(label)} formatter={(value) => formatWon(Number(value), lang)} />
            <Legend />
            <Bar dataKey="total" name={t('salesTotal')} fill="#34d399" radius={[3, 3, 0, 0]} isAnimationActive={false} />
            {/* refunds beside the takings, only for a range with some (most have none) */}
            {refunds && <Bar dataKey="refunded" name={t('salesRefunded')} fill="#f59f00" radius={[3, 3, 0, 0]} isAnimationActive={false} />}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </>
  );
}

/** The days of the range never aggregated, and "build statistics" for a manager or an admin. */
function NotAggregated({ days }: { days: string[] }) {
  const { t, lang } = useT();
  const role = useSession((s) => s.me?.role);
  const building = useStatistics((s) => s.building);
  const build = useStatistics((s) => s.build);
  const toast = useUi((s) => s.toast);
  const run = async () => {
    const outcome = await build();
    if (!outcome.ok) toast('error', outcome.error);
    else if (outcome.status === 'COMPLETED') toast('success', both('statisticsBuilt'));
    else toast('error', both('statisticsBuildFailed'));
  };
  const day = (text: string) => {
    const at = DateTime.fromISO(text);
    return lang === 'ko' ? at.toFormat('M/d (ccc)', { locale: 'ko' }) : at.toFormat('ccc M/d', { locale: 'en' });
  };
  return (
    <section className="notice" role="status" data-testid="stats-not-aggregated" style={{ marginBottom: 12 }}>
      <strong>{t('notAggregatedTitle')}</strong>
      <p>{t('notAggregatedHint')}</p>
      <ul aria-label={t('notAggregated')} style={{ display: 'flex', flexWrap: 'wrap', gap: 6, listStyle: 'none', padding: 0, margin: '6px 0 10px' }}>
        {days.map((d) => (
          <li key={d} data-testid="stats-missing-day" data-day={d} style={{ background: '#fff', border: '1px dashed #9ca3af', borderRadius: 12, padding: '1px 10px' }}>
            {day(d)}
          </li>
        ))}
      </ul>
      {atLeast(role, 'MANAGER') ? (
        <button type="button" className="btn btn-primary" onClick={() => void run()} disabled={building !== null} aria-busy={building !== null} data-testid="stats-build">
          {building !== null ? t('buildingStatistics') : t('buildStatistics')}
        </button>
      ) : (
        <p className="muted">{t('notAggregatedAsk')}</p>
      )}
    </section>
  );
}

function Kpi({ label, value, tone, testId }: { label: string; value: string; tone?: string; testId?: string }) {
  return (
    <div className={`kpi${tone ? ` kpi-${tone}` : ''}`} data-testid={testId}>
      <span className="kpi-label">{label}</span>
      <span className="kpi-value">{value}</span>
    </div>
  );
}
