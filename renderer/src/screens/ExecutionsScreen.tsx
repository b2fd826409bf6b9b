// 2. 작업 실행: the virtualized list with its filters, the detail of the open execution (steps,
// partitions, live progress), and Run / Restart / Stop / Abandon for the roles that may.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { BatchStatus, ExecutionDetail, ExecutionLink, ExecutionSummary, FailureView, JobView, StepView } from '../../../main/service/contract.ts';
import { ParamFields } from '../components/ParamFields.tsx';
import { confirmAction, Dialog, Empty, ErrorState, Field, FormActions, Loading, PageHeader, ProgressBar, StatusBadge } from '../components/common.tsx';
import { both, useT } from '../i18n/i18n.ts';
import { useJobTitle, useJobTitles } from '../i18n/jobTitles.ts';
import { BATCH_STATUS } from '../i18n/words.ts';
import { describeParameters, durationBetween, formatDateTimeSeconds, formatDuration, formatNumber, formatParameter, formatParameters, progressOf, splitExitMessage } from '../lib/format.ts';
import { focusSoon } from '../lib/focus.ts';
import { buildFields, paramLabel, paramsFrom, PROBLEM_TEXT, type FormValues } from '../lib/paramForm.ts';
import { actionsFor, groupSteps, rowAt, rowCount, rowTotals, useExecutions, type Action, type LiveStep } from '../stores/executions.ts';
import { atLeast, useSession } from '../stores/session.ts';
import { useUi } from '../stores/ui.ts';

const STATUSES: BatchStatus[] = ['STARTED', 'COMPLETED', 'FAILED', 'STOPPING', 'STOPPED', 'ABANDONED', 'STARTING', 'UNKNOWN'];
const ROW_HEIGHT = 44;
const HEAD_HEIGHT = 34;

export function ExecutionsScreen() {
  const { t } = useT();
  const role = useSession((s) => s.me?.role);
  const { jobs, otherJobNames, filter, filterProblem, list, selectedId, loadJobs, setFilter, reload } = useExecutions();
  const [launching, setLaunching] = useState(false);
  const jobTitle = useJobTitle();

  useEffect(() => {
    if (jobs.state === 'idle') void loadJobs();
    if (list.state === 'idle') void reload();
  }, [jobs.state, list.state, loadJobs, reload]);

  const jobList = jobs.state === 'ready' ? jobs.data : [];
  return (
    <div className="page page-executions">
      <PageHeader title={t('navExecutions')}>
        <button type="button" className="btn" onClick={() => void reload()} data-shortcut="r" aria-keyshortcuts="r">
          {t('refresh')}
        </button>
        {atLeast(role, 'ADMIN') && (
          <button type="button" className="btn btn-primary" onClick={() => setLaunching(true)} data-testid="launch-open">
            {t('launch')}
          </button>
        )}
      </PageHeader>
      <div className="filters" role="search">
        <Field label={t('job')}>
          <select value={filter.job} onChange={(e) => void setFilter({ job: e.target.value })} data-testid="filter-job">
            <option value="">{t('allJobs')}</option>
            {jobList.map((j) => (
              <option key={j.name} value={j.name}>
                {jobTitle(j.name)}
              </option>
            ))}
            {otherJobNames.length > 0 && (
              <optgroup label={t('otherApplicationJobs')}>
                {otherJobNames.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </Field>
        <Field label={t('status')}>
          <StatusSelect value={filter.status} onChange={(status) => void setFilter({ status })} />
        </Field>
        <Field label={t('dateFrom')}>
          <input type="date" value={filter.from} max={filter.to || undefined} onChange={(e) => void setFilter({ from: e.target.value })} data-testid="filter-from" />
        </Field>
        <Field label={t('dateTo')} error={filterProblem ? t(filterProblem === 'reversed' ? 'rangeReversed' : 'rangeBadDate') : null}>
          <input
            type="date"
            value={filter.to}
            min={filter.from || undefined}
            onChange={(e) => void setFilter({ to: e.target.value })}
            aria-invalid={filterProblem ? true : undefined}
            data-testid="filter-to"
          />
        </Field>
        {(filter.from || filter.to) && (
          <button type="button" className="btn btn-ghost filter-clear" onClick={() => void setFilter({ from: '', to: '' })} data-testid="filter-dates-clear">
            {t('anyDay')}
          </button>
        )}
        <label className="filter-toggle" title={t('showEmptyRunsHint')}>
          <input type="checkbox" checked={filter.showEmpty === true} onChange={(e) => void setFilter({ showEmpty: e.target.checked })} data-testid="filter-show-empty" />
          {t('showEmptyRuns')}
        </label>
      </div>
      <div className={`split${selectedId !== null ? ' split-open' : ''}`}>
        <ExecutionList />
        {selectedId !== null && <ExecutionDetailPanel jobs={jobList} />}
      </div>
      {launching && <LaunchDialog jobs={jobList} onClose={() => setLaunching(false)} />}
    </div>
  );
}

function StatusSelect({ value, onChange }: { value: BatchStatus | ''; onChange: (s: BatchStatus | '') => void }) {
  const { t, pick } = useT();
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as BatchStatus | '')} data-testid="filter-status">
      <option value="">{t('allStatuses')}</option>
      {STATUSES.map((s) => (
        <option key={s} value={s}>
          {pick(BATCH_STATUS[s])}
        </option>
      ))}
    </select>
  );
}

