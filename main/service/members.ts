// 회원과 이용권: the desk's lookups (members by name, phone, its last four digits or id; a
// member's groups, passes and bookings), the packages and groups it picks from, and a pass sold
// at the desk. Making and changing members themselves is in memberChanges.ts.
import { getJosaPicker } from 'josa';
import { sql, type ExpressionBuilder } from 'kysely';
import { DateTime } from 'luxon';
import { forUpdate, fromDbTime, toDbTime } from '../batch/index.ts';
import { addDays, usablePass } from '../pass/passQueries.ts';
import { normalizePhone } from '../pass/phone.ts';
import { LIVE_BOOKING, PassStatus, UserStatus, type PaymentMethod } from '../pass/schema.ts';
import { iso, instant, type HandlerContext } from './context.ts';
import type { BookingView, GroupView, MemberPage, MemberPasses, MemberSummary, ParsedInputOf, PassView } from './contract.ts';
import { invalid, notFound, ServiceError } from './errors.ts';
import { wonText } from './names.ts';
import { packageForSale } from './packages.ts';
import { num, type Executor, type ServiceTables } from './tables.ts';


/**
 * How a sale was paid, as it is kept: a package sold for more than 0원 needs one (the till is
 * reconciled by it), and one with no price or at 0원 takes none, since nothing was paid; a method
 * given then is refused rather than dropped, so a sale is never recorded as paid by card when no
 * money was asked (the desk's form saw a price a manager has since removed, say).
 */
function paymentMethodOf(packageName: string, price: number | null, asked: PaymentMethod | undefined): PaymentMethod | null {
  if (price !== null && price > 0) {
    if (asked === undefined) {
      throw invalid('paymentMethod', {
        ko: `'${packageName}' 패키지는 ${wonText(price).ko}에 팔아 어떻게 받았는지 남겨야 합니다. 카드, 현금, 계좌이체 가운데 고르세요`,
        en: `'${packageName}' sells for ${wonText(price).en}: choose how it was paid (card, cash or bank transfer)`,
      });
    }
    return asked;
  }
  if (asked !== undefined) {
    throw invalid(
      'paymentMethod',
      price === null
        ? { ko: `'${packageName}' 패키지는 가격이 없어 받을 돈이 없습니다. 결제 수단 없이 등록하세요`, en: `'${packageName}' has no price, so nothing is paid: register it without a payment method` }
        : { ko: `'${packageName}' 패키지는 0원이라 받을 돈이 없습니다. 결제 수단 없이 등록하세요`, en: `'${packageName}' sells for ₩0, so nothing is paid: register it without a payment method` },
    );
  }
  return null;
}

/** LIKE with '!' as the escape character: both databases accept `ESCAPE '!'`. */
const likeContaining = (text: string) => `%${text.replace(/[!%_]/g, '!$&')}%`;

/**
 * A member's usable passes (not expired, nor due to expire though expirePassesJob has not run
 * yet), as a column of a query over `member` (a table or a page of one with user_id).
 */
const livePasses = (db: Executor, now: Date, member = 'user') =>
  db
    .selectFrom('pass')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('pass.user_id', '=', sql<string>`${sql.ref(`${member}.user_id`)}`)
    .where(usablePass(now));

function memberSummary(row: { user_id: string; user_name: string; phone: string | null; status: string; live: unknown }): MemberSummary {
  return { userId: row.user_id, userName: row.user_name, phone: row.phone, status: row.status as MemberSummary['status'], livePasses: num(row.live) };
}

/** A keyset cursor: the last row's sort key, opaque to the caller. */
export function encodeCursor(key: Array<string | number>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key a cursor holds, checked to be `types` long and typed; a VALIDATION error on `field` otherwise. */
export function decodeCursor<T extends Array<string | number>>(text: string, types: Array<'string' | 'number'>, field = 'after'): T {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    key = null;
  }
  if (!Array.isArray(key) || key.length !== types.length || key.some((part, i) => typeof part !== types[i] || (typeof part === 'string' && part.length > 200))) {
    throw invalid(field, { ko: '다음 쪽 표시가 올바르지 않습니다. 처음부터 다시 검색하세요.', en: 'is not a cursor this list handed out; search again from the start' });
  }
  return key as T;
}

