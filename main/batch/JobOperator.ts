// The one door to the engine: launch, restart, stop, abandon, and recovery of executions
// whose process died. Launch rules are enforced inside a database transaction that locks the
// JobInstance row, so two desks (processes) on one MySQL can never both start an instance.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { IANAZone } from 'luxon';
import type { Database } from './database/connection.ts';
import { BatchError } from './errors.ts';
import { BatchEvents } from './events.ts';
import type { JobDefinition } from './job.ts';
import { runJobExecution } from './jobRunner.ts';
import { JobThread, type JobThreadOptions } from './jobThread.ts';
import { JobExplorer } from './JobExplorer.ts';
import { currentOwner, JobLeases, type Lease, type Owner } from './JobLeases.ts';
import { JobRepository, type Executor } from './JobRepository.ts';
import type { JobExecution } from './model.ts';
import { JobParametersInvalidError, jobKey, parseJobParameters, type JobParameter } from './parameters.ts';
import { PartitionRunner } from './partition.ts';
import { retry, TRANSIENT_WRITE } from './retry.ts';
import { isRestartable, isRunning } from './status.ts';

function validZone(timeZone: string): string {
  if (!IANAZone.isValidZone(timeZone)) throw new BatchError('INVALID_PARAMETER', `"${timeZone}" is not a time zone name; use one like Asia/Seoul or UTC`);
  return timeZone;
}

export interface OperatorOptions {
  database: Database;
  jobs: JobDefinition<any>[];
  /** the gym's time zone for parameters written without an offset (default Asia/Seoul) */
  timeZone?: string;
  /** how often this process renews its leases and looks for stop requests (default 2 s) */
  heartbeatMs?: number;
  /** how long a lease lasts without a heartbeat before another process may recover it (default 30 s) */
  leaseMs?: number;
  /**
   * the zone a Spring Batch application sharing this database runs in (its JVM's): on MySQL it
   * writes its rows' times as that zone's wall clock (default: the gym's time zone)
   */
  springTimeZone?: string;
  /**
   * Run every execution on a worker thread of its own (jobThread.ts) that loads this module and
   * runs the jobs its default export (`jobThreadEntry(jobs)`) names, over its own connection, so
   * this thread stays free to serve people: what the console does on SQLite, whose driver is
   * synchronous. The jobs there must be the ones given in `jobs`. Default: in this thread.
   */
  jobThread?: JobThreadOptions;
}

export interface LaunchOptions {
  launchedBy?: string;
  /** the launch moment, for parameter defaults such as now (default: the clock) */
  now?: Date;
}

/** An execution that was created and is running in this process. */
export interface Launched {
  execution: JobExecution;
  /** settles with the execution's final state; never rejects */
  done: Promise<JobExecution>;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class JobOperator {
  readonly repository: JobRepository;
  /** the console's read queries (pages of executions, totals, job names in the history) */
  readonly explorer: JobExplorer;
  private readonly leases: JobLeases;
  readonly events = new BatchEvents();
  private zone: string;
  private readonly jobsByName: Map<string, JobDefinition<any>>;
  private readonly owner: Owner;
  private readonly running = new Map<number, { controller: AbortController; done: Promise<JobExecution> }>();
  private readonly partitions = new PartitionRunner();
  private readonly thread: JobThread | undefined;
  private readonly heartbeatMs: number;
  private readonly leaseMs: number;
  private heartbeatTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: OperatorOptions) {
    this.repository = new JobRepository(options.database);
    this.explorer = new JobExplorer(this.repository.db, this.repository.rows);
    this.leases = new JobLeases(this.repository.db, this.repository.rows);
    this.zone = options.timeZone ?? 'Asia/Seoul';
    this.jobsByName = new Map(options.jobs.map((j) => [j.name, j]));
    this.repository.setForeignTimeZone(validZone(options.springTimeZone ?? this.zone));
    this.owner = currentOwner(randomUUID());
    this.heartbeatMs = options.heartbeatMs ?? 2000;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.thread = options.jobThread && new JobThread(options.jobThread);
  }

  /** whether executions run on a job thread (`jobThread`) rather than in this thread */
  get runsOnJobThread(): boolean {
    return this.thread !== undefined;
  }

  /** the gym's time zone: parameter defaults and times written without an offset are read in it */
  get timeZone(): string {
    return this.zone;
  }

  /**
   * Changes the gym's time zone from the next launch on (a saved setting); an execution already
   * running keeps the zone it started with, so its parameters and its steps agree.
   */
  setTimeZone(timeZone: string): void {
    this.zone = validZone(timeZone);
    if (this.options.springTimeZone === undefined) this.repository.setForeignTimeZone(timeZone);
  }

