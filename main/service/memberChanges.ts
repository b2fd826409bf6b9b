// 회원 등록과 수정 at the desk (issue 18, slice 1): create a member, edit their name, phone and
// memo, deactivate or reactivate them, put them in a group or take them out. Each change and its
// activity-log row commit in one transaction. A phone already someone else's is allowed (family
// members share one) and answered with a warning naming them; so is taking a group's last member
// out, which makes the group disappear from the lists.
import { getJosaPicker } from 'josa';
import { sql } from 'kysely';
import { isDuplicateKeyError, toDbTime } from '../batch/index.ts';
import { NotificationEvent, UserStatus } from '../pass/schema.ts';
import type { HandlerContext } from './context.ts';
import type { MemberSaved, MemberWarning, ParsedInputOf } from './contract.ts';
import { conflict, notFound, ServiceError } from './errors.ts';
import { sameName } from './names.ts';
import { memberDetail, sameMemberId } from './members.ts';
import { lockClassesToFree, releaseUpcoming, retryWhenBookedMeanwhile, type ClassToFree, type ReleaseWhy } from './releaseUpcoming.ts';
import type { Executor } from './tables.ts';

/** New members get the seed's kind of id: M and seven digits, one past the highest such id. */
const GENERATED_ID = /^M(\d{7,18})$/;
const FIRST_GENERATED = 1_000_001;
/** Two desks creating at the same moment compute the same next id; the second tries the one after. */
const ID_ATTEMPTS = 5;

const memberNotFound = (userId: string) => notFound({ ko: `회원 ${userId}`, en: `Member ${userId}` }, 'userId');
const groupNotFound = (groupId: string, field = 'userGroupId') => notFound({ ko: `회원 그룹 ${groupId}`, en: `Member group ${groupId}` }, field);
const subject = getJosaPicker('은');

/** The next generated id: one past the highest `M<digits>` id (the longest first, then the highest). */
async function nextMemberId(db: Executor): Promise<string> {
  const rows = await db
    .selectFrom('user')
    .select('user_id')
    .where('user_id', 'like', 'M%')
    .orderBy((eb) => eb.fn('length', ['user_id']), 'desc')
    .orderBy('user_id', 'desc')
    .limit(50)
    .execute();
  // MySQL's LIKE also finds 'm…'; ids like 'MANAGER' sort among them: the first true one counts.
  const highest = rows.map((r) => GENERATED_ID.exec(r.user_id)).find((m) => m !== null);
  const next = highest ? Number(highest[1]) + 1 : FIRST_GENERATED;
  return `M${Math.max(next, FIRST_GENERATED)}`;
}

/** The member row, exactly as typed (MySQL's collation would match 'm1000001' too), or NOT_FOUND. */
async function existingMember(tx: Executor, userId: string) {
  const row = await tx.selectFrom('user').select(['user_id', 'user_name', 'status', 'phone', 'memo']).where('user_id', '=', userId).executeTakeFirst();
  if (!row || !sameMemberId(row.user_id, userId)) throw memberNotFound(userId);
  return row;
}

/** A group as the mapping rows know it (there is no group table): its name and description, or NOT_FOUND. */
async function existingGroup(tx: Executor, groupId: string, field?: string) {
  const rows = await tx.selectFrom('user_group_mapping').select(['user_group_id', 'user_group_name', 'description']).where('user_group_id', '=', groupId).limit(20).execute();
  const row = rows.find((r) => r.user_group_id === groupId);
  if (!row) throw groupNotFound(groupId, field);
  return row;
}

/** Other members whose phone is this number, however it was spelled when it was stored. */
async function phoneSharedWith(tx: Executor, phone: string, except: string): Promise<MemberWarning[]> {
  const rows = await tx
    .selectFrom('user')
    .select(['user_id', 'user_name', 'phone'])
    // stored by the desk as one spelling; by another program perhaps with hyphens or spaces
    .where((eb) => eb.or([eb('phone', '=', phone), sql<boolean>`REPLACE(REPLACE(${sql.ref('phone')}, '-', ''), ' ', '') = ${phone}`]))
    .orderBy('user_id')
    .limit(20)
    .execute();
  const others = rows.filter((r) => r.user_id !== except);
  if (others.length === 0) return [];
  const names = others.map((r) => `${r.user_name}(${r.user_id})`).join(', ');
  return [
    {
      code: 'PHONE_IN_USE',
      message: {
        ko: `이 전화번호는 이미 ${names} 회원의 번호이기도 합니다. 가족이 함께 쓰는 번호가 아니라면 확인하세요.`,
        en: `This phone number is also ${names}'s. Check it unless they share the number (family members often do).`,
      },
      members: others.map((r) => ({ userId: r.user_id, userName: r.user_name })),
    },
  ];
}

