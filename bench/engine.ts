// The engine's own overhead (issue 15, item 4): N numbers from an in-memory reader to an
// in-memory writer in chunks of 1,000, through a JobOperator whose JobRepository is on SQLite
// (and on MariaDB when it is reachable), against the baseline a hand-written job would be: a
// committing loop making the same reader.read() and writer.write(chunk) calls and, per chunk,
// the two metadata UPDATEs the engine must make (step counters with the version check, step
// context) in their own transaction, straight on the driver: better-sqlite3's prepared statements;
// on MariaDB mysql2's plain queries, as the engine sends them (its prepared statements measured
// 600-720 µs a chunk here against 480-550 µs for plain queries, a baseline easier to beat). That is the
// cost of "one chunk = one transaction with its counters" with no engine and no Kysely: what is
// left between it and the engine is the engine's own doing. Goals: ≤ 1.3× on SQLite, ≤ 1.1× on
// MariaDB. Each is warmed up on the full N (twice or more), then timed in RUNS rounds, alternating;
// the ratio is the median of the rounds' ratios (each round pairs runs made moments apart, so a
// slow spell of the machine moves both), the times are medians. One run is only ~60 ms on SQLite,
// where three rounds gave 1.27× to 1.51× by chance.
//
// The plain loop (the same calls, no database at all) is reported in the note: the first goal
// (issue 2) was stated against it and could not be met, since SQLite's own commit per chunk
// costs several times the loop.
import BetterSqlite3 from 'better-sqlite3';
import mysql from 'mysql2/promise';
import {
  chunkStep,
  defineJob,
  JobOperator,
  numberParam,
  stringParam,
  type Database,
  type ExecutionContext,
  type ItemReader,
  type ItemWriter,
} from '../main/batch/index.ts';
import { row, type Benchmark, type BenchRow, type Scale } from './benchmark.ts';
import { freshMysql, log, median, round, tempSqlite, timeIt, type BenchDatabase } from './support.ts';

export const CHUNK_SIZE = 1000;
/** Engine ÷ committing loop, per database. */
export const GOALS = { sqlite: 1.3, mariadb: 1.1 } as const;
const ITEMS: Record<Scale, number> = { small: 100_000, default: 1_000_000, full: 1_000_000 };
const RUNS = 9;
const WARM_UP_RUNS = 2;

/** Hands out 0, 1, 2, ... synchronously; restartable by position like any real reader. */
export class CountingReader implements ItemReader<number> {
  private next = 0;
  constructor(private readonly count: number) {}
  open(context: ExecutionContext): void {
    this.next = Number(context['counting.next'] ?? 0);
  }
  read(): number | null {
    return this.next < this.count ? this.next++ : null;
  }
  update(context: ExecutionContext): void {
    context['counting.next'] = this.next;
  }
}

/** Adds every item to a running sum, so the items are really looked at, and counts them. */
export class SumWriter implements ItemWriter<number> {
  sum = 0;
  items = 0;
  async write(items: number[]): Promise<void> {
    let sum = this.sum;
    for (let i = 0; i < items.length; i++) sum += items[i]!;
    this.sum = sum;
    this.items += items.length;
  }
}

const expectedSum = (n: number) => (n * (n - 1)) / 2;

function check(what: string, writer: SumWriter, n: number): void {
  if (writer.items !== n || writer.sum !== expectedSum(n)) {
    throw new Error(`${what} wrote ${writer.items} items summing to ${writer.sum}; expected ${n} summing to ${expectedSum(n)}`);
  }
}

/** Called after each chunk's write by the committing loop: items so far, chunks so far. */
type AfterChunk = (itemsSoFar: number, chunksSoFar: number) => Promise<void> | void;

/**
 * The baseline: what a hand-written job does with the same reader and writer and no engine.
 * With `afterChunk`, the reference loop that also commits metadata per chunk.
 */
export async function plainLoop(n: number, afterChunk?: AfterChunk): Promise<void> {
  const reader = new CountingReader(n);
  const writer = new SumWriter();
  reader.open({});
  let chunk: number[] = [];
  let chunks = 0;
  for (;;) {
    const item = reader.read();
    if (item === null) break;
    chunk.push(item);
    if (chunk.length === CHUNK_SIZE) {
      await writer.write(chunk);
      chunk = [];
      if (afterChunk) await afterChunk(writer.items, ++chunks);
    }
  }
  if (chunk.length) {
    await writer.write(chunk);
    if (afterChunk) await afterChunk(writer.items, ++chunks);
  }
  check(afterChunk ? 'the committing loop' : 'the plain loop', writer, n);
}

const UPDATE_STEP =
  'UPDATE BATCH_STEP_EXECUTION SET COMMIT_COUNT = ?, READ_COUNT = ?, FILTER_COUNT = 0, WRITE_COUNT = ?, READ_SKIP_COUNT = 0, ' +
  'WRITE_SKIP_COUNT = 0, PROCESS_SKIP_COUNT = 0, ROLLBACK_COUNT = 0, LAST_UPDATED = ?, VERSION = ? WHERE STEP_EXECUTION_ID = ? AND VERSION = ?';
