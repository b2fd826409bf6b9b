// The cron scheduler: per-job schedules stored in the database, fired in each schedule's time
// zone, each fire run on exactly one desk. A tick (every second by default) reads the
// schedules, works out which fire times have come since the last one handled, claims each by
// inserting its row in BATCH_SCHEDULE_FIRE (a duplicate key means another desk has it), then
// launches the job with `now` = the fire time. The job's end is recorded when it comes; the
// tick never waits for it.
import type { Database } from '../database/connection.ts';
import { retry, TRANSIENT_WRITE } from '../retry.ts';
import { BatchError } from '../errors.ts';
import type { JobOperator } from '../JobOperator.ts';
import type { JobExecution } from '../model.ts';
import { isRunning } from '../status.ts';
import { countFires, describeCron, firesBetween, isValidTimeZone, latestFireBetween, nextFires, validateCron, CronError } from './cron.ts';
import {
  MISFIRE_POLICIES,
  ScheduleError,
  type FireOutcome,
  type FireReport,
  type Schedule,
  type ScheduleChange,
  type ScheduleDefault,
  type ScheduleFire,
  type ScheduleView,
} from './model.ts';
import { ScheduleStore } from './ScheduleStore.ts';

export interface SchedulerLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface SchedulerOptions {
  database: Database;
  operator: JobOperator;
  /** this desk's name: fires it claims say so, and its launches are `scheduler@<ownerName>` */
  ownerName: string;
  /** how often to look for due fires (default 1000 ms) */
  tickMs?: number;
  /** the clock (tests inject one) */
  now?: () => Date;
  /**
   * How late a fire may be handled and still count as on time (default 60 s). A due fire older
   * than this means no scheduler was running then, and the misfire policy decides.
   */
  graceMs?: number;
  /** how long a claim not yet launched holds before another desk may take it over (default 60 s) */
  claimTtlMs?: number;
  /** settled fires older than this many days are forgotten (default 90) */
  historyDays?: number;
  /** default: console */
  logger?: SchedulerLogger;
}

const OUTCOME_OF_REFUSAL: Partial<Record<string, FireOutcome>> = {
  ALREADY_RUNNING: 'SKIPPED_RUNNING',
  ALREADY_COMPLETE: 'SKIPPED_COMPLETE',
};

const PURGE_EVERY_MS = 3600_000;

/** Retries a small write through a deadlock or a dropped connection (five tries in all); the caller decides after that. */
const withRetry = <T>(work: () => Promise<T>): Promise<T> => retry(work, { ...TRANSIENT_WRITE, retries: 4 });

/** A fire the tick decided to act on: run it, or record that it was skipped. */
export interface FireDecision {
  fireTime: Date;
  run: boolean;
  note: string | null;
}

export class Scheduler {
  readonly store: ScheduleStore;
  private readonly database: Database;
  private readonly operator: JobOperator;
  private readonly ownerName: string;
  private readonly tickMs: number;
  private readonly now: () => Date;
  private readonly graceMs: number;
  private readonly claimTtlMs: number;
  private readonly historyDays: number;
  private readonly logger: SchedulerLogger;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private currentTick: Promise<FireReport[]> | undefined;
  /** outcome recordings of launched executions still to come */
  private readonly pending = new Set<Promise<void>>();
  private readonly unknownJobsWarned = new Set<string>();
  private lastPurge = 0;

  constructor(options: SchedulerOptions) {
    this.store = new ScheduleStore(options.database);
    this.database = options.database;
    this.operator = options.operator;
    this.ownerName = options.ownerName;
    this.tickMs = options.tickMs ?? 1000;
    this.now = options.now ?? (() => new Date());
    this.graceMs = options.graceMs ?? 60_000;
    this.claimTtlMs = options.claimTtlMs ?? 60_000;
    this.historyDays = options.historyDays ?? 90;
    this.logger = options.logger ?? { info: (m) => console.log(m), warn: (m) => console.warn(m) };
  }

  get launchedBy(): string {
    return `scheduler@${this.ownerName}`;
  }

  // ---- running ---------------------------------------------------------------------------

  /** Starts ticking; the first tick runs at once. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const loop = async () => {
      if (!this.running) return;
      await this.tick();
      if (this.running) this.timer = setTimeout(() => void loop(), this.tickMs);
    };
    void loop();
  }

  /** Stops ticking and waits for a tick in progress. Jobs already launched keep running. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.currentTick?.catch(() => undefined);
  }

  /** Waits until every execution this scheduler launched has ended and its outcome is recorded. */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /**
   * One look at every schedule: launches (or records as skipped) the fires due now and returns
   * what this desk did. Ticks never overlap; a failing database is logged and tried next tick.
   */
  tick(): Promise<FireReport[]> {
    if (this.currentTick) return this.currentTick;
    const tick = this.runTick()
      .catch((error) => {
        this.logger.warn(`[scheduler] tick failed, trying again next tick: ${(error as Error).message ?? error}`);
        return [] as FireReport[];
      })
      .finally(() => {
        this.currentTick = undefined;
      });
    this.currentTick = tick;
    return tick;
  }

