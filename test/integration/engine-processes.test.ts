// What only separate processes can show: a job killed with SIGKILL mid-step is recovered and
// resumed, and two launchers racing for one instance on MySQL start it once.
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { JobOperator } from '../../main/batch/index.ts';
import { backends, describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { copyJob, createItemTables, fillSource, targetIds } from '../fixtures/testJobs.ts';

const CHILD = 'test/fixtures/runJobChild.ts';

function startChild(args: string[]) {
  const child = spawn(process.execPath, ['bin/run-ts.mjs', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, out })),
  );
  return { child, exited };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeEachBackend('engine across processes', (backend) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(backend);
    await createItemTables(t.db);
  });
  afterEach(async () => t.dispose());

  test('a child killed with SIGKILL mid-step is marked FAILED by recovery; restart writes every item exactly once', async () => {
    await fillSource(t.db, 600);
    const { child, exited } = startChild([t.url, 'copyJob', '5']);
    const operator = new JobOperator({ database: t.db, jobs: [copyJob({ chunkSize: 10 })] });
    // Kill it once a few chunks have committed.
    const running = await waitFor(async () => {
      const step = (await t.db.kysely.selectFrom('BATCH_STEP_EXECUTION').select(['JOB_EXECUTION_ID', 'COMMIT_COUNT']).executeTakeFirst()) as
        | { JOB_EXECUTION_ID: number; COMMIT_COUNT: number }
        | undefined;
      return step && Number(step.COMMIT_COUNT) >= 3 ? Number(step.JOB_EXECUTION_ID) : undefined;
    });
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');
    const committedBefore = (await targetIds(t.db.kysely)).length;
    expect(committedBefore).toBeGreaterThan(0);
    expect(committedBefore).toBeLessThan(600);
    expect((await operator.execution(running)).status).toBe('STARTED');

    const restarted = await (await operator.restart(running)).done;
    expect(restarted.status).toBe('COMPLETED');
    const killed = await operator.execution(running);
    expect(killed.status).toBe('FAILED');
    expect(killed.exitMessage).toMatch(/Marked FAILED by recovery: the process running it \(pid \d+ .*\) ended without finishing/);
    const [killedStep] = await operator.repository.stepExecutions(running);
    expect(killedStep!.status).toBe('FAILED');
    // every item exactly once: the primary key refuses doubles, and all 600 are there
    expect(await targetIds(t.db.kysely)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
    const [resumed] = await operator.repository.stepExecutions(restarted.id);
    expect(resumed!.writeCount).toBe(600 - killedStep!.writeCount);
    await operator.close();
  });
});

test.runIf(backends.includes('mysql'))('two processes launching the same instance at once on MariaDB: one runs, the other is refused and adds no rows', async () => {
  const t = await freshDatabase('mysql');
  try {
    await createItemTables(t.db);
    await fillSource(t.db, 300);
    const startAt = String(Date.now() + 2500);
    const a = startChild([t.url, 'copyJob', '5', startAt, 'run=race']);
    const b = startChild([t.url, 'copyJob', '5', startAt, 'run=race']);
    const results = await Promise.all([a.exited, b.exited]);
    const codes = results.map((r) => r.code).sort();
    expect(codes, results.map((r) => r.out).join('\n')).toEqual([0, 3]);
    const refused = results.find((r) => r.code === 3)!;
    expect(refused.out).toMatch(/"refused":"ALREADY_RUNNING"/);
    expect(refused.out).toMatch(/already running/);
    const count = async (table: string) => Number((await t.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())!.n);
    expect(await count('BATCH_JOB_INSTANCE')).toBe(1);
    expect(await count('BATCH_JOB_EXECUTION')).toBe(1);
    expect(await count('BATCH_JOB_EXECUTION_PARAMS')).toBe(2);
    expect(await count('BATCH_STEP_EXECUTION')).toBe(1);
    expect(await targetIds(t.db.kysely)).toHaveLength(300);
  } finally {
    await t.dispose();
  }
});
