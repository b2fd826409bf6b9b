// The desktop's first run chooses how the gym starts (setup.createAdmin's `gym`), on both
// databases: an empty gym for real use (the default) adds nothing, and the admin can make the
// gym's first package, member and pass at once; the demo gym is written by a worker thread with
// its own connection, before the admin is made; a database that already has gym data gets no demo
// gym; and a demo gym that can't be written leaves nothing of itself and no account, so the
// person can try again or start an empty gym.
import { sql } from 'kysely';
import { threadId } from 'node:worker_threads';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { JobOperator, migrateToLatest } from '../../main/batch/index.ts';
import { seedDemoGymOnThread } from '../../main/pass/demo/demoGymThread.ts';
import { passJobs } from '../../main/pass/jobs/index.ts';
import { ServiceError } from '../../main/service/errors.ts';
import { createService, type Service } from '../../main/service/service.ts';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { serviceMigrations } from '../support/serviceHarness.ts';

// the real one, watched: the service's demo gym goes through it (its thread is proven below)
vi.mock('../../main/pass/demo/demoGymThread.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../main/pass/demo/demoGymThread.ts')>();
  return { ...real, seedDemoGymOnThread: vi.fn(real.seedDemoGymOnThread) };
});

const PASSWORD = 'chosen-at-the-desk-1';
const GYM_TABLES = ['user', 'package', 'pass', 'booking', 'bulk_pass', 'notification', 'user_group_mapping'] as const;

