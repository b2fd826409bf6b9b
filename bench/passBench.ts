// What every pass-job benchmark does, on SQLite and then on MariaDB, each in a database of its
// own: make the workload (set-based, bench/passData.ts), run the job through a JobOperator with
// explicit parameters and check what it changed; make the same data again and time the limit
// (the fewest set-based statements doing the same change, no engine), checked the same way;
// make it again and time the hurried script (row at a time, autocommit) on a sample. One row
// per database: the job's time, its ratio to the limit, its speed-up over the loop's rate.
import { basename, join } from 'node:path';
import { sql } from 'kysely';
import { JobOperator, type Database, type JobDefinition, type JobExecution, type StepExecution } from '../main/batch/index.ts';
import { withWorkerDirectory } from '../main/pass/workerFiles.ts';
import { row, type Benchmark, type BenchRow, type Scale } from './benchmark.ts';
import { buildBenchWorkers, freshMysql, log, median, round, rssSampler, tempSqlite, timeIt, workerStartSeconds, type BenchDatabase } from './support.ts';

/** The moment the workloads are laid out around (a Monday noon in Seoul). */
export const DATA_NOW = new Date('2026-06-01T03:00:00.000Z');

/** A goal from issue 6: the job within `max`× the limit, or at least `min` items per second. */
export type Goal = { ratioAtMost: number } | { perSecondAtLeast: number };

export interface RunContext {
  db: Database;
  scale: Scale;
  /** the workload size for this scale (passes, members, bookings, messages) */
  size: number;
  /** the job's `now`: DATA_NOW plus a few seconds, different for every run (a new JobInstance) */
  now: Date;
}

export interface PassBenchSpec {
  name: string;
  description: string;
  job: JobDefinition<any>;
  /** the row's job column (default: the job's name) */
  label?: string;
  sizes: Record<Scale, number>;
  /** items the hurried loop handles at each scale */
  sample: Record<Scale, number>;
  goal: Goal;
  /** one line: what the workload is */
  workload(size: number): string;
  /** empties the tables it uses and fills them; returns how many items the job should process */
  prepare(ctx: RunContext): Promise<number>;
  /** cheaper than prepare to undo a run, when the job changes only some tables */
  reset?(ctx: RunContext): Promise<void>;
  params(ctx: RunContext, run: number): Record<string, unknown>;
  /** after a run (job or limit): null when every change is exactly as expected, else what is wrong */
  check(ctx: RunContext, items: number, what: 'job' | 'limit'): Promise<string | null>;
  /** one line: what the limit does */
  limitText: string;
  limit(ctx: RunContext): Promise<void>;
  /** the hurried script on `sample` items; returns how many it handled */
  loop(ctx: RunContext, sample: number): Promise<number>;
  /** once per process, before anything (e.g. start a local sink); returns its teardown */
  setup?(): Promise<() => Promise<void>>;
  /** more rows from the same database after the main one (e.g. a scaling run) */
  extra?(ctx: RunContext, tools: Tools, measured: Measured): Promise<BenchRow[]>;
  /** the Piscina worker module the job's partitioned steps load: its start-up is measured and noted */
  workerFile?: string;
  /**
   * The baseline the ratio is taken to, when it is not the measured limit (the sends: in-flight ÷
   * the sink's delay); the measured limit then goes in the note only.
   */
  baseline?(items: number, measuredLimitSeconds: number): number;
  /** the extra note on the main row (e.g. in-flight limit arithmetic) */
  note?(ctx: RunContext, measured: Measured): string;
  /**
   * How many times the job and the limit are run, alternating, each on data made again (default
   * 1). With more, the row gives the median run and the note every run's ratio, and the goal
   * counts as met only when every run met it.
   */
  runs?: number;
}

export interface Measured {
  items: number;
  /** the job's seconds (the median run's, with several) */
  seconds: number;
  /** the limit's seconds (the median run's, with several) */
  limitSeconds: number;
  /** every run: the job's and the limit's seconds, in the order they ran */
  runs: Array<{ seconds: number; limitSeconds: number }>;
  loopItems: number;
  loopSeconds: number;
  steps: StepExecution[];
}

export interface Tools {
  /** prepare, then run the job once and check it; seconds, items, and the peak RSS while it ran (MB) */
  runJob(size: number): Promise<{ seconds: number; items: number; execution: JobExecution; steps: StepExecution[]; peakRssMb: number }>;
}

const s3 = (n: number) => n.toFixed(3);

/** "1.31 / 1.42 / 1.38× (median 1.38, spread 0.11)": every run in order, then the median and max − min. */
export function spread(values: number[], unit = '×'): string {
  const digits = unit === '×' ? 2 : 3;
  return `${values.map((v) => v.toFixed(digits)).join(' / ')}${unit} (median ${median(values).toFixed(digits)}, spread ${(Math.max(...values) - Math.min(...values)).toFixed(digits)})`;
}
const perSecond = (items: number, seconds: number) => Math.round(items / seconds).toLocaleString('en-US');