  get jobs(): JobDefinition<any>[] {
    return [...this.jobsByName.values()];
  }

  job(name: string): JobDefinition<any> {
    const job = this.jobsByName.get(name);
    if (!job) {
      throw new BatchError('NO_SUCH_JOB', `There is no job named "${name}". Jobs: ${[...this.jobsByName.keys()].join(', ') || 'none'}`);
    }
    return job;
  }

  /** Checks raw parameters against the job's schema; throws INVALID_PARAMETER naming the parameter. */
  parameters(jobName: string, raw: Record<string, unknown>, now?: Date): JobParameter[] {
    const job = this.job(jobName);
    try {
      return parseJobParameters(job.name, job.params, raw, { timeZone: this.timeZone, now });
    } catch (error) {
      if (error instanceof JobParametersInvalidError) throw new BatchError('INVALID_PARAMETER', error.message);
      throw error;
    }
  }

  /**
   * Starts a new execution of the instance named by the job and its identifying parameters:
   * refused when one is running or the instance is complete; a FAILED or STOPPED instance
   * resumes where it stopped. Returns once the execution is recorded; `done` settles at the end.
   */
  async start(jobName: string, raw: Record<string, unknown> = {}, options: LaunchOptions = {}): Promise<Launched> {
    const job = this.job(jobName);
    const parameters = this.parameters(jobName, raw, options.now);
    // The job's own check against the data (job.ts LaunchCheck), still before anything is written.
    const refused = await job.validate?.(Object.fromEntries(parameters.map((p) => [p.name, p.value])), this.options.database);
    if (refused) throw new BatchError('INVALID_PARAMETER', refused);
    return this.launch(job, parameters, options.launchedBy ?? null);
  }

  /** start() and wait for the end. */
  async run(jobName: string, raw: Record<string, unknown> = {}, options: LaunchOptions = {}): Promise<JobExecution> {
    return (await this.start(jobName, raw, options)).done;
  }

  /** A new execution of a FAILED or STOPPED execution's instance, with the same parameters. */
  async restart(executionId: number, options: LaunchOptions = {}): Promise<Launched> {
    const previous = await this.execution(executionId);
    if (!this.jobsByName.has(previous.jobName)) {
      throw new BatchError(
        'NOT_RESTARTABLE',
        `Execution ${executionId} is of ${previous.jobName}, a job not defined here (another application's on this database, such as Spring Batch itself): restart it there`,
      );
    }
    const job = this.job(previous.jobName);
    return this.launch(job, previous.parameters, options.launchedBy ?? null, previous.id);
  }

  /** Asks a running execution to stop at its next chunk boundary. */
  async stop(executionId: number): Promise<JobExecution> {
    await this.recoverOrphans();
    // Read again and retried when the save fails (another process changed the row meanwhile).
    // Once this process has told its own run to stop, that run may end STOPPED before the
    // STOPPING status is saved (the job thread is quick): the stop then did what it was asked.
    let told = false;
    return retry(
      async () => {
        const execution = await this.execution(executionId);
        if (!isRunning(execution.status)) {
          if (told) return execution;
          throw new BatchError('NOT_RUNNING', `Execution ${executionId} is not running (it is ${execution.status})`);
        }
        const own = this.running.get(executionId);
        own?.controller.abort();
        told ||= own !== undefined;
        if (execution.status === 'STOPPING') return execution;
        execution.status = 'STOPPING';
        await this.repository.updateJobExecution(execution);
        return execution;
      },
      { retries: 5, retryOn: (error) => !(error instanceof BatchError) },
    );
  }

  /**
   * Marks FAILED an execution another application was running and left STARTED when it died
   * (spring-batch #3127: Spring Batch itself never does, on a schema Pass Console adopted), so
   * that application can restart it. Pass Console's own executions are recovered without anyone
   * asking; one still run by a live Pass Console process is refused (stop it instead).
   */
  async markFailed(executionId: number, by: string | null = null): Promise<JobExecution> {
    await this.recoverOrphans();
    const execution = await this.execution(executionId);
    if (!isRunning(execution.status)) {
      throw new BatchError('CANNOT_MARK_FAILED', `Execution ${executionId} is ${execution.status}; only an execution left running can be marked failed`);
    }
    if (!execution.external) {
      throw new BatchError('CANNOT_MARK_FAILED', `Execution ${executionId} is being run by Pass Console (its process is alive); stop it instead`);
    }
    const message = `Marked FAILED${by ? ` by ${by}` : ''} on ${new Date().toISOString()}: the application running it had stopped. Restart it there to resume from its last committed chunk.`;
    await this.repository.db.transaction().execute((tx) => this.repository.endExecution(tx, execution, 'FAILED', message));
    return execution;
  }

