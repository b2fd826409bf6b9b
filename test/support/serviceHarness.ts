// A service over a fresh, migrated database (with the staff and settings tables) holding a
// small demo gym, and a signed-in session for each role. Used by the service and HTTP
// integration suites. Optionally with a real Scheduler (not ticking) behind schedules.*, and a
// slow job that runs until stopped, for the stop/restart/abandon routes.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { defineJob, isRunning, JobOperator, migrateToLatest, numberParam, Scheduler, taskletStep, toDbTime, type JobDefinition } from '../../main/batch/index.ts';
import { migrations } from '../../db/migrations/index.ts';
import * as staffMigration from '../../db/migrations/004_staff.ts';
import * as settingsMigration from '../../db/migrations/005_settings.ts';
import { passJobs } from '../../main/pass/jobs/index.ts';
import { passSchedules } from '../../main/pass/schedules.ts';
import { seedDemoGym } from '../../main/pass/demo/demoGym.ts';
import { createService, type Service, type ServiceOptions, type Session } from '../../main/service/service.ts';
import { schedulerAdmin } from '../../main/service/schedules.ts';
import type { Role } from '../../main/service/contract.ts';
import { freshDatabase, type Backend, type TestDatabase } from './databases.ts';
import { waitUntil } from './waitUntil.ts';
import { expect } from 'vitest';
import { ServiceError } from '../../main/service/errors.ts';

export const PASSWORDS: Record<Role, string> = {
  ADMIN: 'admin-password-1',
  MANAGER: 'manager-password-1',
  FRONT_DESK: 'desk-password-1',
  KIOSK: 'kiosk-password-1',
};
export const USERNAMES: Record<Role, string> = { ADMIN: 'admin', MANAGER: 'manager1', FRONT_DESK: 'desk1', KIOSK: 'kiosk1' };

export interface ServiceHarness {
  database: TestDatabase;
  operator: JobOperator;
  service: Service;
  runtime: { db: TestDatabase['db']; operator: JobOperator; close(): Promise<void> };
  sessions: Record<Role, Session>;
  /** with `scheduler: true` */
  scheduler?: Scheduler;
  dispose(): Promise<void>;
}

// Until db/migrations/index.ts lists 005_settings, the suites add it themselves.
export const serviceMigrations = { ...migrations, '004_staff': staffMigration, '005_settings': settingsMigration };

/** Runs until stopped (or `ticks` × 20 ms): a running execution to stop, restart and abandon. */
export const slowTestJob = defineJob({
  name: 'slowTestJob',
  title: { ko: '시험용 느린 작업', en: 'Slow test job' },
  params: { ticks: numberParam({ default: 1500, integer: true, min: 1 }) },
  steps: [
    taskletStep<{ ticks: number }>({
      name: 'waitStep',
      tasklet: async (ctx) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const done = Number(ctx.executionContext.done ?? 0) + 1;
        ctx.executionContext.done = done;
        return done >= ctx.params.ticks ? 'FINISHED' : 'CONTINUABLE';
      },
    }),
  ],
});

export interface HarnessOptions {
  now?: Date;
  /** a real Scheduler (with the pass jobs' default schedules, never started) behind schedules.* */
  scheduler?: boolean;
  /** jobs besides the pass jobs (e.g. slowTestJob) */
  extraJobs?: JobDefinition<any>[];
  service?: Omit<ServiceOptions, 'schedules'>;
}

export async function serviceHarness(backend: Backend, options: HarnessOptions = {}): Promise<ServiceHarness> {
  const database = await freshDatabase(backend, { migrate: false });
  await migrateToLatest(database.db, serviceMigrations);
  await seedDemoGym(database.db, { members: 40, days: 3, now: options.now ?? new Date() });
  const operator = new JobOperator({ database: database.db, jobs: [...passJobs, ...(options.extraJobs ?? [])], timeZone: 'Asia/Seoul', heartbeatMs: 200 });
  const runtime = { db: database.db, operator, close: () => operator.close() };
  let scheduler: Scheduler | undefined;
  if (options.scheduler) {
    scheduler = new Scheduler({ database: database.db, operator, ownerName: 'test-desk', logger: { info: () => undefined, warn: () => undefined } });
    await scheduler.ensureDefaults(passSchedules);
  }
  const service = createService(runtime, {
    logError: (error) => console.error(error),
    ...options.service,
    ...(scheduler ? { schedules: schedulerAdmin(scheduler) } : {}),
  });
  await service.ensureAdmin({ password: PASSWORDS.ADMIN });
  const admin = await signIn(service, 'ADMIN');
  for (const role of ['MANAGER', 'FRONT_DESK', 'KIOSK'] as const) {
    await service.call(admin, 'staff.create', { username: USERNAMES[role], password: PASSWORDS[role], role });
  }
  const sessions = { ADMIN: admin, MANAGER: await signIn(service, 'MANAGER'), FRONT_DESK: await signIn(service, 'FRONT_DESK'), KIOSK: await signIn(service, 'KIOSK') };
  return {
    database,
    operator,
    service,
    runtime,
    sessions,
    scheduler,
    dispose: async () => {
      await scheduler?.stop();
      await operator.close();
      await scheduler?.drain();
      await database.dispose();
    },
  };
}