  private async runTick(): Promise<FireReport[]> {
    const now = this.now();
    const reports: FireReport[] = [];
    for (const schedule of await this.store.all()) {
      if (!schedule.enabled) continue;
      if (!this.knows(schedule.jobName)) continue;
      try {
        for (const decision of await this.decide(schedule, now)) {
          const report = await this.handle(schedule, decision);
          if (report) reports.push(report);
        }
      } catch (error) {
        this.logger.warn(`[scheduler] ${schedule.jobName}: ${(error as Error).message ?? error}; trying again next tick`);
      }
    }
    await this.purgeNowAndThen(now);
    return reports;
  }

  private knows(jobName: string): boolean {
    if (this.operator.jobs.some((job) => job.name === jobName)) return true;
    if (!this.unknownJobsWarned.has(jobName)) {
      this.unknownJobsWarned.add(jobName);
      this.logger.warn(`[scheduler] a schedule names ${jobName}, which this app does not have; it will not fire here`);
    }
    return false;
  }

  /**
   * Which fire times to act on. Fires since the last one handled that are all within the grace
   * window run, each once (a late tick, not a closed app). Any older one means no scheduler was
   * running: RUN_ONCE runs only the latest fire, once; SKIP runs the latest only if it is within
   * the grace window, and otherwise records it as skipped.
   */
  async decide(schedule: Schedule, now: Date): Promise<FireDecision[]> {
    const from = new Date(Math.max(schedule.activeSince.getTime(), schedule.lastFireAt?.getTime() ?? 0));
    if (from.getTime() >= now.getTime()) return [];
    const graceStart = new Date(now.getTime() - this.graceMs);
    const onTime = firesBetween(schedule.cron, schedule.timeZone, new Date(Math.max(from.getTime(), graceStart.getTime())), now, 10_000);
    const lateLatest = from < graceStart ? latestFireBetween(schedule.cron, schedule.timeZone, from, graceStart) : null;
    if (!lateLatest) return onTime.map((fireTime) => ({ fireTime, run: true, note: null }));

    const due = await countFires(schedule.cron, schedule.timeZone, from, now, 1001);
    const count = (n: number) => (n >= 1000 ? 'over 1000' : String(n));
    const latest = onTime[onTime.length - 1] ?? lateLatest;
    if (schedule.misfirePolicy === 'RUN_ONCE') {
      return [{ fireTime: latest, run: true, note: `Catch-up (RUN_ONCE): ${count(due)} fires came while no scheduler was running; the latest ran, once.` }];
    }
    if (onTime.length) {
      return [{ fireTime: latest, run: true, note: `${count(due - 1)} earlier fire(s) missed while no scheduler was running were skipped (SKIP).` }];
    }
    return [{ fireTime: lateLatest, run: false, note: `Skipped (SKIP): ${count(due)} fires came while no scheduler was running; none ran.` }];
  }

  private async handle(schedule: Schedule, decision: FireDecision): Promise<FireReport | null> {
    const { jobName } = schedule;
    const { fireTime } = decision;
    const claim = await withRetry(() =>
      this.store.claim(jobName, fireTime, this.ownerName, this.now(), this.claimTtlMs, decision.run ? 'CLAIMED' : 'SKIPPED_MISFIRE', decision.note),
    );
    if (claim.kind === 'pending') return null; // another desk is launching it; if it dies, its claim expires
    if (claim.kind === 'taken') {
      await withRetry(() => this.store.advance(jobName, fireTime));
      return null;
    }
    const report: FireReport = { jobName, fireTime, outcome: decision.run ? 'CLAIMED' : 'SKIPPED_MISFIRE', executionId: null, message: decision.note };
    if (decision.run) await this.launch(schedule, claim.fireId, report);
    else this.logger.info(`[scheduler] ${jobName} fire ${fireTime.toISOString()} skipped: ${decision.note}`);
    await withRetry(() => this.store.advance(jobName, fireTime));
    return report;
  }

