// Issue 16 item 15: `pass-batch help` lists serve; output into a pipe whose reader has gone ends
// quietly; a job's own check before launch (JobDefinition.validate) refuses what its data
// contradicts before any execution is written, as addPassesJob does for a bulk grant that does not exist.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { BatchError, defineJob, JobOperator, numberParam, stringParam, taskletStep, type Database } from '../../main/batch/index.ts';
import { main } from '../../main/cli/index.ts';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';

const repo = resolve(import.meta.dirname, '../..');

function collector() {
  return {
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

async function passBatch(url: string | undefined, argv: string[]) {
  const stdout = collector();
  const stderr = collector();
  const code = await main(argv, { ...(url ? { dbUrl: url } : {}), stdout, stderr, isTTY: false });
  return { code, out: stdout.text, err: stderr.text };
}

async function count(db: Database, table: string): Promise<number> {
  const row = await db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('pass-batch help', () => {
  test('the overview lists serve with its options, and help serve explains it', async () => {
    const overview = await passBatch(undefined, ['help']);
    expect(overview.code).toBe(0);
    expect(overview.out).toMatch(/^ {2}serve \[--port 5170\] \[--host 127\.0\.0\.1\]/m);
    const serve = await passBatch(undefined, ['help', 'serve']);
    expect(serve).toMatchObject({ code: 0, err: '' });
    expect(serve.out).toMatch(/^Usage: pass-batch serve /);
    expect((await passBatch(undefined, ['frobnicate'])).err).toContain(', serve, help');
  });
});

describe('pass-batch writing into a pipe whose reader has gone', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pass-cli-pipe-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The real bin with its stdout's reading end closed before it writes, as `| head` leaves it. */
  function withClosedStdout(args: string[]): Promise<{ code: number | null; err: string }> {
    const child = spawn(process.execPath, [join(repo, 'bin', 'pass-batch.mjs'), ...args], {
      cwd: repo,
      env: { ...process.env, PASS_DB_URL: `sqlite:${join(dir, 'pipe.sqlite')}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    return new Promise((done) => child.on('close', (code) => done({ code, err })));
  }

  test('executions and jobs end with their usual exit code and nothing on stderr', async () => {
    for (const args of [['jobs'], ['executions'], ['help']]) {
      const { code, err } = await withClosedStdout(args);
      expect(err, args[0]).toBe('');
      expect(code, args[0]).toBe(0);
    }
  });
});

describe('a job that checks its parameters before launch', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase('sqlite');
  });
  afterEach(async () => t.dispose());

  test('start() refuses as INVALID_PARAMETER what validate refuses, with its message, writing no instance or execution', async () => {
    const seen: unknown[] = [];
    const job = defineJob({
      name: 'checkedJob',
      params: { code: stringParam(), limit: numberParam({ default: 3 }) },
      validate: async (params, db) => {
        seen.push({ params, sameDatabase: db === t.db });
        return params.code === 'missing' ? 'No such code: missing' : undefined;
      },
      steps: [taskletStep({ name: 'noop', tasklet: async () => 'FINISHED' })],
    });
    const operator = new JobOperator({ database: t.db, jobs: [job] });
    try {
      const refused = await operator.start('checkedJob', { code: 'missing' }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(BatchError);
      expect(refused).toMatchObject({ code: 'INVALID_PARAMETER', message: 'No such code: missing' });
      expect(await count(t.db, 'BATCH_JOB_INSTANCE')).toBe(0);
      expect(await count(t.db, 'BATCH_JOB_EXECUTION')).toBe(0);

      const execution = await operator.run('checkedJob', { code: 'there', limit: '5' });
      expect(execution.status).toBe('COMPLETED');
      // typed values, the defaults filled in, and the operator's own database
      expect(seen).toEqual([
        { params: { code: 'missing', limit: 3 }, sameDatabase: true },
        { params: { code: 'there', limit: 5 }, sameDatabase: true },
      ]);
    } finally {
      await operator.close();
    }
  });
});

describeEachBackend('pass-batch run addPassesJob with a bulkPassSeq', (backend) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(backend);
    expect((await passBatch(t.url, ['seed', '--members', '60', '--days', '3'])).code).toBe(0);
  });
  afterEach(async () => t.dispose());

  test('a bulk grant that does not exist is refused: exit 2, one line saying so, no execution and no pass written', async () => {
    const passes = await count(t.db, 'pass');
    const { code, out, err } = await passBatch(t.url, ['run', 'addPassesJob', 'bulkPassSeq=99999']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe('pass-batch: No such bulk grant: 99999 (bulkPassSeq names one bulk grant, or is 0 for every one that is due)\n');
    expect(await count(t.db, 'BATCH_JOB_INSTANCE')).toBe(0);
    expect(await count(t.db, 'BATCH_JOB_EXECUTION')).toBe(0);
    expect(await count(t.db, 'pass')).toBe(passes);
  });

  test('a bulk grant that exists is launched as before', async () => {
    const grant = await t.db.kysely.selectFrom('bulk_pass').select('bulk_pass_seq').orderBy('bulk_pass_seq').executeTakeFirstOrThrow();
    const { code, err } = await passBatch(t.url, ['run', 'addPassesJob', `bulkPassSeq=${grant.bulk_pass_seq}`]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(await count(t.db, 'BATCH_JOB_EXECUTION')).toBe(1);
  });
});
