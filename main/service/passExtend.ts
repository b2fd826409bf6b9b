// 이용권 연장 at the desk: days added to a pass's end, uses to its count, for a reason the desk
// gives (a day the gym was closed made up, a member's holiday or injury, a class that fell
// through). Only a pass still usable is extended: an expired one stays on record, and a new pass is
// sold or given instead; a pass with no end takes no days, an unlimited one no uses. The change and
// its activity-log row (what it was, what it is, why) commit together.
import { getJosaPicker } from 'josa';
import { toDbTime } from '../batch/index.ts';
import { addDays } from '../pass/passQueries.ts';
import type { HandlerContext } from './context.ts';
import type { ParsedInputOf, PassExtended } from './contract.ts';
import { conflict, invalid } from './errors.ts';
import { lockPass, memberDetail } from './members.ts';

const subject = getJosaPicker('은');

export function extendPass(ctx: HandlerContext, input: ParsedInputOf<'passes.extend'>): Promise<PassExtended> {
  return ctx.db.transaction().execute(async (tx) => {
    const pass = await lockPass(ctx, tx, input.passSeq);
    const name = pass.packageName;
    if (pass.status === 'CANCELLED') throw conflict({ ko: `${name} 이용권${subject('이용권')} 취소되어 연장할 수 없습니다.`, en: `The ${name} pass was cancelled; it can't be extended.` });
    if (pass.status === 'EXPIRED') {
      throw conflict({
        ko: `${name} 이용권${subject('이용권')} 이미 만료되어 연장할 수 없습니다. 새 이용권을 등록하세요.`,
        en: `The ${name} pass has already expired, so it can't be extended. Register a new pass instead.`,
      });
    }
    if (input.days !== undefined && pass.endedAt === null) {
      throw invalid('days', { ko: '끝나는 날이 없는 이용권이라 기간을 늘릴 수 없습니다', en: 'this pass never ends, so it takes no more days' });
    }
    if (input.uses !== undefined && pass.remainingCount === null) {
      throw invalid('uses', { ko: '횟수 제한이 없는 이용권이라 횟수를 늘릴 수 없습니다', en: 'this pass has unlimited uses, so it takes no more' });
    }
    const before = { endedAt: pass.endedAt, remainingCount: pass.remainingCount };
    const after = {
      endedAt: pass.endedAt === null || input.days === undefined ? pass.endedAt : addDays(new Date(pass.endedAt), input.days).toISOString(),
      remainingCount: pass.remainingCount === null || input.uses === undefined ? pass.remainingCount : pass.remainingCount + input.uses,
    };
    await tx
      .updateTable('pass')
      .set({
        ...(after.endedAt !== before.endedAt && after.endedAt !== null ? { ended_at: toDbTime(new Date(after.endedAt)) } : {}),
        ...(after.remainingCount !== before.remainingCount ? { remaining_count: after.remainingCount } : {}),
        modified_at: toDbTime(ctx.now),
      })
      .where('pass_seq', '=', input.passSeq)
      .execute();
    await ctx.audit(
      {
        action: 'passes.extend',
        target: `user:${pass.userId}`,
        detail: { passSeq: input.passSeq, packageName: name, ...(input.days ? { days: input.days } : {}), ...(input.uses ? { uses: input.uses } : {}), reason: input.reason, before },
      },
      tx,
    );
    return { detail: await memberDetail(tx, pass.userId, ctx.now), before, after };
  });
}
