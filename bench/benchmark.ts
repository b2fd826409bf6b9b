// What a benchmark is: a module in bench/ with a name and a run(scale) that returns rows.
// bench/run-one.ts runs one of them in a child process (so its peak RSS is its own) and
// bench/index.ts collects the rows into the printed table and bench/results/<date>.json.

/** run-one.ts prints its rows on one stdout line that starts with this. */
export const ROWS_MARKER = '@@bench-rows ';

export type Scale = 'small' | 'default' | 'full';
export const SCALES: readonly Scale[] = ['small', 'default', 'full'];

/** One line of the results: one job on one database. Fields that don't apply are null. */
export interface BenchRow {
  job: string;
  /** 'sqlite' | 'mariadb' | ... */
  db: string;
  items: number | null;
  seconds: number | null;
  itemsPerSecond: number | null;
  /** seconds ÷ the baseline's seconds (the set-based SQL limit, or for `engine` the plain loop) */
  ratioToLimit: number | null;
  /** the hurried script's seconds per item ÷ ours (row-at-a-time, autocommit) */
  speedupOverLoop: number | null;
  /** the benchmark process's peak resident set size; filled in by run-one.ts when left null */
  peakRssMb: number | null;
  /** the baseline's own time on the same items, measured in the same run */
  baselineSeconds: number | null;
  note: string | null;
}

export interface Benchmark {
  name: string;
  /** one line for `npm run bench -- --list` */
  description: string;
  run(scale: Scale): Promise<BenchRow[]>;
}

/** A row with every field not given set to null. */
export function row(fields: Partial<BenchRow> & Pick<BenchRow, 'job' | 'db'>): BenchRow {
  // Spelled out so the JSON keeps this order whatever the caller gave.
  return {
    job: fields.job,
    db: fields.db,
    items: fields.items ?? null,
    seconds: fields.seconds ?? null,
    itemsPerSecond: fields.itemsPerSecond ?? null,
    ratioToLimit: fields.ratioToLimit ?? null,
    speedupOverLoop: fields.speedupOverLoop ?? null,
    peakRssMb: fields.peakRssMb ?? null,
    baselineSeconds: fields.baselineSeconds ?? null,
    note: fields.note ?? null,
  };
}