/**
 * Members matching a name, phone or id, `limit` at a time in name order, with how many match
 * in all. Pages by key (the last name and id shown), never by OFFSET, so a later page costs
 * the same as the first.
 */
export async function searchMembers(ctx: HandlerContext, input: ParsedInputOf<'members.search'>): Promise<MemberPage> {
  const query = input.query;
  const like = likeContaining(query);
  // A whole number in any spelling (+82 10 1234 5678) is searched as it is stored. Text with
  // letters (a member id, M1000111) is no phone: its digits alone do not find phone numbers.
  const digits = normalizePhone(query)?.replace(/^\+/, '') ?? (/\p{L}/u.test(query) ? '' : query.replace(/\D/g, ''));
  // "뒷자리 5678": four digits alone are the phone's last four, as a Korean desk asks.
  const lastFour = /^\d{4}$/.test(query);
  const phoneDigits = sql`REPLACE(REPLACE(${sql.ref('user.phone')}, '-', ''), ' ', '')`;
  const limit = input.limit ?? 20;
  const after = input.after === undefined ? null : decodeCursor<[string, string]>(input.after, ['string', 'string']);
  const matching = () =>
    ctx.db.selectFrom('user').where((eb) =>
      eb.or([
        eb('user.user_id', '=', query),
        // the start of a member id finds it (M10000 finds M1000001 to M1000099)
        ...(/\p{L}/u.test(query) ? [sql<boolean>`${sql.ref('user.user_id')} LIKE ${`${query.replace(/[!%_]/g, '!$&')}%`} ESCAPE '!'`] : []),
        sql<boolean>`${sql.ref('user.user_name')} LIKE ${like} ESCAPE '!'`,
        ...(lastFour
          ? [sql<boolean>`${phoneDigits} LIKE ${`%${digits}`}`]
          : [
              sql<boolean>`${sql.ref('user.phone')} LIKE ${like} ESCAPE '!'`,
              // 010-1234-5678 is found by 01012345678, +82 10 1234 5678 or 1234 5678.
              ...(digits.length >= 4 ? [sql<boolean>`${phoneDigits} LIKE ${likeContaining(digits)} ESCAPE '!'`] : []),
            ]),
      ]),
    );
  let page = matching().select(['user.user_id', 'user.user_name', 'user.phone', 'user.status']);
  if (after) {
    const [name, id] = after;
    page = page.where((eb) => eb.or([eb('user.user_name', '>', name), eb.and([eb('user.user_name', '=', name), eb('user.user_id', '>', id)])]));
  }
  // The live passes are counted for the page's members only, not for every member that matches
  // (a search for "010" matches them all): the page is cut first, then counted.
  const rows = await ctx.db
    .selectFrom(page.orderBy('user.user_name').orderBy('user.user_id').limit(limit + 1).as('page'))
    .select(['page.user_id', 'page.user_name', 'page.phone', 'page.status', () => livePasses(ctx.db, ctx.now, 'page').as('live')])
    .orderBy('page.user_name')
    .orderBy('page.user_id')
    .execute();
  const total = await matching()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    members: shown.map(memberSummary),
    total: num(total?.n),
    next: rows.length > limit && last ? encodeCursor([last.user_name, last.user_id]) : null,
  };
}

type PassColumnsEb = ExpressionBuilder<ServiceTables, 'pass' | 'package'>;

/** A pass's columns, and whether it is usable at `now` (else it is shown as expired: due to expire, expirePassesJob not having run yet). */
const passColumns = (now: Date) =>
  [
    'pass.pass_seq',
    'pass.package_seq',
    'package.package_name',
    'pass.status',
    'pass.remaining_count',
    'pass.started_at',
    'pass.ended_at',
    'pass.expired_at',
    'pass.bulk_pass_seq',
    'pass.price',
    'pass.cancelled_at',
    'pass.refund',
    'pass.cancel_reason',
    'pass.payment_method',
    (eb: PassColumnsEb) => eb.case().when(usablePass(now)(eb)).then(1).else(0).end().as('usable'),
  ] as const;

