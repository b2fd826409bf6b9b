// The pass domain's tables (migration 002), their unique keys, the demo gym, and the seed
// project's own sample data, on SQLite and on MariaDB/MySQL.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { migrateToLatest } from '../../main/batch/database/migrator.ts';
import { isDuplicateKeyError, toDbTime } from '../../main/batch/database/dialect.ts';
import { migrations } from '../../db/migrations/index.ts';
import type { PassTables } from '../../main/pass/schema.ts';
import { DemoGymRefusedError, seedDemoGym } from '../../main/pass/demo/demoGym.ts';

// the seed project's sample data: a byte-for-byte copy of ../shared/seed/insert_data.sql
const INSERT_DATA = new URL('../fixtures/insert_data.sql', import.meta.url);

const PRIMARY_KEYS = {
  package: ['package_seq'],
  pass: ['pass_seq'],
  bulk_pass: ['bulk_pass_seq'],
  booking: ['booking_seq'],
  user: ['user_id'],
  user_group_mapping: ['user_group_id', 'user_id'],
  notification: ['notification_seq'],
  statistics: ['statistics_seq'],
  report: ['report_seq'],
  gym_class: ['class_seq'],
  gym_class_package: ['class_seq', 'package_seq'],
  class_waitlist: ['waitlist_seq'],
  class_waitlist_removed: ['removed_seq'],
} as const satisfies Record<keyof PassTables, readonly string[]>;
const TABLES = Object.keys(PRIMARY_KEYS) as (keyof PassTables)[];

const typed = (t: TestDatabase) => t.db.kysely as Kysely<PassTables>;

