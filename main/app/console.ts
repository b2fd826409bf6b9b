// The console's half of the composition root (main/app/): engine + scheduler + service, outside the transports
// so that every shell uses the same one: the Electron main process (main/electron/main.ts) and
// `pass-batch serve` (main/http/serve.ts) open the whole engine here, and `npm start` without an
// Electron binary (bin/start.mjs) uses prepareDatabase() before it hands over to serve.
// Plain Node: nothing here imports electron.
import { hostname } from 'node:os';
import { backupDatabaseSchedule, cleanJobHistorySchedule, openDatabase, Scheduler, type Database } from '../batch/index.ts';
import { DemoGymRefusedError, seedDemoGym, type DemoGymCounts } from '../pass/demo/demoGym.ts';
import { reportDirectory } from '../pass/reports/reportFiles.ts';
import { passSchedules } from '../pass/schedules.ts';
import { migrate, openRuntime, type Runtime, type TimeZoneSource } from './runtime.ts';
import { schedulerAdmin } from '../service/schedules.ts';
import { createService, type Service } from '../service/service.ts';
import type { AdminBootstrap } from '../service/staff.ts';

export interface ConsoleOptions {
  /** default: PASS_DB_URL, else the SQLite file in the user's data folder */
  dbUrl?: string;
  /** the first admin's password; default PASS_ADMIN_PASSWORD, else see `admin` */
  adminPassword?: string;
  /**
   * When no account exists and no password is given: 'generate' (serve, and npm start in a
   * browser, where no local user is trusted) makes one, for the caller to print once; 'ask'
   * (the desktop app) creates nothing, and the first-run screen asks the person at the desk for
   * it (setup.createAdmin). Default 'generate'.
   */
  admin?: 'generate' | 'ask';
  /**
   * add the demo gym at start when the database has no members (default false: the desktop asks
   * on its first-run screen, setup.createAdmin's `gym`, and `npm start` in a browser adds it with
   * prepareDatabase before it serves; `serve` never does)
   */
  seedDemo?: boolean;
  /**
   * On SQLite, run jobs on the job thread, away from the thread serving people (default true;
   * false runs them in this thread as before issue 15, for the responsiveness benchmark's "before")
   */
  jobThread?: boolean;
  /** start the scheduler (default: unless PASS_SCHEDULER=off) */
  scheduler?: boolean;
  log?: (line: string) => void;
}

export interface ConsoleApp {
  runtime: Runtime;
  service: Service;
  scheduler: Scheduler;
  /** where the report job writes: the only folder whose files the shell opens */
  reportFolder: string;
  admin: AdminBootstrap;
  /** set when the demo gym was added by this start */
  seeded: DemoGymCounts | null;
  /** stops the scheduler, lets running executions end, closes the database */
  close(): Promise<void>;
}