function passView(row: {
  pass_seq: number;
  package_seq: number;
  package_name: string | null;
  status: string;
  remaining_count: number | null;
  started_at: string;
  ended_at: string | null;
  expired_at: string | null;
  bulk_pass_seq: number | null;
  price: number | null;
  cancelled_at: string | null;
  refund: number | null;
  cancel_reason: string | null;
  payment_method: PassView['paymentMethod'];
  usable: unknown;
}): PassView {
  return {
    passSeq: num(row.pass_seq),
    packageSeq: num(row.package_seq),
    packageName: row.package_name ?? `#${row.package_seq}`,
    status: row.status === PassStatus.CANCELLED ? 'CANCELLED' : num(row.usable) === 1 ? (row.status as PassView['status']) : 'EXPIRED',
    remainingCount: row.remaining_count === null ? null : num(row.remaining_count),
    startedAt: fromDbTime(row.started_at).toISOString(),
    endedAt: iso(fromDbTime(row.ended_at)),
    expiredAt: iso(fromDbTime(row.expired_at)),
    bulkPassSeq: row.bulk_pass_seq === null ? null : num(row.bulk_pass_seq),
    price: row.price === null ? null : num(row.price),
    cancelledAt: iso(fromDbTime(row.cancelled_at)),
    refund: row.refund === null ? null : num(row.refund),
    cancelReason: row.cancel_reason,
    paymentMethod: row.payment_method,
  };
}

/**
 * One pass locked for a change at the desk (a cancel, an extension), as the member's screen shows it
 * (its status by the same rule: CANCELLED, else EXPIRED once due) and whose it is; NOT_FOUND at
 * `passSeq` when there is none.
 */
export async function lockPass(ctx: HandlerContext, tx: Executor, passSeq: number): Promise<PassView & { userId: string }> {
  const row = await forUpdate(
    ctx.database.dialect,
    tx.selectFrom('pass').leftJoin('package', 'package.package_seq', 'pass.package_seq').select([...passColumns(ctx.now), 'pass.user_id']).where('pass.pass_seq', '=', passSeq),
  ).executeTakeFirst();
  if (!row) throw notFound({ ko: `이용권 ${passSeq}`, en: `Pass ${passSeq}` }, 'passSeq');
  return { ...passView(row), userId: row.user_id };
}

export function memberPasses(ctx: HandlerContext, input: ParsedInputOf<'members.passes'>): Promise<MemberPasses> {
  return memberDetail(ctx.db, input.userId, ctx.now);
}

/** A member's detail as the member screen shows it at `now`: profile, groups, passes and the latest bookings; read in `db` (a change's transaction too). */
export async function memberDetail(db: Executor, userId: string, now: Date): Promise<MemberPasses> {
  const member = await db
    .selectFrom('user')
    .select(['user.user_id', 'user.user_name', 'user.phone', 'user.status', 'user.memo', 'user.created_at', () => livePasses(db, now).as('live')])
    .where('user.user_id', '=', userId)
    .executeTakeFirst();
  // Exactly as stored: MySQL's collation would also find 'm1000001' or 'M1000001 ' (sameMemberId).
  if (!member || !sameMemberId(member.user_id, userId)) throw notFound({ ko: `회원 ${userId}`, en: `Member ${userId}` }, 'userId');
  const groups = await db
    .selectFrom('user_group_mapping')
    .select(['user_group_id', 'user_group_name', 'user_id'])
    .where('user_id', '=', userId)
    .orderBy('user_group_id')
    .execute();
  const passes = await db
    .selectFrom('pass')
    .leftJoin('package', 'package.package_seq', 'pass.package_seq')
    .select(passColumns(now))
    .where('pass.user_id', '=', userId)
    .orderBy('pass.started_at', 'desc')
    .orderBy('pass.pass_seq', 'desc')
    .limit(500)
    .execute();
  // with the class each was made for at the desk (the seed's bookings have none)
  const bookings = await db
    .selectFrom('booking')
    .leftJoin('gym_class', 'gym_class.class_seq', 'booking.class_seq')
    .select(['booking.booking_seq', 'booking.pass_seq', 'booking.status', 'booking.attended', 'booking.used_pass', 'booking.started_at', 'booking.ended_at', 'booking.class_seq', 'gym_class.title'])
    .where('booking.user_id', '=', userId)
    .orderBy('booking.started_at', 'desc')
    .limit(20)
    .execute();
  const upcomingBookings = await upcomingBookingsOf(db, userId, now).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const upcomingWaits = await upcomingWaitsOf(db, userId, now).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return {
    member: { ...memberSummary(member), memo: member.memo, createdAt: fromDbTime(member.created_at).toISOString() },
    groups: groups.filter((g) => sameMemberId(g.user_id, userId)).map((g) => ({ userGroupId: g.user_group_id, userGroupName: g.user_group_name })),
    passes: passes.map(passView),
    bookings: bookings.map(
      (b): BookingView => ({
        bookingSeq: num(b.booking_seq),
        passSeq: num(b.pass_seq),
        status: b.status,
        attended: num(b.attended) === 1,
        usedPass: num(b.used_pass) === 1,
        startedAt: fromDbTime(b.started_at).toISOString(),
        endedAt: fromDbTime(b.ended_at).toISOString(),
        classSeq: b.class_seq === null ? null : num(b.class_seq),
        classTitle: b.title ?? null,
      }),
    ),
    upcoming: { bookings: num(upcomingBookings?.n), waitlist: num(upcomingWaits?.n) },
  };
}

