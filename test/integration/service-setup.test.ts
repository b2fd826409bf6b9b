// First run (issue 4): setup.status and setup.createAdmin on both databases. On a database with
// no staff account the desk chooses the admin's password once; the call signs `admin` in and is
// written to the activity log. Then, and on any console that already has an account (as `serve`
// always has), it is refused with CONFLICT; two calls at once create exactly one admin; a bad
// password writes nothing. Also over real HTTP (GET /api/setup, POST /api/setup/admin), and the
// desktop engine in `admin: 'ask'` mode, which leaves the account to this screen.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { JobOperator, migrateToLatest } from '../../main/batch/index.ts';
import { openConsole } from '../../main/app/console.ts';
import { startHttpServer } from '../../main/http/server.ts';
import { passJobs } from '../../main/pass/jobs/index.ts';
import { ServiceError } from '../../main/service/errors.ts';
import { createService, type Service } from '../../main/service/service.ts';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { apiClient, serviceMigrations } from '../support/serviceHarness.ts';

const CHOSEN = 'chosen-at-the-desk-1';

async function refusal(promise: Promise<unknown>): Promise<ServiceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  return error as ServiceError;
}

describeEachBackend('first-run setup', (backend) => {
  let database: TestDatabase;
  let operator: JobOperator;
  let service: Service;

  beforeEach(async () => {
    database = await freshDatabase(backend, { migrate: false });
    await migrateToLatest(database.db, serviceMigrations);
    operator = new JobOperator({ database: database.db, jobs: passJobs, timeZone: 'Asia/Seoul' });
    service = createService({ db: database.db, operator }, { logError: (error) => console.error(error) });
  });
  afterEach(async () => {
    await operator?.close();
    await database?.dispose();
  });

  /** Every row the first run may write: accounts, sessions, activity log. */
  const written = async () => {
    const k = database.db.kysely;
    return {
      staff: await k.selectFrom('staff_account').selectAll().execute(),
      sessions: await k.selectFrom('staff_session').selectAll().execute(),
      audit: await k.selectFrom('audit_log').selectAll().execute(),
    };
  };

  it('no account: needsAdmin; the chosen password makes `admin`, signed in and logged; then it is done', async () => {
    expect(await service.call(null, 'setup.status', {})).toEqual({ needsAdmin: true, hasGymData: false });

    const info = await service.call(null, 'setup.createAdmin', { password: CHOSEN });
    expect(info).toMatchObject({ username: 'admin', role: 'ADMIN', token: expect.any(String), expiresAt: expect.any(String) });
    const session = await service.authenticate(info.token);
    expect(session).toMatchObject({ username: 'admin', role: 'ADMIN' });
    expect((await service.call(session, 'staff.list', {})).map((s) => [s.username, s.role, s.active])).toEqual([['admin', 'ADMIN', true]]);
    expect(await service.call(null, 'setup.status', {})).toEqual({ needsAdmin: false, hasGymData: false });

    // the chosen password is the one that signs in; it is stored only as a scrypt hash
    const again = await service.call(null, 'session.login', { username: 'admin', password: CHOSEN });
    expect(again.role).toBe('ADMIN');
    const rows = await written();
    expect(rows.staff[0]!.password_hash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(rows)).not.toContain(CHOSEN);
    expect(rows.audit.map((a) => [a.actor, a.action, a.target])).toEqual([['admin', 'setup.createAdmin', 'staff:admin']]);

    // done once: a second call is refused and changes nothing
    const before = await written();
    const second = await refusal(service.call(null, 'setup.createAdmin', { password: 'taking-it-over-1' }));
    expect(second.toJSON()).toEqual({ code: 'CONFLICT', message: { ko: expect.stringMatching(/관리자/), en: expect.stringMatching(/already has staff/) } });
    expect(second.status).toBe(409);
    expect(await written()).toEqual(before);
    await expect(service.call(null, 'session.login', { username: 'admin', password: 'taking-it-over-1' })).rejects.toMatchObject({ code: 'LOGIN_FAILED' });
  });

  it('two calls at once: exactly one admin, the other CONFLICT', async () => {
    const passwords = ['first-desk-password', 'second-desk-password', 'third-desk-password'];
    const outcomes = await Promise.allSettled(passwords.map((password) => service.call(null, 'setup.createAdmin', { password })));
    const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
    expect(won).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect((o.reason as ServiceError).code).toBe('CONFLICT');
    }
    const rows = await written();
    expect(rows.staff).toHaveLength(1);
    expect(rows.sessions).toHaveLength(1);
    expect(rows.audit).toHaveLength(1);
    // the winner's password is the admin's
    expect((await service.call(null, 'session.login', { username: 'admin', password: passwords[won[0]!]! })).username).toBe('admin');
  });

  it.each([
    ['a short password', { password: 'short' }, 'password'],
    ['a password over 200 characters', { password: 'x'.repeat(201) }, 'password'],
    ['no password', {}, 'password'],
    ['a password that is not a string', { password: 12345678 }, 'password'],
    ['a username (it is always admin)', { password: CHOSEN, username: 'root' }, 'username'],
  ])('%s → VALIDATION, and nothing written', async (_what, input, field) => {
    const error = await refusal(service.call(null, 'setup.createAdmin', input));
    expect(error.toJSON()).toMatchObject({ code: 'VALIDATION', field });
    expect(await written()).toEqual({ staff: [], sessions: [], audit: [] });
    expect(await service.call(null, 'setup.status', {})).toEqual({ needsAdmin: true, hasGymData: false });
  });

  it("a console that made its admin at start (serve: env or generated) can't be taken over", async () => {
    const boot = await service.ensureAdmin();
    expect(boot.generatedPassword).toBeTruthy();
    expect(await service.call(null, 'setup.status', {})).toEqual({ needsAdmin: false, hasGymData: false });
    const before = await written();
    expect((await refusal(service.call(null, 'setup.createAdmin', { password: 'taking-it-over-1' }))).code).toBe('CONFLICT');
    expect(await written()).toEqual(before);
    expect((await service.call(null, 'session.login', { username: 'admin', password: boot.generatedPassword! })).role).toBe('ADMIN');
  });

  it('over HTTP: GET /api/setup, POST /api/setup/admin once, then 409', async () => {
    const server = await startHttpServer({ service });
    const api = apiClient(() => server.url);
    try {
      expect((await api('GET', '/api/setup')).json).toEqual({ needsAdmin: true, hasGymData: false });
      const bad = await api('POST', '/api/setup/admin', { body: { password: 'short' } });
      expect([bad.status, bad.json.code, bad.json.field]).toEqual([400, 'VALIDATION', 'password']);

      const made = await api('POST', '/api/setup/admin', { body: { password: CHOSEN } });
      expect(made.status, made.text).toBe(200);
      expect(made.json).toMatchObject({ username: 'admin', role: 'ADMIN' });
      const jobs = await api('GET', '/api/jobs', { token: made.json.token });
      expect(jobs.status).toBe(200);
      expect(jobs.json).toHaveLength(6);
      expect((await api('GET', '/api/setup')).json).toEqual({ needsAdmin: false, hasGymData: false });

      const again = await api('POST', '/api/setup/admin', { body: { password: 'taking-it-over-1' } });
      expect([again.status, again.json.code]).toEqual([409, 'CONFLICT']);
      expect(again.json.message).toEqual({ ko: expect.any(String), en: expect.any(String) });
      const doc = (await api('GET', '/api/openapi.json')).json;
      expect(doc.paths['/api/setup/admin'].post['x-role']).toBe('PUBLIC');
      expect(doc.paths['/api/setup/admin'].post.security).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

describeEachBackend("desktop engine, admin: 'ask'", (backend) => {
  let database: TestDatabase;
  const saved = process.env.PASS_ADMIN_PASSWORD;
  beforeEach(async () => {
    delete process.env.PASS_ADMIN_PASSWORD;
    database = await freshDatabase(backend, { migrate: false });
    await database.db.close(); // the engine opens and migrates it itself
  });
  afterEach(async () => {
    if (saved === undefined) delete process.env.PASS_ADMIN_PASSWORD;
    else process.env.PASS_ADMIN_PASSWORD = saved;
    await database?.dispose();
  });

  it('first run creates no account and no password; the desk chooses it; the next start leaves it', async () => {
    const lines: string[] = [];
    const engine = await openConsole({ dbUrl: database.url, admin: 'ask', seedDemo: false, scheduler: false, log: (line) => lines.push(line) });
    try {
      expect(engine.admin).toEqual({ created: false, username: 'admin', awaitingSetup: true });
      expect(lines.join('\n')).not.toMatch(/password \S{8,}/);
      expect(await engine.service.call(null, 'setup.status', {})).toEqual({ needsAdmin: true, hasGymData: false });
      const info = await engine.service.call(null, 'setup.createAdmin', { password: CHOSEN });
      expect(info.role).toBe('ADMIN');
    } finally {
      await engine.close();
    }
    const next = await openConsole({ dbUrl: database.url, admin: 'ask', seedDemo: false, scheduler: false, log: () => undefined });
    try {
      expect(next.admin).toEqual({ created: false, username: 'admin', awaitingSetup: false });
      expect((await next.service.call(null, 'session.login', { username: 'admin', password: CHOSEN })).role).toBe('ADMIN');
    } finally {
      await next.close();
    }
  });

  it('PASS_ADMIN_PASSWORD still makes the admin at start on the desktop', async () => {
    process.env.PASS_ADMIN_PASSWORD = 'from-the-environment-1';
    const engine = await openConsole({ dbUrl: database.url, admin: 'ask', seedDemo: false, scheduler: false, log: () => undefined });
    try {
      expect(engine.admin).toEqual({ created: true, username: 'admin' });
      expect(await engine.service.call(null, 'setup.status', {})).toEqual({ needsAdmin: false, hasGymData: false });
      expect((await engine.service.call(null, 'session.login', { username: 'admin', password: 'from-the-environment-1' })).role).toBe('ADMIN');
    } finally {
      await engine.close();
    }
  });
});
