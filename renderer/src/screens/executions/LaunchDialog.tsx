// Run a job (admin): pick it, fill its parameters (checked in the form before anything is sent),
// confirm in words, and the new execution opens.
import { useMemo, useState } from 'react';
import type { JobView } from '../../../../main/service/contract.ts';
import { ParamFields } from '../../components/ParamFields.tsx';
import { confirmAction, Dialog, Field, FormActions } from '../../components/common.tsx';
import { both, useT } from '../../i18n/i18n.ts';
import { useJobTitle } from '../../i18n/jobTitles.ts';
import { describeParameters } from '../../lib/format.ts';
import { focusSoon } from '../../lib/focus.ts';
import { buildFields, paramLabel, paramsFrom, PROBLEM_TEXT, type FormValues } from '../../lib/paramForm.ts';
import { useExecutions } from '../../stores/executions.ts';
import { useUi } from '../../stores/ui.ts';

export function LaunchDialog({ jobs, onClose }: { jobs: JobView[]; onClose: () => void }) {
  const { t, pick, lang } = useT();
  const toast = useUi((s) => s.toast);
  const zone = useUi((s) => s.timeZone);
  const { launch, busy, select, reload } = useExecutions();
  const jobTitle = useJobTitle();
  const [jobName, setJobName] = useState(jobs[0]?.name ?? '');
  const [values, setValues] = useState<FormValues>({});
  const [problem, setProblem] = useState<{ field: string; text: string } | null>(null);
  const job = jobs.find((j) => j.name === jobName);
  const fields = useMemo(() => (job ? buildFields(job.parameters, lang) : []), [job, lang]);

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
