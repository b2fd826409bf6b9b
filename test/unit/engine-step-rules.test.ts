// The chunk step's rules over an in-memory repository (test/support/memoryRepository.ts), fast
// and apart from SQL: a chunk commits its writes and its counters together; read, process and
// write errors are skipped within the step's limit; a retryable processor error is tried again;
// a transient write error retries the chunk; a skippable write error scans the chunk item by
// item, so only the bad item is skipped. The same rules over SQLite and MariaDB are in
// test/integration/engine-*.test.ts.
import { describe, expect, it } from 'vitest';
import { chunkStep, listReader, type ChunkStep, type FaultTolerance, type ItemWriter } from '../../main/batch/index.ts';
import { runStepExecution } from '../../main/batch/stepRunner.ts';
import { MemoryRepository, memoryStepEnvironment, type MemoryTransaction } from '../support/memoryRepository.ts';

class BadItem extends Error {
  override name = 'BadItem';
}
class Flaky extends Error {
  override name = 'Flaky';
}

const items = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** A writer into `table` through the chunk's transaction; it refuses any chunk holding an item `refuse` names. */
function tableWriter(table: number[], refuse: (item: number) => boolean = () => false): ItemWriter<number> & { calls: number[][] } {
  const calls: number[][] = [];
  return {
    calls,
    async write(chunk, tx) {
      calls.push([...chunk]);
      const bad = chunk.find(refuse);
      if (bad !== undefined) throw new BadItem(`item ${bad} is refused`);
      (tx as unknown as MemoryTransaction).later(() => table.push(...chunk));
    },
  };
}

const skipBadItems = (skipLimit: number, more: Partial<FaultTolerance> = {}): FaultTolerance => ({ skipLimit, skip: (error) => error instanceof BadItem, ...more });

async function run(step: ChunkStep, signal?: AbortSignal) {
  const repository = new MemoryRepository();
  const execution = repository.newStep(step.name);
  const finished = await runStepExecution(step, execution, memoryStepEnvironment(repository, signal));
  return { finished, stored: repository.steps.get(execution.id)! };
}

describe('a chunk step over an in-memory repository', () => {
  it('commits each chunk with its counters and the reader position: 25 items in chunks of 10 are 3 commits', async () => {
    const table: number[] = [];
    const { finished, stored } = await run(chunkStep({ name: 'copy', chunkSize: 10, reader: () => listReader(items(25)), writer: () => tableWriter(table) }));
    expect(finished).toMatchObject({ status: 'COMPLETED', readCount: 25, writeCount: 25, commitCount: 3, rollbackCount: 0 });
    expect(table).toEqual(items(25));
    expect(stored.counts).toMatchObject({ readCount: 25, writeCount: 25, commitCount: 3 });
    expect(stored.end).toMatchObject({ status: 'COMPLETED', exitCode: 'COMPLETED' });
    expect(stored.context).toEqual(finished.executionContext);
  });

  it('filters the items its processor turns into nothing', async () => {
    const table: number[] = [];
    const { finished } = await run(chunkStep({ name: 'evens', chunkSize: 10, reader: () => listReader(items(10)), processor: () => (n: number) => (n % 2 ? null : n), writer: () => tableWriter(table) }));
    expect(finished).toMatchObject({ status: 'COMPLETED', readCount: 10, filterCount: 5, writeCount: 5 });
    expect(table).toEqual([2, 4, 6, 8, 10]);
  });
});

describe('skip', () => {
  it('skips the items its reader fails on, within the limit', async () => {
    const table: number[] = [];
    const source = items(10);
    let next = 0;
    const reader = () => ({
      read: () => {
        const item = source[next++];
        if (item === 3 || item === 7) throw new BadItem(`cannot read ${item}`);
        return item ?? null;
      },
    });
    const { finished } = await run(chunkStep({ name: 'read', chunkSize: 4, reader, writer: () => tableWriter(table), faultTolerant: skipBadItems(2) }));
    expect(finished).toMatchObject({ status: 'COMPLETED', readCount: 8, readSkipCount: 2, writeCount: 8 });
    expect(table).toEqual([1, 2, 4, 5, 6, 8, 9, 10]);
  });

  it('skips the items its processor fails on, within the limit', async () => {
    const table: number[] = [];
    const processor = () => (n: number) => {
      if (n % 5 === 0) throw new BadItem(`cannot process ${n}`);
      return n;
    };
    const { finished } = await run(chunkStep({ name: 'process', chunkSize: 10, reader: () => listReader(items(20)), processor, writer: () => tableWriter(table), faultTolerant: skipBadItems(4) }));
    expect(finished).toMatchObject({ status: 'COMPLETED', readCount: 20, processSkipCount: 4, writeCount: 16 });
    expect(table).not.toContain(5);
  });

  it('fails the step at the skip past its limit, keeping what committed before', async () => {
    const table: number[] = [];
    const processor = () => (n: number) => {
      if (n > 10 && n % 2) throw new BadItem(`cannot process ${n}`);
      return n;
    };
    const { finished, stored } = await run(chunkStep({ name: 'limit', chunkSize: 10, reader: () => listReader(items(30)), processor, writer: () => tableWriter(table), faultTolerant: skipBadItems(3) }));
    expect(finished.status).toBe('FAILED');
    expect(finished.exitMessage).toMatch(/Skip limit of 3 exceeded; the last error was: cannot process 17/);
    expect(table).toEqual(items(10));
    expect(stored.counts).toMatchObject({ readCount: 10, writeCount: 10, commitCount: 1, processSkipCount: 0, rollbackCount: 1 });
    expect(stored.end?.status).toBe('FAILED');
  });

  it('does not skip an error its policy does not name: the step fails and the chunk is rolled back', async () => {
    const table: number[] = [];
    const writer = () => tableWriter(table, (n) => n === 15);
    const { finished, stored } = await run(chunkStep({ name: 'strict', chunkSize: 10, reader: () => listReader(items(20)), writer, faultTolerant: { skipLimit: 5, skip: () => false } }));
    expect(finished).toMatchObject({ status: 'FAILED', exitMessage: expect.stringMatching(/item 15 is refused/) });
    expect(table).toEqual(items(10));
    expect(stored.counts).toMatchObject({ writeCount: 10, commitCount: 1, rollbackCount: 1 });
  });
});

