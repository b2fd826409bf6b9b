// One subscription API for everything that happens in the engine: the CLI's progress bar
// listens now, the console's live view later.
import type { BatchStatus } from './status.ts';
import type { StepCounts } from './model.ts';

export interface StepProgress extends StepCounts {
  stepExecutionId: number;
  stepName: string;
  status: BatchStatus;
  startTime: Date | null;
  /** items written per second since the step started */
  itemsPerSecond: number;
  /** how many items the step expects in all, when its reader can tell */
  expectedItems?: number;
}

export type BatchEvent =
  | { type: 'job-started'; jobExecutionId: number; jobName: string }
  | { type: 'job-finished'; jobExecutionId: number; jobName: string; status: BatchStatus; exitMessage: string }
  | { type: 'step-started'; jobExecutionId: number; step: StepProgress }
  | { type: 'chunk-committed'; jobExecutionId: number; step: StepProgress }
  | { type: 'step-finished'; jobExecutionId: number; step: StepProgress; exitMessage: string };

export type BatchListener = (event: BatchEvent) => void;

export class BatchEvents {
  private readonly listeners = new Set<BatchListener>();

  /** Returns the function that unsubscribes. */
  subscribe(listener: BatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: BatchEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure (a closed window, a broken pipe) must not fail the job.
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