/** How many rows `table` holds: members (0 on a fresh database), job executions (another application's too). */
async function rowCount(db: Database, table: 'user' | 'BATCH_JOB_EXECUTION'): Promise<number> {
  const row = await db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * First run: the demo gym, when the database has no members yet. A database that has packages
 * or passes but no members is left alone (seedDemoGym refuses it), and so is one with job
 * history already (a Spring Batch application's database, adopted by the migrations, is a real
 * one), and so is any other.
 */
export async function seedDemoGymIfEmpty(db: Database, log: (line: string) => void = () => undefined): Promise<DemoGymCounts | null> {
  if ((await rowCount(db, 'user')) > 0) return null;
  const executions = await rowCount(db, 'BATCH_JOB_EXECUTION');
  if (executions > 0) {
    log(`The demo gym was not added: the database already records ${executions} job execution${executions === 1 ? '' : 's'}.`);
    return null;
  }
  try {
    const counts = await seedDemoGym(db);
    log(`First run: added the demo gym (${counts.members} members, ${counts.passes} passes, ${counts.bookings} bookings).`);
    return counts;
  } catch (error) {
    if (error instanceof DemoGymRefusedError) {
      log(`The demo gym was not added: ${error.message}`);
      return null;
    }
    throw error;
  }
}

/** Migrates the database and adds the demo gym on first run; opens nothing that stays open. */
export async function prepareDatabase(options: { dbUrl?: string; log?: (line: string) => void } = {}): Promise<{ displayUrl: string; applied: string[]; seeded: DemoGymCounts | null }> {
  const db = await openDatabase(options.dbUrl);
  try {
    const { applied, keptAs } = await migrate(db);
    if (keptAs) options.log?.(`Database ${db.displayUrl}: kept as it was before the upgrade in ${keptAs}.`);
    if (applied.length) options.log?.(`Database ${db.displayUrl}: applied ${applied.length} migration${applied.length === 1 ? '' : 's'}.`);
    const seeded = await seedDemoGymIfEmpty(db, options.log);
    return { displayUrl: db.displayUrl, applied, seeded };
  } finally {
    await db.close().catch(() => undefined);
  }
}

const ZONE_SOURCES: Record<TimeZoneSource, string> = {
  settings: 'saved in the settings',
  option: 'given at start',
  PASS_TIME_ZONE: 'from PASS_TIME_ZONE',
  default: 'the default',
};

/** Said once at start: which database (password hidden) and which time zone, and why that one. */
export function startLine(runtime: Pick<Runtime, 'db' | 'operator' | 'timeZoneSource' | 'keptBeforeUpgrade'>): string {
  const kept = runtime.keptBeforeUpgrade ? ` Upgraded; the database as it was is kept in ${runtime.keptBeforeUpgrade}.` : '';
  return `Database: ${runtime.db.displayUrl} (${runtime.db.dialect}); time zone: ${runtime.operator.timeZone} (${ZONE_SOURCES[runtime.timeZoneSource]}).${kept}`;
}

/** The engine, the scheduler and the service, as `pass-batch serve` composes them, minus HTTP. */
export async function openConsole(options: ConsoleOptions = {}): Promise<ConsoleApp> {
  const log = options.log ?? ((line: string) => console.log(line));
  const runtime = await openRuntime({ dbUrl: options.dbUrl, jobThread: options.jobThread ?? true });
  try {
    log(startLine(runtime));
    const seeded = options.seedDemo ? await seedDemoGymIfEmpty(runtime.db, log) : null;
    const scheduler = new Scheduler({
      database: runtime.db,
      operator: runtime.operator,
      ownerName: process.env.PASS_DESK_NAME || hostname(),
      logger: { info: log, warn: (line) => console.warn(line) },
    });
    // A MySQL database is backed up by its server; the embedded one by the console, nightly.
    const backups = runtime.db.dialect === 'sqlite' ? [backupDatabaseSchedule] : [];
    await scheduler.ensureDefaults([...passSchedules, cleanJobHistorySchedule, ...backups]);
    const service = createService(runtime, { schedules: schedulerAdmin(scheduler), logError: (error, op) => console.error(`[${op}]`, error), logRefusal: log });
    const password = options.adminPassword || process.env.PASS_ADMIN_PASSWORD || undefined;
    const admin: AdminBootstrap =
      options.admin === 'ask' && password === undefined
        ? { created: false, username: 'admin', awaitingSetup: await service.call(null, 'setup.status', {}).then((s) => s.needsAdmin) }
        : await service.ensureAdmin({ password });
    if (admin.awaitingSetup) log('First run: no staff account yet; the console asks for the admin password.');
    const runScheduler = options.scheduler ?? process.env.PASS_SCHEDULER !== 'off';
    if (runScheduler) scheduler.start();
    let closing: Promise<void> | null = null;
    return {
      runtime,
      service,
      scheduler,
      reportFolder: reportDirectory(),
      admin,
      seeded,
      close: () =>
        (closing ??= (async () => {
          await scheduler.stop();
          await runtime.operator.close();
          await scheduler.drain();
          await runtime.close();
        })()),
    };
  } catch (error) {
    await runtime.close().catch(() => undefined);
    throw error;
  }
}
