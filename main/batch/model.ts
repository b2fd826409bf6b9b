// What the JobRepository records: a JobInstance (job name + identifying parameters), its
// JobExecutions (one per attempt), and their StepExecutions with Spring Batch's counters.
import type { BatchStatus, ExitCode } from './status.ts';
import type { JobParameter } from './parameters.ts';

/** JSON-serialisable state a step or job saves at each commit, so a restart resumes there. */
export type ExecutionContext = Record<string, unknown>;

export interface StepCounts {
  readCount: number;
  writeCount: number;
  filterCount: number;
  commitCount: number;
  rollbackCount: number;
  readSkipCount: number;
  processSkipCount: number;
  writeSkipCount: number;
}

export const ZERO_COUNTS: StepCounts = Object.freeze({
  readCount: 0,
  writeCount: 0,
  filterCount: 0,
  commitCount: 0,
  rollbackCount: 0,
  readSkipCount: 0,
  processSkipCount: 0,
  writeSkipCount: 0,
});

export function skipCount(c: StepCounts): number {
  return c.readSkipCount + c.processSkipCount + c.writeSkipCount;
}

/** What job and step executions both record: version, status, exit and times. */
export interface ExecutionState {
  id: number;
  version: number;
  status: BatchStatus;
  exitCode: ExitCode | string;
  exitMessage: string;
  createTime: Date;
  startTime: Date | null;
  endTime: Date | null;
  lastUpdated: Date | null;
}

export interface StepExecution extends ExecutionState, StepCounts {
  jobExecutionId: number;
  stepName: string;
  executionContext: ExecutionContext;
}

export interface JobExecution extends ExecutionState {
  instanceId: number;
  jobName: string;
  parameters: JobParameter[];
  /** the staff account (or "scheduler", "cli") that launched it */
  launchedBy: string | null;
  /**
   * recorded by another application on this database, not launched by any Pass Console
   * (Spring Batch itself, on a schema Pass Console adopted): no owner row, no lease
   */
  external: boolean;
}