  /** Marks a STOPPED or FAILED execution ABANDONED: it will never be restarted. */
  async abandon(executionId: number): Promise<JobExecution> {
    await this.recoverOrphans();
    const execution = await this.execution(executionId);
    if (!isRestartable(execution.status)) {
      throw new BatchError(
        'CANNOT_ABANDON',
        isRunning(execution.status)
          ? `Execution ${executionId} is still running; stop it first`
          : `Execution ${executionId} is ${execution.status}; only a stopped or failed execution can be abandoned`,
      );
    }
    await this.repository.db.transaction().execute((tx) => this.repository.endExecution(tx, execution, 'ABANDONED', execution.exitMessage || 'Abandoned on request'));
    return execution;
  }

  async execution(executionId: number): Promise<JobExecution> {
    const execution = await this.repository.getJobExecution(executionId);
    if (!execution) throw new BatchError('NO_SUCH_EXECUTION', `There is no execution ${executionId}`);
    return execution;
  }

  /**
   * Past Spring Batch (#3127): an execution whose process died stays STARTED there forever.
   * Here the next start finds it (its process is gone from this host, or its lease ran out)
   * and marks it FAILED with a message that says so; a restart then works at once.
   */
  async recoverOrphans(): Promise<JobExecution[]> {
    const recovered: JobExecution[] = [];
    for (const { execution, lease } of await this.leases.runningExecutions()) {
      const reason = this.orphanReason(execution, lease);
      if (!reason) continue;
      try {
        await this.repository.db.transaction().execute((tx) => this.repository.endExecution(tx, execution, 'FAILED', reason));
        recovered.push(execution);
      } catch {
        // Someone else recovered or finished it first.
      }
    }
    return recovered;
  }

  private orphanReason(execution: JobExecution, lease: Lease | undefined): string | null {
    const now = Date.now();
    const advice = 'Restart it to resume from the last committed chunk.';
    if (!lease) {
      // Every execution launched here gets an owner row with it; one without, of a job not
      // defined here, is another application's (Spring Batch's own, on an adopted schema): not ours to judge.
      if (!this.jobsByName.has(execution.jobName)) return null;
      const last = (execution.lastUpdated ?? execution.createTime).getTime();
      return now - last > this.leaseMs ? `Marked FAILED by recovery: no process has owned this execution since ${new Date(last).toISOString()}. ${advice}` : null;
    }
    const { owner } = lease;
    if (owner.id === this.owner.id) {
      return this.running.has(execution.id) ? null : `Marked FAILED by recovery: this process lost track of it. ${advice}`;
    }
    if (owner.host === hostname() && !pidAlive(owner.pid)) {
      return `Marked FAILED by recovery: the process running it (pid ${owner.pid} on ${owner.host}) ended without finishing, last heartbeat ${lease.heartbeatAt.toISOString()}. ${advice}`;
    }
    if (lease.expiresAt.getTime() < now) {
      return `Marked FAILED by recovery: the process running it (pid ${owner.pid} on ${owner.host}) stopped sending heartbeats at ${lease.heartbeatAt.toISOString()}. ${advice}`;
    }
    return null;
  }

  private async launch(job: JobDefinition<any>, parameters: JobParameter[], launchedBy: string | null, restartOf?: number): Promise<Launched> {
    const key = jobKey(parameters);
    const launched = await retry(() => this.repository.db.transaction().execute((tx) => this.createExecution(tx, job, key, parameters, launchedBy, restartOf)), TRANSIENT_WRITE);
    const controller = new AbortController();
    const running = this.thread
      ? this.thread.run(
          {
            dbUrl: this.options.database.url,
            execution: launched,
            timeZone: this.timeZone,
            foreignTimeZone: this.options.springTimeZone ?? this.timeZone,
            lease: { ownerId: this.owner.id, heartbeatMs: this.heartbeatMs, leaseMs: this.leaseMs },
          },
          this.events,
          controller.signal,
        ).then((final) => Object.assign(launched, final))
      : runJobExecution(job, launched, {
          repository: this.repository,
          db: this.options.database,
          events: this.events,
          timeZone: this.timeZone,
          signal: controller.signal,
          partitions: this.partitions,
        });
    const done = running
      .catch(async (error) => {
        // The runner could not even record the end (the database went away): leave the lease
        // to expire so recovery marks it FAILED, and tell the caller what happened.
        launched.status = 'FAILED';
        launched.exitMessage = String((error as Error)?.message ?? error);
        return launched;
      })
      .finally(() => {
        this.running.delete(launched.id);
        if (!this.running.size) this.stopHeartbeat();
      });
    this.running.set(launched.id, { controller, done });
    // On a job thread the thread renews the lease itself (jobThread.ts), off this thread's connection.
    if (!this.thread) this.startHeartbeat();
    return { execution: { ...launched }, done };
  }