const UPDATE_CONTEXT = 'UPDATE BATCH_STEP_EXECUTION_CONTEXT SET SHORT_CONTEXT = ?, SERIALIZED_CONTEXT = NULL WHERE STEP_EXECUTION_ID = ?';
const dbNow = () => new Date().toISOString().replace('T', ' ').replace('Z', '');

/**
 * The per-chunk commit of the reference loop, on its own connection to `db` set up as the app
 * sets up its own, against a real step execution row (the warm-up's): BEGIN, UPDATE counters
 * (optimistic), UPDATE context, COMMIT.
 */
export async function metadataCommitter(db: Database): Promise<{ afterChunk: AfterChunk; close(): Promise<void> }> {
  const step = await db.kysely.selectFrom('BATCH_STEP_EXECUTION').select(['STEP_EXECUTION_ID', 'VERSION']).orderBy('STEP_EXECUTION_ID', 'desc').executeTakeFirstOrThrow();
  const id = Number(step.STEP_EXECUTION_ID);
  let version = Number(step.VERSION);
  const lost = () => new Error('the committing loop lost its optimistic lock');
  if (db.dialect === 'sqlite') {
    const raw = new BetterSqlite3(db.url.slice('sqlite:'.length));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('busy_timeout = 15000');
    // The same database as the engine's: every connection of the app enforces foreign keys, which
    // costs each UPDATE of a referenced table a few µs (measured 35.0 → 37.6 ms per 1,000 commits).
    raw.pragma('foreign_keys = ON');
    const [begin, commit, updateStep, updateContext] = ['BEGIN', 'COMMIT', UPDATE_STEP, UPDATE_CONTEXT].map((text) => raw.prepare(text));
    return {
      afterChunk(items, chunks) {
        begin!.run();
        if (updateStep!.run(chunks, items, items, dbNow(), version + 1, id, version).changes !== 1) throw lost();
        updateContext!.run(JSON.stringify({ 'counting.next': items }), id);
        commit!.run();
        version++;
      },
      close: async () => void raw.close(),
    };
  }
  const url = new URL(db.url);
  const conn = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)),
  });
  return {
    async afterChunk(items, chunks) {
      await conn.query('BEGIN');
      const [result] = await conn.query(UPDATE_STEP, [chunks, items, items, dbNow(), version + 1, id, version]);
      if ((result as { affectedRows: number }).affectedRows !== 1) throw lost();
      await conn.query(UPDATE_CONTEXT, [JSON.stringify({ 'counting.next': items }), id]);
      await conn.query('COMMIT');
      version++;
    },
    close: () => conn.end(),
  };
}

export const engineJob = (onWriter: (writer: SumWriter) => void) =>
  defineJob({
    name: 'benchEngineJob',
    params: { run: stringParam(), count: numberParam({ identifying: false, integer: true, min: 0 }) },
    steps: [
      chunkStep<{ run: string; count: number }, number>({
        name: 'sumStep',
        chunkSize: CHUNK_SIZE,
        reader: (ctx) => new CountingReader(ctx.params.count),
        writer: () => {
          const writer = new SumWriter();
          onWriter(writer);
          return writer;
        },
      }),
    ],
  });

/**
 * An operator on `db` and a function that runs the job once over n items, then checks every
 * count; it answers the seconds of the run alone (timeIt: after a garbage collection, the checks
 * not counted).
 */
export function engineRunner(db: Database): { run(n: number): Promise<number>; close(): Promise<void> } {
  let writer: SumWriter | undefined;
  const operator = new JobOperator({ database: db, jobs: [engineJob((w) => (writer = w))] });
  let runs = 0;
  return {
    async run(n) {
      let execution: Awaited<ReturnType<typeof operator.run>> | undefined;
      const seconds = await timeIt(async () => (execution = await operator.run('benchEngineJob', { run: `run-${++runs}`, count: n })));
      if (execution!.status !== 'COMPLETED') throw new Error(`the engine run ended ${execution!.status}: ${execution!.exitMessage}`);
      check('the engine', writer!, n);
      const [step] = await operator.repository.stepExecutions(execution!.id);
      const commits = Math.ceil(n / CHUNK_SIZE);
      if (step?.readCount !== n || step.writeCount !== n || step.commitCount !== commits) {
        throw new Error(`step counts read ${step?.readCount} write ${step?.writeCount} commit ${step?.commitCount}; expected ${n}, ${n}, ${commits}`);
      }
      return seconds;
    },
    close: () => operator.close(),
  };
}

interface Medians {
  /** the median of the rounds' engine ÷ committing loop */
  ratio: number;
  ratios: number[];
  engine: number;
  loop: number;
  committingLoop: number;
  /** the engine on one chunk: launch, one commit, finish; the fixed cost of a job run */
  oneChunk: number;
}

