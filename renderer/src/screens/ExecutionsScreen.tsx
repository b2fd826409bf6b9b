// 2. 작업 실행: the virtualized list with its filters, the detail of the open execution (steps,
// partitions, live progress), and Run / Restart / Stop / Abandon for the roles that may. The
// parts are in executions/: the list, the detail (its lineage, failure and steps), the launch dialog.
import { useEffect, useState } from 'react';
import { Field, PageHeader } from '../components/common.tsx';
import { FirstSteps } from '../components/FirstSteps.tsx';
import { DateInput } from '../components/DateInput.tsx';
import { useT } from '../i18n/i18n.ts';
import { useJobTitle } from '../i18n/jobTitles.ts';
import { useExecutions } from '../stores/executions.ts';
import { atLeast, useSession } from '../stores/session.ts';
import { ExecutionDetailPanel } from './executions/ExecutionDetailPanel.tsx';
import { ExecutionList } from './executions/ExecutionList.tsx';
import { LaunchDialog } from './executions/LaunchDialog.tsx';
import { StatusSelect } from './executions/StatusSelect.tsx';

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
      <FirstSteps />
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
          <DateInput value={filter.from} max={filter.to || undefined} onChange={(from) => void setFilter({ from })} testId="filter-from" />
        </Field>
        <Field label={t('dateTo')} error={filterProblem ? t(filterProblem === 'reversed' ? 'rangeReversed' : 'rangeBadDate') : null}>
          <DateInput value={filter.to} min={filter.from || undefined} onChange={(to) => void setFilter({ to })} invalid={filterProblem !== null} testId="filter-to" />
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