describe('retry', () => {
  it('tries a retryable processor error again, with backoff, and writes the item once', async () => {
    const table: number[] = [];
    const tries = new Map<number, number>();
    const processor = () => (n: number) => {
      tries.set(n, (tries.get(n) ?? 0) + 1);
      if (n === 4 && tries.get(n)! <= 2) throw new Flaky('not yet');
      return n;
    };
    const policy = skipBadItems(0, { retry: (error) => error instanceof Flaky, retryLimit: 3, backoffMs: 1 });
    const { finished } = await run(chunkStep({ name: 'retry', chunkSize: 5, reader: () => listReader(items(5)), processor, writer: () => tableWriter(table), faultTolerant: policy }));
    expect(finished).toMatchObject({ status: 'COMPLETED', writeCount: 5, processSkipCount: 0 });
    expect(tries.get(4)).toBe(3);
    expect(table).toEqual(items(5));
  });

  it('skips the item once its retries are spent, when the error is also skippable', async () => {
    const table: number[] = [];
    let calls = 0;
    const processor = () => (n: number) => {
      if (n === 2) {
        calls++;
        throw new BadItem('never');
      }
      return n;
    };
    const policy = skipBadItems(1, { retry: (error) => error instanceof BadItem, retryLimit: 2, backoffMs: 1 });
    const { finished } = await run(chunkStep({ name: 'spent', chunkSize: 5, reader: () => listReader(items(3)), processor, writer: () => tableWriter(table), faultTolerant: policy }));
    expect(calls).toBe(3);
    expect(finished).toMatchObject({ status: 'COMPLETED', processSkipCount: 1, writeCount: 2 });
    expect(table).toEqual([1, 3]);
  });

  it('runs a chunk again after a transient database error, counting a rollback', async () => {
    const table: number[] = [];
    let failures = 1;
    const writer = (): ItemWriter<number> => ({
      async write(chunk, tx) {
        if (chunk.includes(6) && failures-- > 0) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
        (tx as unknown as MemoryTransaction).later(() => table.push(...chunk));
      },
    });
    const { finished } = await run(chunkStep({ name: 'busy', chunkSize: 5, reader: () => listReader(items(10)), writer }));
    expect(finished).toMatchObject({ status: 'COMPLETED', writeCount: 10, commitCount: 2, rollbackCount: 1 });
    expect(table).toEqual(items(10));
  });
});

describe('scan', () => {
  it('writes a failed chunk again item by item: only the bad item is skipped, and nothing is written twice', async () => {
    const table: number[] = [];
    const writer = tableWriter(table, (n) => n === 13);
    const { finished, stored } = await run(chunkStep({ name: 'scan', chunkSize: 10, reader: () => listReader(items(25)), writer: () => writer, faultTolerant: skipBadItems(1) }));
    expect(finished).toMatchObject({ status: 'COMPLETED', readCount: 25, writeCount: 24, writeSkipCount: 1, commitCount: 3, rollbackCount: 2 });
    expect(table).toEqual(items(25).filter((n) => n !== 13));
    // the failed chunk once whole, then each of its items alone
    expect(writer.calls.filter((c) => c.length === 1)).toEqual(items(10).map((n) => [n + 10]));
    expect(stored.counts).toMatchObject({ writeCount: 24, writeSkipCount: 1 });
  });

  it('fails the step when the scan skips past the limit, and rolls the whole chunk back', async () => {
    const table: number[] = [];
    const { finished } = await run(chunkStep({ name: 'scan-limit', chunkSize: 10, reader: () => listReader(items(10)), writer: () => tableWriter(table, (n) => n > 7), faultTolerant: skipBadItems(2) }));
    expect(finished.status).toBe('FAILED');
    expect(finished.exitMessage).toMatch(/Skip limit of 2 exceeded/);
    expect(table).toEqual([]);
  });
});

describe('stop', () => {
  it('stops at a chunk boundary when asked', async () => {
    const table: number[] = [];
    const controller = new AbortController();
    const writer = (): ItemWriter<number> => ({
      async write(chunk, tx) {
        (tx as unknown as MemoryTransaction).later(() => table.push(...chunk));
        if (chunk.includes(10)) controller.abort();
      },
    });
    const { finished } = await run(chunkStep({ name: 'stop', chunkSize: 5, reader: () => listReader(items(30)), writer }), controller.signal);
    expect(finished).toMatchObject({ status: 'STOPPED', exitMessage: 'Stopped at a chunk boundary on request', writeCount: 10, commitCount: 2 });
    expect(table).toEqual(items(10));
  });
});
