// Runs a JobExecution's flow: steps in order, splits at once, partitioned steps through partition.ts.
// On a restart, steps that COMPLETED are skipped and the others resume from their context.
import { sql } from 'kysely';
import type { Database } from './database/connection.ts';
import type { BatchEvents } from './events.ts';
import type { ChunkStep, FlowElement, JobDefinition, Step, TaskletStep } from './job.ts';
import type { JobRepository } from './JobRepository.ts';
import { OptimisticLockingFailureError } from './JobRepository.ts';
import type { JobExecution } from './model.ts';
import { runPartitioned, type PartitionRunner } from './partition.ts';
import { retry } from './retry.ts';
import { exitMessageOf, type BatchStatus } from './status.ts';
import { runStepExecution, stepEnvironment, type StepEnvironment } from './stepRunner.ts';

export interface JobEnvironment {
  repository: JobRepository;
  db: Database;
  events: BatchEvents;
  timeZone: string;
  signal: AbortSignal;
  partitions: PartitionRunner;
}

interface StepOutcome {
  status: BatchStatus;
  exitMessage: string;
}

export async function runJobExecution(job: JobDefinition, execution: JobExecution, env: JobEnvironment): Promise<JobExecution> {
  const { repository } = env;
  let outcome: StepOutcome = { status: 'COMPLETED', exitMessage: '' };
  try {
    await saveJobExecution(repository, execution, (e) => {
      e.startTime = new Date();
      e.status = e.status === 'STOPPING' ? 'STOPPING' : 'STARTED';
    });
    env.events.emit({ type: 'job-started', jobExecutionId: execution.id, jobName: job.name });
    await refreshPlannerStatistics(env.db, 'start');
    const stepEnv = stepEnvironment(env, { jobName: job.name, jobExecutionId: execution.id, parameters: execution.parameters });
    for (const element of job.flow) {
      if (env.signal.aborted) {
        outcome = { status: 'STOPPED', exitMessage: 'Stopped on request before the next step' };
        break;
      }
      outcome = await runElement(element, execution, stepEnv, env);
      if (outcome.status !== 'COMPLETED') break;
    }
  } catch (error) {
    outcome = { status: 'FAILED', exitMessage: exitMessageOf(error) };
  }
  await saveJobExecution(repository, execution, (e) => {
    e.status = outcome.status;
    e.exitCode = outcome.status === 'COMPLETED' ? 'COMPLETED' : outcome.status;
    e.exitMessage = outcome.exitMessage;
    e.endTime = new Date();
  });
  env.events.emit({ type: 'job-finished', jobExecutionId: execution.id, jobName: job.name, status: execution.status, exitMessage: execution.exitMessage });
  await refreshPlannerStatistics(env.db, 'end');
  return execution;
}

/**
 * SQLite refreshes the statistics its query planner chooses indexes by only when asked, and
 * asking is cheap when nothing changed. Without them a keyset reader's page query can pick a
 * filter index and sort every remaining row for every page (expirePassesJob over 1,000,000
 * passes loaded after the app started: 180 s instead of 5 s). At the start, every table is
 * checked (0x10000), since the tables may have grown by other hands (the booking system, an
 * import) since this connection opened; at the end, the tables this connection used, which the
 * job may have changed a lot (a grant, a day of bookings). MySQL keeps its own statistics.
 */
async function refreshPlannerStatistics(db: Database, when: 'start' | 'end'): Promise<void> {
  if (db.dialect !== 'sqlite') return;
  await sql.raw(when === 'start' ? 'PRAGMA optimize=0x10002' : 'PRAGMA optimize').execute(db.kysely).catch(() => undefined);
}

/**
 * Applies `change` and saves it. A stop request from another process bumps the version
 * meanwhile: reload, keep its STOPPING, and apply the change again.
 */
async function saveJobExecution(repository: JobRepository, execution: JobExecution, change: (e: JobExecution) => void): Promise<void> {
  await retry(
    () => {
      change(execution);
      return repository.updateJobExecution(execution);
    },
    {
      retries: 5,
      retryOn: (error) => error instanceof OptimisticLockingFailureError,
      onRetry: async (error) => {
        const current = await repository.getJobExecution(execution.id);
        if (!current) throw error;
        execution.version = current.version;
        if (current.status === 'STOPPING' && execution.status === 'STARTED') execution.status = 'STOPPING';
      },
    },
  );
}

async function runElement(element: FlowElement, execution: JobExecution, stepEnv: StepEnvironment, env: JobEnvironment): Promise<StepOutcome> {
  if (element.kind !== 'split') return runStep(element, execution, stepEnv, env);
  const outcomes = await Promise.all(element.steps.map((step) => runStep(step, execution, stepEnv, env)));
  return worst(outcomes);
}

const SEVERITY: Partial<Record<BatchStatus, number>> = { COMPLETED: 0, STOPPED: 1, FAILED: 2 };

function worst(outcomes: StepOutcome[]): StepOutcome {
  return outcomes.reduce((a, b) => ((SEVERITY[b.status] ?? 2) > (SEVERITY[a.status] ?? 2) ? b : a), { status: 'COMPLETED', exitMessage: '' });
}

async function runStep(step: Step, execution: JobExecution, stepEnv: StepEnvironment, env: JobEnvironment): Promise<StepOutcome> {
  const history = await env.repository.stepHistory(execution.instanceId, step.name);
  const last = history.at(-1);
  if (last?.status === 'COMPLETED' && !step.allowStartIfComplete) return { status: 'COMPLETED', exitMessage: '' };
  if (step.startLimit !== undefined && history.length >= step.startLimit) {
    return { status: 'FAILED', exitMessage: `Step ${step.name} has already been started ${history.length} times, its limit; it will not start again` };
  }
  const resumeFrom = last && last.status !== 'COMPLETED' ? last.executionContext : {};
  const stepExecution = await env.repository.createStepExecution(execution.id, step.name, resumeFrom);
  const finished =
    step.kind === 'partitioned'
      ? await runPartitioned(step, stepExecution, last, execution.instanceId, stepEnv, env.partitions)
      : await runStepExecution(step as ChunkStep | TaskletStep, stepExecution, stepEnv);
  return { status: finished.status, exitMessage: finished.exitMessage ? `${step.name}: ${finished.exitMessage}` : '' };
}