async function measure(label: string, db: Database, n: number): Promise<Medians> {
  const engine = engineRunner(db);
  let committer: Awaited<ReturnType<typeof metadataCommitter>> | undefined;
  try {
    // Warm-up: each contender twice on the full N, so every timed run is of code the JIT has
    // optimised (with one run on N/10 the engine's longer path was still partly unoptimised and
    // measured 1.3-1.4× its steady state; the plain loops were not).
    await engine.run(n);
    committer = await metadataCommitter(db); // on the step execution row that run made
    for (let i = 0; i < WARM_UP_RUNS; i++) {
      await plainLoop(n);
      await engine.run(n);
      await plainLoop(n, committer.afterChunk);
    }
    const times = { engine: [] as number[], loop: [] as number[], committingLoop: [] as number[], oneChunk: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      times.loop.push(await timeIt(() => plainLoop(n)));
      times.engine.push(await engine.run(n));
      times.committingLoop.push(await timeIt(() => plainLoop(n, committer!.afterChunk)));
      times.oneChunk.push(await engine.run(CHUNK_SIZE));
      log(
        `engine/${label} run ${i + 1}/${RUNS}: loop ${times.loop.at(-1)!.toFixed(3)} s, engine ${times.engine.at(-1)!.toFixed(3)} s, ` +
          `loop committing metadata per chunk ${times.committingLoop.at(-1)!.toFixed(3)} s`,
      );
    }
    const ratios = times.engine.map((engine, i) => engine / times.committingLoop[i]!);
    return {
      ratio: median(ratios),
      ratios,
      engine: median(times.engine),
      loop: median(times.loop),
      committingLoop: median(times.committingLoop),
      oneChunk: median(times.oneChunk),
    };
  } finally {
    await committer?.close();
    await engine.close();
  }
}

async function rowFor(label: keyof typeof GOALS, n: number, open: () => Promise<BenchDatabase | { unreachable: string }>): Promise<BenchRow> {
  const job = 'engine overhead';
  const opened = await open();
  if ('unreachable' in opened) {
    log(`engine/${label}: skipped, ${opened.unreachable}`);
    return row({ job, db: label, items: n, note: `skipped: ${opened.unreachable}` });
  }
  try {
    const { ratio, ratios, engine, loop, committingLoop, oneChunk } = await measure(label, opened.db, n);
    const chunks = Math.ceil(n / CHUNK_SIZE);
    const goal = GOALS[label];
    const spread = `rounds' ratios ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}×, the medians' ${(engine / committingLoop).toFixed(2)}×`;
    const verdict =
      ratio <= goal ? `goal ≤ ${goal}× met` : `goal ≤ ${goal}× missed by ${(ratio / goal).toFixed(2)}× (${((ratio - goal) * committingLoop * 1000).toFixed(0)} ms over)`;
    const ms = (seconds: number) => `${(seconds * 1000).toFixed(1)} ms`;
    const us = (seconds: number) => `${((seconds / chunks) * 1e6).toFixed(0)} µs`;
    // engine − loop = a fixed cost per run (launch, step start and end: about a one-chunk run) + a cost per chunk
    const fixed = Math.max(oneChunk - (engine - loop) / chunks, 0);
    const perChunk = engine - loop - fixed;
    log(
      `engine/${label}: engine ${engine.toFixed(3)} s, committing loop ${committingLoop.toFixed(3)} s, ratio ${ratio.toFixed(2)}× (${verdict}; ${spread}); ` +
        `plain loop ${loop.toFixed(3)} s; a one-chunk engine run ${ms(oneChunk)}`,
    );
    return row({
      job,
      db: label,
      items: n,
      seconds: round(engine, 4),
      itemsPerSecond: Math.round(n / engine),
      ratioToLimit: round(ratio, 2),
      baselineSeconds: round(committingLoop, 4),
      note:
        `${RUNS} rounds, chunk ${CHUNK_SIZE}: the ratio is the median of the rounds' ratios (${spread}), times are medians; baseline = a loop with the same reader/writer calls committing BEGIN + 2 metadata UPDATEs + COMMIT per chunk straight on the driver (prepared on SQLite, plain queries on MariaDB, as the engine sends them); ${verdict}. ` +
        `The plain loop without a database took ${loop.toFixed(3)} s (engine ${(engine / loop).toFixed(1)}× that). ` +
        `Engine − plain loop = ${ms(engine - loop)} = ${ms(fixed)} per run (launch and finish) + ${us(perChunk)} per chunk, ` +
        `of which ${us(committingLoop - loop)} is the bare metadata commit and ${us(perChunk - (committingLoop - loop))} the engine's own`,
    });
  } finally {
    await opened.dispose();
  }
}

const benchmark: Benchmark = {
  name: 'engine',
  description: `engine overhead: in-memory reader → in-memory writer, chunk ${CHUNK_SIZE}, vs a loop committing the same metadata (goal ≤ ${GOALS.sqlite}× SQLite, ≤ ${GOALS.mariadb}× MariaDB)`,
  async run(scale) {
    const n = ITEMS[scale];
    return [await rowFor('sqlite', n, () => tempSqlite('engine')), await rowFor('mariadb', n, () => freshMysql('engine'))];
  },
};

export default benchmark;