  private async launch(schedule: Schedule, fireId: number, report: FireReport): Promise<void> {
    const { jobName } = schedule;
    const fireTime = report.fireTime;
    const job = this.operator.job(jobName);
    const raw: Record<string, unknown> = { ...schedule.params };
    if (job.params.now?.type === 'dateTime') raw.now = fireTime;
    let launched;
    try {
      // A cheap look first: a fire with nothing to do is recorded as skipped, not run as an empty execution.
      if (job.hasWork) {
        const values = Object.fromEntries(this.operator.parameters(jobName, raw, fireTime).map((p) => [p.name, p.value]));
        if (!(await job.hasWork(this.database, values))) {
          report.outcome = 'SKIPPED_NO_WORK';
          report.message = [report.message, 'Nothing to do at this fire (the job found no work), so no execution was made.'].filter(Boolean).join(' ');
          await withRetry(() => this.store.recordFire(fireId, { outcome: report.outcome, message: report.message, endedAt: this.now() }));
          return;
        }
      }
      launched = await this.operator.start(jobName, raw, { launchedBy: this.launchedBy, now: fireTime });
    } catch (error) {
      const code = error instanceof BatchError ? error.code : undefined;
      report.outcome = code ? (OUTCOME_OF_REFUSAL[code] ?? 'REFUSED') : 'ERROR';
      report.message = [report.message, (error as Error).message ?? String(error)].filter(Boolean).join(' ');
      (report.outcome === 'ERROR' ? this.logger.warn : this.logger.info).call(
        this.logger,
        `[scheduler] ${jobName} fire ${fireTime.toISOString()}: ${report.outcome}: ${(error as Error).message ?? error}`,
      );
      await withRetry(() => this.store.recordFire(fireId, { outcome: report.outcome, message: report.message, endedAt: this.now() }));
      return;
    }
    report.outcome = 'STARTED';
    report.executionId = launched.execution.id;
    this.logger.info(`[scheduler] ${jobName} fire ${fireTime.toISOString()}: started execution ${launched.execution.id}`);
    const started = withRetry(() => this.store.recordFire(fireId, { outcome: 'STARTED', executionId: launched.execution.id }));
    const ended = this.recordEnd(fireId, started, launched.done);
    this.pending.add(ended);
    void ended.finally(() => this.pending.delete(ended));
    await started.catch((error) => {
      // The execution runs and its end will be written; the history only lags until then.
      this.logger.warn(`[scheduler] ${jobName}: could not record the start of execution ${launched.execution.id}: ${(error as Error).message}`);
    });
  }

  private async recordEnd(fireId: number, started: Promise<void>, done: Promise<JobExecution>): Promise<void> {
    const execution = await done;
    await started.catch(() => undefined);
    const outcome: FireOutcome = isRunning(execution.status) ? 'UNKNOWN' : (execution.status as FireOutcome);
    try {
      await withRetry(() =>
        this.store.recordFire(fireId, {
          outcome,
          executionId: execution.id,
          message: outcome === 'COMPLETED' ? undefined : execution.exitMessage?.split('\n')[0] || null,
          endedAt: this.now(),
        }),
      );
    } catch (error) {
      this.logger.warn(`[scheduler] could not record the end of execution ${execution.id}: ${(error as Error).message}`);
    }
  }