export async function createMember(ctx: HandlerContext, input: ParsedInputOf<'members.create'>): Promise<MemberSaved> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.db.transaction().execute((tx) => insertMember(ctx, tx, input));
    } catch (error) {
      // Only a generated id is tried again: a given one that is taken is the desk's to change.
      if (input.userId === undefined && isDuplicateKeyError(error) && attempt < ID_ATTEMPTS) continue;
      if (isDuplicateKeyError(error)) throw idTaken(input.userId ?? '');
      throw error;
    }
  }
}

const idTaken = (userId: string) =>
  conflict({ ko: `회원 ID ${userId}${subject(userId)} 이미 다른 회원이 쓰고 있습니다. 다른 ID를 쓰거나 비워 두세요.`, en: `Member id ${userId} is already taken; use another or leave it empty for a new one.` });

async function insertMember(ctx: HandlerContext, tx: Executor, input: ParsedInputOf<'members.create'>): Promise<MemberSaved> {
  const userId = input.userId ?? (await nextMemberId(tx));
  if (input.userId !== undefined) {
    // One member per id in any case, on both databases: MySQL would take 'm1000001' for 'M1000001'.
    const taken = await tx.selectFrom('user').select('user_id').where((eb) => eb(eb.fn('lower', ['user_id']), '=', userId.toLowerCase())).executeTakeFirst();
    if (taken) throw idTaken(userId);
  }
  const groups = [...new Set(input.groups ?? [])];
  const groupRows = [];
  for (const [i, groupId] of groups.entries()) groupRows.push(await existingGroup(tx, groupId, `groups.${i}`));
  await tx
    .insertInto('user')
    .values({
      user_id: userId,
      user_name: input.userName,
      status: UserStatus.ACTIVE,
      phone: input.phone ?? null,
      memo: input.memo ?? null,
      meta: null,
      created_at: toDbTime(ctx.now),
      modified_at: null,
    })
    .execute();
  for (const g of groupRows) {
    await tx
      .insertInto('user_group_mapping')
      .values({ user_group_id: g.user_group_id, user_id: userId, user_group_name: g.user_group_name, description: g.description, created_at: toDbTime(ctx.now), modified_at: null })
      .execute();
  }
  const warnings = input.phone ? await phoneSharedWith(tx, input.phone, userId) : [];
  await ctx.audit({ action: 'members.create', target: `user:${userId}`, detail: { ...input, userId, ...(warnings.length ? { phoneSharedWith: warnings[0]!.members?.map((m) => m.userId) } : {}) } }, tx);
  return { detail: await memberDetail(tx, userId, ctx.now), warnings };
}

export async function updateMember(ctx: HandlerContext, input: ParsedInputOf<'members.update'>): Promise<MemberSaved> {
  return ctx.db.transaction().execute(async (tx) => {
    const before = await existingMember(tx, input.userId);
    const change = {
      ...(input.userName !== undefined ? { user_name: input.userName } : {}),
      ...(input.phone !== undefined ? { phone: input.phone } : {}),
      ...(input.memo !== undefined ? { memo: input.memo } : {}),
    };
    await tx
      .updateTable('user')
      .set({ ...change, modified_at: toDbTime(ctx.now) })
      .where('user_id', '=', before.user_id)
      .execute();
    // Only a phone that changed warns: the member's own number, kept, is no news.
    const warnings = input.phone && input.phone !== before.phone ? await phoneSharedWith(tx, input.phone, before.user_id) : [];
    const was = Object.fromEntries(Object.keys(change).map((column) => [column, before[column as keyof typeof before]]));
    await ctx.audit({ action: 'members.update', target: `user:${before.user_id}`, detail: { ...input, was } }, tx);
    return { detail: await memberDetail(tx, before.user_id, ctx.now), warnings };
  });
}