/**
 * A member's bookings still to come that hold a place (not cancelled, their class not started):
 * what their detail counts and what deactivating them cancels, one condition for both.
 */
export const upcomingBookingsOf = (db: Executor, userId: string, now: Date) =>
  db
    .selectFrom('booking')
    .where('booking.user_id', '=', userId)
    .where('booking.status', 'in', LIVE_BOOKING)
    .where('booking.started_at', '>', toDbTime(now));

/** A member's places on the waitlists of classes still to come (a cancelled class has emptied its own). */
export const upcomingWaitsOf = (db: Executor, userId: string, now: Date) =>
  db
    .selectFrom('class_waitlist')
    .innerJoin('gym_class', 'gym_class.class_seq', 'class_waitlist.class_seq')
    .where('class_waitlist.user_id', '=', userId)
    .where('gym_class.started_at', '>', toDbTime(now))
    .where('gym_class.cancelled_at', 'is', null);

export async function listGroups(ctx: HandlerContext): Promise<GroupView[]> {
  const rows = await ctx.db
    .selectFrom('user_group_mapping as g')
    .leftJoin('user as u', 'u.user_id', 'g.user_id')
    .select((eb) => [
      'g.user_group_id',
      eb.fn.min('g.user_group_name').as('user_group_name'),
      eb.fn.min('g.description').as('description'),
      eb.fn.countAll<number>().as('members'),
      eb.fn.sum<number>(eb.case().when('u.status', '=', 'ACTIVE').then(1).else(0).end()).as('active'),
    ])
    .groupBy('g.user_group_id')
    .orderBy('g.user_group_id')
    .execute();
  return rows.map((r) => ({
    userGroupId: r.user_group_id,
    userGroupName: String(r.user_group_name ?? ''),
    description: String(r.description ?? ''),
    memberCount: num(r.members),
    activeMemberCount: num(r.active),
  }));
}

/**
 * The row found is the member typed, not one MySQL's case- and pad-insensitive collation matched
 * ('m1000001', 'M1000001 ' find 'M1000001' there; SQLite compares bytes already).
 */
export const sameMemberId = (found: string, typed: string) => found === typed;

/** The furthest ahead a pass sold at the desk, or a bulk grant (bulkGrants.ts), may start: a year from now, in the gym's calendar. */
export function latestPassStart(ctx: HandlerContext): DateTime {
  return DateTime.fromJSDate(ctx.now, { zone: ctx.timeZone }).plus({ years: 1 });
}

/**
 * A start more than a year ahead is a slip of the keyboard (2099 for 2026), not a sale: the pass
 * would sit unused for years. Refused on the field, naming the last day that may be chosen.
 */
