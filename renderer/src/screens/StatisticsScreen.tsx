// 6. 통계: bookings, attended and cancelled by hour, day or week over a range; attendance rate; totals.
import { DateTime } from 'luxon';
import { useEffect } from 'react';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { StatisticsSeries } from '../../../main/service/contract.ts';
import { Empty, Field, Loaded, PageHeader } from '../components/common.tsx';
import { useT } from '../i18n/i18n.ts';
import { formatNumber, formatPercent } from '../lib/format.ts';
import { presetRange, useStatistics, type Preset, type Unit } from '../stores/statistics.ts';
import { useUi } from '../stores/ui.ts';

const PRESETS: Preset[] = ['lastWeek', 'thisWeek', 'last30Days'];
const UNITS: { unit: Unit; label: 'byHour' | 'byDay' | 'byWeek' }[] = [
  { unit: 'hour', label: 'byHour' },
  { unit: 'day', label: 'byDay' },
  { unit: 'week', label: 'byWeek' },
];

export function StatisticsScreen() {
  const { t } = useT();
  const zone = useUi((s) => s.timeZone);
  const setTimeZone = useUi((s) => s.setTimeZone);
  const { range, preset, unit, series, setRange, setUnit, fetch } = useStatistics();

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
      <div className="filters">
        <div className="segmented" role="group" aria-label={t('period')}>
          {PRESETS.map((p) => (
            <button key={p} type="button" className={preset === p ? 'active' : ''} aria-pressed={preset === p} onClick={() => choose(p)} data-testid={`preset-${p}`}>
              {t(p)}
            </button>
          ))}
        </div>
        <Field label={t('from')}>
          <input type="date" value={range?.from ?? ''} onChange={(e) => range && setRange({ ...range, from: e.target.value })} data-testid="stats-from" />
        </Field>
        <Field label={t('to')}>
          <input type="date" value={range?.to ?? ''} onChange={(e) => range && setRange({ ...range, to: e.target.value })} data-testid="stats-to" />
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
      <Loaded load={series} onRetry={() => void fetch()}>
        {(data) => <StatisticsView data={data} />}
      </Loaded>
    </div>
  );
}

function StatisticsView({ data }: { data: StatisticsSeries }) {
  const { t, lang } = useT();
  const label = (iso: string) => {
    const at = DateTime.fromISO(iso, { zone: 'utc' }).setZone(data.timeZone);
    if (data.unit === 'hour') return at.toFormat(lang === 'ko' ? 'M/d HH시' : 'M/d HH:00');
    if (data.unit === 'week') return lang === 'ko' ? `${at.toFormat('M/d')} 주` : `Wk ${at.toFormat('M/d')}`;
    return lang === 'ko' ? at.toFormat('M/d (ccc)', { locale: 'ko' }) : at.toFormat('ccc M/d', { locale: 'en' });
  };
  const points = data.points.map((p) => ({ ...p, label: label(p.at), rate: p.attendanceRate === null ? null : Math.round(p.attendanceRate * 1000) / 10 }));
  const empty = data.totals.all === 0;
  return (
    <>
      <div className="kpis" data-testid="stats-totals">
        <Kpi label={t('allBookings')} value={formatNumber(data.totals.all, lang)} />
        <Kpi label={t('attended')} value={formatNumber(data.totals.attended, lang)} tone="ok" />
        <Kpi label={t('cancelled')} value={formatNumber(data.totals.cancelled, lang)} tone="warn" />
        <Kpi label={t('attendanceRate')} value={formatPercent(data.totals.attendanceRate, lang)} tone="info" testId="stats-rate" />
      </div>
      <section className="card chart-card" aria-label={t('statistics')}>
        {empty ? (
          <Empty>{t('noStatistics')}</Empty>
        ) : (
          <div className="chart" data-testid="stats-chart">
            <ResponsiveContainer width="100%" height={340}>
              <ComposedChart data={points} margin={{ top: 12, right: 24, left: 0, bottom: 0 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
                <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
                <YAxis yAxisId="n" tick={{ fontSize: 12 }} tickFormatter={(v: number) => formatNumber(v, lang)} />
                <YAxis yAxisId="rate" orientation="right" domain={[0, 100]} tick={{ fontSize: 12 }} unit="%" />
                <Tooltip formatter={(value, name) => (name === t('attendanceRate') ? `${String(value)}%` : formatNumber(Number(value), lang))} />
                <Legend />
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

function Kpi({ label, value, tone, testId }: { label: string; value: string; tone?: string; testId?: string }) {
  return (
    <div className={`kpi${tone ? ` kpi-${tone}` : ''}`} data-testid={testId}>
      <span className="kpi-label">{label}</span>
      <span className="kpi-value">{value}</span>
    </div>
  );
}