  private async purgeNowAndThen(now: Date): Promise<void> {
    if (now.getTime() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now.getTime();
    try {
      await this.store.purge(new Date(now.getTime() - this.historyDays * 86_400_000));
    } catch (error) {
      this.logger.warn(`[scheduler] could not purge old fires: ${(error as Error).message}`);
    }
  }

  // ---- the console -----------------------------------------------------------------------

  /** Every schedule with its next three fire times, its last fire and the cron in words. */
  async list(): Promise<ScheduleView[]> {
    const now = this.now();
    const views: ScheduleView[] = [];
    for (const schedule of await this.store.all()) {
      const [lastFire] = await this.store.history(schedule.jobName, 1);
      views.push({
        ...schedule,
        description: { ko: describeCron(schedule.cron, 'ko'), en: describeCron(schedule.cron, 'en') },
        nextFires: schedule.enabled ? this.safeNextFires(schedule, now) : [],
        lastFire: lastFire ? await this.withExecutionEnd(lastFire) : null,
        jobKnown: this.operator.jobs.some((job) => job.name === schedule.jobName),
      });
    }
    return views;
  }

  /** Fires of one job (or all), newest first. */
  async history(jobName?: string, limit = 50): Promise<ScheduleFire[]> {
    const fires = await this.store.history(jobName, Math.min(Math.max(limit, 1), 1000));
    return Promise.all(fires.map((fire) => this.withExecutionEnd(fire)));
  }

  private safeNextFires(schedule: Schedule, now: Date): Date[] {
    try {
      return nextFires(schedule.cron, schedule.timeZone, now, 3);
    } catch {
      return []; // a row edited by hand into nonsense: listed, never fired
    }
  }

  /** A fire still STARTED whose execution has ended (its desk died before recording it) shows that end. */
  private async withExecutionEnd(fire: ScheduleFire): Promise<ScheduleFire> {
    if (fire.outcome !== 'STARTED' || fire.executionId === null) return fire;
    const status = await this.operator.repository.jobExecutionStatus(fire.executionId);
    return status && !isRunning(status) ? { ...fire, outcome: status as FireOutcome } : fire;
  }

  /**
   * Changes a schedule. The cron and time zone are checked first; a bad one is refused with a
   * ScheduleError and nothing is written. A new cron or zone, or re-enabling, counts fires from
   * now on, so the edit is not mistaken for missed fires.
   */
  async update(jobName: string, change: ScheduleChange, by: string): Promise<Schedule> {
    const current = await this.store.get(jobName);
    if (!current) throw new ScheduleError('NO_SUCH_SCHEDULE', `There is no schedule for ${jobName}`);
    const timeZone = change.timeZone ?? current.timeZone;
    if (change.timeZone !== undefined && !isValidTimeZone(change.timeZone)) {
      throw new ScheduleError('INVALID_TIME_ZONE', `"${change.timeZone}" is not a time zone name; use one like Asia/Seoul or UTC`);
    }
    const cron = change.cron !== undefined ? this.checkCron(change.cron, timeZone) : current.cron;
    if (change.misfirePolicy !== undefined && !MISFIRE_POLICIES.includes(change.misfirePolicy)) {
      throw new ScheduleError('INVALID_MISFIRE_POLICY', `Misfire policy must be one of ${MISFIRE_POLICIES.join(', ')}; got "${change.misfirePolicy}"`);
    }
    if (change.enabled !== undefined && typeof change.enabled !== 'boolean') {
      throw new ScheduleError('INVALID_PARAMETER', `enabled must be true or false; got ${JSON.stringify(change.enabled)}`);
    }
    if (change.params !== undefined) this.checkParams(jobName, change.params);

    const now = this.now();
    const rebase = cron !== current.cron || timeZone !== current.timeZone || (change.enabled === true && !current.enabled);
    await this.store.update(jobName, {
      cron,
      timeZone,
      enabled: change.enabled,
      misfirePolicy: change.misfirePolicy,
      params: change.params,
      activeSince: rebase ? now : undefined,
      modifiedAt: now,
      modifiedBy: by,
    });
    return (await this.store.get(jobName))!;
  }

  /**
   * Inserts the application's default schedules that are not stored yet; never touches one that
   * exists (staff may have edited it). All are checked before any is written. Returns the job
   * names inserted.
   */
  async ensureDefaults(defaults: readonly ScheduleDefault[]): Promise<string[]> {
    const now = this.now();
    const rows = defaults.map((d) => {
      const timeZone = d.timeZone ?? this.operator.timeZone;
      if (!isValidTimeZone(timeZone)) throw new ScheduleError('INVALID_TIME_ZONE', `${d.jobName}: "${timeZone}" is not a time zone name`);
      const misfirePolicy = d.misfirePolicy ?? 'RUN_ONCE';
      if (!MISFIRE_POLICIES.includes(misfirePolicy)) {
        throw new ScheduleError('INVALID_MISFIRE_POLICY', `${d.jobName}: misfire policy must be one of ${MISFIRE_POLICIES.join(', ')}`);
      }
      return {
        jobName: d.jobName,
        cron: this.checkCron(d.cron, timeZone, d.jobName),
        timeZone,
        enabled: d.enabled ?? true,
        misfirePolicy,
        params: d.params ?? {},
        activeSince: now,
        createdAt: now,
        modifiedAt: now,
        modifiedBy: 'defaults',
      };
    });
    const inserted: string[] = [];
    for (const row of rows) {
      if (await withRetry(() => this.store.insertIfMissing(row))) inserted.push(row.jobName);
    }
    return inserted;
  }

  private checkCron(cron: string, timeZone: string, jobName?: string): string {
    try {
      return validateCron(cron, timeZone);
    } catch (error) {
      if (!(error instanceof CronError)) throw error;
      const code = /time zone/.test(error.message) ? 'INVALID_TIME_ZONE' : 'INVALID_CRON';
      throw new ScheduleError(code, jobName ? `${jobName}: ${error.message}` : error.message);
    }
  }

  /** Extra launch parameters must be ones the job takes (checked with a stand-in `now`). */
  private checkParams(jobName: string, params: Record<string, unknown>): void {
    if (!params || typeof params !== 'object' || Array.isArray(params)) {
      throw new ScheduleError('INVALID_PARAMETER', 'Schedule parameters must be an object of name → value');
    }
    if (!this.operator.jobs.some((job) => job.name === jobName)) return; // another app's job: stored as given
    const job = this.operator.job(jobName);
    const raw: Record<string, unknown> = { ...params };
    if (job.params.now?.type === 'dateTime') raw.now = this.now();
    try {
      this.operator.parameters(jobName, raw, this.now());
    } catch (error) {
      throw new ScheduleError('INVALID_PARAMETER', (error as Error).message);
    }
  }
}
