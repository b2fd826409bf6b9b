// The job of the Piscina benchmark (bench/piscina.ts), shared with its worker module
// (bench/cpuWorker.ts): a partitioned step over the numbers 0..count-1, split into equal ranges;
// the processor burns CPU (PBKDF2-SHA256, `iterations` rounds an item) and the writer inserts
// each item's digest (and the thread that computed it) into bench_cpu, so the result can be checked.
import { pbkdf2Sync } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { batchInsertWriter, chunkStep, defineJob, numberParam, partitionedStep, stringParam, type Database, type ExecutionContext, type ItemReader } from '../main/batch/index.ts';

export const CPU_PARTITIONS = 4;
export const CPU_CHUNK = 10;

type Params = { run: string; count: number; iterations: number };
interface Range extends ExecutionContext {
  min: number;
  max: number;
}

/** What the processor computes for item i; the plain loop and the check compute it the same way. */
export const digest = (i: number, iterations: number) => pbkdf2Sync(`item-${i}`, 'pass-console-bench', iterations, 32, 'sha256').toString('hex');

/** min..max, restartable by position. */
function rangeReader({ min, max }: Range): ItemReader<number> {
  let next = min;
  return {
    open: (context) => void (next = Number(context['range.next'] ?? min)),
    read: () => (next <= max ? next++ : null),
    update: (context) => void (context['range.next'] = next),
  };
}

export async function createCpuTable(db: Database): Promise<void> {
  await db.kysely.schema
    .createTable('bench_cpu')
    .ifNotExists()
    .addColumn('id', db.dialect === 'mysql' ? 'bigint' : 'integer', (c) => c.primaryKey())
    .addColumn('digest', 'varchar(64)', (c) => c.notNull())
    .addColumn('thread', 'integer', (c) => c.notNull())
    .execute();
}

/** `workerFile`/`maxThreads`: where the partitions run; the worker module itself only needs the step. */
export function cpuJob(workerFile: string, maxThreads: number) {
  return defineJob({
    name: 'benchCpuJob',
    params: {
      run: stringParam(),
      count: numberParam({ integer: true, min: 1, identifying: false }),
      iterations: numberParam({ integer: true, min: 1, identifying: false }),
    },
    steps: [
      partitionedStep<Params>({
        name: 'cpuStep',
        workers: { filename: workerFile, maxThreads },
        partitioner: async ({ params }) => {
          const size = Math.ceil(params.count / CPU_PARTITIONS);
          const ranges: Range[] = [];
          for (let min = 0; min < params.count; min += size) ranges.push({ min, max: Math.min(params.count, min + size) - 1 });
          return ranges;
        },
        step: chunkStep<Params, number, { id: number; digest: string; thread: number }>({
          name: 'cpuChunkStep',
          chunkSize: CPU_CHUNK,
          reader: ({ executionContext }) => rangeReader(executionContext as Range),
          processor: ({ params }) => (i) => ({ id: i, digest: digest(i, params.iterations), thread: threadId }),
          writer: ({ db }) => batchInsertWriter<{ id: number; digest: string; thread: number }>({ table: 'bench_cpu', dialect: db.dialect, row: (r) => r }),
        }),
      }),
    ],
  });
}
