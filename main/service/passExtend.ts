// 이용권 연장 at the desk: days added to a pass's end, uses to its count, for a reason the desk
// gives (a day the gym was closed made up, a member's holiday or injury, a class that fell
// through). Only a pass still usable is extended: an expired one stays on record, and a new pass is
// sold or given instead; a pass with no end takes no days, an unlimited one no uses. The change and
// its activity-log row (what it was, what it is, why) commit together.
import { getJosaPicker } from 'josa';
import { forUpdate, fromDbTime, toDbTime } from '../batch/index.ts';
import { addDays, usablePass } from '../pass/passQueries.ts';
import { PassStatus } from '../pass/schema.ts';
import { iso, type HandlerContext } from './context.ts';
import type { ParsedInputOf, PassExtended } from './contract.ts';
import { conflict, invalid, notFound } from './errors.ts';
import { memberDetail } from './members.ts';
import { num } from './tables.ts';

const subject = getJosaPicker('은');

export function extendPass(ctx: HandlerContext, input: ParsedInputOf<'passes.extend'>): Promise<PassExtended> {
  return ctx.db.transaction().execute(async (tx) => {
    const pass = await forUpdate(
      ctx.database.dialect,
      tx
        .selectFrom('pass')
        .leftJoin('package', 'package.package_seq', 'pass.package_seq')
        .select((eb) => ['pass.pass_seq', 'pass.user_id', 'pass.status', 'pass.ended_at', 'pass.remaining_count', 'package.package_name', eb.case().when(usablePass(ctx.now)(eb)).then(1).else(0).end().as('usable')])
        .where('pass.pass_seq', '=', input.passSeq),
    ).executeTakeFirst();
    if (!pass) throw notFound({ ko: `이용권 ${input.passSeq}`, en: `Pass ${input.passSeq}` }, 'passSeq');
    const name = pass.package_name ?? `#${input.passSeq}`;
    if (pass.status === PassStatus.CANCELLED) throw conflict({ ko: `${name} 이용권${subject('이용권')} 취소되어 연장할 수 없습니다.`, en: `The ${name} pass was cancelled; it can't be extended.` });
    if (num(pass.usable) !== 1) {
      throw conflict({
        ko: `${name} 이용권${subject('이용권')} 이미 만료되어 연장할 수 없습니다. 새 이용권을 등록하세요.`,
        en: `The ${name} pass has already expired, so it can't be extended. Register a new pass instead.`,
      });
    }
    if (input.days !== undefined && pass.ended_at === null) {
      throw invalid('days', { ko: '끝나는 날이 없는 이용권이라 기간을 늘릴 수 없습니다', en: 'this pass never ends, so it takes no more days' });
    }
    if (input.uses !== undefined && pass.remaining_count === null) {
      throw invalid('uses', { ko: '횟수 제한이 없는 이용권이라 횟수를 늘릴 수 없습니다', en: 'this pass has unlimited uses, so it takes no more' });
    }
    const endedAt = pass.ended_at === null ? null : fromDbTime(pass.ended_at);
    const before = { endedAt: iso(endedAt), remainingCount: pass.remaining_count === null ? null : num(pass.remaining_count) };
    const newEnd = endedAt === null || input.days === undefined ? endedAt : addDays(endedAt, input.days);
    const after = { endedAt: iso(newEnd), remainingCount: before.remainingCount === null || input.uses === undefined ? before.remainingCount : before.remainingCount + input.uses };
    await tx
      .updateTable('pass')
      .set({
        ...(input.days !== undefined && newEnd ? { ended_at: toDbTime(newEnd) } : {}),
        ...(input.uses !== undefined && after.remainingCount !== null ? { remaining_count: after.remainingCount } : {}),
        modified_at: toDbTime(ctx.now),
      })
      .where('pass_seq', '=', input.passSeq)
      .execute();
    await ctx.audit(
      {
        action: 'passes.extend',
        target: `user:${pass.user_id}`,
        detail: { passSeq: input.passSeq, packageName: name, ...(input.days ? { days: input.days } : {}), ...(input.uses ? { uses: input.uses } : {}), reason: input.reason, before },
      },
      tx,
    );
    return { detail: await memberDetail(tx, pass.user_id, ctx.now), before, after };
  });
}
