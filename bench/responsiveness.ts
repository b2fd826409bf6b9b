// Responsiveness (issue 15): the console as `pass-batch serve` runs it (the desktop composition
// root and the HTTP server, main/app/console.ts + main/http/server.ts) over SQLite, with
// passes (half due) and bookings (a tenth still to deduct), while expirePassesJob, usePassesJob and
// makeStatisticsJob each run. The serving thread records its longest stall throughout (the
// largest gap between ticks of a 5 ms interval; monitorEventLoopDelay under-reports a
// synchronous block).
//
// Four runs (six, see below) in one process (rounds of them: three at the default scale, five at full), each on a fresh copy of one prepared file: the jobs in-process (on
// the serving thread, as before issue 15; its connection synchronous = NORMAL) or on the job
// thread (the console's default on SQLite; the serving connection's commits synced before they
// return, synchronous = AFTER_COMMIT), each
// once with a worker thread probing one light API call (GET /api/executions?pageSize=20) back to
// back, and once with the serving thread making a desk sale (passes.register) every 200 ms and
// nothing else. The second kind also times the jobs without the probe's load on the two cores.
// Where the thread that runs the jobs can be pinned (Linux, taskset, two cores), two more runs
// with the probe: in-process and on the job thread, that thread alone on one core and every
// other on the other, as on a machine with a core more than the probe's two threads take.
// Goals: under any job p95 ≤ 50 ms and max ≤ 200 ms; each job ≤ 1.1× its in-process time.
// Also: what a desk sale costs, no job running, synced (AFTER_COMMIT) against NORMAL (item 6).
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { openConsole } from '../main/app/console.ts';
import { startHttpServer } from '../main/http/server.ts';
import type { Session } from '../main/service/staff.ts';
import { row, type Benchmark, type BenchRow, type Scale } from './benchmark.ts';
import { DATA_NOW } from './passBench.ts';
import { at, exec, insertFromNumbers, insertMembers, scalar, settle } from './passData.ts';
import { log, median, round, tempSqlite } from './support.ts';

/** passes (half due) and bookings; bench_numbers (passData.ts) counts to 1,000,000 */
const SIZES: Record<Scale, { passes: number; bookings: number; idleMs: number }> = {
  small: { passes: 20_000, bookings: 20_000, idleMs: 2_000 },
  default: { passes: 100_000, bookings: 100_000, idleMs: 3_000 },
  full: { passes: 1_000_000, bookings: 1_000_000, idleMs: 5_000 },
};
const DAY = 86_400_000;
const PASSWORD = 'bench-password-1';
const JOBS = ['expirePassesJob', 'usePassesJob', 'makeStatisticsJob'] as const;
/**
 * Jobs whose work runs on partition workers. Pinned (pinApart), they are not compared like with
 * like: the workers take their starter's core, and in-process that core is also the serving
 * thread's, which answers the probe while they work.
 */
const PARTITIONED: ReadonlySet<string> = new Set(['usePassesJob']);
const GOAL = { p95: 50, max: 200, ratio: 1.1 };
const YEAR_BEFORE = new Date(DATA_NOW.getTime() - 365 * DAY);
/** Runs with nothing to do (no booking ended a year before the data): see measureMode's warm-up. */
const warmUps = (reportDir: string): Record<string, Record<string, unknown>> => ({
  usePassesJob: { now: YEAR_BEFORE },
  makeStatisticsJob: { from: new Date(YEAR_BEFORE.getTime() - 2 * DAY), to: YEAR_BEFORE, reportDir },
});

const now = () => performance.timeOrigin + performance.now();

/**
 * The probe: back-to-back GETs from a thread of its own, so a blocked serving thread can't delay
 * the sending. node:http with one kept-alive connection, not fetch: the probe shares the two
 * cores with the job, and fetch cost more than the call it measured (measured over 3 s with the
 * job thread idle: fetch 2,400-3,200 calls, the prober 43-46 % of a core and V8's GC threads
 * 30-35 % more; node:http 5,700 calls, the prober 25-28 % and the GC threads 6-12 %, while the
 * serving thread answers twice as many calls). So the serving thread is probed harder and the
 * instrument takes less of the machine.
 */
