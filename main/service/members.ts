// 회원과 이용권: the desk's lookups (members by name, phone or id; a member's passes and
// bookings), the packages and groups it picks from, and a pass sold at the desk.
import { sql } from 'kysely';
import { fromDbTime, toDbTime } from '../batch/index.ts';
import { addDays } from '../pass/passQueries.ts';
import { PassStatus } from '../pass/schema.ts';
import { iso, instant, type HandlerContext } from './context.ts';
import type { BookingView, GroupView, MemberPasses, MemberSummary, PackageView, ParsedInputOf, PassView } from './contract.ts';
import { notFound } from './errors.ts';
import { num, type Executor } from './tables.ts';

/** LIKE with '!' as the escape character: both databases accept `ESCAPE '!'`. */
const likeContaining = (text: string) => `%${text.replace(/[!%_]/g, '!$&')}%`;

const livePasses = (db: Executor) =>
  db
    .selectFrom('pass')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('pass.user_id', '=', sql<string>`${sql.ref('user.user_id')}`)
    .where('pass.status', 'in', [PassStatus.READY, PassStatus.PROGRESSED]);

function memberSummary(row: { user_id: string; user_name: string; phone: string | null; status: string; live: unknown }): MemberSummary {
  return { userId: row.user_id, userName: row.user_name, phone: row.phone, status: row.status as MemberSummary['status'], livePasses: num(row.live) };
}

export async function searchMembers(ctx: HandlerContext, input: ParsedInputOf<'members.search'>): Promise<MemberSummary[]> {
  const query = input.query;
  const like = likeContaining(query);
  const digits = query.replace(/\D/g, '');
  const rows = await ctx.db
    .selectFrom('user')
    .select(['user.user_id', 'user.user_name', 'user.phone', 'user.status', () => livePasses(ctx.db).as('live')])
    .where((eb) =>
      eb.or([
        eb('user.user_id', '=', query),
        sql<boolean>`${sql.ref('user.user_name')} LIKE ${like} ESCAPE '!'`,
        sql<boolean>`${sql.ref('user.phone')} LIKE ${like} ESCAPE '!'`,
        // 010-1234-5678 is found by 01012345678, 1234 5678 or 5678.
        ...(digits.length >= 4 ? [sql<boolean>`REPLACE(REPLACE(${sql.ref('user.phone')}, '-', ''), ' ', '') LIKE ${likeContaining(digits)} ESCAPE '!'`] : []),
      ]),
    )
    .orderBy('user.user_name')
    .orderBy('user.user_id')
    .limit(input.limit ?? 20)
    .execute();
  return rows.map(memberSummary);
}

const passColumns = [
  'pass.pass_seq',
  'pass.package_seq',
  'package.package_name',
  'pass.status',
  'pass.remaining_count',
  'pass.started_at',
  'pass.ended_at',
  'pass.expired_at',
  'pass.bulk_pass_seq',
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
}): PassView {
  return {
    passSeq: num(row.pass_seq),
    packageSeq: num(row.package_seq),
    packageName: row.package_name ?? `#${row.package_seq}`,
    status: row.status as PassView['status'],
    remainingCount: row.remaining_count === null ? null : num(row.remaining_count),
    startedAt: fromDbTime(row.started_at).toISOString(),
    endedAt: iso(fromDbTime(row.ended_at)),
    expiredAt: iso(fromDbTime(row.expired_at)),
    bulkPassSeq: row.bulk_pass_seq === null ? null : num(row.bulk_pass_seq),
  };
}

export async function memberPasses(ctx: HandlerContext, input: ParsedInputOf<'members.passes'>): Promise<MemberPasses> {
  const member = await ctx.db
    .selectFrom('user')
    .select(['user.user_id', 'user.user_name', 'user.phone', 'user.status', () => livePasses(ctx.db).as('live')])
    .where('user.user_id', '=', input.userId)
    .executeTakeFirst();
  if (!member) throw notFound({ ko: `회원 ${input.userId}`, en: `Member ${input.userId}` }, 'userId');
  const passes = await ctx.db
    .selectFrom('pass')
    .leftJoin('package', 'package.package_seq', 'pass.package_seq')
    .select(passColumns)
    .where('pass.user_id', '=', input.userId)
    .orderBy('pass.started_at', 'desc')
    .orderBy('pass.pass_seq', 'desc')
    .limit(500)
    .execute();
  const bookings = await ctx.db
    .selectFrom('booking')
    .select(['booking_seq', 'pass_seq', 'status', 'attended', 'used_pass', 'started_at', 'ended_at'])
    .where('user_id', '=', input.userId)
    .orderBy('started_at', 'desc')
    .limit(20)
    .execute();
  return {
    member: memberSummary(member),
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
      }),
    ),
  };
}

export async function listPackages(ctx: HandlerContext): Promise<PackageView[]> {
  const rows = await ctx.db.selectFrom('package').select(['package_seq', 'package_name', 'count', 'period']).orderBy('package_seq').execute();
  return rows.map((r) => ({
    packageSeq: num(r.package_seq),
    packageName: r.package_name,
    count: r.count === null ? null : num(r.count),
    period: r.period === null ? null : num(r.period),
  }));
}

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

/** A sale at the desk: the package's pass, and the bonus package's from the same day if given. */
export async function registerPass(ctx: HandlerContext, input: ParsedInputOf<'passes.register'>): Promise<{ passes: PassView[] }> {
  const startedAt = instant(ctx, 'startedAt', input.startedAt);
  return ctx.db.transaction().execute(async (tx) => {
    const member = await tx.selectFrom('user').select('user_id').where('user_id', '=', input.userId).executeTakeFirst();
    if (!member) throw notFound({ ko: `회원 ${input.userId}`, en: `Member ${input.userId}` }, 'userId');
    const wanted: Array<[string, number]> = [['packageSeq', input.packageSeq]];
    if (input.bonusPackageSeq !== undefined) wanted.push(['bonusPackageSeq', input.bonusPackageSeq]);
    const created: number[] = [];
    for (const [field, packageSeq] of wanted) {
      const pkg = await tx.selectFrom('package').select(['package_seq', 'count', 'period']).where('package_seq', '=', packageSeq).executeTakeFirst();
      if (!pkg) throw notFound({ ko: `패키지 ${packageSeq}`, en: `Package ${packageSeq}` }, field);
      const result = await tx
        .insertInto('pass')
        .values({
          package_seq: packageSeq,
          user_id: input.userId,
          status: startedAt > ctx.now ? PassStatus.READY : PassStatus.PROGRESSED,
          remaining_count: pkg.count === null ? null : num(pkg.count),
          started_at: toDbTime(startedAt),
          ended_at: pkg.period === null ? null : toDbTime(addDays(startedAt, num(pkg.period))),
          expired_at: null,
          bulk_pass_seq: null,
          created_at: toDbTime(ctx.now),
          modified_at: null,
        })
        .executeTakeFirst();
      created.push(num(result.insertId));
    }
    const passes = await tx
      .selectFrom('pass')
      .leftJoin('package', 'package.package_seq', 'pass.package_seq')
      .select(passColumns)
      .where('pass.pass_seq', 'in', created)
      .orderBy('pass.pass_seq')
      .execute();
    await ctx.audit({ action: 'passes.register', target: `user:${input.userId}`, detail: { ...input, passSeqs: created } }, tx);
    return { passes: passes.map(passView) };
  });
}