describeEachBackend('first run: how the gym starts', (backend) => {
  let database: TestDatabase;
  let operator: JobOperator;
  let service: Service;
  let logged: unknown[];

  beforeEach(async () => {
    database = await freshDatabase(backend, { migrate: false });
    await migrateToLatest(database.db, serviceMigrations);
    operator = new JobOperator({ database: database.db, jobs: passJobs, timeZone: 'Asia/Seoul' });
    logged = [];
    service = createService({ db: database.db, operator }, { logError: (error) => logged.push(error) });
  });
  afterEach(async () => {
    await operator?.close();
    await database?.dispose();
  });

  const counts = async () => {
    const result: Record<string, number> = {};
    for (const table of GYM_TABLES) {
      const row = await database.db.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      result[table] = Number(row.n);
    }
    return result;
  };
  const nothing = Object.fromEntries(GYM_TABLES.map((table) => [table, 0]));
  const staff = () => database.db.kysely.selectFrom('staff_account').select('username').execute();

  it.each([
    ['an empty gym', { gym: 'empty' }],
    ['no choice at all (an older caller)', {}],
  ])('%s adds no members, packages, passes, bookings, grants or notifications; the admin then makes the first package, member and pass', async (_what, choice) => {
    expect(await service.call(null, 'setup.status', {})).toEqual({ needsAdmin: true, hasGymData: false });
    const info = await service.call(null, 'setup.createAdmin', { password: PASSWORD, ...choice });
    expect(await counts()).toEqual(nothing);
    const audit = await database.db.kysely.selectFrom('audit_log').select('detail').execute();
    expect(audit.map((row) => JSON.parse(String(row.detail)))).toEqual([{ username: 'admin', role: 'ADMIN', gym: 'empty' }]);

    // usable as it is: the admin (above a manager) makes a package, the desk a member and sells a pass
    const session = (await service.authenticate(info.token))!;
    const made = await service.call(session, 'packages.create', { packageName: 'PT 10회', count: 10, period: 60 });
    const member = await service.call(session, 'members.create', { userName: '김하나', phone: '01012345678' });
    const sold = await service.call(session, 'passes.register', { userId: member.detail.member.userId, packageSeq: made.packageSeq, startedAt: '2026-12-07T09:00:00+09:00' });
    expect(sold.passes.map((p) => [p.packageSeq, p.remainingCount])).toEqual([[made.packageSeq, 10]]);
    expect(await service.call(null, 'setup.status', {})).toEqual({ needsAdmin: false, hasGymData: true });
  });

  it('the demo gym is added on a worker thread before the admin is made: about 2,000 members with passes, bookings and a bulk grant, and the activity log records the choice', async () => {
    vi.mocked(seedDemoGymOnThread).mockClear();
    const info = await service.call(null, 'setup.createAdmin', { password: PASSWORD, gym: 'demo' });
    expect(vi.mocked(seedDemoGymOnThread).mock.calls.map(([task]) => task.dbUrl)).toEqual([database.url]);
    expect(info).toMatchObject({ username: 'admin', role: 'ADMIN' });
    const added = await counts();
    expect(added.user).toBe(2000);
    expect(added.package).toBe(6);
    for (const table of ['pass', 'booking', 'bulk_pass', 'user_group_mapping'] as const) expect([table, added[table]! > 0]).toEqual([table, true]);
    expect(await service.call(null, 'setup.status', {})).toEqual({ needsAdmin: false, hasGymData: true });
    const audit = await database.db.kysely.selectFrom('audit_log').select('detail').execute();
    expect(audit.map((row) => JSON.parse(String(row.detail)))).toEqual([{ username: 'admin', role: 'ADMIN', gym: 'demo' }]);
    const session = (await service.authenticate(info.token))!;
    expect((await service.call(session, 'members.search', { query: 'M1000001' })).members.map((m) => m.userId)).toEqual(['M1000001']);
  }, 60_000);

  it('its rows are written by another thread, over its own connection', async () => {
    const outcome = await seedDemoGymOnThread({ dbUrl: database.url, members: 40 });
    expect('added' in outcome && outcome.added.members).toBe(40);
    expect('added' in outcome && outcome.thread).not.toBe(threadId);
    expect((await counts()).user).toBe(40);
  }, 60_000);

  it('a database that already has gym data gets no demo gym: refused on the choice, no account made; it starts as it is', async () => {
    await database.db.kysely.insertInto('package').values({ package_name: '기존 상품', count: 5, period: 30, created_at: '2026-01-01 00:00:00' } as never).execute();
    expect(await service.call(null, 'setup.status', {})).toEqual({ needsAdmin: true, hasGymData: true });
    const refused = await service.call(null, 'setup.createAdmin', { password: PASSWORD, gym: 'demo' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServiceError);
    expect((refused as ServiceError).toJSON()).toMatchObject({ code: 'VALIDATION', field: 'gym', message: { en: expect.stringMatching(/already has members, packages or passes/) } });
    expect(await staff()).toEqual([]);
    expect(await counts()).toEqual({ ...nothing, package: 1 });
    await service.call(null, 'setup.createAdmin', { password: PASSWORD, gym: 'empty' });
    expect(await staff()).toEqual([{ username: 'admin' }]);
  });

  it('a demo gym that cannot be written leaves nothing of itself and no account, says so in plain words, and the gym can start empty', async () => {
    // the last table the demo gym writes refuses every row, as a full disk would
    if (backend === 'sqlite') await sql`CREATE TRIGGER demo_fails BEFORE INSERT ON booking BEGIN SELECT RAISE(ABORT, 'no room'); END`.execute(database.db.kysely);
    else await sql`CREATE TRIGGER demo_fails BEFORE INSERT ON booking FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no room'`.execute(database.db.kysely);

    const failed = await service.call(null, 'setup.createAdmin', { password: PASSWORD, gym: 'demo' }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ServiceError);
    expect((failed as ServiceError).toJSON()).toEqual({
      code: 'UNAVAILABLE',
      message: { ko: expect.stringMatching(/데모 체육관을 넣지 못했습니다.*아무것도 추가되지 않았/), en: 'The demo gym could not be added. Nothing was added and no admin account was made; try again, or start an empty gym.' },
    });
    expect(logged.map((error) => (error as Error).message)).toEqual([expect.stringMatching(/^The demo gym was not written \(nothing of it was kept\): .*no room/)]);
    expect(await counts()).toEqual(nothing);
    expect(await staff()).toEqual([]);
    expect(await service.call(null, 'setup.status', {})).toEqual({ needsAdmin: true, hasGymData: false });

    await sql`DROP TRIGGER demo_fails`.execute(database.db.kysely);
    await service.call(null, 'setup.createAdmin', { password: PASSWORD, gym: 'empty' });
    expect(await staff()).toEqual([{ username: 'admin' }]);
    expect(await counts()).toEqual(nothing);
  }, 60_000);

  it('a bad password adds no demo gym', async () => {
    const refused = await service.call(null, 'setup.createAdmin', { password: 'short', gym: 'demo' }).catch((e: unknown) => e);
    expect((refused as ServiceError).code).toBe('VALIDATION');
    expect(await counts()).toEqual(nothing);
  });

  it('an unknown choice is refused on `gym`', async () => {
    const refused = await service.call(null, 'setup.createAdmin', { password: PASSWORD, gym: 'sample' }).catch((e: unknown) => e);
    expect((refused as ServiceError).toJSON()).toMatchObject({ code: 'VALIDATION', field: 'gym' });
    expect(await staff()).toEqual([]);
  });
});