/**
 * Deactivate or reactivate: refused when the member already has that status (nothing to record).
 * Deactivating also cancels the member's bookings still to come (no use taken: the gym's decision,
 * as when it cancels a class) and takes them off the waitlists of classes still to come, moving
 * the first waiting member into each place freed as a cancellation does, all in one transaction
 * with its activity-log row, which lists them. Reactivating restores none of them.
 *
 * Locks as every booking does: the classes first (by class_seq), then the member and their
 * bookings. A booking that a desk commits for the member meanwhile, in a class not locked, is
 * found by the locking read of the bookings (which sees the latest committed rows): everything is
 * rolled back and done again, that class now locked first.
 */
export function setMemberStatus(status: UserStatus) {
  const action = status === UserStatus.INACTIVE ? 'members.deactivate' : 'members.reactivate';
  return (ctx: HandlerContext, input: ParsedInputOf<'members.deactivate'>): Promise<MemberSaved> =>
    retryWhenBookedMeanwhile(ctx, (tx) => changeStatus(ctx, tx, input.userId, status, action), {
      ko: '이 회원의 수업 예약이 계속 바뀌고 있어 휴면 처리하지 못했습니다. 잠시 뒤 다시 하세요.',
      en: "This member's class bookings kept changing, so they were not deactivated. Try again in a moment.",
    });
}

async function changeStatus(ctx: HandlerContext, tx: Executor, userId: string, status: UserStatus, action: string): Promise<MemberSaved> {
  const before = await existingMember(tx, userId);
  if (before.status === status) {
    throw conflict(
      status === UserStatus.INACTIVE
        ? { ko: `회원 ${before.user_name}(${before.user_id})${subject(before.user_id)} 이미 휴면입니다.`, en: `Member ${before.user_name} (${before.user_id}) is already inactive.` }
        : { ko: `회원 ${before.user_name}(${before.user_id})${subject(before.user_id)} 이미 활동 중입니다.`, en: `Member ${before.user_name} (${before.user_id}) is already active.` },
    );
  }
  const deactivating = status === UserStatus.INACTIVE;
  // the classes of the bookings and waitlist places to cancel, locked first, in one order
  const classes = deactivating ? await lockClassesToFree(ctx, tx, { userId: before.user_id }) : new Map<number, ClassToFree>();
  await tx.updateTable('user').set({ status, modified_at: toDbTime(ctx.now) }).where('user_id', '=', before.user_id).execute();
  const released = deactivating ? await releaseUpcoming(ctx, tx, { userId: before.user_id }, classes, DEACTIVATED) : null;
  await ctx.audit(
    {
      action,
      target: `user:${before.user_id}`,
      detail: {
        userId: before.user_id,
        status,
        was: before.status,
        ...(released?.bookings.length ? { cancelledBookings: released.bookings } : {}),
        ...(released?.waitlist.length ? { leftWaitlists: released.waitlist } : {}),
        ...(released?.promoted.length ? { promoted: released.promoted } : {}),
        ...(released ? { notified: released.notified } : {}),
      },
    },
    tx,
  );
  return {
    detail: await memberDetail(tx, before.user_id, ctx.now),
    warnings: [],
    ...(released ? { cancelled: { bookings: released.bookings.length, waitlist: released.waitlist.length, promoted: released.promoted.length, notified: released.notified } } : {}),
  };
}

/** Why a deactivated member's bookings and waitlist places still to come go, as the class dialog lists it and the member is told. */
const DEACTIVATED: ReleaseWhy = {
  removal: { reason: 'INACTIVE', why: { ko: '회원이 휴면 처리되어 대기 명단에서 빠졌습니다.', en: 'The member was deactivated.' } },
  event: NotificationEvent.MEMBER_DEACTIVATED,
  // told also when the member asked to be deactivated: the message then confirms what went with it
  booking: (what) => `휴면 처리에 따라 예약하신 ${what} 예약이 취소되었습니다. 이용권은 차감되지 않습니다.`,
  waiting: (what) => `휴면 처리에 따라 대기하시던 ${what}의 대기가 취소되었습니다.`,
};