export function verdict(goal: Goal, seconds: number, limitSeconds: number, items: number, scale: Scale): string {
  const at = scale === 'full' ? '' : ' (stated at full scale)';
  if ('ratioAtMost' in goal) {
    const ratio = seconds / limitSeconds;
    return ratio <= goal.ratioAtMost
      ? `goal ≤ ${goal.ratioAtMost}× the limit met${at}`
      : `goal ≤ ${goal.ratioAtMost}× the limit missed by ${(ratio / goal.ratioAtMost).toFixed(1)}× (${s3(seconds - limitSeconds * goal.ratioAtMost)} s over)${at}`;
  }
  const rate = items / seconds;
  return rate >= goal.perSecondAtLeast
    ? `goal ≥ ${goal.perSecondAtLeast.toLocaleString('en-US')}/s met${at}`
    : `goal ≥ ${goal.perSecondAtLeast.toLocaleString('en-US')}/s missed by ${(goal.perSecondAtLeast / rate).toFixed(1)}×${at}`;
}

/** "expirePassesStep 1.20 s (read 50,000), startPassesStep 0.01 s": where the job's time went. */
export function stepTimes(steps: StepExecution[]): string {
  const secs = (s: StepExecution) => ((s.endTime?.getTime() ?? Date.now()) - (s.startTime ?? s.createTime).getTime()) / 1000;
  const top = steps.filter((s) => !s.stepName.includes(':')).sort((a, b) => a.id - b.id);
  return top
    .map((s) => {
      const parts = steps.filter((p) => p.stepName.startsWith(`${s.stepName}:`));
      const partitions = parts.length
        ? `, ${parts.length} partitions, slowest ${Math.max(...parts.map(secs)).toFixed(2)} s, ${parts.reduce((n, p) => n + p.rollbackCount, 0)} rollbacks`
        : '';
      const read = parts.length ? parts.reduce((n, p) => n + p.readCount, 0) : s.readCount;
      const commits = parts.length ? parts.reduce((n, p) => n + p.commitCount, 0) : s.commitCount;
      return `${s.stepName} ${secs(s).toFixed(2)} s (read ${read.toLocaleString('en-US')}, ${commits.toLocaleString('en-US')} commits${partitions})`;
    })
    .join(', ');
}

