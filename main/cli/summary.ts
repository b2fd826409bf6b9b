// What an execution did, step by step: the table printed after `run` and `restart`, and the
// totals `executions` lists.
import type { JobExecution, StepExecution } from '../batch/index.ts';
import { durationBetween, formatCount, formatDuration, formatParameters, formatTime } from './format.ts';
import { renderTable, type Column } from './table.ts';

const STEP_COLUMNS: Column[] = [
  { header: 'step' },
  { header: 'status' },
  { header: 'read', align: 'right' },
  { header: 'written', align: 'right' },
  { header: 'filtered', align: 'right' },
  { header: 'skipped r/p/w', align: 'right' },
  { header: 'commits', align: 'right' },
  { header: 'rollbacks', align: 'right' },
  { header: 'duration', align: 'right' },
];

/** Partition step executions are named `<step>:partition<i>`; their manager step already sums them. */
export function isPartition(step: StepExecution): boolean {
  return step.stepName.includes(':');
}

export function stepTable(steps: StepExecution[]): string {
  const rows = steps.map((s) => [
    // Partitions sit under their manager step, indented, so the sums read top-down.
    isPartition(s) ? `  ${s.stepName.slice(s.stepName.indexOf(':') + 1)}` : s.stepName,
    s.status,
    formatCount(s.readCount),
    formatCount(s.writeCount),
    formatCount(s.filterCount),
    `${formatCount(s.readSkipCount)}/${formatCount(s.processSkipCount)}/${formatCount(s.writeSkipCount)}`,
    formatCount(s.commitCount),
    formatCount(s.rollbackCount),
    formatDuration(durationBetween(s.startTime, s.endTime)),
  ]);
  return renderTable(STEP_COLUMNS, rows, '  ');
}

/** The closing report of a run: outcome, times, the step table, and why it did not complete. */
export function executionSummary(execution: JobExecution, steps: StepExecution[], timeZone: string): string {
  const lines = [
    '',
    `Execution ${execution.id} of ${execution.jobName}: ${execution.status}`,
    `  parameters: ${formatParameters(execution.parameters, timeZone)}`,
    `  started ${formatTime(execution.startTime ?? execution.createTime, timeZone)}, ended ${formatTime(execution.endTime, timeZone)} (${timeZone}), took ${formatDuration(durationBetween(execution.startTime ?? execution.createTime, execution.endTime))}`,
    '',
  ];
  let text = lines.join('\n') + '\n';
  text += steps.length ? stepTable(steps) : '  (no step executions)\n';
  if (execution.status !== 'COMPLETED' && execution.exitMessage) {
    text += `\nExit message:\n${withoutStack(execution.exitMessage).replace(/^/gm, '  ')}\n`;
  }
  return text;
}

/**
 * The exit message keeps the error's stack for whoever debugs it (`executions --json` shows it
 * whole); the person at the terminal needs the sentence that says what went wrong.
 */
export function withoutStack(message: string): string {
  const lines = message.split('\n');
  const firstFrame = lines.findIndex((line) => /^\s+at /.test(line));
  if (firstFrame < 0) return message;
  return [...lines.slice(0, firstFrame), '(stack trace: pass-batch executions --json)'].join('\n');
}
