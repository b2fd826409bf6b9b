// 7. 보고서: the daily and weekly report files, a preview table, and the download (browser) or
// open (desktop).
import { useEffect, useState, type KeyboardEvent } from 'react';
import type { ReportView } from '../../../main/service/contract.ts';
import { Empty, Loaded, PageHeader } from '../components/common.tsx';
import { bridge } from '../bridge/index.ts';
import { useT } from '../i18n/i18n.ts';
import type { WordKey } from '../i18n/words.ts';
import { formatBytes, formatDateTime, formatNumber, formatPeriod } from '../lib/format.ts';
import { messageOf } from '../stores/errors.ts';
import { PREVIEW_ROWS, useReports } from '../stores/reports.ts';
import { useUi } from '../stores/ui.ts';

/** The report files' Korean headings (and the totals line's label), as the preview names them in the screen's language. */
const FILE_WORDS: Record<string, WordKey> = {
  시간: 'reportColumnHour',
  날짜: 'reportColumnDate',
  요일: 'reportColumnWeekday',
  전체: 'reportColumnAll',
  출석: 'attended',
  취소: 'cancelled',
  '출석률(%)': 'reportColumnRate',
  합계: 'reportColumnTotal',
};
const NUMBER = /^-?[\d,.]+%?$/;
/** The weekly report's days (요일), Monday first, as the English preview names them. */
const KO_WEEKDAYS = ['월', '화', '수', '목', '금', '토', '일'];
const EN_WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function ReportsScreen() {
  const { t, lang } = useT();
  const zone = useUi((s) => s.timeZone);
  const toast = useUi((s) => s.toast);
  const go = useUi((s) => s.go);
  const { kind, setKind, reports, reload, selected, open, preview } = useReports();
  // One stop in the Tab order for the whole list (a gym's reports grow by one a day): the row the
  // arrow keys are on; Enter or Space opens it.
  const [cursor, setCursor] = useState<number | null>(null);

  useEffect(() => {
    void reload();
  }, [reload]);

  const download = (fileName: string, text: string) => {
    const blob = new Blob(['\ufeff', text], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  // The desktop app opens the file with the system's app; a browser downloads it.
  const openOrDownload = async (fileName: string, text: string) => {
    const b = bridge();
    if (b.openReport && selected !== null) {
      await b.openReport(selected).catch((error: unknown) => toast('error', messageOf(error)));
    } else download(fileName, text);
  };

  const onRowKey = (e: KeyboardEvent<HTMLTableRowElement>, index: number, count: number, reportSeq: number) => {
    const to = e.key === 'ArrowDown' ? index + 1 : e.key === 'ArrowUp' ? index - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? count - 1 : null;
    if (to !== null) {
      e.preventDefault();
      const row = e.currentTarget.parentElement?.children[Math.max(0, Math.min(count - 1, to))];
      if (row instanceof HTMLElement) row.focus();
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      void open(reportSeq);
    }
  };

  const kindLabel = (r: ReportView) => (r.kind === 'DAILY' ? t('reportDaily') : t('reportWeekly'));
  /** "일간 보고서 · 2026. 12. 6." / "Daily report · Dec 6, 2026": the report's kind and period, as the list shows them */
  const reportTitle = (r: ReportView) => {
    const [first, last] = formatPeriod(r.periodFrom, r.periodTo, lang, zone);
    return t('reportTitle', { kind: kindLabel(r), period: last === null ? first : `${first} – ${last}` });
  };

  return (
    <div className="page">
      <PageHeader title={t('navReports')}>
        <div className="segmented" role="group" aria-label={t('kind')}>
          {(['', 'DAILY', 'WEEKLY'] as const).map((k) => (
            <button key={k || 'all'} type="button" className={kind === k ? 'active' : ''} aria-pressed={kind === k} onClick={() => void setKind(k)} data-testid={`kind-${k || 'all'}`}>
              {k === '' ? t('all') : k === 'DAILY' ? t('reportDaily') : t('reportWeekly')}
            </button>
          ))}
        </div>
      </PageHeader>
      <div className="two-col">
        <section className="card list-card report-list" aria-label={t('navReports')}>
          <Loaded load={reports} onRetry={() => void reload()}>
            {(list) =>
              list.length === 0 ? (
                <Empty>
                  {/* where reports come from, and the way to one now */}
                  <span data-testid="no-reports">{t('noReports')}</span>
                  <span className="small">{t('noReportsNext')}</span>
                  <button type="button" className="btn btn-small" onClick={() => go('statistics')} data-testid="reports-to-statistics">
                    {t('toStatistics')}
                  </button>
                </Empty>
              ) : (
                <table className="table" aria-describedby="report-keys">
                  <thead>
                    <tr>
                      <th>{t('kind')}</th>
                      <th>{t('period')}</th>
                      <th className="num">{t('rows')}</th>
                      <th className="report-created">{t('createdAt')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((r, i) => (
                      <tr
                        key={r.reportSeq}
                        className={`clickable${selected === r.reportSeq ? ' selected' : ''}`}
                        tabIndex={i === Math.min(cursor ?? Math.max(0, list.findIndex((x) => x.reportSeq === selected)), list.length - 1) ? 0 : -1}
                        onFocus={() => setCursor(i)}
                        onClick={() => void open(r.reportSeq)}
                        onKeyDown={(e) => onRowKey(e, i, list.length, r.reportSeq)}
                        data-testid="report-row"
                        data-kind={r.kind}
                      >
                        <td>
                          <span className={`badge ${r.kind === 'WEEKLY' ? 'badge-info' : 'badge-mute'}`}>{kindLabel(r)}</span>
                        </td>
                        <td data-testid="report-period">
                          {/* a date never breaks inside; a period of several days (a week, a daily report over a longer window) breaks after its dash */}
                          <Period ends={formatPeriod(r.periodFrom, r.periodTo, lang, zone)} />
                          {/* in a narrow list (a 1024 px window) the Created column goes here */}
                          <div className="muted small nowrap report-created-inline">{formatDateTime(r.createdAt, lang, zone)}</div>
                        </td>
                        <td className="num">{formatNumber(r.rowCount, lang)}</td>
                        <td className="nowrap report-created">{formatDateTime(r.createdAt, lang, zone)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )
            }
          </Loaded>
          <span id="report-keys" hidden>
            {t('reportKeys')}
          </span>
        </section>
        <section className="card detail-card" aria-label={t('preview')}>
          {selected === null ? (
            <Empty>{t('pickReport')}</Empty>
          ) : (
            <Loaded load={preview} onRetry={() => void open(selected)}>
              {(p) => {
                const report = reports.state === 'ready' ? reports.data.find((r) => r.reportSeq === selected) : undefined;
                const [header, ...rows] = p.rows;
                const shown = rows.slice(0, PREVIEW_ROWS);
                const fileWord = (text: string) => (FILE_WORDS[text] ? t(FILE_WORDS[text]) : text);
                const weekdayColumn = header?.indexOf('요일') ?? -1;
                const cell = (text: string, j: number) =>
                  j === 0 ? fileWord(text) : j === weekdayColumn && lang === 'en' && KO_WEEKDAYS.includes(text) ? EN_WEEKDAYS[KO_WEEKDAYS.indexOf(text)] : text;
                // a column of numbers (blank where an hour has not ended) is right-aligned, heading too
                const numeric = (header ?? []).map((_, j) => shown.some((r) => NUMBER.test(r[j] ?? '')) && shown.every((r) => !r[j] || NUMBER.test(r[j]!)));
                return (
                  <div data-testid="report-preview">
                    <div className="card-head">
                      <div>
                        {/* the title in words; the file's name (as it is saved and downloaded) under it */}
                        <h2 data-testid="report-title">{report ? reportTitle(report) : <span className="mono">{p.fileName}</span>}</h2>
                        {report && (
                          <>
                            <div className="muted small" data-testid="report-file-name">
                              {t('reportFileName')}: <span className="mono">{p.fileName}</span>
                            </div>
                            <div className="muted" data-testid="report-facts">
                              {t('reportRowCount', { n: formatNumber(report.rowCount, lang) })} · {formatBytes(report.sizeBytes, lang)}
                            </div>
                          </>
                        )}
                      </div>
                      <button type="button" className="btn btn-primary" onClick={() => void openOrDownload(p.fileName, p.contents.text)} data-testid="report-download">
                        {bridge().kind === 'ipc' ? t('open') : t('download')}
                      </button>
                    </div>
                    <div className="muted small">
                      {t('previewRows', { n: PREVIEW_ROWS })}
                      {lang === 'en' && header?.some((h) => FILE_WORDS[h]) && <span data-testid="report-file-words"> {t('reportFileKeepsKorean')}</span>}
                    </div>
                    {/* scrolls both ways: focusable, so the keys can scroll it too */}
                    <div className="table-wrap preview-table" tabIndex={0} role="region" aria-label={t('reportPreviewTable')} data-testid="report-preview-scroll">
                      <table className="table">
                        <thead>
                          <tr>
                            {header?.map((h, i) => (
                              <th key={i} className={numeric[i] ? 'num' : undefined}>
                                {fileWord(h)}
                              </th>
                            ))}
                          </tr>
                        </thead>
                        <tbody>
                          {shown.map((r, i) => (
                            <tr key={i}>
                              {r.map((c, j) => (
                                <td key={j} className={numeric[j] || NUMBER.test(c) ? 'num' : ''}>
                                  {/^-?\d{4,}$/.test(c) ? formatNumber(Number(c), lang) : cell(c, j)}
                                </td>
                              ))}
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </div>
                  </div>
                );
              }}
            </Loaded>
          )}
        </section>
      </div>
    </div>
  );
}

/** A period's ends: one date, or two with a dash after which a narrow column breaks. */
function Period({ ends: [first, last] }: { ends: [string, string | null] }) {
  return last === null ? (
    <span className="nowrap">{first}</span>
  ) : (
    <>
      <span className="nowrap">{first} –</span> <span className="nowrap">{last}</span>
    </>
  );
}
