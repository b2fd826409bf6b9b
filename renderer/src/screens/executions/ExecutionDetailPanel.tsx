// The open execution: its facts, parameters, restart lineage, how it ended, its steps with live
// progress, and the actions the role and status allow (restart, stop, abandon, mark failed).
import { useEffect, useState } from 'react';
import type { JobView } from '../../../../main/service/contract.ts';
import { confirmAction, ErrorState, Loading, StatusBadge } from '../../components/common.tsx';
import { both, useT } from '../../i18n/i18n.ts';
import { useJobTitle } from '../../i18n/jobTitles.ts';
import { durationBetween, formatDateTimeSeconds, formatDuration, formatParameter } from '../../lib/format.ts';
import { focusSoon } from '../../lib/focus.ts';
import { paramLabel } from '../../lib/paramForm.ts';
import { isRunning } from '../../lib/status.ts';
import { actionsFor, useExecutions, type Action } from '../../stores/executions.ts';
import { atLeast, useSession } from '../../stores/session.ts';
import { useUi } from '../../stores/ui.ts';
import { ExitText, Failure } from './Failure.tsx';
import { launcherLabel } from './launcherLabel.ts';
import { Lineage } from './Lineage.tsx';
import { StepTable } from './StepTable.tsx';

const SUCCESS = { restart: 'restarted', stop: 'stopped', abandon: 'abandoned', markFailed: 'markedFailed' } as const satisfies Record<Action, string>;
const CONFIRM = { restart: 'restartConfirm', stop: 'stopConfirm', abandon: 'abandonConfirm', markFailed: 'markFailedConfirm' } as const satisfies Record<Action, string>;

export function ExecutionDetailPanel({ jobs }: { jobs: JobView[] }) {
  const { t, lang } = useT();
  const zone = useUi((s) => s.timeZone);
  const toast = useUi((s) => s.toast);
  const role = useSession((s) => s.me?.role);
  const { detail, select, selectedId, act, busy, live, refreshDetail, reload } = useExecutions();
  const jobTitle = useJobTitle();
  const [, tick] = useState(0);
  const data = 'data' in detail ? detail.data : undefined;
  const running = data ? isRunning(data.status) : false;

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
        {detail.state === 'error' ? <ErrorState error={detail.error} code={detail.code} onRetry={() => void refreshDetail()} /> : <Loading />}
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
              <li key={name} data-param={name}>
                {/* the value right after its name in words; the code name (as the command line and logs spell it) small after both */}
                <span className="param-label">{paramLabel(name, lang, parameterSpecs.find((p) => p.name === name)?.description)}</span>{' '}
                <span className="param-value">{formatParameter(value, lang, zone, name)}</span> <span className="mono muted small">{name}</span>
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