async function countWhere(t: TestDatabase, table: keyof PassTables, where: RawBuilder<unknown>): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)} where ${where}`.execute(t.db.kysely);
  return Number(rows[0]!.n);
}

async function expectDuplicateKey(insert: Promise<unknown>): Promise<void> {
  const error = await insert.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isDuplicateKeyError(error), `expected a duplicate key error, got ${String(error)}`).toBe(true);
}

/** Every domain row, ordered by key, without the bookkeeping times. */
async function snapshot(t: TestDatabase) {
  const tables: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    let query = t.db.kysely.selectFrom(table).selectAll();
    for (const key of PRIMARY_KEYS[table]) query = query.orderBy(key);
    tables[table] = (await query.execute()).map(({ created_at: _c, modified_at: _m, ...row }) => row);
  }
  return tables;
}

describeEachBackend('pass domain schema', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(backend);
  });
  afterAll(async () => t?.dispose());

  it('creates the seed tables and does nothing when migrations run again', async () => {
    const tables = await t.db.kysely.introspection.getTables();
    const columns = (name: string) => tables.find((table) => table.name === name)?.columns.map((c) => c.name) ?? [];
    for (const table of TABLES) expect(columns(table), table).toContain('created_at');
    expect(columns('pass')).toEqual(
      expect.arrayContaining(['pass_seq', 'package_seq', 'user_id', 'status', 'remaining_count', 'started_at', 'ended_at', 'expired_at', 'bulk_pass_seq', 'modified_at']),
    );
    expect(columns('notification')).toEqual(
      expect.arrayContaining(['uuid', 'event', 'text', 'sent', 'sent_at', 'user_id', 'booking_seq', 'pass_seq', 'target_key', 'attempts', 'last_error']),
    );
    expect(columns('report')).toEqual(
      expect.arrayContaining(['report_seq', 'kind', 'period_from', 'period_to', 'file_path', 'format', 'row_count', 'size_bytes']),
    );
    expect(await migrateToLatest(t.db, migrations)).toEqual([]);
  });

  it('gives a row left without created_at the current UTC time', async () => {
    const before = toDbTime(new Date(Date.now() - 60_000));
    await typed(t).insertInto('package').values({ package_name: 'default check', count: null, period: null }).execute();
    const row = await typed(t).selectFrom('package').selectAll().where('package_name', '=', 'default check').executeTakeFirstOrThrow();
    expect(row.created_at >= before && row.created_at <= toDbTime(new Date(Date.now() + 60_000))).toBe(true);
    expect(row.modified_at).toBeNull();
  });

  it('never lets one bulk grant give one member two passes', async () => {
    const pass = { package_seq: 1, status: 'READY', started_at: '2025-01-01 00:00:00.000' } as const;
    const db = typed(t);
    await db.insertInto('pass').values({ ...pass, user_id: 'U1', bulk_pass_seq: 7 }).execute();
    await expectDuplicateKey(db.insertInto('pass').values({ ...pass, user_id: 'U1', bulk_pass_seq: 7 }).execute());
    // another member of the grant, and passes sold at the desk, are fine
    await db.insertInto('pass').values({ ...pass, user_id: 'U2', bulk_pass_seq: 7 }).execute();
    await db.insertInto('pass').values([{ ...pass, user_id: 'U1' }, { ...pass, user_id: 'U1' }]).execute();
  });

  it('keeps one notification per event and target', async () => {
    const row = { user_id: 'U1', booking_seq: 3, target_key: 'booking:3', text: '10분 후 수업이 시작됩니다' };
    const db = typed(t);
    await db.insertInto('notification').values({ ...row, event: 'BEFORE_CLASS' }).execute();
    await expectDuplicateKey(db.insertInto('notification').values({ ...row, event: 'BEFORE_CLASS' }).execute());
    await db.insertInto('notification').values({ ...row, event: 'EXPIRY_REMINDER' }).execute();
    const saved = await db.selectFrom('notification').selectAll().where('event', '=', 'BEFORE_CLASS').executeTakeFirstOrThrow();
    expect(saved).toMatchObject({ sent: 0, attempts: 0, last_error: null, sent_at: null, uuid: null });
  });

  it('keeps one statistics row per hour', async () => {
    const db = typed(t);
    await db.insertInto('statistics').values({ statistics_at: '2025-01-01 10:00:00.000', all_count: 3 }).execute();
    await expectDuplicateKey(db.insertInto('statistics').values({ statistics_at: '2025-01-01 10:00:00.000', all_count: 3 }).execute());
  });

  it('keeps one report per kind, period start and format', async () => {
    const report = { kind: 'DAILY', period_from: '2025-01-01 15:00:00.000', period_to: '2025-01-02 15:00:00.000', file_path: '/r.csv', row_count: 1, size_bytes: 10 } as const;
    const db = typed(t);
    await db.insertInto('report').values({ ...report, format: 'CSV' }).execute();
    await expectDuplicateKey(db.insertInto('report').values({ ...report, format: 'CSV' }).execute());
    await db.insertInto('report').values({ ...report, format: 'XLSX' }).execute();
  });
});

describeEachBackend('demo gym', (backend) => {
  const now = new Date('2025-03-14T05:07:30.000Z'); // Friday 14:07:30 in Seoul
  const at = (ms: number) => toDbTime(new Date(now.getTime() + ms));
  const NOW = toDbTime(now);
  const options = { members: 300, days: 30, seed: 7, now };
  let a: TestDatabase;
  let b: TestDatabase;
  beforeAll(async () => {
    [a, b] = await Promise.all([freshDatabase(backend), freshDatabase(backend)]);
    await seedDemoGym(a.db, options);
    await seedDemoGym(b.db, options);
  });
  afterAll(async () => {
    await a?.dispose();
    await b?.dispose();
  });

  it('gives the same rows for the same seed and time', async () => {
    const first = await snapshot(a);
    expect(first.user).toHaveLength(300);
    expect(await snapshot(b)).toEqual(first);
  });

  it('has passes in every state and work for every job', async () => {
    const where = (table: keyof PassTables, condition: RawBuilder<unknown>) => countWhere(a, table, condition);
    const counts = {
      readyLater: await where('pass', sql`status = 'READY' and started_at > ${NOW}`),
      readyDue: await where('pass', sql`status = 'READY' and started_at <= ${NOW}`),
      progressed: await where('pass', sql`status = 'PROGRESSED' and (ended_at is null or ended_at > ${NOW}) and remaining_count <> 0`),
      expired: await where('pass', sql`status = 'EXPIRED' and expired_at is not null`),
      usedUpNotExpired: await where('pass', sql`status = 'PROGRESSED' and remaining_count = 0 and ended_at > ${NOW}`),
      endedStillProgressed: await where('pass', sql`status = 'PROGRESSED' and ended_at <= ${NOW}`),
      unlimited: await where('pass', sql`status = 'PROGRESSED' and remaining_count is null`),
      noEnd: await where('pass', sql`ended_at is null`),
      endingWithin3Days: await where('pass', sql`status = 'PROGRESSED' and ended_at > ${NOW} and ended_at <= ${at(3 * 86_400_000)}`),
      oneUseLeft: await where('pass', sql`status = 'PROGRESSED' and remaining_count = 1`),
      grantedInBulk: await where('pass', sql`bulk_pass_seq is not null`),
      bookingsToDeduct: await where('booking', sql`status = 'COMPLETED' and used_pass = 0 and ended_at <= ${NOW}`),
      bookingsDeducted: await where('booking', sql`status = 'COMPLETED' and used_pass = 1`),
      attended: await where('booking', sql`attended = 1`),
      cancelled: await where('booking', sql`status = 'CANCELLED' and cancelled_at is not null`),
      classesWithin10Minutes: await where('booking', sql`status = 'READY' and started_at > ${NOW} and started_at <= ${at(600_000)}`),
      classesLater: await where('booking', sql`status = 'READY' and started_at > ${at(3_600_000)}`),
      classesUnderWay: await where('booking', sql`status = 'PROGRESSED' and started_at <= ${NOW} and ended_at > ${NOW}`),
      bulkGrantsDue: await where('bulk_pass', sql`status = 'READY' and started_at <= ${NOW}`),
      inactiveMembers: await where('user', sql`status = 'INACTIVE'`),
    };
    for (const [state, n] of Object.entries(counts)) expect(n, state).toBeGreaterThan(0);
    expect(counts.bulkGrantsDue).toBe(1);

    // every booking belongs to its member's pass; every member is in ALL
    const orphans = await sql<{ n: number }>`
      select count(*) as n from booking b left join pass p on p.pass_seq = b.pass_seq
      where p.pass_seq is null or p.user_id <> b.user_id or b.started_at < p.started_at`.execute(a.db.kysely);
    expect(Number(orphans.rows[0]!.n)).toBe(0);
    expect(await countWhere(a, 'user_group_mapping', sql`user_group_id = 'ALL'`)).toBe(300);

    // classes start on the hour or half hour in Seoul (but for the drop-ins minutes from now)
    const later = await typed(a).selectFrom('booking').select('started_at').where('started_at', '>', at(3_600_000)).execute();
    for (const { started_at } of later) expect(started_at.slice(14, 23), started_at).toMatch(/^(00|30):00\.000$/);
  });

  it('the passes its desk sold for money say how they were paid, mostly by card, some by transfer and in cash; a bulk grant\'s pass and a 0원 consultation say none', async () => {
    const byMethod = await sql<{ payment_method: string | null; n: number | string }>`
      select payment_method, count(*) as n from pass where price > 0 group by payment_method`.execute(a.db.kysely);
    const n = Object.fromEntries(byMethod.rows.map((r) => [String(r.payment_method), Number(r.n)]));
    expect(Object.keys(n).sort()).toEqual(['CARD', 'CASH', 'TRANSFER']);
    expect(n.CARD!).toBeGreaterThan(n.TRANSFER!);
    expect(n.TRANSFER!).toBeGreaterThan(0);
    expect(n.CASH!).toBeGreaterThan(0);
    expect(await countWhere(a, 'pass', sql`(price is null or price = 0) and payment_method is not null`)).toBe(0);
    expect(await countWhere(a, 'pass', sql`bulk_pass_seq is not null and payment_method is null`)).toBeGreaterThan(0);
  });

  it('refuses to seed a database that has members, unless reset', async () => {
    await expect(seedDemoGym(a.db, options)).rejects.toThrow(DemoGymRefusedError);
    await expect(seedDemoGym(a.db, options)).rejects.toThrow(/already has gym data \(300 members/);
    await expect(seedDemoGym(a.db, { ...options, members: 3 })).rejects.toThrow(RangeError);

    await seedDemoGym(a.db, { ...options, seed: 8, reset: true });
    expect(await snapshot(a)).not.toEqual(await snapshot(b));
    await seedDemoGym(a.db, { ...options, reset: true });
    expect(await snapshot(a)).toEqual(await snapshot(b));
  });

  it('seeds the default 2000 members, with their passes and bookings', async () => {
    const t = await freshDatabase(backend);
    try {
      // (how long it takes is a benchmark's business, not this test's: a loaded machine is slow)
      const counts = await seedDemoGym(t.db, { now });
      expect(counts).toMatchObject({ packages: 6, members: 2000, bulkPasses: 4 });
      expect(counts.passes).toBeGreaterThan(2000);
      expect(counts.bookings).toBeGreaterThan(2000);
      expect(await countWhere(t, 'pass', sql`1 = 1`)).toBe(counts.passes);
      expect(await countWhere(t, 'booking', sql`1 = 1`)).toBe(counts.bookings);
    } finally {
      await t.dispose();
    }
  });
});

describeEachBackend('the seed project sample data (insert_data.sql)', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase(backend);
  });
  afterAll(async () => t?.dispose());

  it('loads unchanged, statement by statement', async () => {
    const statements = readFileSync(INSERT_DATA, 'utf8')
      .split(/;\s*(?:\n|$)/)
      .map((s) => s.trim())
      .filter(Boolean);
    expect(statements).toHaveLength(4);
    for (const statement of statements) await sql.raw(statement).execute(t.db.kysely);

    const db = typed(t);
    const packages = await db.selectFrom('package').select(['package_seq', 'package_name', 'count', 'period']).orderBy('package_seq').execute();
    expect(packages).toHaveLength(7);
    expect(packages[0]).toEqual({ package_seq: 1, package_name: 'Starter PT 10회', count: 10, period: 60 });
    expect(packages[3]).toEqual({ package_seq: 4, package_name: '무료 이벤트 필라테스 1회', count: 1, period: null });
    expect(packages[6]).toEqual({ package_seq: 7, package_name: '인바디 상담', count: null, period: null });
    // no price set and no pass sold at a price (migration 016's columns stay NULL)
    expect((await db.selectFrom('package').select('price').execute()).every((p) => p.price === null)).toBe(true);
    expect((await db.selectFrom('pass').select('price').execute()).every((p) => p.price === null)).toBe(true);
    // and no way of payment (migration 018's column stays NULL)
    expect((await db.selectFrom('pass').select('payment_method').execute()).every((p) => p.payment_method === null)).toBe(true);

    const users = await db.selectFrom('user').select(['user_id', 'user_name', 'status', 'phone', 'meta']).orderBy('user_id').execute();
    expect(users).toHaveLength(7);
    expect(users.find((u) => u.user_id === 'B1000011')).toEqual({ user_id: 'B1000011', user_name: '동그라미', status: 'INACTIVE', phone: '01088889999', meta: null });

    const groups = await db.selectFrom('user_group_mapping').select(['user_group_id', 'user_id', 'user_group_name']).execute();
    expect(groups.filter((g) => g.user_group_id === 'HANBADA')).toHaveLength(5);
    expect(groups.find((g) => g.user_group_id === 'TAESAN')).toEqual({ user_group_id: 'TAESAN', user_id: 'B2000001', user_group_name: '태산' });

    // statistics rows name no created_at: the UTC default fills it
    const statistics = await db.selectFrom('statistics').selectAll().orderBy('statistics_at').execute();
    expect(statistics).toHaveLength(13);
    expect(statistics[0]).toMatchObject({ all_count: 100, attended_count: 80, cancelled_count: 20, modified_at: null });
    expect(statistics[0]!.statistics_at.slice(0, 19)).toBe('2022-08-01 00:00:00');
    const created = new Date(statistics[0]!.created_at.replace(' ', 'T') + 'Z').getTime();
    expect(Math.abs(created - Date.now())).toBeLessThan(60_000);
  });
});