export async function signIn(service: Service, role: Role): Promise<Session> {
  const { token } = await service.call(null, 'session.login', { username: USERNAMES[role], password: PASSWORDS[role] });
  const session = await service.authenticate(token);
  if (!session) throw new Error('sign-in gave a token that does not authenticate');
  return session;
}

/** Row counts of every table a call could write, to prove a refused call wrote nothing. */
export async function snapshot(h: ServiceHarness): Promise<Record<string, number>> {
  const tables = [
    'package', 'pass', 'bulk_pass', 'booking', 'user', 'user_group_mapping', 'notification', 'statistics', 'report',
    'staff_account', 'staff_session', 'audit_log', 'BATCH_JOB_INSTANCE', 'BATCH_JOB_EXECUTION', 'BATCH_STEP_EXECUTION',
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(h.database.db.kysely);
    counts[table] = Number(row.rows[0]!.n);
  }
  const bulk = await sql<{ s: string }>`SELECT bulk_pass_seq, status, started_at FROM bulk_pass ORDER BY bulk_pass_seq`.execute(h.database.db.kysely);
  counts[`bulk_pass:${JSON.stringify(bulk.rows)}`] = 1;
  return counts;
}

/**
 * Waits until an execution has ended and returns its status (as soon as it has; the limit only
 * catches a hang: partitions start worker threads through tsx, slow on a loaded box).
 */
export async function waitForEnd(h: ServiceHarness, id: number, timeoutMs = 90_000): Promise<string> {
  let status = '';
  await waitUntil(async () => !isRunning((status = (await h.operator.execution(id)).status)), `execution ${id} to end`, { timeoutMs, everyMs: 50 });
  return status;
}

/** Every table of the database: the business, batch, scheduler, staff and settings tables. */
export async function tableNames(h: ServiceHarness): Promise<string[]> {
  const db = h.database.db;
  const rows =
    db.dialect === 'sqlite'
      ? await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(db.kysely)
      : await sql<{ name: string }>`SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()`.execute(db.kysely);
  return rows.rows.map((r) => r.name).sort();
}

/**
 * Every table's row count and a SHA-256 of its rows (sorted, all columns): equal states prove a
 * refused call changed nothing at all. Failed sign-ins are left out of audit_log (none are
 * written today) and the migrator's own tables are left out.
 */
export async function fullSnapshot(h: ServiceHarness): Promise<Record<string, { rows: number; sha256: string }>> {
  const result: Record<string, { rows: number; sha256: string }> = {};
  for (const table of await tableNames(h)) {
    if (/migration/i.test(table)) continue;
    let rows = (await h.database.db.kysely.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
    if (table === 'audit_log') rows = rows.filter((r) => !/login/i.test(String(r.action)));
    const lines = rows.map((row) => JSON.stringify(Object.keys(row).sort().map((k) => [k, plain(row[k])]))).sort();
    result[table] = { rows: rows.length, sha256: createHash('sha256').update(lines.join('\n')).digest('hex') };
  }
  return result;
}

function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('hex');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export interface ApiAnswer {
  status: number;
  json: any;
  text: string;
  headers: Headers;
  bytes: Buffer;
}

export interface ApiOptions {
  token?: string;
  body?: unknown;
  /** sent as it is (malformed JSON, huge bodies) */
  raw?: string;
  headers?: Record<string, string>;
}

/** A fetch-based client of the HTTP API at `base`, answering status, parsed JSON and bytes. */
export function apiClient(base: () => string) {
  return async (method: string, path: string, options: ApiOptions = {}): Promise<ApiAnswer> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(base() + path, { method, headers, body });
    const bytes = Buffer.from(await response.arrayBuffer());
    const text = bytes.toString('utf8');
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text, headers: response.headers, bytes };
  };
}

/** Signs a role in over HTTP and returns its bearer token. */
export async function httpToken(api: ReturnType<typeof apiClient>, role: Role): Promise<string> {
  const r = await api('POST', '/api/session', { body: { username: USERNAMES[role], password: PASSWORDS[role] } });
  if (r.status !== 200) throw new Error(`sign-in of ${role} answered ${r.status} ${r.text}`);
  return r.json.token as string;
}

/** Makes a session expired by moving its expiry into the past, as time would. */
export async function expireToken(h: ServiceHarness, token: string): Promise<void> {
  const hash = createHash('sha256').update(token, 'utf8').digest('hex');
  await h.database.db.kysely
    .updateTable('staff_session')
    .set({ expires_at: toDbTime(new Date(Date.now() - 60_000)) })
    .where('token_hash', '=', hash)
    .execute();
}

/** The ServiceError a call was refused with; fails the test when the call succeeded. */
export async function refused(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceError);
    return error as ServiceError;
  }
  throw new Error('expected the call to be refused');
}
