// 이용권 연장: the desk gives one of the open member's passes more days, more uses or both, for a
// reason it must give (a day the gym was closed, a member's holiday or injury). A pass with no end
// is offered no days, an unlimited one no uses. The dialog says what the pass will be before the
// button that does it.
import { useState, type FormEvent } from 'react';
import type { MemberPasses, PassView } from '../../../../main/service/contract.ts';
import { Dialog, Field, FormActions } from '../../components/common.tsx';
import { translate, useT } from '../../i18n/i18n.ts';
import type { Lang, Words } from '../../i18n/words.ts';
import { focusSoon } from '../../lib/focus.ts';
import { formatNumber, formatPassEnd, wholeTyped } from '../../lib/format.ts';
import { useMembers } from '../../stores/members.ts';
import { useUi } from '../../stores/ui.ts';

const DAY = 86_400_000;

/** The pass's end and uses in words: "2027. 2. 5.까지 · 10회". */
function passNow(lang: Lang, zone: string, endedAt: string | null, uses: number | null): string {
  const end = endedAt === null ? translate(lang, 'passExtendNoEnd') : translate(lang, 'passExtendNow', { end: formatPassEnd(endedAt, lang, zone) });
  return uses === null ? end : `${end} · ${translate(lang, 'countUnit', { n: formatNumber(uses, lang) })}`;
}

export function ExtendPass({ pass, data, onClose }: { pass: PassView; data: MemberPasses; onClose: () => void }) {
  const { t, lang, pick } = useT();
  const zone = useUi((s) => s.timeZone);
  const toast = useUi((s) => s.toast);
  const extendPass = useMembers((s) => s.extendPass);
  const [daysText, setDaysText] = useState('');
  const [usesText, setUsesText] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ field: string | null; error: Words } | null>(null);
  const takesDays = pass.endedAt !== null;
  const takesUses = pass.remainingCount !== null;
  const days = takesDays ? wholeTyped(daysText, 1, 365) : null;
  const uses = takesUses ? wholeTyped(usesText, 1, 999) : null;
  const bad = days === 'bad' || uses === 'bad';
  const some = (typeof days === 'number' || typeof uses === 'number') && !bad;
  const endAfter = pass.endedAt !== null && typeof days === 'number' ? new Date(Date.parse(pass.endedAt) + days * DAY).toISOString() : pass.endedAt;
  const usesAfter = pass.remainingCount !== null && typeof uses === 'number' ? pass.remainingCount + uses : pass.remainingCount;
  const why = bad ? null : !some ? t('passExtendNeedsSome') : reason.trim() === '' ? t('passExtendNeedsReason') : null;

  const close = () => {
    onClose();
    focusSoon(`[data-testid=pass-row][data-pass="${pass.passSeq}"] [data-testid=pass-status]`);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!some || reason.trim() === '') return;
    setBusy(true);
    const outcome = await extendPass({ passSeq: pass.passSeq, ...(typeof days === 'number' ? { days } : {}), ...(typeof uses === 'number' ? { uses } : {}), reason });
    setBusy(false);
    if (!outcome.ok) {
      setProblem({ field: outcome.field, error: outcome.error });
      toast('error', outcome.error);
      return;
    }
    const said = (l: Lang) => translate(l, 'passExtended', { package: pass.packageName, after: passNow(l, zone, endAfter, usesAfter) });
    toast('success', { ko: said('ko'), en: said('en') });
    close();
  };

  const errorOf = (field: string) => (problem?.field === field ? pick(problem.error) : null);
  return (
    <Dialog title={`${t('passExtend')} · ${pass.packageName}`} onClose={close} testId="pass-extend">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <p data-testid="pass-extend-intro">{t('passExtendIntro', { member: data.member.userName, package: pass.packageName, now: passNow(lang, zone, pass.endedAt, pass.remainingCount) })}</p>
        {problem && !['days', 'uses', 'reason'].includes(problem.field ?? '') && (
          <p className="notice" role="alert" data-testid="pass-extend-error">
            {pick(problem.error)}
          </p>
        )}
        {takesDays && (
          <Field label={t('passExtendDays')} error={days === 'bad' ? t('passExtendBadDays') : errorOf('days')}>
            <input inputMode="numeric" value={daysText} onChange={(e) => setDaysText(e.target.value)} maxLength={3} data-autofocus="" aria-invalid={days === 'bad' ? true : undefined} data-testid="pass-extend-days" />
          </Field>
        )}
        {takesUses && (
          <Field label={t('passExtendUses')} error={uses === 'bad' ? t('passExtendBadUses') : errorOf('uses')}>
            <input inputMode="numeric" value={usesText} onChange={(e) => setUsesText(e.target.value)} maxLength={3} {...(takesDays ? {} : { 'data-autofocus': '' })} aria-invalid={uses === 'bad' ? true : undefined} data-testid="pass-extend-uses" />
          </Field>
        )}
        <Field label={t('passExtendReason')} hint={t('passExtendReasonHint')} error={errorOf('reason')}>
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} required data-testid="pass-extend-reason" />
        </Field>
        {some && (
          <p className="notice" role="status" data-testid="pass-extend-after">
            {t('passExtendAfter', { after: passNow(lang, zone, endAfter, usesAfter) })}
          </p>
        )}
        <FormActions onCancel={close} submitLabel={t('passExtend')} disabled={busy || !some || reason.trim() === ''} why={why} testId="pass-extend-submit" />
      </form>
    </Dialog>
  );
}
