// 이용권 취소 at the desk: a pass sold or given by mistake, or handed back for a refund. The pass
// keeps its row, its price and its past bookings; it becomes CANCELLED (migration 017) with when,
// what was handed back and why, so the sales summary counts the refund on its day and the member's
// passes say what happened. Its bookings still to come are cancelled without taking a use, its
// waitlist places given up, the member told of each (PASS_CANCELLED) and the first waiting member
// moved into each place freed (releaseUpcoming.ts), in the same transaction as its activity-log row.
// Uses already taken stay taken: a class attended before is not given back.
import { getJosaPicker } from 'josa';
import { toDbTime } from '../batch/index.ts';
import { PassStatus, NotificationEvent } from '../pass/schema.ts';
import type { HandlerContext } from './context.ts';
import type { ParsedInputOf, PassCancelled } from './contract.ts';
import { conflict, invalid, notFound } from './errors.ts';
import { dateTimeText } from './memberNotices.ts';
import { lockPass, memberDetail } from './members.ts';
import { wonText } from './names.ts';
import { lockClassesToFree, releaseUpcoming, retryWhenBookedMeanwhile, type ReleaseWhy } from './releaseUpcoming.ts';
import type { Executor } from './tables.ts';

const subject = getJosaPicker('은');

/** Why a cancelled pass's bookings and waitlist places still to come go, as the class dialog lists it and the member is told. */
const PASS_CANCELLED: ReleaseWhy = {
  removal: { reason: 'PASS', why: { ko: '회원의 이용권이 취소되어 대기 명단에서 빠졌습니다.', en: "The member's pass was cancelled." } },
  event: NotificationEvent.PASS_CANCELLED,
  booking: (what) => `이용권 취소에 따라 예약하신 ${what} 예약이 취소되었습니다.`,
  waiting: (what) => `이용권 취소에 따라 대기하시던 ${what}의 대기가 취소되었습니다.`,
};

export function cancelPass(ctx: HandlerContext, input: ParsedInputOf<'passes.cancel'>): Promise<PassCancelled> {
  return retryWhenBookedMeanwhile(ctx, (tx) => cancelIn(ctx, tx, input), {
    ko: '이 이용권의 수업 예약이 계속 바뀌고 있어 취소하지 못했습니다. 잠시 뒤 다시 하세요.',
    en: "This pass's class bookings kept changing, so it was not cancelled. Try again in a moment.",
  });
}

async function cancelIn(ctx: HandlerContext, tx: Executor, input: ParsedInputOf<'passes.cancel'>): Promise<PassCancelled> {
  // whose pass it is (which never changes), so its classes are locked before the pass, as a booking locks them
  const owner = await tx.selectFrom('pass').select(['user_id']).where('pass_seq', '=', input.passSeq).executeTakeFirst();
  if (!owner) throw notFound({ ko: `이용권 ${input.passSeq}`, en: `Pass ${input.passSeq}` }, 'passSeq');
  const scope = { userId: owner.user_id, passSeq: input.passSeq };
  const classes = await lockClassesToFree(ctx, tx, scope);
  const pass = await lockPass(ctx, tx, input.passSeq);
  if (pass.status === 'CANCELLED') {
    const at = pass.cancelledAt === null ? '' : dateTimeText(ctx, toDbTime(new Date(pass.cancelledAt)));
    throw conflict({ ko: `${pass.packageName} 이용권${subject('이용권')} ${at}에 이미 취소되었습니다.`, en: `The ${pass.packageName} pass was already cancelled at ${at}.` });
  }
  if (pass.status === 'EXPIRED') {
    throw conflict({
      ko: `${pass.packageName} 이용권${subject('이용권')} 이미 만료되어 취소할 수 없습니다. 만료된 이용권은 기록으로 남습니다.`,
      en: `The ${pass.packageName} pass has already expired, so it can't be cancelled; an expired pass stays on record.`,
    });
  }
  const refund = refundOf(pass.price, input.refund);
  await tx
    .updateTable('pass')
    .set({ status: PassStatus.CANCELLED, cancelled_at: toDbTime(ctx.now), refund, cancel_reason: input.reason ?? null, modified_at: toDbTime(ctx.now) })
    .where('pass_seq', '=', input.passSeq)
    .execute();
  const released = await releaseUpcoming(ctx, tx, scope, classes, PASS_CANCELLED);
  await ctx.audit(
    {
      action: 'passes.cancel',
      target: `user:${owner.user_id}`,
      detail: {
        passSeq: input.passSeq,
        packageName: pass.packageName,
        price: pass.price,
        refund,
        ...(input.reason ? { reason: input.reason } : {}),
        ...(released.bookings.length ? { cancelledBookings: released.bookings } : {}),
        ...(released.waitlist.length ? { leftWaitlists: released.waitlist } : {}),
        ...(released.promoted.length ? { promoted: released.promoted } : {}),
        notified: released.notified,
      },
    },
    tx,
  );
  return {
    detail: await memberDetail(tx, owner.user_id, ctx.now),
    cancelled: { bookings: released.bookings.length, waitlist: released.waitlist.length, promoted: released.promoted.length, notified: released.notified },
  };
}

/**
 * What is handed back: for a pass sold with a price, the amount the desk gives (0 to the price,
 * asked every time, since a refund is the desk's decision); for one not sold (granted in bulk,
 * imported, a bonus), nothing to hand back, so none (NULL) and an amount over 0 refused.
 */
function refundOf(price: number | null, asked: number | undefined): number | null {
  if (price === null) {
    if (asked !== undefined && asked > 0) {
      throw invalid('refund', {
        ko: '판매 금액이 없는 이용권(일괄 지급, 가져온 이용권, 보너스)이라 돌려줄 금액이 없습니다',
        en: 'this pass was not sold (a bulk grant, an imported pass or a bonus), so nothing can be refunded',
      });
    }
    return null;
  }
  if (asked === undefined) {
    throw invalid('refund', { ko: `돌려줄 금액을 쓰세요 (0원부터 판매 금액 ${wonText(price).ko}까지)`, en: `give the amount refunded (from ₩0 to the ${wonText(price).en} it sold for)` });
  }
  if (asked > price) {
    throw invalid('refund', { ko: `판매 금액 ${wonText(price).ko}보다 많이 돌려줄 수 없습니다`, en: `can't be more than the ${wonText(price).en} it sold for` });
  }
  return asked;
}
