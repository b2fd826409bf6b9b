// The executions list: a virtualized grid (only the rows on screen are drawn, their pages fetched
// as it scrolls to them) that the arrows, Page Up/Down, Home, End and Enter move through.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ExecutionLink } from '../../../../main/service/contract.ts';
import { Empty, ErrorState, Loading, StatusBadge } from '../../components/common.tsx';
import { useT } from '../../i18n/i18n.ts';
import { useJobTitle } from '../../i18n/jobTitles.ts';
import { BATCH_STATUS } from '../../i18n/words.ts';
import { describeParameters, durationBetween, formatDateTimeSeconds, formatDuration, formatNumber } from '../../lib/format.ts';
import { paramLabel } from '../../lib/paramForm.ts';
import { focusSoon } from '../../lib/focus.ts';
import { rowAt, rowCount, rowTotals, useExecutions } from '../../stores/executions.ts';
import { useUi } from '../../stores/ui.ts';
import { launcherLabel } from './launcherLabel.ts';

const ROW_HEIGHT = 44;
const HEAD_HEIGHT = 34;

export function ExecutionList() {
  const { t, lang } = useT();
  const zone = useUi((s) => s.timeZone);
  const state = useExecutions();
  const { list, ensureRows, select, selectedId, live, reload, filterProblem } = state;
  const count = rowCount(state);
  const parentRef = useRef<HTMLDivElement>(null);
  const jobTitle = useJobTitle();
  // each parameter by its name in words (the job's description where the console has no word of
  // its own) and its value as people read it: '수업 몇 분 전 10 · 최대 발송 시도 5', not 'minutesBefore=10'
  const parametersInWords = (jobName: string, params: Record<string, string | number | boolean>) => {
    const specs = state.jobs.state === 'ready' ? (state.jobs.data.find((j) => j.name === jobName)?.parameters ?? []) : [];
    return describeParameters(params, lang, zone, (name) => paramLabel(name, lang, specs.find((p) => p.name === name)?.description));
  };
  // The row the keys are on (an index); it becomes the selected one once its page has loaded.
  const [cursor, setCursor] = useState(0);
  const wantSelect = useRef(false);
  // A row's element belongs to its execution, not to its place: when a newer execution lands at
  // the top (the every-minute schedule), the rows move down instead of each element being given
  // the execution above it, so a click aimed at #5 as the list refreshes never opens #6.
  const pages = state.pages;
  const getItemKey = useCallback((index: number) => rowAt({ pages }, index)?.id ?? `loading-${index}`, [pages]);
  const virtualizer = useVirtualizer({
    count,
    getItemKey,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // the header row sits above the rows inside the scrolling grid, and stays on top of them
    scrollMargin: HEAD_HEIGHT,
    scrollPaddingStart: HEAD_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (count === 0) return;
    ensureRows(first, last);
  }, [first, last, count, ensureRows, state.pages]);

  // A click (or a launch) selects a row: the keys go on from there.
  useEffect(() => {
    if (selectedId === null) return;
    const s = useExecutions.getState();
    for (let i = 0; i < count; i++) {
      if (rowAt(s, i)?.id === selectedId) {
        setCursor(i);
        return;
      }
    }
  }, [selectedId, count]);

  const cursorRow = count > 0 ? rowAt(state, Math.min(cursor, count - 1)) : undefined;
  useEffect(() => {
    if (!wantSelect.current || !cursorRow) return;
    wantSelect.current = false;
    if (cursorRow.id !== selectedId) void select(cursorRow.id);
  }, [cursorRow, selectedId, select]);

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(count - 1, index));
    wantSelect.current = true;
    setCursor(next);
    virtualizer.scrollToIndex(next);
  };
  const pageRows = () => Math.max(1, Math.floor(((parentRef.current?.clientHeight ?? ROW_HEIGHT * 10) - HEAD_HEIGHT) / ROW_HEIGHT) - 1);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const at = Math.min(cursor, count - 1);
    const to: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, PageDown: at + pageRows(), PageUp: at - pageRows(), Home: 0, End: count - 1 };
    if (e.key in to) {
      e.preventDefault();
      moveTo(to[e.key]!);
    } else if ((e.key === 'Enter' || e.key === ' ') && cursorRow) {
      // Open it: the detail's heading takes the focus.
      e.preventDefault();
      if (cursorRow.id !== selectedId) void select(cursorRow.id);
      focusSoon(`[data-testid=exec-detail] h2[data-id="${cursorRow.id}"]`);
    }
  };

  if (filterProblem) return <Empty>{t(filterProblem === 'reversed' ? 'rangeReversed' : 'rangeBadDate')}</Empty>;
  if (list.state === 'error' && count === 0) return <ErrorState error={list.error} code={list.code} onRetry={() => void reload()} />;
  if ((list.state === 'loading' || list.state === 'idle') && count === 0) return <Loading />;

  const rendered = cursorRow && items.some((item) => item.index === cursor);
  return (
    <section className="exec-list" aria-label={t('navExecutions')}>
      <div className="exec-count muted" data-testid="exec-count" id="exec-count">
        {t('executionsCount', { n: formatNumber(count, lang) })}
      </div>
      <span id="exec-keys" hidden>
        {t('gridKeys')}
      </span>
      {count === 0 ? (
        <Empty>{t('noExecutions')}</Empty>
      ) : (
        // A grid: the header row inside it, a cell per column, the current row announced through
        // aria-activedescendant as the arrows, Page Up/Down, Home and End move it, Enter opens it.
        <div
          ref={parentRef}
          className="virtual-scroll"
          data-testid="exec-scroll"
          tabIndex={0}
          role="grid"
          aria-label={t('navExecutions')}
          aria-describedby="exec-count exec-keys"
          aria-rowcount={count + 1}
          aria-colcount={8}
          aria-activedescendant={rendered ? `exec-row-${cursorRow.id}` : undefined}
          onKeyDown={onKeyDown}
        >
          <div role="rowgroup" className="grid-head-group">
            <div className="grid-head exec-grid" role="row" aria-rowindex={1}>
              <span role="columnheader">#</span>
              <span role="columnheader">{t('job')}</span>
              <span role="columnheader">{t('parameters')}</span>
              <span role="columnheader">{t('started')}</span>
              <span role="columnheader">{t('duration')}</span>
              <span role="columnheader">{t('status')}</span>
              <span role="columnheader" className="num">
                {t('read')} / {t('written')} / {t('skipped')}
              </span>
              <span role="columnheader">{t('launchedBy')}</span>
            </div>
          </div>
          <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const row = rowAt(state, item.index);
              const style = { position: 'absolute' as const, top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start - HEAD_HEIGHT}px)` };
              if (!row) {
                return (
                  <div key={item.key} className="exec-grid exec-row placeholder" style={style} aria-hidden="true">
                    <span className="skeleton" />
                  </div>
                );
              }
              const tot = rowTotals(row, live[row.id]);
              const selected = row.id === selectedId;
              return (
                <div
                  key={item.key}
                  id={`exec-row-${row.id}`}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={selected}
                  className={`exec-grid exec-row${selected ? ' selected' : ''}${item.index === cursor ? ' current' : ''}`}
                  style={style}
                  data-testid="exec-row"
                  data-id={row.id}
                  onClick={() => {
                    setCursor(item.index);
                    void select(row.id);
                  }}
                >
                  <span role="gridcell" className="mono">{row.id}</span>
                  <span role="gridcell" className="exec-job" title={row.jobName}>
                    <span className="ellipsis">{jobTitle(row.jobName)}</span>
                    {/* shown under the job's title when the detail pane takes the Started column's room */}
                    <span className="exec-when muted">{formatDateTimeSeconds(row.startTime ?? row.createTime, lang, zone)}</span>
                  </span>
                  <span role="gridcell" className="ellipsis muted" title={parametersInWords(row.jobName, row.parameters)} data-testid="exec-params">
                    {parametersInWords(row.jobName, row.parameters)}
                  </span>
                  <span role="gridcell">{formatDateTimeSeconds(row.startTime ?? row.createTime, lang, zone)}</span>
                  <span role="gridcell">{formatDuration(durationBetween(row.startTime, row.endTime), lang)}</span>
                  <span role="gridcell">
                    <StatusBadge status={row.status} />
                    {row.restartedAs && <RestartedAs link={row.restartedAs} />}
                  </span>
                  <span role="gridcell" className="num mono" data-testid="exec-totals" title={`${t('read')} / ${t('written')} / ${t('skipped')}`}>
                    {formatNumber(tot.read, lang)} / {formatNumber(tot.write, lang)} / <span className={tot.skip > 0 ? 'skip-some' : ''}>{formatNumber(tot.skip, lang)}</span>
                  </span>
                  <span role="gridcell" className="ellipsis">{launcherLabel(row, t)}</span>
                </div>
              );
            })}
          </div>
        </div>
      )}
    </section>
  );
}

/** In the list, beside a restarted execution's status: which execution took over, and how it stands. */
function RestartedAs({ link }: { link: ExecutionLink }) {
  const { t, pick } = useT();
  return (
    <span className="restarted-as muted small" data-testid="row-restarted-as" data-id={link.id} data-restarted-status={link.status} title={t('restartedAs', { id: link.id })}>
      → #{link.id} {pick(BATCH_STATUS[link.status])}
    </span>
  );
}
