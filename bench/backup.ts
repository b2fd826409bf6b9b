// backupDatabaseJob as the console runs it (the copy on a worker thread) on an SQLite file holding
// N passes and the members they belong to. Limit: copying the closed file with the operating
// system (fs.copyFile after a checkpoint, then fsync), the least any backup can cost, though not safe while
// the console writes. Also measured: how long the main thread, where the desktop's service and
// scheduler run, stood still meanwhile, against the same job copying on that thread and against
// VACUUM INTO, the one-statement way to take a consistent copy. No goal is set by an issue.
import { closeSync, copyFileSync, fsyncSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { backupDatabaseJob, defineBackupJob, findBackups, JobOperator, sqlitePath } from '../main/batch/index.ts';
import { workerFile } from '../main/pass/workerFiles.ts';
import { row, type Benchmark, type Scale } from './benchmark.ts';
import { at, exec, insertFromNumbers, insertMembers, scalar, settle } from './passData.ts';
import { log, round, tempSqlite, timeIt } from './support.ts';

/** passes; bench_numbers (passData.ts) counts to 1,000,000 */
const SIZES: Record<Scale, number> = { small: 200_000, default: 500_000, full: 1_000_000 };

/**
 * The longest the main thread stood still while `work` ran, in ms: the largest gap between the
 * ticks of a 5 ms interval. (monitorEventLoopDelay missed a 1.5 s VACUUM INTO here, recording 10 ms.)
 */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  };
  const timer = setInterval(tick, 5);
  try {
    await work();
    tick();
  } finally {
    clearInterval(timer);
  }
  return longest;
}

const benchmark: Benchmark = {
  name: 'backup',
  description: 'backupDatabaseJob on an SQLite file of N passes vs copying the closed file (fs.copyFile + fsync); longest main-thread stall vs VACUUM INTO',
  async run(scale) {
    const n = SIZES[scale];
    const opened = await tempSqlite('backup');
    const out = mkdtempSync(join(tmpdir(), 'pc-bench-backups-'));
    try {
      const { db } = opened;
      await insertMembers(db, 50_000);
      await insertFromNumbers(
        db,
        'pass',
        {
          pass_seq: 'n',
          package_seq: '1 + n % 3',
          user_id: "('m' || (1 + n % 50000))",
          status: "'PROGRESSED'",
          remaining_count: '5',
          started_at: at(new Date('2026-01-01T00:00:00Z')),
          ended_at: at(new Date('2027-01-01T00:00:00Z')),
          created_at: at(new Date('2026-01-01T00:00:00Z')),
        },
        1,
        n,
      );
      if ((await scalar(db, 'SELECT COUNT(*) FROM pass')) !== n) throw new Error(`expected ${n} passes`);
      await exec(db, 'DROP TABLE IF EXISTS bench_numbers');
      await exec(db, 'DROP TABLE IF EXISTS bench_k');
      await settle(db);
      const file = sqlitePath(db.url);
      const megabytes = statSync(file).size / 1024 / 1024;
      log(`backup: ${n.toLocaleString('en-US')} passes, ${megabytes.toFixed(0)} MB`);

      const limitSeconds = await timeIt(async () => {
        copyFileSync(file, join(out, 'plain-copy.sqlite'));
        // on disk, as the backup's copy is when its last write commits
        const fd = openSync(join(out, 'plain-copy.sqlite'), 'r+');
        fsyncSync(fd);
        closeSync(fd);
      });
      rmSync(join(out, 'plain-copy.sqlite'));

      /** One run of the job as `jobs` defines it: its seconds and the longest stall meanwhile. */
      const runJob = async (job: typeof backupDatabaseJob, at: Date) => {
        const operator = new JobOperator({ database: db, jobs: [job] });
        let seconds = 0;
        try {
          const stall = await longestStall(async () => {
            seconds = await timeIt(async () => {
              const execution = await operator.run('backupDatabaseJob', { backupDir: out, now: at });
              if (execution.status !== 'COMPLETED') throw new Error(`the backup ended ${execution.status}: ${execution.exitMessage}`);
            });
          });
          return { seconds, stall };
        } finally {
          await operator.close();
        }
      };
      const worker = defineBackupJob({ worker: workerFile('backupWorker') });
      // Warm-up: the first launch after the load refreshes SQLite's planner statistics of the new
      // rows (PRAGMA optimize, jobRunner.ts), 0.8 s on this thread whatever the job; not the backup's.
      await runJob(worker, new Date('2026-12-05T03:44:00Z'));
      const onWorker = await runJob(worker, new Date('2026-12-05T03:45:00Z'));
      const inThread = await runJob(backupDatabaseJob, new Date('2026-12-05T03:46:00Z'));
      const copies = await findBackups(file, out);
      if (copies.length !== 3 || copies.some((c) => c.sizeBytes < statSync(file).size / 2)) throw new Error(`the backups are missing or too small: ${JSON.stringify(copies)}`);
      const { seconds, stall: jobStall } = onWorker;

      const vacuumStall = await longestStall(() => sql.raw(`VACUUM INTO '${join(out, 'vacuum-into.sqlite').replace(/'/g, "''")}'`).execute(db.kysely));
      const ratio = seconds / limitSeconds;
      log(
        `backup: job ${seconds.toFixed(2)} s, fs.copyFile ${limitSeconds.toFixed(2)} s (${ratio.toFixed(2)}×); longest stall ${jobStall.toFixed(0)} ms ` +
          `(copying on the main thread: ${inThread.seconds.toFixed(2)} s, stall ${inThread.stall.toFixed(0)} ms; VACUUM INTO: ${vacuumStall.toFixed(0)} ms)`,
      );
      return [
        row({
          job: 'backupDatabaseJob',
          db: 'sqlite',
          items: n,
          seconds: round(seconds, 3),
          itemsPerSecond: Math.round(n / seconds),
          ratioToLimit: round(ratio, 2),
          baselineSeconds: round(limitSeconds, 3),
          note:
            `${n.toLocaleString('en-US')} passes, ${megabytes.toFixed(0)} MB file; limit = fs.copyFile of the checkpointed file + fsync; ` +
            `copy on a worker thread (its start, through tsx from source, is in the time); longest main-thread stall meanwhile ${jobStall.toFixed(0)} ms, ` +
            `against ${inThread.stall.toFixed(0)} ms with the copy on the main thread (${inThread.seconds.toFixed(2)} s) and ${vacuumStall.toFixed(0)} ms for VACUUM INTO; no goal set`,
        }),
      ];
    } finally {
      await opened.dispose();
      rmSync(out, { recursive: true, force: true });
    }
  },
};

export default benchmark;