function ExecutionList() {
  const { t, lang } = useT();
  const zone = useUi((s) => s.timeZone);
  const state = useExecutions();
  const { list, ensureRows, select, selectedId, live, reload, filterProblem } = state;
  const count = rowCount(state);
  const parentRef = useRef<HTMLDivElement>(null);
  const jobTitle = useJobTitle();
  // The row the keys are on (an index); it becomes the selected one once its page has loaded.
  const [cursor, setCursor] = useState(0);
  const wantSelect = useRef(false);
  const virtualizer = useVirtualizer({
    count,
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
  if (list.state === 'error' && count === 0) return <ErrorState error={list.error} onRetry={() => void reload()} />;
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
                  <span role="gridcell" className="ellipsis muted" title={formatParameters(row.parameters, lang, zone)}>
                    {formatParameters(row.parameters, lang, zone)}
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

/** Who launched an execution, as the list and the detail say it. */
function launcherLabel(e: Pick<ExecutionSummary, 'external' | 'launchedBy'>, t: ReturnType<typeof useT>['t']): string {
  return e.external ? t('otherApplication') : (e.launchedBy ?? t('scheduler'));
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

/**
 * An execution's place among its instance's restarts: "#18 실패 → #19 완료", with the one before
 * ("#18의 재시작") and the one after ("#19로 재시작됨") one click away. Shown only when there was a restart.
 */
function Lineage({ detail, onOpen }: { detail: ExecutionDetail; onOpen: (id: number) => void }) {
  const { t, pick } = useT();
  const lineage = detail.lineage;
  if (!lineage || (!lineage.restartOf && !lineage.restartedAs)) return null;
  const last = lineage.executions[lineage.executions.length - 1];
  return (
    <section className="lineage" data-testid="lineage" aria-label={t('lineage')} style={{ margin: '12px 0' }}>
      <div className="field-label">{t('lineage')}</div>
      <ol className="lineage-chain" data-testid="lineage-chain" style={{ listStyle: 'none', display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 6, padding: 0, margin: '4px 0 8px' }}>
        {lineage.executions.map((e, i) => (
          <li key={e.id} data-id={e.id} data-status={e.status} aria-current={e.id === detail.id ? 'step' : undefined}>
            {i > 0 && <span aria-hidden="true"> → </span>}
            {e.id === detail.id ? (
              <strong className="mono">#{e.id}</strong>
            ) : (
              <button type="button" className="btn btn-ghost btn-small mono" onClick={() => onOpen(e.id)}>
                #{e.id}
              </button>
            )}{' '}
            <StatusBadge status={e.status} />
          </li>
        ))}
      </ol>
      <div className="lineage-links" style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
        {lineage.restartOf && (
          <button type="button" className="btn btn-small" data-testid="lineage-restart-of" data-id={lineage.restartOf.id} onClick={() => onOpen(lineage.restartOf!.id)}>
            {t('restartOf', { id: lineage.restartOf.id })}
          </button>
        )}
        {lineage.restartedAs && (
          <button type="button" className="btn btn-small" data-testid="lineage-restarted-as" data-id={lineage.restartedAs.id} onClick={() => onOpen(lineage.restartedAs!.id)}>
            {t('restartedAs', { id: lineage.restartedAs.id })} · {pick(BATCH_STATUS[lineage.restartedAs.status])}
          </button>
        )}
      </div>
      {!lineage.latest && last && ['FAILED', 'STOPPED'].includes(detail.status) && (
        <p className="muted small" data-testid="lineage-not-latest">
          {t('notLatest', { id: lineage.restartedAs?.id ?? last.id })}
        </p>
      )}
    </section>
  );
}

/** Why it failed or stopped, in the screen's language with the gym's time; the engine's text folded under it. */
function Failure({ failure }: { failure: FailureView }) {
  const { t, pick } = useT();
  return (
    <div className="failure" data-testid="failure" data-kind={failure.kind}>
      <div className="field-label">{t('whatHappened')}</div>
      <p className="failure-message" data-testid="failure-message">
        {pick(failure.message)}
      </p>
      <div className="field-label">{t('whatToDo')}</div>
      <p className="failure-advice" data-testid="failure-advice">
        {pick(failure.advice)}
      </p>
      <details className="exit-frames" data-testid="failure-technical">
        <summary>{t('technicalDetails')}</summary>
        <pre>{failure.technical}</pre>
      </details>
    </div>
  );
}

const SUCCESS = { restart: 'restarted', stop: 'stopped', abandon: 'abandoned', markFailed: 'markedFailed' } as const satisfies Record<Action, string>;
const CONFIRM = { restart: 'restartConfirm', stop: 'stopConfirm', abandon: 'abandonConfirm', markFailed: 'markFailedConfirm' } as const satisfies Record<Action, string>;

function ExecutionDetailPanel({ jobs }: { jobs: JobView[] }) {
  const { t, lang } = useT();
  const zone = useUi((s) => s.timeZone);
  const toast = useUi((s) => s.toast);
  const role = useSession((s) => s.me?.role);
  const { detail, select, selectedId, act, busy, live, refreshDetail, reload } = useExecutions();
  const jobTitle = useJobTitle();
  const [, tick] = useState(0);
  const data = 'data' in detail ? detail.data : undefined;
  const running = data ? ['STARTING', 'STARTED', 'STOPPING'].includes(data.status) : false;

  // While it runs: durations tick, and the rows are fetched again now and then in case an event was missed.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    const refresh = setInterval(() => void refreshDetail(), 4000);
    return () => {
      clearInterval(timer);
      clearInterval(refresh);
    };
  }, [running, refreshDetail]);

  if (!data) {
    // A busy server may answer the stream before the request: show the steps it reports meanwhile.
    const early = detail.state !== 'error' && selectedId !== null ? live[selectedId] : undefined;
    if (early && Object.keys(early).length > 0) {
      return (
        <aside className="detail-panel" aria-label={`${t('execution')} #${selectedId}`} data-testid="exec-detail" data-status="STARTED">
          <div className="detail-head">
            <div>
              <h2>
                {t('execution')} <span className="mono">#{selectedId}</span>
              </h2>
            </div>
            <StatusBadge status="STARTED" />
          </div>
          <h3>{t('steps')}</h3>
          <StepTable steps={[]} live={early} running />
        </aside>
      );
    }
    return (
      <aside className="detail-panel" aria-label={t('execution')}>
        {detail.state === 'error' ? <ErrorState error={detail.error} onRetry={() => void refreshDetail()} /> : <Loading />}
      </aside>
    );
  }

  const restartable = jobs.find((j) => j.name === data.jobName)?.restartable ?? true;
  // Only the latest execution of an instance may be restarted or abandoned: an older one was taken over by its restart.
  const actions = atLeast(role, 'ADMIN') ? actionsFor(data.status, restartable, data.external, data.lineage?.latest ?? true) : [];
  const parameterSpecs = jobs.find((j) => j.name === data.jobName)?.parameters ?? [];
  const liveSteps = live[data.id] ?? {};

  const run = async (action: Action) => {
    const ok = await confirmAction({
      title: t(action),
      body: t(CONFIRM[action], { id: data.id }),
      confirmLabel: t(action),
      danger: action !== 'restart',
    });
    if (!ok) return;
    const outcome = await act(action, data.id);
    if (!outcome.ok) {
      toast('error', outcome.error);
      return;
    }
    const id = action === 'restart' ? outcome.execution.id : data.id;
    // The buttons change with the status: the (new) execution's heading takes the focus.
    focusSoon(`[data-testid=exec-detail] h2[data-id="${id}"]`);
    toast('success', both(SUCCESS[action], { id }));
    void reload();
    await select(id);
  };

  return (
    <aside className="detail-panel" aria-label={`${t('execution')} #${data.id}`} data-testid="exec-detail" data-status={data.status}>
      <div className="detail-head">
        <div>
          <h2 tabIndex={-1} data-id={data.id}>
            {t('execution')} <span className="mono">#{data.id}</span>
          </h2>
          <div className="muted">{jobTitle(data.jobName)}</div>
        </div>
        <StatusBadge status={data.status} />
        <button type="button" className="btn btn-ghost close" onClick={() => {
            void select(null);
            focusSoon('[data-testid=exec-scroll]');
          }} aria-label={t('close')}>
          ×
        </button>
      </div>
      {actions.length > 0 && (
        <div className="detail-actions">
          {actions.map((a) => (
            <button key={a} type="button" className={`btn ${a === 'restart' ? 'btn-primary' : 'btn-danger-outline'}`} disabled={busy} onClick={() => void run(a)} data-testid={`action-${a}`}>
              {t(a)}
            </button>
          ))}
        </div>
      )}
      <Lineage detail={data} onOpen={(id) => void select(id)} />
      <dl className="facts">
        <dt>{t('started')}</dt>
        <dd>{formatDateTimeSeconds(data.startTime, lang, zone)}</dd>
        <dt>{t('ended')}</dt>
        <dd>{formatDateTimeSeconds(data.endTime, lang, zone)}</dd>
        <dt>{t('duration')}</dt>
        <dd>{formatDuration(durationBetween(data.startTime, data.endTime), lang)}</dd>
        <dt>{t('launchedBy')}</dt>
        <dd>{launcherLabel(data, t)}</dd>
        <dt>{t('parameters')}</dt>
        <dd>
          <ul className="param-list">
            {Object.entries(data.parameters).map(([name, value]) => (
              <li key={name}>
                {paramLabel(name, lang, parameterSpecs.find((p) => p.name === name)?.description)} <span className="mono muted small">{name}</span>{' '}
                {formatParameter(value, lang, zone, name)}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      {data.exitMessage && (
        <div className={`exit-message${data.status === 'FAILED' ? ' exit-failed' : ''}`} data-testid="exit-message">
          {data.failure ? (
            <Failure failure={data.failure} />
          ) : (
            <>
              <div className="field-label">{t('exitMessage')}</div>
              <ExitText text={data.exitMessage} />
            </>
          )}
        </div>
      )}
      <h3>{t('steps')}</h3>
      <StepTable steps={data.steps} live={liveSteps} running={running} jobName={data.jobName} />
    </aside>
  );
}

/** An exit message: what went wrong first; the code locations folded under "technical details". */
function ExitText({ text }: { text: string }) {
  const { t } = useT();
  const { summary, frames } = splitExitMessage(text);
  return (
    <>
      <pre>{summary}</pre>
      {frames && (
        <details className="exit-frames">
          <summary>{t('technicalDetails')}</summary>
          <pre>{frames}</pre>
        </details>
      )}
    </>
  );
}

interface StepRow {
  stepName: string;
  status: BatchStatus;
  read: number;
  write: number;
  filter: number;
  commit: number;
  rollback: number;
  readSkip: number | null;
  processSkip: number | null;
  writeSkip: number | null;
  skip: number;
  startTime: string | null;
  endTime: string | null;
  exitMessage: string;
  live: LiveStep | null;
}

function stepRow(step: StepView, live: LiveStep | undefined): StepRow {
  const base: StepRow = {
    stepName: step.stepName,
    status: step.status,
    read: step.readCount,
    write: step.writeCount,
    filter: step.filterCount,
    commit: step.commitCount,
    rollback: step.rollbackCount,
    readSkip: step.readSkipCount,
    processSkip: step.processSkipCount,
    writeSkip: step.writeSkipCount,
    skip: step.readSkipCount + step.processSkipCount + step.writeSkipCount,
    startTime: step.startTime,
    endTime: step.endTime,
    exitMessage: step.exitMessage,
    live: null,
  };
  // The event stream is ahead of the stored row while the step runs.
  if (live && !step.endTime && live.readCount >= step.readCount) {
    return { ...base, status: live.status, read: live.readCount, write: live.writeCount, filter: live.filterCount, commit: live.commitCount, rollback: live.rollbackCount, skip: Math.max(base.skip, live.skipCount), live };
  }
  return base;
}

function StepTable({ steps, live, running, jobName }: { steps: StepView[]; live: Record<string, LiveStep>; running: boolean; jobName?: string }) {
  const { t, lang } = useT();
  const groups = useMemo(() => groupSteps(steps.map((s) => stepRow(s, live[s.stepName]))), [steps, live]);
  // Steps the stream knows about before the stored rows do.
  const known = new Set(steps.map((s) => s.stepName));
  const extra = running ? Object.values(live).filter((l) => !known.has(l.stepName)) : [];
  if (groups.length === 0 && extra.length === 0) return <Empty>{t('noSteps')}</Empty>;
  const n = (v: number | null) => (v === null ? '–' : formatNumber(v, lang));
  const row = (s: StepRow, partition: boolean) => (
    <tbody key={s.stepName} className={partition ? 'partition' : ''}>
      <tr data-testid="step-row" data-step={s.stepName}>
        <StepName stepName={s.stepName} jobName={jobName} partition={partition} />
        <td>
          <StatusBadge status={s.status} />
        </td>
        <td className="num" data-testid="step-read">{n(s.read)}</td>
        <td className="num" data-testid="step-write">{n(s.write)}</td>
        <td className="num">{n(s.filter)}</td>
        <td className="num" data-testid="step-skips" title={`${t('readSkipped')} / ${t('processSkipped')} / ${t('writeSkipped')}`}>
          {s.readSkip === null ? n(s.skip) : `${n(s.readSkip)} / ${n(s.processSkip)} / ${n(s.writeSkip)}`}
        </td>
        <td className="num" data-testid="step-commits">{`${n(s.commit)} / ${n(s.rollback)}`}</td>
        <td className="num">{formatDuration(durationBetween(s.startTime, s.endTime), lang)}</td>
      </tr>
      {s.live && running && !s.endTime && <LiveRow live={s.live} jobName={jobName} />}
      {s.exitMessage && s.status === 'FAILED' && (
        <tr className="step-exit" data-testid="step-exit">
          <td colSpan={8}>
            {/* the execution's failure says it in words above; the step's own text is for whoever fixes it */}
            <details className="exit-frames">
              <summary>{t('technicalDetails')}</summary>
              <pre>{s.exitMessage}</pre>
            </details>
          </td>
        </tr>
      )}
    </tbody>
  );
  return (
    <div className="table-wrap">
      <table className="table steps">
        <thead>
          <tr>
            <th>{t('step')}</th>
            <th>{t('status')}</th>
            <th className="num">{t('read')}</th>
            <th className="num">{t('written')}</th>
            <th className="num">{t('filtered')}</th>
            <th className="num" title={`${t('readSkipped')} / ${t('processSkipped')} / ${t('writeSkipped')}`}>{t('skippedThree')}</th>
            <th className="num">{t('commitsRollbacks')}</th>
            <th className="num">{t('duration')}</th>
          </tr>
        </thead>
        {groups.flatMap((g) => [row(g.step, false), ...g.partitions.map((p) => row(p, true))])}
        {extra.map((l) =>
          row(
            {
              stepName: l.stepName,
              status: l.status,
              read: l.readCount,
              write: l.writeCount,
              filter: l.filterCount,
              commit: l.commitCount,
              rollback: l.rollbackCount,
              readSkip: null,
              processSkip: null,
              writeSkip: null,
              skip: l.skipCount,
              startTime: null,
              endTime: null,
              exitMessage: '',
              live: l,
            },
            /:partition\d+$/.test(l.stepName),
          ),
        )}
      </table>
    </div>
  );
}

/** The step's title in words, with the code name the command line and the logs use under it. */
function StepName({ stepName, jobName, partition }: { stepName: string; jobName: string | undefined; partition: boolean }) {
  const { title, code } = useJobTitles().step(stepName, jobName);
  return (
    <th scope="row" className="step-name" title={stepName}>
      {partition ? `↳ ${title}` : title}
      {code && <span className="step-code mono">{code}</span>}
    </th>
  );
}

function LiveRow({ live, jobName }: { live: LiveStep; jobName: string | undefined }) {
  const { t, lang } = useT();
  const titles = useJobTitles();
  const { fraction, etaMs } = progressOf(live.readCount, live.expectedItems, live.itemsPerSecond);
  return (
    <tr className="live-row" data-testid="live-progress" data-step={live.stepName}>
      <td colSpan={8}>
        <div className="live">
          <span className="live-dot" aria-hidden="true" />
          <span className="live-label">{t('live')}</span>
          <ProgressBar fraction={fraction} label={titles.step(live.stepName, jobName).title} />
          <span className="mono" data-testid="live-read" data-read={live.readCount} data-expected={live.expectedItems ?? undefined}>
            {formatNumber(live.readCount, lang)}
            {live.expectedItems !== null && ` / ${formatNumber(live.expectedItems, lang)}`}
          </span>
          <span className="muted">{t('rate', { n: formatNumber(Math.round(live.itemsPerSecond), lang) })}</span>
          {etaMs !== null && <span className="muted">{t('eta', { t: formatDuration(etaMs, lang) })}</span>}
        </div>
      </td>
    </tr>
  );
}

function LaunchDialog({ jobs, onClose }: { jobs: JobView[]; onClose: () => void }) {
  const { t, pick, lang } = useT();
  const toast = useUi((s) => s.toast);
  const zone = useUi((s) => s.timeZone);
  const { launch, busy, select, reload } = useExecutions();
  const jobTitle = useJobTitle();
  const [jobName, setJobName] = useState(jobs[0]?.name ?? '');
  const [values, setValues] = useState<FormValues>({});
  const [problem, setProblem] = useState<{ field: string; text: string } | null>(null);
  const job = jobs.find((j) => j.name === jobName);
  const fields = useMemo(() => (job ? buildFields(job.parameters) : []), [job]);

  const submit = async () => {
    if (!job) return;
    const built = paramsFrom(fields, values, job.parameters);
    if ('problem' in built) {
      setProblem({ field: built.problem.field, text: pick(PROBLEM_TEXT[built.problem.problem]) });
      return;
    }
    setProblem(null);
    const ok = await confirmAction({
      title: t('launchTitle'),
      body: (
        <>
          <p>{t('launchConfirm', { job: jobTitle(job.name) })}</p>
          <p className="muted">
            {Object.keys(built.params).length
              ? describeParameters(built.params, lang, zone, (name) => paramLabel(name, lang, job.parameters.find((p) => p.name === name)?.description))
              : t('none')}
          </p>
        </>
      ),
      confirmLabel: t('launch'),
    });
    if (!ok) return;
    const outcome = await launch(job.name, built.params);
    if (!outcome.ok) {
      const field = 'field' in outcome && outcome.field ? outcome.field.replace(/^params\./, '') : null;
      if (field) setProblem({ field, text: pick(outcome.error) });
      toast('error', outcome.error);
      return;
    }
    toast('success', both('launched', { id: outcome.execution.id }));
    focusSoon(`[data-testid=exec-detail] h2[data-id="${outcome.execution.id}"]`);
    onClose();
    void reload();
    void select(outcome.execution.id);
  };

  return (
    <Dialog title={t('launchTitle')} onClose={onClose} testId="launch-dialog" wide>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field label={t('job')}>
          <select
            value={jobName}
            onChange={(e) => {
              setJobName(e.target.value);
              setValues({});
              setProblem(null);
            }}
            data-testid="launch-job"
          >
            {jobs.map((j) => (
              <option key={j.name} value={j.name}>
                {jobTitle(j.name)}
              </option>
            ))}
          </select>
        </Field>
        {job?.description && <p className="muted">{pick(job.description)}</p>}
        <ParamFields fields={fields} values={values} onChange={(name, v) => setValues((s) => ({ ...s, [name]: v }))} problem={problem} />
        <FormActions onCancel={onClose} submitLabel={t('launch')} disabled={busy || !job} testId="launch-submit" />
      </form>
    </Dialog>
  );
}
