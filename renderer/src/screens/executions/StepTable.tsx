// An execution's steps: their counts (the stream's live counts while a step runs), partitions
// under their step, a live progress row, and a failed step's own text folded away.
import { useMemo } from 'react';
import type { BatchStatus, StepView } from '../../../../main/service/contract.ts';
import { Empty, ProgressBar, StatusBadge } from '../../components/common.tsx';
import { useT } from '../../i18n/i18n.ts';
import { useJobTitles } from '../../i18n/jobTitles.ts';
import { durationBetween, formatDuration, formatNumber, progressOf } from '../../lib/format.ts';
import { groupSteps, type LiveStep } from '../../stores/executions.ts';

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

export function StepTable({ steps, live, running, jobName }: { steps: StepView[]; live: Record<string, LiveStep>; running: boolean; jobName?: string }) {
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
        <td className="num" data-testid="step-read" data-label={t('read')}>{n(s.read)}</td>
        <td className="num" data-testid="step-write" data-label={t('written')}>{n(s.write)}</td>
        <td className="num" data-label={t('filtered')}>{n(s.filter)}</td>
        <td className="num" data-testid="step-skips" data-label={oneLine(t('skippedThree'))} title={`${t('readSkipped')} / ${t('processSkipped')} / ${t('writeSkipped')}`}>
          {s.readSkip === null ? n(s.skip) : `${n(s.readSkip)} / ${n(s.processSkip)} / ${n(s.writeSkip)}`}
        </td>
        <td className="num" data-testid="step-commits" data-label={oneLine(t('commitsRollbacks'))}>{`${n(s.commit)} / ${n(s.rollback)}`}</td>
        <td className="num" data-label={t('duration')}>{formatDuration(durationBetween(s.startTime, s.endTime), lang)}</td>
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
    // In a narrow pane (the 1024 px window's detail) each step's counts wrap under its name, each
    // with its heading before it (styles.css, .steps-wrap), instead of eight columns scrolling sideways.
    <div className="table-wrap steps-wrap">
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

/** A two-line heading ('Commits /\nrollbacks') on one line, to stand before its count. */
const oneLine = (heading: string) => heading.replace(/\s*\n\s*/g, ' ');

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
          <span className="muted" data-testid="live-rate">
            {live.itemsPerSecond > 0 ? t('rate', { n: formatNumber(Math.round(live.itemsPerSecond), lang) }) : t('rateMeasuring')}
          </span>
          {etaMs !== null && <span className="muted">{t('eta', { t: formatDuration(etaMs, lang) })}</span>}
        </div>
      </td>
    </tr>
  );
}
