// 3. 예약 실행: each job's schedule in words, next runs, the last run, on/off, edit, missed runs.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ScheduleEntry } from '../../../main/service/contract.ts';
import { confirmAction, Dialog, Empty, Field, FormActions, Loaded, PageHeader, Table } from '../components/common.tsx';
import { ParamFields } from '../components/ParamFields.tsx';
import { TimeZoneInput } from '../components/TimeZoneInput.tsx';
import { both, useT } from '../i18n/i18n.ts';
import { useJobTitle } from '../i18n/jobTitles.ts';
import { FIRE_OUTCOME, type Words } from '../i18n/words.ts';
import { cronInWords, cronProblem } from '../lib/cron.ts';
import { describeParameters, formatDateTime } from '../lib/format.ts';
import { buildFields, fixedTimeOnSchedule, paramLabel, paramsFrom, PROBLEM_TEXT, type FormValues } from '../lib/paramForm.ts';
import { useExecutions } from '../stores/executions.ts';
import { useSchedules } from '../stores/admin.ts';
import { isTimeZoneName } from '../stores/settings.ts';
import { useUi } from '../stores/ui.ts';

export function SchedulesScreen() {
  const { t, lang, pick } = useT();
  const { schedules, reload, update } = useSchedules();
  const jobs = useExecutions((s) => s.jobs);
  const loadJobs = useExecutions((s) => s.loadJobs);
  useEffect(() => {
    if (jobs.state === 'idle') void loadJobs();
  }, [jobs.state, loadJobs]);
  const labelFor = (jobName: string) => (name: string) =>
    paramLabel(name, lang, jobs.state === 'ready' ? jobs.data.find((j) => j.name === jobName)?.parameters.find((p) => p.name === name)?.description : undefined);
  const toast = useUi((s) => s.toast);
  const jobTitle = useJobTitle();
  const [editing, setEditing] = useState<ScheduleEntry | null>(null);

  useEffect(() => {
    void reload();
  }, [reload]);

  if (schedules.state === 'error' && schedules.code === 'UNAVAILABLE') {
    return (
      <div className="page">
        <PageHeader title={t('navSchedules')} />
        <div className="state state-empty" data-testid="schedules-unavailable">
          <strong>{t('unavailable')}</strong>
          <span>{t('schedulesUnavailable')}</span>
        </div>
      </div>
    );
  }

  const toggle = async (s: ScheduleEntry) => {
    // turning off stops a job such as the nightly backup without a word later: asked first
    if (s.enabled && !(await confirmAction({ title: t('scheduleOffTitle'), body: t('scheduleOffConfirm', { job: jobTitle(s.jobName) }), confirmLabel: t('disable'), danger: true }))) return;
    const outcome = await update({ job: s.jobName, enabled: !s.enabled });
    toast(outcome.ok ? 'success' : 'error', outcome.ok ? both('scheduleSaved') : outcome.error);
  };

  return (
    <div className="page">
      <PageHeader title={t('navSchedules')}>
        <button type="button" className="btn" onClick={() => void reload()} data-shortcut="r" aria-keyshortcuts="r">
          {t('refresh')}
        </button>
      </PageHeader>
      <Loaded load={schedules} onRetry={() => void reload()}>
        {(list) => list.length === 0 ? <Empty>{t('noSchedules')}</Empty> : (
        <section className="card">
          <Table columns={[t('job'), t('schedule'), t('nextFires'), t('lastRun'), t('misfirePolicy'), t('status'), null]}>
              {list.map((s) => (
                <tr key={s.jobName} data-testid="schedule-row">
                  <td>{jobTitle(s.jobName)}</td>
                  <td>
                    <strong data-testid="schedule-words">{s.description ? pick(s.description) : cronInWords(s.cron, lang)}</strong>
                    <div className="muted small">{s.timeZone}</div>
                    {Object.keys(s.params).length > 0 && (
                      <div className="muted small" data-testid="schedule-params">
                        {describeParameters(s.params, lang, s.timeZone, labelFor(s.jobName))}
                      </div>
                    )}
                    <details className="small muted" data-testid="schedule-cron">
                      <summary className="nowrap">{t('advanced')}</summary>
                      <span className="mono">{s.cron}</span>
                    </details>
                  </td>
                  {/* each time on a line of its own, never broken inside ("Dec 10, / 2026, 03:45" in a 1024 px window) */}
                  <td className="small" data-testid="schedule-next">
                    {s.nextFires.slice(0, 3).map((f) => (
                      <div key={f} className="nowrap">
                        {formatDateTime(f, lang, s.timeZone)}
                      </div>
                    ))}
                  </td>
                  <td className="small">
                    {s.lastFire ? (
                      <>
                        <div className="nowrap">{formatDateTime(s.lastFire.fireTime, lang, s.timeZone)}</div>
                        <div className="muted" data-testid="schedule-last-outcome" data-outcome={s.lastFire.outcome}>
                          {pick(FIRE_OUTCOME[s.lastFire.outcome], s.lastFire.outcome)}
                          {s.lastFire.executionId !== null && ` · #${s.lastFire.executionId}`}
                        </div>
                      </>
                    ) : (
                      '–'
                    )}
                  </td>
                  <td>{s.misfirePolicy === 'RUN_ONCE' ? t('misfireRunOnce') : t('misfireSkip')}</td>
                  <td>
                    <span className={`badge ${s.enabled ? 'badge-ok' : 'badge-mute'}`}>{s.enabled ? t('enabled') : t('disabled')}</span>
                  </td>
                  <td>
                    <div className="row-actions">
                    <button type="button" className="btn btn-small" onClick={() => void toggle(s)} data-testid="schedule-toggle">
                      {s.enabled ? t('disable') : t('enable')}
                    </button>
                    <button type="button" className="btn btn-small" onClick={() => setEditing(s)} data-testid="schedule-edit">
                      {t('edit')}
                    </button>
                    </div>
                  </td>
                </tr>
              ))}
          </Table>
        </section>
        )}
      </Loaded>
      {editing && <EditSchedule entry={editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function EditSchedule({ entry, onClose }: { entry: ScheduleEntry; onClose: () => void }) {
  const { t, lang, pick } = useT();
  const update = useSchedules((s) => s.update);
  const toast = useUi((s) => s.toast);
  const [cron, setCron] = useState(entry.cron);
  const [timeZone, setTimeZone] = useState(entry.timeZone);
  // what is wrong with the zone, said under it once Save was pressed (the screen's check or the service's)
  const [zoneError, setZoneError] = useState<Words | 'settingsZoneRequired' | 'settingsZoneUnknown' | null>(null);
  const [misfirePolicy, setMisfire] = useState(entry.misfirePolicy);
  const [error, setError] = useState<string | null>(null);
  const cronRefused = cronProblem(cron, lang);
  const jobTitle = useJobTitle();
  // The job's parameters but `now`, which every fire sets to its own time.
  const jobs = useExecutions((s) => s.jobs);
  const loadJobs = useExecutions((s) => s.loadJobs);
  useEffect(() => {
    if (jobs.state === 'idle') void loadJobs();
  }, [jobs.state, loadJobs]);
  const job = jobs.state === 'ready' ? jobs.data.find((j) => j.name === entry.jobName) : undefined;
  const parameters = useMemo(() => (job ? job.parameters.filter((p) => p.name !== 'now') : []), [job]);
  const paramFields = useMemo(() => buildFields(parameters), [parameters]);
  const [values, setValues] = useState<FormValues>(() => Object.fromEntries(Object.entries(entry.params).map(([k, v]) => [k, String(v)])));
  const [problem, setProblem] = useState<{ field: string; text: string } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (cronRefused) {
      setError(cronRefused);
      return;
    }
    const zone = timeZone.trim();
    if (!isTimeZoneName(zone)) {
      setZoneError(zone === '' ? 'settingsZoneRequired' : 'settingsZoneUnknown');
      return;
    }
    // A repeating schedule with a fixed date and time would give every fire the same window.
    const fixed = fixedTimeOnSchedule(paramFields, values);
    if (fixed) {
      setProblem({ field: fixed, text: t('fixedTimeRefused') });
      return;
    }
    const built = paramsFrom(paramFields, values, parameters);
    if ('problem' in built) {
      setProblem({ field: built.problem.field, text: pick(PROBLEM_TEXT[built.problem.problem]) });
      return;
    }
    setProblem(null);
    const outcome = await update({ job: entry.jobName, cron: cron.trim(), timeZone: zone, misfirePolicy, ...(job ? { params: built.params } : {}) });
    if (outcome.ok) {
      toast('success', both('scheduleSaved'));
      onClose();
    } else {
      const field = 'field' in outcome && typeof outcome.field === 'string' ? outcome.field.replace(/^params\./, '') : null;
      if (field && paramFields.some((f) => f.name === field)) setProblem({ field, text: pick(outcome.error) });
      else if (field === 'timeZone') setZoneError(outcome.error);
      else setError(pick(outcome.error));
    }
  };

  return (
    <Dialog title={`${t('edit')} · ${jobTitle(entry.jobName)}`} onClose={onClose} wide={paramFields.length > 0} testId="schedule-dialog">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <p className="schedule-words" data-testid="edit-schedule-words" data-refused={cronRefused ? '' : undefined}>
          {cronRefused ? <span className="field-error">{cronRefused}</span> : <strong>{cronInWords(cron, lang)}</strong>}
        </p>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <details className="advanced" data-testid="cron-advanced" open={cronInWords(cron, lang) === cron.trim()}>
          <summary>{t('cronAdvanced')}</summary>
          <Field label={t('cron')} hint={cronRefused ? undefined : cronInWords(cron, lang)}>
            <input value={cron} onChange={(e) => setCron(e.target.value)} className="mono" required aria-invalid={cronRefused ? true : undefined} data-testid="edit-cron" />
          </Field>
        </details>
        <Field label={t('timeZone')} error={zoneError === null ? null : typeof zoneError === 'string' ? t(zoneError) : pick(zoneError)}>
          <TimeZoneInput
            value={timeZone}
            onChange={(value) => {
              setTimeZone(value);
              setZoneError(null);
            }}
            invalid={zoneError !== null}
            testId="edit-timezone"
          />
        </Field>
        <Field label={t('misfirePolicy')}>
          <select value={misfirePolicy} onChange={(e) => setMisfire(e.target.value as ScheduleEntry['misfirePolicy'])}>
            <option value="RUN_ONCE">{t('misfireRunOnce')}</option>
            <option value="SKIP">{t('misfireSkip')}</option>
          </select>
        </Field>
        {paramFields.length > 0 && (
          <>
            <h3>{t('parameters')}</h3>
            <ParamFields fields={paramFields} values={values} onChange={(name, v) => setValues((s) => ({ ...s, [name]: v }))} problem={problem} />
          </>
        )}
        <FormActions onCancel={onClose} submitLabel={t('save')} />
      </form>
    </Dialog>
  );
}
