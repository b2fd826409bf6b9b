// The built app's worker threads: bin/build-workers.mjs bundles workers/*.ts into CommonJS files
// whose module.exports is the function Piscina calls, requiring only Node's own modules and the
// three packages electron-builder unpacks from app.asar; the built main process finds them
// (main/pass/workerFiles.ts); and a partitioned pass job and the backup's copy run on them, with no
// tsx in the thread.
import { createRequire, builtinModules } from 'node:module';
import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defineBackupJob, findBackups, JobOperator, migrateToLatest, openDatabase } from '../../main/batch/index.ts';
import { migrations } from '../../db/migrations/index.ts';
import { usePassesJob } from '../../main/pass/jobs/usePassesJob.ts';
import { consoleJobs } from '../../main/pass/consoleJobs.ts';
import { seedDemoGymOnThread } from '../../main/pass/demo/demoGymThread.ts';
import { workerFile, unpacked, withWorkerDirectory } from '../../main/pass/workerFiles.ts';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { at, DAY, gym, NOW, passStates } from '../fixtures/passFixtures.ts';
import { buildWorkers, WORKER_EXTERNALS } from '../../bin/build-workers.mjs';

const repo = resolve(import.meta.dirname, '../..');
// Inside the repository, so the bundles resolve better-sqlite3 and piscina from its node_modules
// the way an unpacked worker resolves them from app.asar.unpacked/node_modules.
const appDir = join(repo, 'test-results', `built-workers-${process.pid}`);
const workerDir = join(appDir, 'out', 'workers');
let outputs: string[] = [];
const WORKERS = ['passWorker', 'notificationWorker', 'backupWorker', 'jobThread', 'demoGymWorker'];

beforeAll(async () => {
  mkdirSync(appDir, { recursive: true });
  outputs = await buildWorkers(workerDir);
}, 120_000);
afterAll(() => rmSync(appDir, { recursive: true, force: true }));