async function forDatabase(spec: PassBenchSpec, scale: Scale, label: string, open: () => Promise<BenchDatabase | { unreachable: string }>): Promise<BenchRow[]> {
  const job = spec.label ?? spec.job.name;
  const size = spec.sizes[scale];
  const opened = await open();
  if ('unreachable' in opened) {
    log(`${spec.name}/${label}: skipped, ${opened.unreachable}`);
    return [row({ job, db: label, note: `skipped: ${opened.unreachable}` })];
  }
  const { db } = opened;
  // partitions on the worker bundles the built app runs (out/workers/*.cjs), not tsx
  const workerDir = spec.workerFile ? await buildBenchWorkers() : null;
  const operator = new JobOperator({ database: db, jobs: workerDir ? withWorkerDirectory([spec.job], workerDir) : [spec.job] });
  let runs = 0;
  const context = (n: number): RunContext => ({ db, scale, size: n, now: new Date(DATA_NOW.getTime() + ++runs * 1000) });
  const problems: string[] = [];
  const checked = async (what: string, ctx: RunContext, items: number) => {
    const problem = await spec.check(ctx, items, what.startsWith('the limit') ? 'limit' : 'job');
    if (problem) {
      problems.push(`${what}: ${problem}`);
      log(`${spec.name}/${label}: CHECK FAILED after ${what}: ${problem}`);
    }
  };
  const tools: Tools = {
    async runJob(n) {
      const ctx = context(n);
      let items = 0;
      const made = await timeIt(async () => (items = await spec.prepare(ctx)));
      log(`${spec.name}/${label}: ${spec.workload(n)}: made in ${s3(made)} s; ${items.toLocaleString('en-US')} items for the job`);
      // The database as the app keeps it: SQLite's planner statistics for the data just loaded,
      // which the job would gather itself at its start (main/batch/jobRunner.ts) the first time
      // it met this much new data, a one-off of up to ~0.8 s for 1,000,000 fresh rows.
      if (db.dialect === 'sqlite') log(`${spec.name}/${label}: planner statistics in ${s3(await timeIt(() => sql.raw('PRAGMA optimize=0x10002').execute(db.kysely)))} s`);
      let execution: JobExecution | undefined;
      const memory = rssSampler();
      const seconds = await timeIt(async () => (execution = await operator.run(spec.job.name, spec.params(ctx, runs))));
      const peakRssMb = memory.stop();
      if (execution!.status !== 'COMPLETED') throw new Error(`${spec.job.name} ended ${execution!.status}: ${execution!.exitMessage}`);
      const steps = await operator.repository.stepExecutions(execution!.id);
      log(`${spec.name}/${label}: job ${s3(seconds)} s (${perSecond(items, seconds)}/s): ${stepTimes(steps)}`);
      await checked(n === size ? 'the job' : `the job at ${n.toLocaleString('en-US')}`, ctx, items);
      return { seconds, items, execution: execution!, steps, peakRssMb };
    },
  };
  try {
    // before any pool exists, so the measuring thread does not add to the peak RSS
    const workerStart = spec.workerFile && workerDir ? await workerStartSeconds(join(workerDir, `${basename(spec.workerFile, '.ts')}.cjs`)) : null;
    // the job, then the limit on the same data made again; several times, alternating, when asked
    const runs: Measured['runs'] = [];
    let first: Awaited<ReturnType<Tools['runJob']>> | undefined;
    let ctx = context(size);
    for (let i = 0; i < (spec.runs ?? 1); i++) {
      const job = await tools.runJob(size);
      first ??= job;
      ctx = context(size);
      if (spec.reset) await spec.reset(ctx);
      else await spec.prepare(ctx);
      const limitSeconds = await timeIt(() => spec.limit(ctx));
      log(`${spec.name}/${label}: limit ${s3(limitSeconds)} s (${perSecond(job.items, limitSeconds)}/s)${spec.runs ? `, run ${i + 1} of ${spec.runs}: ratio ${(job.seconds / limitSeconds).toFixed(2)}×` : ''}`);
      await checked('the limit', ctx, job.items);
      runs.push({ seconds: job.seconds, limitSeconds });
    }
    const { items, steps } = first!;
    const peakRssMb = first!.peakRssMb;
    const seconds = median(runs.map((r) => r.seconds));
    const limitSeconds = median(runs.map((r) => r.limitSeconds));

    // the hurried loop, on a sample of the same data made again
    ctx = context(size);
    if (spec.reset) await spec.reset(ctx);
    else await spec.prepare(ctx);
    let loopItems = 0;
    const loopSeconds = await timeIt(async () => (loopItems = await spec.loop(ctx, Math.min(spec.sample[scale], items))));
    log(`${spec.name}/${label}: loop ${loopItems.toLocaleString('en-US')} items in ${s3(loopSeconds)} s (${perSecond(loopItems, loopSeconds)}/s)`);

    const measured: Measured = { items, seconds, limitSeconds, runs, loopItems, loopSeconds, steps };
    const baseline = spec.baseline?.(items, limitSeconds) ?? limitSeconds;
    // with several runs, the goal holds when the worst run's ratio meets it
    const worst = runs.reduce((w, r) => (r.seconds / r.limitSeconds > w.seconds / w.limitSeconds ? r : w));
    // a failed check leads the note, so the runner counts the benchmark as failed
    const note = [
      problems.length ? `failed: check: ${problems.join('; ')}` : null,
      runs.length > 1 && !spec.baseline
        ? `${verdict(spec.goal, worst.seconds, worst.limitSeconds, items, scale)} (its worst of ${runs.length} runs)`
        : verdict(spec.goal, seconds, baseline, items, scale),
      runs.length > 1 ? `${runs.length} runs, alternating job and limit on data made again: ratios ${spread(runs.map((r) => r.seconds / r.limitSeconds))}; job ${spread(runs.map((r) => r.seconds), ' s')}; limit ${spread(runs.map((r) => r.limitSeconds), ' s')}` : null,
      problems.length ? null : 'every change checked',
      `${spec.workload(size)}`,
      `${spec.baseline ? 'measured limit' : 'limit'} (${spec.limitText}) ${s3(limitSeconds)} s`,
      `loop ${loopItems.toLocaleString('en-US')} items at ${perSecond(loopItems, loopSeconds)}/s`,
      `steps: ${stepTimes(steps)}`,
      workerStart === null ? null : `starting one worker thread (the built bundle) takes ${workerStart.toFixed(2)} s here, and the job's time includes it`,
      spec.note?.(ctx, measured),
    ].filter(Boolean);
    const main = row({
      job: spec.label ?? spec.job.name,
      db: label,
      items,
      seconds: round(seconds, 3),
      itemsPerSecond: Math.round(items / seconds),
      ratioToLimit: round(runs.length > 1 && !spec.baseline ? median(runs.map((r) => r.seconds / r.limitSeconds)) : seconds / baseline, 2),
      speedupOverLoop: loopItems ? round(loopSeconds / loopItems / (seconds / items), 1) : null,
      baselineSeconds: round(baseline, 3),
      peakRssMb,
      note: note.join('; '),
    });
    const before = problems.length;
    const extra = spec.extra ? await spec.extra(context(size), tools, measured) : [];
    for (const r of extra) {
      r.db = label;
      // checks made during the extra runs land in `problems` too
      if (problems.length > before) r.note = `failed: check: ${problems.slice(before).join('; ')}; ${r.note ?? ''}`;
    }
    return [main, ...extra];
  } finally {
    await operator.close();
    await opened.dispose();
  }
}

export function passBenchmark(spec: PassBenchSpec): Benchmark {
  return {
    name: spec.name,
    description: spec.description,
    async run(scale) {
      const teardown = spec.setup ? await spec.setup() : undefined;
      try {
        return [
          ...(await forDatabase(spec, scale, 'sqlite', () => tempSqlite(spec.name))),
          ...(await forDatabase(spec, scale, 'mariadb', () => freshMysql(spec.name))),
        ];
      } finally {
        await teardown?.();
      }
    },
  };
}
