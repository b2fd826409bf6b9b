// A service over a fresh, migrated database (with the staff tables) holding a small demo gym,
// and a signed-in session for each role. Used by the service and HTTP integration suites.
import { sql } from 'kysely';
import { JobOperator, migrateToLatest } from '../../main/batch/index.ts';
import { migrations } from '../../db/migrations/index.ts';
import * as staffMigration from '../../db/migrations/004_staff.ts';
import { passJobs } from '../../main/pass/jobs/index.ts';
import { seedDemoGym } from '../../main/pass/demo/demoGym.ts';
import { createService, type Service, type Session } from '../../main/service/service.ts';
import type { Role } from '../../main/service/contract.ts';
import { freshDatabase, type Backend, type TestDatabase } from './databases.ts';

export const PASSWORDS: Record<Role, string> = {
  ADMIN: 'admin-password-1',
  MANAGER: 'manager-password-1',
  FRONT_DESK: 'desk-password-1',
};
export const USERNAMES: Record<Role, string> = { ADMIN: 'admin', MANAGER: 'manager1', FRONT_DESK: 'desk1' };

export interface ServiceHarness {
  database: TestDatabase;
  operator: JobOperator;
  service: Service;
  runtime: { db: TestDatabase['db']; operator: JobOperator; close(): Promise<void> };
  sessions: Record<Role, Session>;
  dispose(): Promise<void>;
}

export const serviceMigrations = { ...migrations, '004_staff': staffMigration };

export async function serviceHarness(backend: Backend, options: { now?: Date } = {}): Promise<ServiceHarness> {
  const database = await freshDatabase(backend, { migrate: false });
  await migrateToLatest(database.db, serviceMigrations);
  await seedDemoGym(database.db, { members: 40, days: 3, now: options.now ?? new Date() });
  const operator = new JobOperator({ database: database.db, jobs: passJobs, timeZone: 'Asia/Seoul', heartbeatMs: 200 });
  const runtime = { db: database.db, operator, close: () => operator.close() };
  const service = createService(runtime, { logError: (error) => console.error(error) });
  await service.ensureAdmin({ password: PASSWORDS.ADMIN });
  const admin = await signIn(service, 'ADMIN');
  for (const role of ['MANAGER', 'FRONT_DESK'] as const) {
    await service.call(admin, 'staff.create', { username: USERNAMES[role], password: PASSWORDS[role], role });
  }
  const sessions = { ADMIN: admin, MANAGER: await signIn(service, 'MANAGER'), FRONT_DESK: await signIn(service, 'FRONT_DESK') };
  return {
    database,
    operator,
    service,
    runtime,
    sessions,
    dispose: async () => {
      await operator.close();
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

/** Waits until an execution has ended and returns its status. */
export async function waitForEnd(h: ServiceHarness, id: number, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const e = await h.operator.execution(id);
    if (!['STARTING', 'STARTED', 'STOPPING'].includes(e.status)) return e.status;
    if (Date.now() > deadline) throw new Error(`execution ${id} still ${e.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
