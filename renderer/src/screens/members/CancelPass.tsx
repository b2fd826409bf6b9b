// 이용권 취소·환불: the desk cancels one of the open member's passes, sold or given by mistake or
// handed back. A sold pass asks how much is handed back (0 to what it sold for: the desk decides,
// nothing is assumed); one not sold asks nothing. The dialog says what goes with the pass (its
// bookings of classes still to come, the member told) before the button that does it.
import { useState, type FormEvent } from 'react';
import type { MemberPasses, MemberSaved, PassView } from '../../../../main/service/contract.ts';
import { Dialog, Field, FormActions } from '../../components/common.tsx';
import { translate, useT } from '../../i18n/i18n.ts';
import type { Lang, Words } from '../../i18n/words.ts';
import { focusSoon } from '../../lib/focus.ts';
import { formatWon, wonTyped } from '../../lib/format.ts';
import { useMembers } from '../../stores/members.ts';
import { useUi } from '../../stores/ui.ts';

/** What the cancel did, in both languages (each with its own spelling of the amount): what was refunded, and what went with the pass. */
function doneWords(pass: PassView, refund: number | null, cancelled: MemberSaved['cancelled']): Words {
  const said = (lang: Lang) => {
    const done = translate(lang, refund === null ? 'passCancelled' : 'passCancelledRefund', { package: pass.packageName, refund: formatWon(refund ?? 0, lang) });
    if (!cancelled || cancelled.bookings + cancelled.waitlist === 0) return done;
    const key = cancelled.waitlist === 0 ? 'passCancelledOnlyBookings' : cancelled.bookings === 0 ? 'passCancelledOnlyWaitlist' : 'passCancelledBookings';
    const moved = cancelled.promoted > 0 ? ` ${translate(lang, 'memberDeactivatedPromoted', cancelled)}` : '';
    return `${done} ${translate(lang, key, cancelled)}${moved}`;
  };
  return { ko: said('ko'), en: said('en') };
}

export function CancelPass({ pass, data, onClose }: { pass: PassView; data: MemberPasses; onClose: () => void }) {
  const { t, lang, pick } = useT();
  const toast = useUi((s) => s.toast);
  const cancelPass = useMembers((s) => s.cancelPass);
  const [refundText, setRefundText] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ field: string | null; error: Words } | null>(null);
  const sold = pass.price !== null;
  const price = formatWon(pass.price ?? 0, lang);
  const typed = wonTyped(refundText);
  const refund = typed === 'bad' || typed === null || (pass.price !== null && typed > pass.price) ? null : typed;
  const refundBad = sold && refundText.trim() !== '' && refund === null;
  // what the desk can see of the bookings still to come made with it (the latest 20): the answer says how many went
  const upcoming = data.bookings.filter((b) => b.passSeq === pass.passSeq && b.status === 'READY' && Date.parse(b.startedAt) > Date.now()).length;

  const close = () => {
    onClose();
    focusSoon(`[data-testid=pass-row][data-pass="${pass.passSeq}"] [data-testid=pass-status]`);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (sold && refund === null) return;
    setBusy(true);
    const outcome = await cancelPass({ passSeq: pass.passSeq, ...(sold && refund !== null ? { refund } : {}), ...(reason.trim() ? { reason } : {}) });
    setBusy(false);
    if (!outcome.ok) {
      setProblem({ field: outcome.field, error: outcome.error });
      toast('error', outcome.error);
      return;
    }
    toast('success', doneWords(pass, sold ? (refund ?? 0) : null, outcome.cancelled));
    close();
  };

  const errorOf = (field: string) => (problem?.field === field ? pick(problem.error) : null);
  return (
    <Dialog title={`${t('passCancel')} · ${pass.packageName}`} onClose={close} testId="pass-cancel">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <p data-testid="pass-cancel-intro">
          {t('passCancelIntro', { member: data.member.userName, package: pass.packageName })} {sold ? (pass.paymentMethod ? t('passCancelSoldPaid', { price, method: t(`payment${pass.paymentMethod}`) }) : t('passCancelSold', { price })) : t('passCancelNotSold')}
        </p>
        {upcoming > 0 && (
          <p className="notice notice-warn" data-testid="pass-cancel-bookings">
            {t('passCancelBookings', { n: upcoming })}
          </p>
        )}
        {problem && problem.field !== 'refund' && problem.field !== 'reason' && (
          <p className="notice" role="alert" data-testid="pass-cancel-error">
            {pick(problem.error)}
          </p>
        )}
        {sold && (
          <Field label={t('passRefundLabel')} hint={t('passRefundHint', { price })} error={refundBad ? t('passRefundBad', { price }) : errorOf('refund')}>
            <input
              inputMode="numeric"
              value={refundText}
              onChange={(e) => {
                setRefundText(e.target.value);
                if (problem?.field === 'refund') setProblem(null);
              }}
              maxLength={15}
              required
              data-autofocus=""
              aria-invalid={refundBad || errorOf('refund') ? true : undefined}
              data-testid="pass-refund"
            />
          </Field>
        )}
        {sold && (
          <p className="field-after">
            <button type="button" className="btn btn-small" onClick={() => setRefundText(String(pass.price))} data-testid="pass-refund-full">
              {t('passRefundFull', { price })}
            </button>
          </p>
        )}
        <Field label={`${t('passCancelReason')} (${t('optional')})`} hint={t('passCancelReasonHint')} error={errorOf('reason')}>
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} {...(sold ? {} : { 'data-autofocus': '' })} data-testid="pass-cancel-reason" />
        </Field>
        <FormActions
          onCancel={close}
          submitLabel={t('passCancel')}
          disabled={busy || (sold && refund === null)}
          why={sold && refund === null ? (refundBad ? t('passRefundBad', { price }) : t('passRefundNeeded')) : null}
          testId="pass-cancel-submit"
        />
      </form>
    </Dialog>
  );
}