describe('the worker bundles', () => {
  test('one CommonJS file per workers/*.ts, whose module.exports is the task function (the job thread\'s: the function that serves)', () => {
    expect(outputs.map((f: string) => f.split('/').pop()).sort()).toEqual(['backupWorker.cjs', 'demoGymWorker.cjs', 'jobThread.cjs', 'notificationWorker.cjs', 'passWorker.cjs']);
    const require = createRequire(join(workerDir, 'index.cjs'));
    for (const name of WORKERS) expect(typeof require(join(workerDir, `${name}.cjs`))).toBe('function');
  });

  test('they require only Node built-ins and the packages electron-builder unpacks', () => {
    const unpackedPackages = new Set<string>(WORKER_EXTERNALS);
    for (const name of WORKERS) {
      const text = readFileSync(join(workerDir, `${name}.cjs`), 'utf8');
      const required = new Set([...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
      const outside = [...required].filter((id) => !id.startsWith('node:') && !builtinModules.includes(id) && !unpackedPackages.has(id));
      expect(outside).toEqual([]);
    }
    const builder = readFileSync(join(repo, 'electron-builder.yml'), 'utf8');
    for (const pkg of WORKER_EXTERNALS) expect(builder).toContain(`"**/node_modules/${pkg}/**"`);
    expect(builder).toContain('out/workers/**');
  });

  test('the built main process picks the bundles, inside app.asar the unpacked copies, from source the TypeScript', () => {
    const bundleUrl = pathToFileURL(join(appDir, 'out', 'main', 'index.js')).href;
    expect(workerFile('passWorker', bundleUrl)).toBe(join(workerDir, 'passWorker.cjs'));
    expect(workerFile('notificationWorker', bundleUrl)).toBe(join(workerDir, 'notificationWorker.cjs'));
    expect(workerFile('jobThread', bundleUrl)).toBe(join(workerDir, 'jobThread.cjs'));
    expect(workerFile('demoGymWorker', bundleUrl)).toBe(join(workerDir, 'demoGymWorker.cjs'));

    const asarUrl = 'file:///opt/Pass%20Console/resources/app.asar/out/main/index.js';
    const seen: string[] = [];
    const found = workerFile('passWorker', asarUrl, (path) => (seen.push(path), true));
    expect(found).toBe('/opt/Pass Console/resources/app.asar.unpacked/out/workers/passWorker.cjs');
    expect(seen).toEqual([found]);
    expect(unpacked('C:\\Apps\\resources\\app.asar\\out\\workers\\a.cjs')).toBe('C:\\Apps\\resources\\app.asar.unpacked\\out\\workers\\a.cjs');

    expect(workerFile('passWorker')).toBe(join(repo, 'workers', 'passWorker.ts'));
    // a built bundle that was not built next to it: the sources, not a file that isn't there
    expect(workerFile('passWorker', bundleUrl, () => false)).toBe(join(appDir, 'workers', 'passWorker.ts'));
  });
});

describeEachBackend('usePassesJob on the built worker bundle', (backend) => {
  let t: TestDatabase;
  let operator: JobOperator;
  beforeAll(async () => {
    t = await freshDatabase(backend);
  });
  afterAll(async () => {
    await operator?.close();
    await t.dispose();
  });

  test('3 partitions on worker threads running passWorker.cjs deduct every due booking once', async () => {
    const jobs = withWorkerDirectory([usePassesJob], workerDir);
    // the job's partitioned step (after completeClassBookingsStep, which runs where the job does)
    expect(jobs[0]!.flow.flatMap((s) => (s.kind === 'partitioned' ? [s.workers?.filename] : []))).toEqual([join(workerDir, 'passWorker.cjs')]);
    operator = new JobOperator({ database: t.db, jobs });
    const g = gym();
    const passes = Array.from({ length: 30 }, (_, i) => g.pass(g.member(`B${i}`), { remaining: i % 5 === 0 ? null : 4 }));
    for (let i = 0; i < 300; i++) g.booking(passes[i % passes.length]!, { endedAt: at(-DAY + i) });
    await g.insert(t.db);

    const execution = await operator.run('usePassesJob', { now: NOW, partitions: 3 });
    expect([execution.status, execution.exitMessage]).toEqual(['COMPLETED', '']);
    const steps = await operator.repository.stepExecutions(execution.id);
    const partitions = steps.filter((s) => s.stepName.startsWith('usePassesStep:partition'));
    expect(partitions.map((s) => s.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect(partitions.reduce((n, s) => n + s.writeCount, 0)).toBe(300);
    // 10 bookings per pass: 4 uses become 0 (never below), unlimited stays unlimited
    const remaining = (await passStates(t.db)).map((p) => p.remaining_count);
    expect(remaining).toEqual(passes.map((_, i) => (i % 5 === 0 ? null : 0)));
  }, 120_000);
});

describe('the console\'s jobs on the built job thread', () => {
  test('usePassesJob run on a thread running jobThread.cjs completes, its partitions included', async () => {
    const t = await freshDatabase('sqlite');
    const operator = new JobOperator({ database: t.db, jobs: consoleJobs, jobThread: { filename: join(workerDir, 'jobThread.cjs') } });
    try {
      const g = gym();
      const passes = Array.from({ length: 10 }, (_, i) => g.pass(g.member(`T${i}`), { remaining: 4 }));
      for (let i = 0; i < 50; i++) g.booking(passes[i % passes.length]!, { endedAt: at(-DAY + i) });
      await g.insert(t.db);
      const steps: string[] = [];
      operator.events.subscribe((event) => event.type === 'step-finished' && steps.push(event.step.stepName));
      const execution = await operator.run('usePassesJob', { now: NOW, partitions: 2 });
      expect([execution.status, execution.exitMessage]).toEqual(['COMPLETED', '']);
      expect(steps.sort()).toEqual(['completeClassBookingsStep', 'usePassesStep', 'usePassesStep:partition0', 'usePassesStep:partition1']);
      expect((await passStates(t.db)).map((p) => p.remaining_count)).toEqual(passes.map(() => 0));
    } finally {
      await operator.close();
      await t.dispose();
    }
  }, 120_000);
});

describe('backupDatabaseJob on the built worker bundle', () => {
  test('the copy is made on a worker thread running backupWorker.cjs, and opens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pass-built-backup-'));
    const database = await openDatabase(`sqlite:${join(dir, 'gym.sqlite')}`);
    const operator = new JobOperator({ database, jobs: [defineBackupJob({ worker: join(workerDir, 'backupWorker.cjs') })] });
    try {
      await migrateToLatest(database, migrations);
      const execution = await operator.run('backupDatabaseJob', { now: NOW, backupDir: join(dir, 'backups') });
      expect([execution.status, execution.exitMessage]).toEqual(['COMPLETED', '']);
      const [copy] = await findBackups(join(dir, 'gym.sqlite'), join(dir, 'backups'));
      const opened = new BetterSqlite3(copy!.path, { readonly: true, fileMustExist: true });
      try {
        expect(opened.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(opened.prepare(`SELECT count(*) AS n FROM BATCH_JOB_EXECUTION`).get()).toEqual({ n: 1 });
      } finally {
        opened.close();
      }
    } finally {
      await operator.close();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the first-run demo gym on the built worker bundle', () => {
  test('demoGymWorker.cjs writes the demo gym on a thread of its own, and the main connection reads it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pass-built-demo-'));
    const database = await openDatabase(`sqlite:${join(dir, 'gym.sqlite')}`);
    try {
      await migrateToLatest(database, migrations);
      const outcome = await seedDemoGymOnThread({ dbUrl: database.url, members: 40, now: NOW.toISOString() }, join(workerDir, 'demoGymWorker.cjs'));
      expect('added' in outcome && outcome.added.members).toBe(40);
      const members = await database.kysely.selectFrom('user').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(Number(members.n)).toBe(40);
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
