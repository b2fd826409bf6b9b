// A CPU-heavy processor on Piscina: a partitioned step (4 equal ranges, bench/cpuJob.ts) whose
// processor runs PBKDF2-SHA256 for every item and whose writer inserts the digests, run with
// maxThreads 1 and with maxThreads 2, against a plain loop computing the same digests on the
// main thread with no engine and no database. Each thread count has its own operator (its own
// pool), warmed up by a small run just before each timed run so thread start-up is not timed;
// the three timed runs alternate, medians are reported. Goal (issue 6): 2 workers ≥ 1.7× faster than 1.
import { basename, join } from 'node:path';
import { JobOperator, type Database } from '../main/batch/index.ts';
import { row, type Benchmark, type BenchRow, type Scale } from './benchmark.ts';
import { CPU_CHUNK, CPU_PARTITIONS, cpuJob, createCpuTable, digest } from './cpuJob.ts';
import { cpuWorkerFile } from './cpuWorker.ts';
import { emptyTables, scalar } from './passData.ts';
import { buildBenchWorkers, freshMysql, log, median, round, rssSampler, tempSqlite, timeIt, type BenchDatabase } from './support.ts';

const GOAL = 1.7;
const ITERATIONS = 10_000;
const ITEMS: Record<Scale, number> = { small: 200, default: 1_000, full: 2_000 };
const RUNS: Record<Scale, number> = { small: 1, default: 3, full: 3 };

function plainLoop(count: number): void {
  for (let i = 0; i < count; i++) digest(i, ITERATIONS);
}

async function check(db: Database, count: number): Promise<void> {
  const rows = await scalar(db, 'SELECT COUNT(*) FROM bench_cpu');
  const probe = [0, Math.floor(count / 2), count - 1];
  const found = await db.kysely.selectFrom('bench_cpu').select(['id', 'digest']).where('id', 'in', probe).execute();
  const right = found.filter((r) => r.digest === digest(Number(r.id), ITERATIONS)).length;
  if (rows !== count || right !== probe.length) throw new Error(`the Piscina job wrote ${rows} digests of ${count}, ${right} of ${probe.length} probed right`);
}

async function rowsFor(label: string, scale: Scale, open: () => Promise<BenchDatabase | { unreachable: string }>): Promise<BenchRow[]> {
  const job = (threads: number) => `CPU-heavy partitioned step, ${threads} Piscina thread${threads > 1 ? 's' : ''}`;
  const opened = await open();
  if ('unreachable' in opened) {
    log(`piscina/${label}: skipped, ${opened.unreachable}`);
    return [row({ job: job(2), db: label, note: `skipped: ${opened.unreachable}` })];
  }
  const { db } = opened;
  const count = ITEMS[scale];
  // the worker bundled as the built app's are (bench/support.ts buildBenchWorkers), not tsx in every thread
  const workerFile = join(await buildBenchWorkers(), `${basename(cpuWorkerFile, '.ts')}.cjs`);
  const operators = new Map([1, 2].map((threads) => [threads, new JobOperator({ database: db, jobs: [cpuJob(workerFile, threads)] })]));
  let runs = 0;
  const run = async (threads: number, n: number) => {
    await emptyTables(db, ['bench_cpu']);
    const execution = await operators.get(threads)!.run('benchCpuJob', { run: `run-${++runs}`, count: n, iterations: ITERATIONS });
    if (execution.status !== 'COMPLETED') throw new Error(`the Piscina job ended ${execution.status}: ${execution.exitMessage}`);
  };
  try {
    await createCpuTable(db);
    plainLoop(Math.ceil(count / 10));
    const times: Record<'loop' | 1 | 2, number[]> = { loop: [], 1: [], 2: [] };
    // CPU seconds the whole process (all threads) used per wall second of each timed run: ~1 and
    // ~2 when each thread had a core to itself, less when other processes took the cores
    const cores: Record<1 | 2, number[]> = { 1: [], 2: [] };
    // the process's RSS while the timed runs of each thread count ran (both pools stay alive)
    const peakRss: Record<1 | 2, number> = { 1: 0, 2: 0 };
    for (let i = 0; i < RUNS[scale]; i++) {
      times.loop.push(await timeIt(async () => plainLoop(count)));
      for (const threads of [1, 2]) {
        await run(threads, CPU_PARTITIONS * CPU_CHUNK * threads); // starts the pool's threads
        const cpu = process.cpuUsage();
        const memory = rssSampler();
        const wall = await timeIt(() => run(threads, count));
        const used = process.cpuUsage(cpu);
        peakRss[threads as 1 | 2] = Math.max(peakRss[threads as 1 | 2], memory.stop());
        times[threads as 1 | 2].push(wall);
        cores[threads as 1 | 2].push((used.user + used.system) / 1e6 / wall);
        await check(db, count);
      }
      log(`piscina/${label} run ${i + 1}/${RUNS[scale]}: loop ${times.loop.at(-1)!.toFixed(3)} s, 1 thread ${times[1].at(-1)!.toFixed(3)} s, 2 threads ${times[2].at(-1)!.toFixed(3)} s`);
    }
    const loop = median(times.loop);
    const one = median(times[1]);
    const two = median(times[2]);
    const speedup = one / two;
    const busy = (threads: 1 | 2) => `${threads} thread${threads > 1 ? 's' : ''} kept ${median(cores[threads]).toFixed(2)} cores busy`;
    const verdict = speedup >= GOAL ? `goal ≥ ${GOAL}× met` : `goal ≥ ${GOAL}× missed by ${(GOAL / speedup).toFixed(2)}×`;
    const common = `median of ${RUNS[scale]}; ${count.toLocaleString('en-US')} items, PBKDF2-SHA256 × ${ITERATIONS.toLocaleString('en-US')} each, ${CPU_PARTITIONS} partitions, chunk ${CPU_CHUNK}; baseline = the same digests in a plain loop on the main thread (no engine, no database)`;
    return [
      row({ job: job(1), db: label, items: count, seconds: round(one, 3), itemsPerSecond: Math.round(count / one), ratioToLimit: round(one / loop, 2), baselineSeconds: round(loop, 3), peakRssMb: peakRss[1], note: `${busy(1)}; ${common}` }),
      row({
        job: job(2),
        db: label,
        items: count,
        seconds: round(two, 3),
        itemsPerSecond: Math.round(count / two),
        ratioToLimit: round(two / loop, 2),
        baselineSeconds: round(loop, 3),
        peakRssMb: peakRss[2],
        note: `2 threads ${speedup.toFixed(2)}× faster than 1 (${one.toFixed(3)} s → ${two.toFixed(3)} s): ${verdict}; ${busy(2)}, ${busy(1)}; ${common}`,
      }),
    ];
  } finally {
    for (const operator of operators.values()) await operator.close();
    await opened.dispose();
  }
}

const benchmark: Benchmark = {
  name: 'piscina',
  description: `a CPU-heavy processor on Piscina, maxThreads 2 vs 1 (goal ≥ ${GOAL}× faster)`,
  async run(scale) {
    return [...(await rowsFor('sqlite', scale, () => tempSqlite('piscina'))), ...(await rowsFor('mariadb', scale, () => freshMysql('piscina')))];
  },
};

export default benchmark;