  private async createExecution(
    tx: Executor,
    job: JobDefinition<any>,
    key: string,
    parameters: JobParameter[],
    launchedBy: string | null,
    restartOf?: number,
  ): Promise<JobExecution> {
    const instanceId = await this.repository.lockInstance(tx, job.name, key);
    const executions = await this.repository.instanceExecutions(tx, instanceId);
    for (const execution of executions.filter((e) => isRunning(e.status))) {
      const lease = (await this.leases.leasesOf(tx, [execution.id])).get(execution.id);
      const reason = this.orphanReason(execution, lease);
      if (!reason) {
        throw new BatchError(
          'ALREADY_RUNNING',
          `${job.name} is already running with these parameters (execution ${execution.id}${lease ? `, pid ${lease.owner.pid} on ${lease.owner.host}` : ''})`,
          { id: execution.id, jobTitle: job.title, since: execution.startTime ?? execution.createTime, launchedBy: execution.launchedBy ?? lease?.launchedBy ?? null },
        );
      }
      await this.repository.endExecution(tx, execution, 'FAILED', reason);
    }
    const last = executions[0];
    if (restartOf !== undefined && last?.id !== restartOf) {
      // Say what became of it: a later execution of the same instance took over.
      const after = last?.status === 'COMPLETED' ? 'which completed: there is nothing left to restart' : last?.status === 'ABANDONED' ? 'which was abandoned: it will not run again' : `which is ${last?.status}; restart that one instead`;
      throw new BatchError('NOT_RESTARTABLE', `Execution ${restartOf} is not the latest of its instance: it was restarted as execution ${last?.id}, ${after}`);
    }
    if (last) {
      if (last.status === 'COMPLETED') {
        throw new BatchError('ALREADY_COMPLETE', `${job.name} has already completed with these parameters (execution ${last.id}); change a parameter to run it again`);
      }
      if (last.status === 'ABANDONED') {
        throw new BatchError('ALREADY_COMPLETE', `${job.name} with these parameters was abandoned (execution ${last.id}); change a parameter to run it again`);
      }
      if (!job.restartable) {
        throw new BatchError('NOT_RESTARTABLE', `${job.name} cannot be restarted; change a parameter to start a new run`);
      }
    } else if (restartOf !== undefined) {
      throw new BatchError('NOT_RESTARTABLE', `Execution ${restartOf} cannot be restarted`);
    }
    const execution = await this.repository.createJobExecution(tx, job.name, instanceId, parameters, launchedBy);
    await this.leases.claim(tx, execution.id, this.owner, launchedBy, this.leaseMs, execution.createTime);
    return execution;
  }

  private startHeartbeat(): void {
    if (this.heartbeatTimer) return;
    this.heartbeatTimer = setInterval(() => void this.beat(), this.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  /** Renews leases and notices stop requests made by other processes. */
  private async beat(): Promise<void> {
    const ids = [...this.running.keys()];
    if (!ids.length) return;
    try {
      await this.leases.heartbeat(this.owner.id, ids, this.leaseMs);
      for (const id of ids) {
        const status = await this.repository.jobExecutionStatus(id);
        if (status === 'STOPPING') this.running.get(id)?.controller.abort();
      }
    } catch {
      // The database is away for a moment: the next beat tries again; the lease outlasts several.
    }
  }

  /** Executions running in this process. */
  get runningIds(): number[] {
    return [...this.running.keys()];
  }

  /**
   * With a job thread: has it checkpoint the database's WAL (the console's connection leaves
   * that to it, OpenOptions.checkpointsElsewhere). Without one: nothing, SQLite checkpoints
   * as it commits.
   */
  async checkpoint(): Promise<void> {
    await this.thread?.checkpoint(this.options.database.url);
  }

  /** Waits for this process's executions to end, then releases threads and timers. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    this.stopHeartbeat();
    await this.partitions.close();
    await this.thread?.close();
  }
}
