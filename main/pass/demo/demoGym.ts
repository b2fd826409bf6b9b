// A demo gym, so a fresh install's console is never empty and every job finds work at once:
// passes in every state, bookings over the past days and the coming week, one bulk grant due.
// Deterministic: the same seed and `now` give the same rows (a seeded PRNG, explicit keys and
// times, no clock reads), so tests and screenshots can rely on it.
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database } from '../../batch/database/connection.ts';
import { toDbTime } from '../../batch/database/dialect.ts';
import type { BookingStatus, BookingTable, BulkPassStatus, DbBool, PassStatus, PassTables, PaymentMethod, UserStatus, UserTable } from '../schema.ts';

export interface DemoGymOptions {
  members?: number;
  /** how many past days carry bookings */
  days?: number;
  seed?: number;
  now?: Date;
  /** delete every domain row first instead of refusing a database that has some */
  reset?: boolean;
}

export interface DemoGymCounts {
  packages: number;
  members: number;
  userGroupMappings: number;
  passes: number;
  bookings: number;
  bulkPasses: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Asia/Seoul has had no daylight saving since 1988, so a fixed offset is exact. */
const SEOUL_OFFSET = 9 * HOUR;
const CLASS_LENGTH = 50 * MINUTE;
/** class slots start on the hour or half hour, 06:00 to 21:30 Seoul time */
const FIRST_SLOT_HOUR = 6;
const SLOTS_PER_DAY = 32;
const UPCOMING_DAYS = 7;
const INSERT_BATCH = 500;
const DOMAIN_TABLES = ['notification', 'statistics', 'report', 'booking', 'pass', 'bulk_pass', 'user_group_mapping', 'user', 'package'] as const;

// Explicit keys, so passes and bookings can point at each other without reading keys back.
// Prices in whole won, as a small Korean gym charges; the opening bonus is given, never sold, so
// it has none, and the body-composition consultation comes free with a visit.
const PACKAGES = [
  { package_seq: 1, package_name: 'PT 10회 / 60일', count: 10, period: 60, price: 300_000 },
  { package_seq: 2, package_name: 'PT 20회 / 120일', count: 20, period: 120, price: 550_000 },
  { package_seq: 3, package_name: '3개월 헬스 무제한', count: null, period: 90, price: 180_000 },
  { package_seq: 4, package_name: '오픈 기념 보너스 PT 2회', count: 2, period: 30, price: null },
  { package_seq: 5, package_name: '필라테스 1회 체험', count: 1, period: 30, price: 20_000 },
  { package_seq: 6, package_name: '인바디 상담', count: null, period: null, price: 0 },
] as const;
type Package = (typeof PACKAGES)[number];
const [PT10, PT20, GYM, BONUS, PILATES_TRIAL, INBODY] = PACKAGES;

const GROUPS = {
  ALL: { user_group_name: '전체 회원', description: '모든 회원' },
  PT: { user_group_name: 'PT 회원', description: 'PT 이용권을 가진 회원' },
  PILATES: { user_group_name: '필라테스 회원', description: '필라테스 수업 관심 회원' },
  HANBADA: { user_group_name: '한바다', description: '한바다 임직원 그룹' },
} as const;
type GroupId = keyof typeof GROUPS;

// Surnames by rough share of the population (김 about a fifth), so a member list looks real.
const SURNAMES = Object.entries({ 김: 21, 이: 15, 박: 8, 최: 5, 정: 4, 강: 2, 조: 2, 윤: 2, 장: 2, 임: 2 })
  .flatMap(([name, share]) => Array<string>(share).fill(name))
  .concat([...'한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄원천방공현함변염여추도소석선설마길']);
const GIVEN = [...'민서지현준우예은하윤도연수아영재희성진주원채호태경동혜선정다소유나건승시가인혁범찬빈율온결솔별람슬미'];

/**
 * What a member's main pass looks like. The first members get one of each in this order, so
 * even a small demo gym shows every state; the rest are drawn by weight.
 */
const SCENARIOS = [
  ['active', 35], // PROGRESSED PT with uses left
  ['unlimited', 20], // PROGRESSED 3-month gym, remaining_count NULL
  ['ready', 8], // READY, starts in the coming two weeks
  ['readyDue', 2], // READY whose start has come: expirePassesJob moves it to PROGRESSED
  ['expired', 12],
  ['usedUp', 3], // remaining 0, not yet expired: expirePassesJob's work
  ['overdue', 3], // ended_at passed, still PROGRESSED: expirePassesJob's work
  ['endingSoon', 5], // ends within 3 days: an expiry reminder
  ['lastUse', 5], // one use left: an expiry reminder
  ['noEnd', 3], // 인바디 상담: no count, no end
  ['none', 4], // a member without a pass
] as const;
type Scenario = (typeof SCENARIOS)[number][0];
const MIN_MEMBERS = SCENARIOS.length;

/** mulberry32: tiny, fast, and the same sequence on every platform for a seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const chance = (p: number) => next() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, int, chance, pick };
}
type Rng = ReturnType<typeof prng>;

interface PassPlan {
  pass_seq: number;
  package_seq: number;
  user_id: string;
  status: PassStatus;
  remaining_count: number | null;
  started_at: Date;
  ended_at: Date | null;
  expired_at: Date | null;
  bulk_pass_seq: number | null;
  count: number | null;
}

interface BookingWishes {
  imminent?: boolean;
  inProgress?: boolean;
  toDeduct?: boolean;
  cancelled?: boolean;
}

export class DemoGymRefusedError extends Error {
  override name = 'DemoGymRefusedError';
}

export async function seedDemoGym(db: Database, options: DemoGymOptions = {}): Promise<DemoGymCounts> {
  const members = options.members ?? 2000;
  const days = options.days ?? 30;
  const seed = options.seed ?? 42;
  const now = options.now ?? new Date();
  if (!Number.isInteger(members) || members < MIN_MEMBERS) {
    throw new RangeError(`The demo gym needs a whole number of at least ${MIN_MEMBERS} members, so every pass state appears (got ${members}).`);
  }
  if (!Number.isInteger(days) || days < 1 || days > 365) {
    throw new RangeError(`Days of booking history must be a whole number from 1 to 365 (got ${days}).`);
  }
  if (!Number.isInteger(seed)) throw new RangeError(`The seed must be a whole number (got ${seed}).`);

  const rows = buildDemoGym(prng(seed), members, days, now);
  const kysely = db.kysely as Kysely<PassTables>;
  await kysely.transaction().execute(async (trx) => {
    if (options.reset) {
      for (const table of DOMAIN_TABLES) await trx.deleteFrom(table).execute();
    } else {
      await refuseIfNotEmpty(trx);
    }
    await insertAll(trx, 'package', rows.packages);
    await insertAll(trx, 'user', rows.users);
    await insertAll(trx, 'user_group_mapping', rows.mappings);
    await insertAll(trx, 'bulk_pass', rows.bulkPasses);
    await insertAll(trx, 'pass', rows.passes);
    await insertAll(trx, 'booking', rows.bookings);
  });
  return {
    packages: rows.packages.length,
    members: rows.users.length,
    userGroupMappings: rows.mappings.length,
    passes: rows.passes.length,
    bookings: rows.bookings.length,
    bulkPasses: rows.bulkPasses.length,
  };
}

async function refuseIfNotEmpty(trx: Transaction<PassTables>): Promise<void> {
  const count = async (table: 'user' | 'package' | 'pass') =>
    Number((await trx.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const [users, packages, passes] = [await count('user'), await count('package'), await count('pass')];
  if (users + packages + passes > 0) {
    throw new DemoGymRefusedError(
      `This database already has gym data (${users} members, ${packages} packages, ${passes} passes), ` +
        'so the demo gym was not added. To replace everything with the demo gym, seed again with reset ' +
        '(pass-batch seed --reset); that deletes every member, pass, booking, notification, statistic and report.',
    );
  }
}

async function insertAll<T extends keyof PassTables>(
  trx: Transaction<PassTables>,
  table: T,
  rows: readonly Insertable<PassTables[T]>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    // Kysely cannot follow a table name that is a type parameter; the signature checks the rows.
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + INSERT_BATCH) as never)
      .execute();
  }
}

/** Every row of the demo gym, built in memory from the PRNG alone. */
function buildDemoGym(rng: Rng, memberCount: number, days: number, now: Date) {
  const today = seoulMidnight(now); // all day arithmetic is in Seoul days
  const dayAt = (offset: number) => new Date(today.getTime() + offset * DAY);
  const t = (d: Date) => toDbTime(d);
  const earlier = (a: Date, b: Date) => (a < b ? a : b);

  const packages = PACKAGES.map((p) => ({ ...p, created_at: t(dayAt(-400)) }));

  const users: Insertable<UserTable>[] = [];
  const memberCreated = new Map<string, Date>();
  const groups = new Map<GroupId, string[]>(Object.keys(GROUPS).map((g) => [g as GroupId, []]));
  const active = new Set<string>();
  const passes: PassPlan[] = [];
  const wishes = new Map<number, BookingWishes>();

  /** A pass of `pkg` that started `startOffset` days from today, in the given status. */
  const passOf = (userId: string, pkg: Package, startOffset: number, status: PassStatus, remaining: number | null) => {
    const started = dayAt(startOffset);
    const ended = pkg.period === null ? null : new Date(started.getTime() + pkg.period * DAY);
    const pass: PassPlan = {
      pass_seq: passes.length + 1,
      package_seq: pkg.package_seq,
      user_id: userId,
      status,
      remaining_count: remaining,
      started_at: started,
      ended_at: ended,
      // expirePassesJob runs at 00:05 Seoul time
      expired_at: status === 'EXPIRED' && ended ? new Date(ended.getTime() + 5 * MINUTE) : null,
      bulk_pass_seq: null,
      count: pkg.count,
    };
    passes.push(pass);
    return pass;
  };
  /** A pass of `pkg` ending `endOffset` days from today. */
  const passEnding = (userId: string, pkg: Package & { period: number }, endOffset: number, status: PassStatus, remaining: number | null) =>
    passOf(userId, pkg, endOffset - pkg.period, status, remaining);

  for (let i = 0; i < memberCount; i++) {
    const userId = `M${1_000_001 + i}`;
    const scenario: Scenario = i < SCENARIOS.length ? SCENARIOS[i]![0] : weighted(rng, SCENARIOS);
    // the first members stay ACTIVE so each scenario reaches the jobs; one INACTIVE is certain
    const status: UserStatus = i === SCENARIOS.length || (i > SCENARIOS.length && rng.chance(0.08)) ? 'INACTIVE' : 'ACTIVE';
    const created = dayAt(-rng.int(200, 600));
    memberCreated.set(userId, created);
    users.push({
      user_id: userId,
      user_name: koreanName(rng),
      status,
      phone: `010${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
      meta: rng.chance(0.8) ? JSON.stringify({ uuid: kakaoUuid(rng) }) : null,
      created_at: t(created),
    });
    if (status === 'ACTIVE') active.add(userId);
    groups.get('ALL')!.push(userId);
    if (rng.chance(0.15)) groups.get('PILATES')!.push(userId);
    if (rng.chance(0.06)) groups.get('HANBADA')!.push(userId);

    const pt = rng.chance(0.7) ? PT10 : PT20;
    let main: PassPlan | null = null;
    switch (scenario) {
      case 'active':
        main = passOf(userId, pt, -rng.int(1, pt.period - 4), 'PROGRESSED', rng.int(2, pt.count));
        break;
      case 'unlimited':
        main = passOf(userId, GYM, -rng.int(0, GYM.period - 4), 'PROGRESSED', null);
        break;
      case 'ready': {
        const pkg = rng.pick([PT10, PT20, GYM]);
        main = passOf(userId, pkg, rng.int(1, 14), 'READY', pkg.count);
        break;
      }
      case 'readyDue':
        main = passOf(userId, PT10, 0, 'READY', PT10.count);
        break;
      case 'expired': {
        const pkg = rng.pick([PT10, PT20, GYM]);
        main = passEnding(userId, pkg, -rng.int(1, 60), 'EXPIRED', pkg.count === null ? null : rng.int(0, pkg.count / 2));
        break;
      }
      case 'usedUp':
        main = passOf(userId, PT10, -rng.int(10, 50), 'PROGRESSED', 0);
        break;
      case 'overdue': {
        const pkg = rng.pick([PT10, GYM]);
        main = passEnding(userId, pkg, -rng.int(0, 2), 'PROGRESSED', pkg.count === null ? null : rng.int(1, 3));
        break;
      }
      case 'endingSoon': {
        const pkg = rng.pick([PT20, GYM]);
        main = passEnding(userId, pkg, rng.int(1, 3), 'PROGRESSED', pkg.count === null ? null : rng.int(2, 5));
        break;
      }
      case 'lastUse':
        main = passOf(userId, PT10, -rng.int(20, 50), 'PROGRESSED', 1);
        break;
      case 'noEnd':
        main = passOf(userId, INBODY, -rng.int(0, 60), 'PROGRESSED', null);
        break;
      case 'none':
        break;
    }
    if (main && (main.package_seq === PT10.package_seq || main.package_seq === PT20.package_seq)) groups.get('PT')!.push(userId);
    // The first two members carry the bookings every job needs, whatever the draw.
    if (i === 0 && main) wishes.set(main.pass_seq, { imminent: true, toDeduct: true, cancelled: true });
    if (i === 1 && main) wishes.set(main.pass_seq, { imminent: true, inProgress: true, toDeduct: true });

    if (i >= SCENARIOS.length && rng.chance(0.3)) {
      const pkg = rng.pick([PT10, PT20, GYM]);
      passEnding(userId, pkg, -rng.int(61, 200), 'EXPIRED', pkg.count === null ? null : rng.int(0, 3));
    }
    if (i >= SCENARIOS.length && scenario !== 'unlimited' && rng.chance(0.1)) {
      passOf(userId, GYM, -rng.int(0, GYM.period - 4), 'PROGRESSED', null);
    }
  }

  // Bulk grants: the opening bonus went to PT members 20 days ago; a company grant was
  // cancelled; every member's free Pilates class is due now (addPassesJob's work); the
  // company's PT grant waits for next week.
  const grantAt = (offset: number, hour: number) => new Date(dayAt(offset).getTime() + hour * HOUR);
  const dueNow = new Date(Math.floor(now.getTime() / MINUTE) * MINUTE);
  const bulkPasses = (
    [
      [BONUS, 'PT', 'COMPLETED', grantAt(-20, 0)],
      [PT10, 'HANBADA', 'CANCELLED', grantAt(-5, 9)],
      [PILATES_TRIAL, 'ALL', 'READY', dueNow],
      [PT10, 'HANBADA', 'READY', grantAt(7, 9)],
    ] as const
  ).map(([pkg, group, status, started]: readonly [Package, GroupId, BulkPassStatus, Date], index) => ({
    bulk_pass_seq: index + 1,
    package_seq: pkg.package_seq,
    user_group_id: group,
    status,
    count: pkg.count,
    started_at: t(started),
    ended_at: pkg.period === null ? null : t(new Date(seoulMidnight(started).getTime() + pkg.period * DAY)),
    created_at: t(earlier(new Date(started.getTime() - 3 * DAY), now)),
    modified_at: status === 'READY' ? null : t(earlier(started, now)),
  }));
  for (const userId of groups.get('PT')!) {
    if (!active.has(userId)) continue; // grants skip inactive members
    passOf(userId, BONUS, -20, 'PROGRESSED', rng.int(0, BONUS.count)).bulk_pass_seq = 1;
  }

  const bookings = passes.flatMap((pass) => bookingsFor(rng, pass, wishes.get(pass.pass_seq) ?? {}, now, today, days));
  const mappings = [...groups].flatMap(([groupId, userIds]) =>
    userIds.map((userId) => ({ user_group_id: groupId, user_id: userId, ...GROUPS[groupId], created_at: t(memberCreated.get(userId)!) })),
  );

  return {
    packages,
    users,
    mappings,
    bulkPasses,
    // A pass the demo's desk sold keeps its package's price, as a sale at the desk does (the
    // Statistics screen's sales then have something to show), and how it was paid when money was
    // (the sales by payment method); one granted in bulk was not sold.
    passes: passes.map(({ count: _count, ...p }) => {
      const price = p.bulk_pass_seq === null ? (PACKAGES.find((k) => k.package_seq === p.package_seq)?.price ?? null) : null;
      return {
        ...p,
        price,
        payment_method: price !== null && price > 0 ? paidWith(p.pass_seq) : null,
        started_at: t(p.started_at),
        ended_at: p.ended_at && t(p.ended_at),
        expired_at: p.expired_at && t(p.expired_at),
        created_at: t(earlier(p.started_at, now)),
        modified_at: p.expired_at && t(p.expired_at),
      };
    }),
    bookings: bookings.map((b, index) => ({ booking_seq: index + 1, ...b })),
  };
}

/**
 * How the demo's desk was paid for a pass: mostly by card, some by bank transfer, a few in cash, as
 * at a Korean gym. Read from the pass's key rather than drawn from the seeded PRNG, so every other
 * row of the demo stays as it was before methods were kept.
 */
function paidWith(passSeq: number): PaymentMethod {
  const n = (Math.imul(passSeq, 0x9e3779b1) >>> 0) % 20;
  return n < 13 ? 'CARD' : n < 17 ? 'TRANSFER' : 'CASH';
}

/**
 * One pass's bookings: history in the past `days` days, and while it is usable: maybe one class
 * ended a few hours ago and not yet deducted (usePassesJob's work), one under way, one in the
 * coming minutes (the class reminder's work) and one in the coming week.
 *
 * A pass with a count has exactly the uses it has had as completed classes already deducted
 * (used_pass = 1): the package's count less the uses its scenario left, in the pass's days within
 * the history; uses that do not fit there were never had, and its remaining count goes up to
 * match. So for every such pass, remaining = count − deducted bookings, never below 0.
 */
function bookingsFor(rng: Rng, pass: PassPlan, wish: BookingWishes, now: Date, today: Date, days: number) {
  const out: Omit<Insertable<BookingTable>, 'booking_seq'>[] = [];
  const add = (start: Date, status: BookingStatus, usedPass: DbBool, attended: DbBool, cancelledAt: Date | null = null) => {
    const end = new Date(start.getTime() + CLASS_LENGTH);
    out.push({
      pass_seq: pass.pass_seq,
      user_id: pass.user_id,
      status,
      used_pass: usedPass,
      attended,
      started_at: toDbTime(start),
      ended_at: toDbTime(end),
      cancelled_at: cancelledAt && toDbTime(cancelledAt),
      created_at: toDbTime(new Date(Math.min(start.getTime() - DAY, now.getTime()))),
      modified_at: cancelledAt ? toDbTime(cancelledAt) : status === 'COMPLETED' ? toDbTime(end) : null,
    });
  };
  const endOf = pass.ended_at ?? new Date(8.64e15);
  const fits = (start: Date, notAfter: Date) => start >= pass.started_at && start.getTime() + CLASS_LENGTH <= Math.min(endOf.getTime(), notAfter.getTime());

  if (pass.status === 'READY') return out;

  const slotNow = new Date(Math.floor(now.getTime() / (30 * MINUTE)) * 30 * MINUTE);
  const historyEnd = new Date(Math.min(slotNow.getTime(), now.getTime() - 12 * HOUR)); // leaves recent hours to `toDeduct`
  const cancelOne = (start: Date) => add(start, 'CANCELLED', 0, 0, new Date(start.getTime() - rng.int(1, 48) * HOUR));
  // Every class slot of the history this pass was valid in; drawn without repeats.
  const slots: Date[] = [];
  for (let day = 1; day <= days; day++) {
    for (let slot = 0; slot < SLOTS_PER_DAY; slot++) {
      const start = classSlot(today, -day, slot);
      if (fits(start, historyEnd)) slots.push(start);
    }
  }
  const draw = (): Date | null => {
    if (!slots.length) return null;
    const k = rng.int(0, slots.length - 1);
    const start = slots[k]!;
    slots[k] = slots[slots.length - 1]!;
    slots.pop();
    return start;
  };

  const classes = Math.max(0, Math.floor(rng.next() * (days / 4 + 1)));
  let used = 0;
  if (pass.count === null) {
    for (let k = 0; k < classes; k++) {
      const start = draw();
      if (start) add(start, 'COMPLETED', 1, rng.chance(0.85) ? 1 : 0);
    }
  } else {
    const uses = pass.count - (pass.remaining_count ?? 0);
    for (let k = 0; k < uses; k++) {
      const start = draw();
      if (!start) break;
      used++;
      add(start, 'COMPLETED', 1, rng.chance(0.85) ? 1 : 0);
    }
    pass.remaining_count = pass.count - used;
  }
  // Cancellations use nothing.
  for (let k = 0; k < classes; k++) {
    if (!rng.chance(0.12)) continue;
    const start = draw();
    if (start) cancelOne(start);
  }
  if (wish.cancelled) cancelOne(classSlot(today, -1, rng.int(0, SLOTS_PER_DAY - 1)));

  const usable = pass.status === 'PROGRESSED' && endOf > now && pass.remaining_count !== 0;
  if (!usable) return out;

  if (wish.toDeduct || rng.chance(0.15)) {
    // a class that ended in the past 12 hours
    const recent: Date[] = [];
    for (let k = 1; k <= 24; k++) {
      const start = new Date(slotNow.getTime() - k * 30 * MINUTE);
      if (isOpen(start) && fits(start, now)) recent.push(start);
    }
    if (recent.length > 0) add(rng.pick(recent), 'COMPLETED', 0, rng.chance(0.85) || wish.toDeduct ? 1 : 0);
  }
  if ((wish.inProgress || rng.chance(0.02)) && isOpen(slotNow) && fits(slotNow, endOf)) add(slotNow, 'PROGRESSED', 0, 1);
  // The one exception to half-hour slots: a drop-in class 2 to 7 minutes from now, so the
  // class reminder (10 minutes ahead) has work whatever the clock says when the demo is made.
  if (wish.imminent || rng.chance(0.01)) {
    const soon = new Date(Math.ceil((now.getTime() + 2 * MINUTE) / (5 * MINUTE)) * 5 * MINUTE);
    if (fits(soon, endOf)) add(soon, 'READY', 0, 0);
  }
  if (rng.chance(0.4)) {
    const start = classSlot(today, rng.int(1, UPCOMING_DAYS), rng.int(0, SLOTS_PER_DAY - 1));
    if (fits(start, endOf)) add(start, 'READY', 0, 0);
  }
  return out;
}

/** Midnight in Seoul of the day `date` falls on, as a UTC instant. */
function seoulMidnight(date: Date): Date {
  return new Date(Math.floor((date.getTime() + SEOUL_OFFSET) / DAY) * DAY - SEOUL_OFFSET);
}

/** Slot `slot` (0 = 06:00, 1 = 06:30, ...) of the Seoul day `dayOffset` days from `today`. */
function classSlot(today: Date, dayOffset: number, slot: number): Date {
  return new Date(today.getTime() + dayOffset * DAY + FIRST_SLOT_HOUR * HOUR + slot * 30 * MINUTE);
}

function isOpen(start: Date): boolean {
  const minutes = ((start.getTime() - seoulMidnight(start).getTime()) / MINUTE) | 0;
  return minutes >= FIRST_SLOT_HOUR * 60 && minutes < FIRST_SLOT_HOUR * 60 + SLOTS_PER_DAY * 30;
}

function weighted<T extends string>(rng: Rng, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((sum, [, w]) => sum + w, 0);
  let roll = rng.next() * total;
  for (const [value, weight] of table) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return table[table.length - 1]![0];
}

function koreanName(rng: Rng): string {
  return rng.pick(SURNAMES) + rng.pick(GIVEN) + (rng.chance(0.93) ? rng.pick(GIVEN) : '');
}

/** A KakaoTalk-style recipient id: the seed's notification.uuid comes from user.meta. */
function kakaoUuid(rng: Rng): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let id = '';
  for (let k = 0; k < 22; k++) id += alphabet[rng.int(0, alphabet.length - 1)];
  return id;
}