export function refuseLateStart(ctx: HandlerContext, field: string, startedAt: Date): void {
  const latest = latestPassStart(ctx);
  if (startedAt <= latest.toJSDate()) return;
  const typed = DateTime.fromJSDate(startedAt, { zone: ctx.timeZone }).toFormat('yyyy-MM-dd');
  const bound = latest.toFormat('yyyy-MM-dd');
  throw invalid(field, {
    ko: `${typed}${getJosaPicker('은')(typed)} 너무 먼 날입니다. 시작일은 오늘부터 1년 뒤인 ${bound}까지 정할 수 있습니다. 연도를 확인하세요`,
    en: `${typed} is too far ahead: a pass may start at most a year from today, on ${bound} at the latest. Check the year`,
  });
}

/**
 * A sale at the desk: the package's pass, and the bonus package's from the same day if given. The
 * pass keeps its package's price at this moment (`pass.price`), so the gym's takings stay as sold
 * when the price changes later. A bonus pass keeps none (NULL): it is given, not sold, and a 0
 * would count it as a sale at no charge in the sales summary.
 */
export async function registerPass(ctx: HandlerContext, input: ParsedInputOf<'passes.register'>): Promise<{ passes: PassView[] }> {
  const startedAt = instant(ctx, 'startedAt', input.startedAt);
  return ctx.db.transaction().execute(async (tx) => {
    const member = await tx.selectFrom('user').select(['user_id', 'user_name', 'status']).where('user_id', '=', input.userId).executeTakeFirst();
    // A pass belongs to a member id that exists byte for byte, never to another spelling of one.
    if (!member || !sameMemberId(member.user_id, input.userId)) throw notFound({ ko: `회원 ${input.userId}`, en: `Member ${input.userId}` }, 'userId');
    // An inactive member is left out of bulk grants and can't book or check in: no sale either.
    if (member.status !== UserStatus.ACTIVE) {
      throw new ServiceError(
        'CONFLICT',
        {
          ko: `${member.user_name}(${member.user_id}) 회원은 휴면 상태라 이용권을 등록할 수 없습니다. 회원 정보의 '다시 활동' 버튼으로 먼저 활동 회원으로 바꾼 뒤 등록하세요.`,
          en: `${member.user_name} (${member.user_id}) is an inactive member, so no pass can be registered for them. Reactivate them first (the Reactivate button on their details), then register the pass.`,
        },
        'userId',
      );
    }
    const wanted: Array<[string, number]> = [['packageSeq', input.packageSeq]];
    if (input.bonusPackageSeq !== undefined) wanted.push(['bonusPackageSeq', input.bonusPackageSeq]);
    const packages = [];
    for (const [field, packageSeq] of wanted) {
      packages.push(await packageForSale(tx, packageSeq, field));
    }
    refuseLateStart(ctx, 'startedAt', startedAt);
    const sold = packages[0]!;
    const paymentMethod = paymentMethodOf(sold.package_name, sold.price === null ? null : num(sold.price), input.paymentMethod);
    const created: number[] = [];
    for (const [i, pkg] of packages.entries()) {
      const bonus = i > 0;
      const result = await tx
        .insertInto('pass')
        .values({
          package_seq: num(pkg.package_seq),
          user_id: input.userId,
          status: startedAt > ctx.now ? PassStatus.READY : PassStatus.PROGRESSED,
          remaining_count: pkg.count === null ? null : num(pkg.count),
          started_at: toDbTime(startedAt),
          ended_at: pkg.period === null ? null : toDbTime(addDays(startedAt, num(pkg.period))),
          expired_at: null,
          bulk_pass_seq: null,
          created_at: toDbTime(ctx.now),
          modified_at: null,
          price: bonus || pkg.price === null ? null : num(pkg.price),
          // how it was paid: the sold pass's own; a bonus is given, never paid for
          payment_method: bonus ? null : paymentMethod,
        })
        .executeTakeFirst();
      created.push(num(result.insertId));
    }
    const passes = await tx
      .selectFrom('pass')
      .leftJoin('package', 'package.package_seq', 'pass.package_seq')
      .select(passColumns(ctx.now))
      .where('pass.pass_seq', 'in', created)
      .orderBy('pass.pass_seq')
      .execute();
    await ctx.audit({ action: 'passes.register', target: `user:${input.userId}`, detail: { ...input, passSeqs: created } }, tx);
    return { passes: passes.map(passView) };
  });
}
