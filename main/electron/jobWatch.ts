// What the tray and the desktop notifications know of the engine: the executions running in
// this process right now, and a call-out when one ends FAILED, so a failure at 03:00 is seen
// even with the window closed.
import type { BatchEvent, BatchListener } from '../batch/index.ts';
import type { RunningJob } from './menus.ts';

/** The engine's events as the composition root hands them to the shell (ConsoleApp.runtime.operator.events). */
export interface JobEvents {
  subscribe(listener: BatchListener): () => void;
}

export interface FailedJob {
  executionId: number;
  jobName: string;
  exitMessage: string;
}

export interface JobWatch {
  running(): RunningJob[];
  stop(): void;
}

/** The first line of an exit message, short enough for a notification. */
export function shortMessage(message: string | undefined, max = 160): string {
  const line = (message ?? '').split('\n', 1)[0]!.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function watchJobs(
  events: JobEvents,
  on: { changed(running: RunningJob[]): void; failed(job: FailedJob): void },
): JobWatch {
  const running = new Map<number, RunningJob>();
  const list = () => [...running.values()].sort((a, b) => a.executionId - b.executionId);
  const unsubscribe = events.subscribe((event: BatchEvent) => {
    if (event.type === 'job-started') {
      running.set(event.jobExecutionId, { executionId: event.jobExecutionId, jobName: event.jobName });
      on.changed(list());
    } else if (event.type === 'job-finished') {
      running.delete(event.jobExecutionId);
      on.changed(list());
      if (event.status === 'FAILED') on.failed({ executionId: event.jobExecutionId, jobName: event.jobName, exitMessage: shortMessage(event.exitMessage) });
    }
  });
  return { running: list, stop: unsubscribe };
}