const PROBER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let running = true;
const samples = [];
parentPort.on('message', () => { running = false; });
const get = () => new Promise((resolve, reject) => {
  http.get(workerData.url, { agent, headers: { authorization: 'Bearer ' + workerData.token } }, (response) => {
    response.resume();
    response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error('probe answered ' + response.statusCode))));
  }).on('error', reject);
});
(async () => {
  while (running) {
    const start = performance.timeOrigin + performance.now();
    await get();
    samples.push([start, performance.timeOrigin + performance.now() - start]);
  }
  parentPort.postMessage(samples);
})();
`;

function startProber(url: string, token: string): () => Promise<Array<[number, number]>> {
  const worker = new Worker(PROBER, { eval: true, workerData: { url, token } });
  const result = new Promise<Array<[number, number]>>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return async () => {
    worker.postMessage('stop');
    const samples = await result;
    await worker.terminate();
    return samples;
  };
}

/**
 * Linux: what a thread of this process has had of the CPUs so far, from
 * /proc/self/task/<tid>/schedstat: ms spent running, and ms spent runnable but waiting for a CPU
 * (held by another thread). Elsewhere undefined. Timed around a job on the thread that runs it,
 * the first is the job's own work (the same on either thread if the job thread adds none), the
 * second what the machine's other work cost it.
 */
interface CpuTime {
  runMs: number;
  waitMs: number;
}
function cpuTime(tid: string | undefined): CpuTime | undefined {
  if (tid === undefined) return undefined;
  try {
    const [run, wait] = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').trim().split(' ').map(Number);
    return run === undefined || wait === undefined || Number.isNaN(run + wait) ? undefined : { runMs: run / 1e6, waitMs: wait / 1e6 };
  } catch {
    return undefined;
  }
}
const threadIds = (): string[] => {
  try {
    return readdirSync('/proc/self/task');
  } catch {
    return [];
  }
};

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Latency {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

/** The probes whose request overlapped [from, to]. */
function latency(samples: Array<[number, number]>, from: number, to: number): Latency {
  const values = samples.filter(([start, ms]) => start <= to && start + ms >= from).map(([, ms]) => ms);
  values.sort((a, b) => a - b);
  return { n: values.length, p50: percentile(values, 50), p95: percentile(values, 95), max: values.at(-1) ?? NaN };
}

const fmt = (l: Latency) => `p50 ${l.p50.toFixed(1)} / p95 ${l.p95.toFixed(1)} / max ${l.max.toFixed(0)} ms (${l.n} probes)`;

/**
 * Passes 1..P: even ones due (by end or uses), odd ones in use; bookings 1..B ended over the last
 * two days, on odd passes, a tenth of them not yet deducted.
 */
export async function prepareFile(file: string, scale: Scale): Promise<void> {
  const { passes, bookings } = SIZES[scale];
  const opened = await tempSqlite('responsiveness');
  try {
    const { db } = opened;
    await insertMembers(db, 1_000);
    if ((await scalar(db, 'SELECT COUNT(*) FROM package')) === 0) {
      await exec(db, `INSERT INTO package (package_seq, package_name, count, period, created_at) VALUES (1, 'PT 10', 10, 60, ${at(DATA_NOW)})`);
    }
    const past = at(new Date(DATA_NOW.getTime() - 10 * DAY));
    await insertFromNumbers(
      db,
      'pass',
      {
        pass_seq: 'n',
        package_seq: '1',
        user_id: "('m' || (1 + n % 1000))",
        status: `CASE WHEN n % 8 = 0 THEN 'READY' ELSE 'PROGRESSED' END`,
        remaining_count: `CASE WHEN n % 4 = 2 THEN 0 WHEN n % 10 = 3 THEN NULL ELSE 5 END`,
        started_at: past,
        ended_at: `CASE WHEN n % 4 = 0 THEN ${at(new Date(DATA_NOW.getTime() - DAY))} WHEN n % 10 = 1 THEN NULL ELSE ${at(new Date(DATA_NOW.getTime() + 30 * DAY))} END`,
        created_at: past,
      },
      1,
      passes,
    );
    const span = 2 * 86_400;
    const ended = `strftime('%Y-%m-%d %H:%M:%f', ${at(new Date(DATA_NOW.getTime() - 2 * DAY))}, (((n - 1) * ${span}) / ${bookings}) || ' seconds')`;
    await insertFromNumbers(
      db,
      'booking',
      {
        booking_seq: 'n',
        pass_seq: `1 + 2 * ((n * 7919) % ${Math.floor(passes / 2)})`,
        user_id: "('m' || (1 + n % 1000))",
        status: "CASE WHEN n % 10 = 0 THEN 'CANCELLED' ELSE 'COMPLETED' END",
        // a tenth still to be deducted (usePassesJob's work, as in the usePasses benchmark's sizes); makeStatisticsJob counts them all
        used_pass: 'CASE WHEN n % 10 = 1 THEN 0 ELSE 1 END',
        attended: 'CASE WHEN n % 3 <> 0 THEN 1 ELSE 0 END',
        started_at: ended,
        ended_at: ended,
        created_at: past,
      },
      1,
      bookings,
    );
    await exec(db, 'DROP TABLE IF EXISTS bench_numbers');
    await exec(db, 'DROP TABLE IF EXISTS bench_k');
    await settle(db);
    await db.close();
    copyFileSync(join(db.url.slice('sqlite:'.length)), file);
  } finally {
    await opened.dispose();
  }
}

interface JobMeasure {
  job: string;
  seconds: number;
  under: Latency;
  stallMs: number;
  sales: number[];
  status: string;
  /** the CPU time of the thread that ran the job (the serving thread in-process), where it can be read */
  cpu: CpuTime | undefined;
}

/** Rounds of the modes (see the note at the top). */
const ROUNDS: Record<Scale, number> = { small: 1, default: 3, full: 5 };

/** Of several windows' latencies, the worst: the highest p50, p95 and max, and all their probes. */
function worstLatency(all: Latency[]): Latency {
  return { p50: Math.max(...all.map((l) => l.p50)), p95: Math.max(...all.map((l) => l.p95)), max: Math.max(...all.map((l) => l.max)), n: all.reduce((n, l) => n + l.n, 0) };
}

/** Where the jobs run, and what the serving thread does meanwhile: answer probes, or make desk sales. */
interface Mode {
  thread: boolean;
  load: 'probes' | 'sales';
  /** the thread that runs the jobs alone on a core, every other thread on another (see pinApart) */
  pinned?: boolean;
}
const modeName = (m: Mode) => `${m.thread ? 'job thread' : 'in-process'}, ${m.load === 'probes' ? 'API probed' : 'desk sales'}${m.pinned ? ', the job on a core of its own' : ''}`;
const sameMode = (a: Mode, b: Mode) => a.thread === b.thread && a.load === b.load && !a.pinned === !b.pinned;

/**
 * Linux with `taskset` and two cores or more: the thread that runs the jobs on core 1 alone and
 * every other thread of the process (the serving thread, the prober, V8's and libuv's) on core
 * 0, as a machine with a core more than the probe takes would let them run. Threads started
 * later take their starter's core (a job's partition workers: the job's). Undefined where it
 * cannot be done.
 */
const ALLOWED_CORES = (() => {
  if (process.platform !== 'linux' || availableParallelism() < 2) return undefined;
  try {
    const allowed = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    // cores 0 and 1 both allowed (a range from 0), and taskset there to pin with
    if (!allowed || !/^0-[1-9]\d*$/.test(allowed)) return undefined;
    execFileSync('taskset', ['-pc', String(process.pid)], { stdio: 'ignore' });
    return allowed;
  } catch {
    return undefined;
  }
})();
const canPin = ALLOWED_CORES !== undefined;
function pinApart(jobTid: string): void {
  for (const tid of threadIds()) execFileSync('taskset', ['-pc', tid === jobTid ? '1' : '0', tid], { stdio: 'ignore' });
}
/** Every thread back on the cores the process was given. */
function unpin(): void {
  for (const tid of threadIds()) execFileSync('taskset', ['-pc', ALLOWED_CORES!, tid], { stdio: 'ignore' });
}

interface ModeMeasure {
  mode: Mode;
  idle: Latency;
  idleStallMs: number;
  /** a desk sale's median and p95 ms, idle, sequential */
  sale: { median: number; p95: number };
  /** ms of each warm-up run (warmUps) */
  warmups: Record<string, number>;
  jobs: JobMeasure[];
}

/** The serving thread's longest stall while `work` runs, and desk sales every 200 ms meanwhile when `sale` is given (their ms). */
async function watch(work: () => Promise<void>, sale?: () => Promise<void>): Promise<{ stallMs: number; sales: number[] }> {
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const t = performance.now();
    longest = Math.max(longest, t - last);
    last = t;
  }, 5);
  const sales: number[] = [];
  let selling = sale !== undefined;
  // the pause between sales ends early when the work does, so watch returns with it
  let pause: { timer: NodeJS.Timeout; end: () => void } | undefined;
  const seller = (async () => {
    while (selling) {
      await new Promise<void>((end) => (pause = { timer: setTimeout(end, 200), end }));
      if (!selling) break;
      const start = performance.now();
      await sale!();
      sales.push(performance.now() - start);
    }
  })();
  try {
    await work();
    longest = Math.max(longest, performance.now() - last);
  } finally {
    clearInterval(ticker);
    selling = false;
    if (pause) {
      clearTimeout(pause.timer);
      pause.end();
    }
    await seller;
  }
  return { stallMs: longest, sales };
}

async function measureMode(mode: Mode, file: string, scale: Scale, reportDir: string): Promise<ModeMeasure> {
  const engine = await openConsole({
    dbUrl: `sqlite:${file}`,
    adminPassword: PASSWORD,
    seedDemo: false,
    scheduler: false,
    jobThread: mode.thread,
    log: () => undefined,
  });
  const server = await startHttpServer({ service: engine.service, warn: () => undefined });
  try {
    const { service } = engine;
    const { token } = await service.call(null, 'session.login', { username: 'admin', password: PASSWORD });
    const session = (await service.authenticate(token)) as Session;
    let member = 0;
    const sale = async () => {
      await service.call(session, 'passes.register', { userId: `m${1 + (member++ % 1000)}`, packageSeq: 1, startedAt: '2026-06-01T10:00' });
    };
    // Warm-up: the first launch starts the job thread (through tsx from source) and refreshes
    // SQLite's planner statistics of the loaded rows; neither is the jobs' own time.
    const threadsBefore = new Set(threadIds());
    await engine.runtime.operator.run('cleanJobHistoryJob', { now: DATA_NOW });
    for (let i = 0; i < 20; i++) await sale();
    // The jobs that can run with nothing to do run once so first, a year before the data, in
    // every mode: a console open for a while runs its jobs on code V8 has compiled, on the job
    // thread as on the serving thread (which the sales above and the login warm for the
    // in-process runs). A fresh job thread's first run of makeStatisticsJob otherwise pays
    // 80-130 ms of it that the serving thread does not; these runs' times are printed.
    const warmups: Record<string, number> = {};
    for (const [job, params] of Object.entries(warmUps(reportDir))) {
      const start = performance.now();
      const execution = await engine.runtime.operator.run(job, params);
      if (execution.status !== 'COMPLETED') throw new Error(`the warm-up run of ${job} ended ${execution.status}: ${execution.exitMessage}`);
      warmups[job] = performance.now() - start;
    }
    // The thread that runs the jobs: in-process the serving thread (its id is the process's);
    // else the job thread, the thread the first launch started that has run the most since.
    const jobTid = mode.thread
      ? threadIds()
          .filter((tid) => !threadsBefore.has(tid))
          .map((tid) => ({ tid, runMs: cpuTime(tid)?.runMs ?? -1 }))
          .sort((a, b) => b.runMs - a.runMs)[0]?.tid
      : String(process.pid);
    const saleMs: number[] = [];
    for (let i = 0; i < 200; i++) {
      const start = performance.now();
      await sale();
      saleMs.push(performance.now() - start);
    }
    saleMs.sort((a, b) => a - b);

    const stop = mode.load === 'probes' ? startProber(`${server.url}/api/executions?pageSize=20`, token) : async () => [] as Array<[number, number]>;
    if (mode.pinned) pinApart(jobTid!);
    await new Promise((r) => setTimeout(r, 300));
    const idleFrom = now();
    const idleWatch = await watch(() => new Promise((r) => setTimeout(r, SIZES[scale].idleMs)));
    const idleTo = now();
    const windows: Array<{ job: string; from: number; to: number; seconds: number; stallMs: number; sales: number[]; status: string; cpu: CpuTime | undefined }> = [];
    for (const job of JOBS) {
      await new Promise((r) => setTimeout(r, 500));
      const params = job === 'makeStatisticsJob' ? { from: new Date(DATA_NOW.getTime() - 2 * DAY), to: DATA_NOW, reportDir } : { now: DATA_NOW };
      const cpuBefore = cpuTime(jobTid);
      const from = now();
      let status = '';
      let cpuAfter: CpuTime | undefined;
      // the job's time ends when its run does, not when watch has stopped the desk sales
      let to = NaN;
      const watched = await watch(
        async () => {
          const execution = await engine.runtime.operator.run(job, params);
          to = now();
          cpuAfter = cpuTime(jobTid);
          status = execution.status === 'COMPLETED' ? 'COMPLETED' : `${execution.status}: ${execution.exitMessage}`;
        },
        mode.load === 'sales' ? sale : undefined,
      );
      const cpu = cpuBefore && cpuAfter ? { runMs: cpuAfter.runMs - cpuBefore.runMs, waitMs: cpuAfter.waitMs - cpuBefore.waitMs } : undefined;
      windows.push({ job, from, to, seconds: (to - from) / 1000, ...watched, status, cpu });
      const cpuNote = cpu ? `, its thread ran ${cpu.runMs.toFixed(0)} ms and waited for a CPU ${cpu.waitMs.toFixed(0)} ms` : '';
      log(`responsiveness [${modeName(mode)}] ${job}: ${((to - from) / 1000).toFixed(2)} s ${status}${cpuNote}, stall ${watched.stallMs.toFixed(0)} ms`);
    }
    const samples = await stop();
    return {
      mode,
      idle: latency(samples, idleFrom, idleTo),
      idleStallMs: idleWatch.stallMs,
      sale: { median: median(saleMs), p95: percentile(saleMs, 95) },
      warmups,
      jobs: windows.map((w) => ({ job: w.job, seconds: w.seconds, under: latency(samples, w.from, w.to), stallMs: w.stallMs, sales: w.sales, status: w.status, cpu: w.cpu })),
    };
  } finally {
    await server.close();
    await engine.close();
    if (mode.pinned) unpin();
  }
}

const benchmark: Benchmark = {
  name: 'responsiveness',
  description: 'the served console on SQLite: API latency and serving-thread stalls while expirePasses/usePasses/makeStatistics run, jobs in-process vs on the job thread; a desk sale synced after commit vs NORMAL',
  async run(scale) {
    const dir = mkdtempSync(join(tmpdir(), 'pc-bench-responsiveness-'));
    try {
      const source = join(dir, 'source.sqlite');
      await prepareFile(source, scale);
      const { passes, bookings } = SIZES[scale];
      log(`responsiveness: ${passes.toLocaleString('en-US')} passes (half due), ${bookings.toLocaleString('en-US')} bookings (a tenth to deduct)`);
      const modes: Mode[] = [
        { thread: false, load: 'probes' },
        { thread: true, load: 'probes' },
        { thread: false, load: 'sales' },
        { thread: true, load: 'sales' },
        // the probe's two threads want one of the two cores: these show the jobs with the other to themselves
        ...(canPin ? ([{ thread: false, load: 'probes', pinned: true }, { thread: true, load: 'probes', pinned: true }] as const) : []),
      ];
      if (!canPin) log('responsiveness: no runs with the job on a core of its own (they need Linux, taskset and two cores)');
      // Each mode ROUNDS times, the modes alternating within a round; the jobs' times are
      // the medians of the rounds, their ratio the median of the rounds' ratios (each round's
      // printed, and the medians' ratio), and the latencies and stalls the worst round's.
      const measures: ModeMeasure[] = [];
      for (let round = 0; round < ROUNDS[scale]; round++) {
        for (const mode of modes) {
          const file = join(dir, 'run.sqlite');
          copyFileSync(source, file);
          measures.push(await measureMode(mode, file, scale, join(dir, 'reports')));
          for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
        }
      }
      const rounds = (mode: Mode) => measures.filter((m) => sameMode(m.mode, mode));
      const rows: BenchRow[] = [];
      for (const mode of modes) {
        const ms = rounds(mode);
        const befores = rounds({ ...mode, thread: false });
        const isBaseline = !mode.thread;
        const idle = worstLatency(ms.map((m) => m.idle));
        const idleStallMs = Math.max(...ms.map((m) => m.idleStallMs));
        if (mode.load === 'probes') log(`responsiveness [${modeName(mode)}] idle ${fmt(idle)}, stall ${idleStallMs.toFixed(0)} ms`);
        const saleMedian = median(ms.map((m) => m.sale.median));
        log(`responsiveness [${modeName(mode)}] desk sale idle: median ${saleMedian.toFixed(2)} ms (${mode.thread ? 'synced after commit' : 'synchronous NORMAL'})`);
        for (const job of JOBS) {
          const js = ms.map((m) => m.jobs.find((j) => j.job === job)!);
          const bs = befores.map((m) => m.jobs.find((j) => j.job === job)!);
          const seconds = median(js.map((j) => j.seconds));
          const baseSeconds = median(bs.map((b) => b.seconds));
          // each round's ratio pairs two runs made minutes apart under the same load; the goal is
          // judged on their median (the medians' ratio is printed beside it)
          const ratios = js.map((j, i) => j.seconds / bs[i]!.seconds);
          const ratio = median(ratios);
          const under = worstLatency(js.map((j) => j.under));
          const stallMs = Math.max(...js.map((j) => j.stallMs));
          const sales = js.flatMap((j) => j.sales).sort((a, b) => a - b);
          const salesMax = sales.length ? Math.max(...sales) : NaN;
          const salesP95 = percentile(sales, 95);
          const status = js.find((j) => j.status !== 'COMPLETED')?.status ?? 'COMPLETED';
          const over =
            ROUNDS[scale] > 1
              ? ` (${ROUNDS[scale]} rounds: ${js.map((j) => j.seconds.toFixed(2)).join(', ')} s${isBaseline ? '' : `; ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}, their median ${ratio.toFixed(2)}, the medians' ratio ${(seconds / baseSeconds).toFixed(2)}`}; latencies and stalls: the worst round)`
              : '';
          // the job's own work against what the machine's other work cost it (see cpuTime)
          const cpus = js.map((j) => j.cpu);
          const baseCpus = bs.map((b) => b.cpu);
          const cpu = cpus.every((c) => c) && baseCpus.every((c) => c)
            ? `; the thread that ran it: on a CPU ${median(cpus.map((c) => c!.runMs)).toFixed(0)} ms, waiting for one ${median(cpus.map((c) => c!.waitMs)).toFixed(0)} ms (medians of the rounds)` +
              (isBaseline ? '' : `, its CPU time ${median(cpus.map((c, i) => c!.runMs / baseCpus[i]!.runMs)).toFixed(2)}× in-process's`)
            : '';
          const warm = job in ms[0]!.warmups ? `; its warm-up runs (nothing to do, before the timing): ${ms.map((m) => m.warmups[job]!.toFixed(0)).join(', ')} ms` : '';
          const measured =
            mode.load === 'probes'
              ? `API under the job: p50 ${under.p50.toFixed(1)} ms, p95 ${under.p95.toFixed(1)} ms, max ${under.max.toFixed(0)} ms (${under.n} probes); ` +
                `idle: p50 ${idle.p50.toFixed(1)}, p95 ${idle.p95.toFixed(1)}, max ${idle.max.toFixed(0)} ms; longest serving-thread stall ${stallMs.toFixed(0)} ms (idle ${idleStallMs.toFixed(0)})`
              : `a desk sale every 200 ms: ${sales.length} sales, p95 ${salesP95.toFixed(0)} ms, slowest ${salesMax.toFixed(0)} ms (idle median ${saleMedian.toFixed(1)} ms); longest serving-thread stall ${stallMs.toFixed(0)} ms`;
          const goal = mode.load === 'probes' ? under.p95 <= GOAL.p95 && under.max <= GOAL.max && ratio <= GOAL.ratio : ratio <= GOAL.ratio;
          log(`responsiveness [${modeName(mode)}] ${job}: ${seconds.toFixed(2)} s (${ratio.toFixed(2)}× in-process)${over}${cpu}${warm}; ${measured}`);
          rows.push(
            row({
              job: `responsiveness: ${job}, ${modeName(mode)}`,
              db: 'sqlite',
              items: job === 'expirePassesJob' ? passes / 2 : job === 'usePassesJob' ? bookings / 10 : bookings,
              seconds: round(seconds, 3),
              ratioToLimit: isBaseline ? null : round(ratio, 2),
              baselineSeconds: isBaseline ? null : round(baseSeconds, 3),
              note:
                (status === 'COMPLETED' ? '' : `failed: the job ended ${status}; `) +
                `${measured}${over}${cpu}${warm}; ` +
                (isBaseline
                  ? 'the baseline: the job on the serving thread, as before issue 15'
                  : `${mode.pinned ? `with the job on a core of its own (in-process pinned alike), as on a machine with a core more than the probe takes${PARTITIONED.has(job) ? ' (its partition workers share that core, in-process with the serving thread: not like with like)' : ''}: ` : ''}goal ${mode.load === 'probes' ? `p95 ≤ ${GOAL.p95} ms, max ≤ ${GOAL.max} ms, ` : ''}≤ ${GOAL.ratio}× in-process: ${goal ? 'met' : 'missed'}`),
            }),
          );
        }
      }
      const normal = measures.filter((m) => !m.mode.thread).map((m) => m.sale.median);
      const full = measures.filter((m) => m.mode.thread).map((m) => m.sale.median);
      const normalMs = median(normal);
      const fullMs = median(full);
      rows.push(
        row({
          job: 'responsiveness: desk sale (passes.register), synced after commit vs NORMAL',
          db: 'sqlite',
          items: 200,
          seconds: round((fullMs * 200) / 1000, 3),
          ratioToLimit: round(fullMs / normalMs, 2),
          baselineSeconds: round((normalMs * 200) / 1000, 3),
          note: `200 sales one after another, no job running, in each of the runs: median ${full.map((n) => n.toFixed(2)).join(' and ')} ms with the service's connection's commits synced (AFTER_COMMIT) against ${normal.map((n) => n.toFixed(2)).join(' and ')} ms with NORMAL; seconds = 200 × the median`,
        }),
      );
      return rows;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default benchmark;