export async function addToGroup(ctx: HandlerContext, input: ParsedInputOf<'members.addToGroup'>): Promise<MemberSaved> {
  return ctx.db.transaction().execute(async (tx) => {
    const member = await existingMember(tx, input.userId);
    const group = await existingGroup(tx, input.userGroupId);
    const already = await tx.selectFrom('user_group_mapping').select('user_id').where('user_group_id', '=', group.user_group_id).where('user_id', '=', member.user_id).executeTakeFirst();
    if (already) {
      throw conflict({
        ko: `회원 ${member.user_name}(${member.user_id})${subject(member.user_id)} 이미 ${group.user_group_name} 그룹에 있습니다.`,
        en: `Member ${member.user_name} (${member.user_id}) is already in ${group.user_group_name}.`,
      });
    }
    await tx
      .insertInto('user_group_mapping')
      .values({ user_group_id: group.user_group_id, user_id: member.user_id, user_group_name: group.user_group_name, description: group.description, created_at: toDbTime(ctx.now), modified_at: null })
      .execute();
    await ctx.audit({ action: 'members.addToGroup', target: `user:${member.user_id}`, detail: input }, tx);
    return { detail: await memberDetail(tx, member.user_id, ctx.now), warnings: [] };
  });
}

/**
 * A new group, started with this member in it: its id is its name (as an import makes a group, so
 * an import naming it later finds it), refused when a group of that id or name is there already,
 * spaces and case aside (the desk then picks it from the list). A group lives in its members' rows
 * (user_group_mapping), so there is no empty group to make.
 */
export async function addToNewGroup(ctx: HandlerContext, input: ParsedInputOf<'members.addToNewGroup'>): Promise<MemberSaved> {
  return ctx.db.transaction().execute(async (tx) => {
    const member = await existingMember(tx, input.userId);
    const groups = await tx.selectFrom('user_group_mapping').select(['user_group_id', 'user_group_name']).distinct().execute();
    const taken = groups.find((g) => sameName(g.user_group_id, input.userGroupName) || sameName(g.user_group_name, input.userGroupName));
    if (taken) {
      throw new ServiceError(
        'CONFLICT',
        {
          ko: `'${taken.user_group_name}' 그룹이 이미 있습니다. 그룹 목록에서 골라 넣으세요.`,
          en: `There is already a group called '${taken.user_group_name}'. Pick it from the list of groups.`,
        },
        'userGroupName',
      );
    }
    await tx
      .insertInto('user_group_mapping')
      .values({ user_group_id: input.userGroupName, user_id: member.user_id, user_group_name: input.userGroupName, description: NEW_GROUP_DESCRIPTION, created_at: toDbTime(ctx.now), modified_at: null })
      .execute();
    await ctx.audit({ action: 'members.addToNewGroup', target: `user:${member.user_id}`, detail: input }, tx);
    return { detail: await memberDetail(tx, member.user_id, ctx.now), warnings: [] };
  });
}

/** What a group made at the desk says of itself (an import's says it came with the import). */
const NEW_GROUP_DESCRIPTION = '프런트에서 만든 그룹';

export async function removeFromGroup(ctx: HandlerContext, input: ParsedInputOf<'members.removeFromGroup'>): Promise<MemberSaved> {
  return ctx.db.transaction().execute(async (tx) => {
    const member = await existingMember(tx, input.userId);
    const group = await existingGroup(tx, input.userGroupId);
    const removed = await tx.deleteFrom('user_group_mapping').where('user_group_id', '=', group.user_group_id).where('user_id', '=', member.user_id).executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0) {
      throw conflict({
        ko: `회원 ${member.user_name}(${member.user_id})${subject(member.user_id)} ${group.user_group_name} 그룹에 없습니다.`,
        en: `Member ${member.user_name} (${member.user_id}) is not in ${group.user_group_name}.`,
      });
    }
    const left = await tx.selectFrom('user_group_mapping').select('user_id').where('user_group_id', '=', group.user_group_id).limit(1).executeTakeFirst();
    const warnings: MemberWarning[] = left
      ? []
      : [
          {
            code: 'GROUP_EMPTIED',
            message: {
              ko: `${group.user_group_name} 그룹의 마지막 회원이었습니다. 이제 그룹에 회원이 없어 그룹 목록과 일괄 지급에서 보이지 않습니다.`,
              en: `They were the last member of ${group.user_group_name}; with no members left, the group no longer shows in the group lists or bulk grants.`,
            },
          },
        ];
    await ctx.audit({ action: 'members.removeFromGroup', target: `user:${member.user_id}`, detail: { ...input, ...(warnings.length ? { groupEmptied: true } : {}) } }, tx);
    return { detail: await memberDetail(tx, member.user_id, ctx.now), warnings };
  });
}
