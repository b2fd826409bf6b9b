// The live execution stream every transport forwards (SSE over HTTP, an IPC channel in the
// desktop app): the engine's events as the contract's ExecutionEvent, chunk progress at most
// every `intervalMs` per step (a fast step commits thousands of chunks a second), and for the
// front desk only the job it may launch.
import type { BatchEvent, JobOperator } from '../batch/index.ts';
import { IMPORT_JOB } from '../pass/jobs/importMembersJob.ts';
import { GRANT_JOB } from './bulkGrants.ts';
import { roleAtLeast, type ExecutionEvent } from './contract.ts';
import { plainText } from './executions.ts';
import type { Session } from './staff.ts';

export type EventListener = (event: ExecutionEvent) => void;

export function subscribeExecutions(operator: JobOperator, session: Session, listener: EventListener, intervalMs = 250): () => void {
  const jobNames = new Map<number, string>();
  const lastChunk = new Map<string, number>();
  // a kiosk account sees no job at all
  const visible = (jobName: string) => roleAtLeast(session.role, 'MANAGER') || (roleAtLeast(session.role, 'FRONT_DESK') && (jobName === GRANT_JOB || jobName === IMPORT_JOB));

  const jobOf = async (executionId: number): Promise<string | null> => {
    const known = jobNames.get(executionId);
    if (known) return known;
    try {
      const name = (await operator.execution(executionId)).jobName;
      jobNames.set(executionId, name);
      return name;
    } catch {
      return null;
    }
  };

  const forward = async (event: BatchEvent) => {
    if (event.type === 'job-started' || event.type === 'job-finished') {
      jobNames.set(event.jobExecutionId, event.jobName);
      if (!visible(event.jobName)) return;
      if (event.type === 'job-started') listener({ type: 'job-started', executionId: event.jobExecutionId, jobName: event.jobName });
      else {
        jobNames.delete(event.jobExecutionId);
        // Technical detail (stack frames, server paths) is an admin's, as on the execution screen.
        const exitMessage = session.role === 'ADMIN' ? event.exitMessage : plainText(event.exitMessage);
        listener({ type: 'job-finished', executionId: event.jobExecutionId, jobName: event.jobName, status: event.status, exitMessage });
      }
      return;
    }
    const step = event.step;
    const key = `${event.jobExecutionId}:${step.stepExecutionId}`;
    if (event.type === 'chunk-committed') {
      const now = Date.now();
      if (now - (lastChunk.get(key) ?? 0) < intervalMs) return;
      lastChunk.set(key, now);
    } else if (event.type === 'step-finished') {
      lastChunk.delete(key);
    }
    const jobName = await jobOf(event.jobExecutionId);
    if (!jobName || !visible(jobName)) return;
    listener({
      type: 'step-progress',
      executionId: event.jobExecutionId,
      jobName,
      phase: event.type === 'step-started' ? 'started' : event.type === 'chunk-committed' ? 'chunk' : 'finished',
      stepName: step.stepName,
      status: step.status,
      readCount: step.readCount,
      writeCount: step.writeCount,
      filterCount: step.filterCount,
      skipCount: step.readSkipCount + step.processSkipCount + step.writeSkipCount,
      commitCount: step.commitCount,
      rollbackCount: step.rollbackCount,
      itemsPerSecond: step.itemsPerSecond,
      expectedItems: step.expectedItems ?? null,
    });
  };
  return operator.events.subscribe((event) => void forward(event).catch(() => undefined));
}
