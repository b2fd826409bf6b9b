// 출석 키오스크 (issue 18, slice 4): full screen, large touch targets, Korean and English. The member
// types the last four digits of their phone (the field or the keypad), picks their masked name,
// sees today's bookings (first, with the check-in) and their passes, and checks in; the
// confirmation goes back to the start by itself after KIOSK_DONE_MS, and any step but the empty
// digits does after KIOSK_IDLE_MS without a touch (the store keeps that timer; every tap and key
// here is a touch). Leaving the screen forgets the member too. Each step, shown, takes the focus
// to what it says first (the field, its heading, the words that nobody was found), so a screen
// reader reads the new step and a keyboard goes on from there.
//
// KioskNeedsAccount is what the kiosk's window shows a staff account instead: the console is
// never shown there.
import { DateTime } from 'luxon';
import { useEffect, useRef, type FormEvent, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from 'react';
import type { KioskMember } from '../../../main/service/contract.ts';
import { confirmAction } from '../components/common.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { useT } from '../i18n/i18n.ts';
import { ROLE_NAME } from '../i18n/words.ts';
import { formatDate, formatPassEnd } from '../lib/format.ts';
import { useKiosk } from '../stores/kiosk.ts';
import { useSession } from '../stores/session.ts';
import './kiosk.css';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
const hhmm = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toFormat('HH:mm');

/** A ref whose element takes the focus when the step shows it. */
function useFocusWhenShown<T extends HTMLElement>(): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}

export function KioskScreen() {
  const { t, pick } = useT();
  const step = useKiosk((s) => s.step);
  const error = useKiosk((s) => s.error);
  const startOver = useKiosk((s) => s.startOver);
  const press = useKiosk((s) => s.press);
  const touch = useKiosk((s) => s.touch);
  const find = useKiosk((s) => s.find);
  const logout = useSession((s) => s.logout);

  // Whatever was on screen is forgotten when the screen goes (sign-out, the session ended).
  useEffect(() => () => useKiosk.getState().startOver(), []);

  useEffect(() => {
    document.title = `${t('kioskTitle')} · ${t('appName')}`;
  });

  // Typing works wherever the focus is, while the digits are asked for; Enter searches, on the
  // keypad's keys too (the one tapped last has the focus), but not on the other buttons.
  const onKeyDown = (e: ReactKeyboardEvent) => {
    touch();
    if (step !== 'digits' || e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target as HTMLElement;
    if (target.dataset.testid === 'kiosk-digits') return;
    if (/^\d$/.test(e.key)) press(e.key);
    else if (e.key === 'Backspace') press('back');
    else if (e.key === 'Enter' && (target.closest('.kiosk-keypad') || !target.closest('button, a, input, select, textarea'))) void find();
    else return;
    e.preventDefault();
  };

  const signOut = async () => {
    const ok = await confirmAction({ title: t('kioskSignOut'), body: t('kioskSignOutConfirm'), confirmLabel: t('signOut'), danger: true });
    if (ok) await logout();
  };

  return (
    <div className="kiosk" data-testid="kiosk-screen" data-step={step} onPointerDown={touch} onKeyDown={onKeyDown}>
      <header className="kiosk-head">
        <h1 tabIndex={-1}>{t('kioskTitle')}</h1>
        <LanguageSwitch />
      </header>
      {error && (
        <p className="kiosk-error" role="alert" data-testid="kiosk-error">
          {pick(error)}
        </p>
      )}
      <div className="kiosk-body">
        {step === 'digits' && <DigitsStep />}
        {step === 'names' && <NamesStep />}
        {step === 'member' && <MemberStep />}
        {step === 'done' && <DoneStep />}
      </div>
      <footer className="kiosk-foot">
        <button type="button" className="kiosk-button kiosk-start-over" onClick={startOver} data-testid="kiosk-start-over">
          {t('kioskStartOver')}
        </button>
        <button type="button" className="btn btn-ghost kiosk-sign-out" onClick={() => void signOut()} data-testid="kiosk-sign-out">
          {t('kioskSignOut')}
        </button>
      </footer>
    </div>
  );
}

function DigitsStep() {
  const { t } = useT();
  const { digits, busy, press, setDigits, find } = useKiosk();
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void find();
  };

  return (
    <form className="kiosk-digits" onSubmit={submit} aria-label={t('kioskDigitsLabel')}>
      <label className="kiosk-prompt" htmlFor="kiosk-digits">
        {t('kioskDigitsPrompt')}
      </label>
      <input
        id="kiosk-digits"
        ref={input}
        className="kiosk-digits-field"
        value={digits}
        onChange={(e) => setDigits(e.target.value)}
        // the field takes the focus when the step shows: no system keyboard over the keypad on a
        // tablet (the keypad and a hardware keyboard type into it)
        inputMode="none"
        pattern="[0-9]{4}"
        maxLength={4}
        autoComplete="off"
        data-testid="kiosk-digits"
      />
      <div className="kiosk-keypad" role="group" aria-label={t('kioskKeypad')}>
        {KEYS.map((k) => (
          <button key={k} type="button" className="kiosk-key" onClick={() => press(k)} data-testid={`kiosk-key-${k}`}>
            {k}
          </button>
        ))}
        <button type="button" className="kiosk-key kiosk-key-back" onClick={() => press('back')} aria-label={t('kioskKeyBack')} data-testid="kiosk-key-back">
          ⌫
        </button>
        <button type="button" className="kiosk-key" onClick={() => press('0')} data-testid="kiosk-key-0">
          0
        </button>
        <button type="submit" className="kiosk-key kiosk-key-find" disabled={digits.length !== 4 || busy} data-testid="kiosk-find">
          {busy ? t('kioskSearching') : t('kioskFind')}
        </button>
      </div>
    </form>
  );
}

function NamesStep() {
  const { t } = useT();
  const { matches, digits, busy, pick, startOver } = useKiosk();
  const said = useFocusWhenShown<HTMLHeadingElement & HTMLParagraphElement>();
  if (matches.length === 0) {
    // 다시 입력: the digits again, empty, with the focus on them (the field takes it when shown)
    return (
      <div className="kiosk-no-match">
        <p ref={said} tabIndex={-1} className="kiosk-message" role="status" data-testid="kiosk-no-match">
          {t('kioskNoMatch', { digits })}
        </p>
        <button type="button" className="kiosk-button kiosk-retry" onClick={startOver} data-testid="kiosk-retry">
          {t('kioskRetry')}
        </button>
      </div>
    );
  }
  return (
    <section className="kiosk-names" aria-labelledby="kiosk-names-title">
      <h2 ref={said} tabIndex={-1} id="kiosk-names-title" className="kiosk-prompt">
        {t('kioskPickName')}
      </h2>
      <ul className="kiosk-list">
        {matches.map((m) => (
          <li key={m.member}>
            <button type="button" className="kiosk-button kiosk-name" onClick={() => void pick(m.member)} disabled={busy} data-testid="kiosk-match" data-member={m.member}>
              {m.maskedName}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function MemberStep() {
  const { t, lang } = useT();
  const member = useKiosk((s) => s.member)!;
  const title = useFocusWhenShown<HTMLHeadingElement>();
  // the gym's zone, as the service tells the kiosk (a KIOSK account can't read the settings)
  const zone = member.timeZone;
  return (
    <section className="kiosk-member" data-testid="kiosk-member" aria-labelledby="kiosk-member-title">
      <h2 ref={title} tabIndex={-1} id="kiosk-member-title" className="kiosk-prompt">
        {t('kioskHello', { name: member.maskedName })}
      </h2>
      <div className="kiosk-columns">
        <section className="kiosk-panel" aria-labelledby="kiosk-bookings-title">
          <h3 id="kiosk-bookings-title">{t('kioskTodayBookings')}</h3>
          {member.bookings.length === 0 ? (
            <p className="kiosk-message">{t('kioskNoBookings')}</p>
          ) : (
            <ul className="kiosk-list">
              {member.bookings.map((b) => (
                <BookingRow key={b.bookingSeq} booking={b} zone={zone} />
              ))}
            </ul>
          )}
        </section>
        <section className="kiosk-panel" aria-labelledby="kiosk-passes-title">
          <h3 id="kiosk-passes-title">{t('kioskYourPasses')}</h3>
          {member.passes.length === 0 ? (
            <>
              <p className="kiosk-message">{t('kioskNoPasses')}</p>
              <p className="kiosk-message" data-testid="kiosk-no-pass-why">
                {/* why, from the member's own latest pass: its end came (read as the passes' ends are), or its uses ran out */}
                {member.lastPass === null
                  ? t('kioskPassNone')
                  : member.lastPass.usedUp
                    ? t('kioskPassUsedUp', { package: member.lastPass.packageName })
                    : member.lastPass.endedAt
                      ? t('kioskPassEnded', { package: member.lastPass.packageName, date: formatPassEnd(member.lastPass.endedAt, lang, zone) })
                      : t('kioskPassNone')}
              </p>
            </>
          ) : (
            <ul className="kiosk-list" data-testid="kiosk-passes">
              {member.passes.map((p, i) => (
                <li key={i} className="kiosk-pass" data-testid="kiosk-pass">
                  <strong>{p.packageName}</strong>
                  <span>{p.remainingCount === null ? t('kioskUnlimited') : t('kioskUsesLeft', { n: p.remainingCount })}</span>
                  {/* its last day when it ends at midnight (the common case: a sale runs whole days), else
                      the day and the time, so a pass ending at 02:12 isn't read as good all that day */}
                  <span>{p.endedAt ? t('kioskUntil', { date: formatPassEnd(p.endedAt, lang, zone) }) : t('kioskNoEnd')}</span>
                  {Date.parse(p.startedAt) > Date.now() && (
                    <span className="kiosk-pass-from" data-testid="kiosk-pass-from">
                      {t('kioskFrom', { date: formatDate(p.startedAt, lang, zone) })}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </section>
  );
}

function BookingRow({ booking: b, zone }: { booking: KioskMember['bookings'][number]; zone: string }) {
  const { t } = useT();
  const busy = useKiosk((s) => s.busy);
  const checkIn = useKiosk((s) => s.checkIn);
  // Why it can't be checked in to (the service has the last word: canCheckIn)
  const why = b.attended
    ? t('kioskAlreadyIn')
    : Date.now() >= Date.parse(b.endedAt)
      ? t('kioskOver')
      : t('kioskNotYet', { time: hhmm(new Date(Date.parse(b.startedAt) - 60 * 60_000).toISOString(), zone) });
  return (
    <li className="kiosk-booking" data-testid={`kiosk-booking-${b.bookingSeq}`} data-attended={b.attended} data-can-check-in={b.canCheckIn}>
      <span className="kiosk-booking-what">
        <strong>{b.classTitle}</strong>
        <span className="mono">
          {hhmm(b.startedAt, zone)}–{hhmm(b.endedAt, zone)}
        </span>
      </span>
      {b.canCheckIn ? (
        <button type="button" className="kiosk-button kiosk-checkin" onClick={() => void checkIn(b.bookingSeq)} disabled={busy} data-testid={`kiosk-checkin-${b.bookingSeq}`}>
          {busy ? t('kioskCheckingIn') : t('kioskCheckIn')}
        </button>
      ) : (
        <span className={`kiosk-why${b.attended ? ' kiosk-why-done' : ''}`} data-testid={`kiosk-why-${b.bookingSeq}`}>
          {why}
        </span>
      )}
    </li>
  );
}

function DoneStep() {
  const { t } = useT();
  const checkedIn = useKiosk((s) => s.checkedIn)!;
  const title = useFocusWhenShown<HTMLHeadingElement>();
  return (
    <div className="kiosk-done" role="status" data-testid="kiosk-done">
      <span className="kiosk-done-mark" aria-hidden="true">
        ✓
      </span>
      <h2 ref={title} tabIndex={-1} className="kiosk-prompt">
        {t('kioskDone')}
      </h2>
      <p>{t('kioskDoneBody', { name: checkedIn.maskedName, title: checkedIn.classTitle })}</p>
      <p className="kiosk-message">{t('kioskBackSoon')}</p>
    </div>
  );
}

/** The kiosk's window, signed in with a staff account: this window needs a kiosk account. */
export function KioskNeedsAccount() {
  const { t, pick } = useT();
  const me = useSession((s) => s.me)!;
  const logout = useSession((s) => s.logout);
  useEffect(() => {
    document.title = `${t('navKiosk')} · ${t('appName')}`;
  });
  return (
    <div className="kiosk kiosk-needs-account">
      <div className="login-card" data-testid="kiosk-needs-kiosk-account">
        <h1>{t('kioskNeedsKioskAccount')}</h1>
        <p>{t('kioskNeedsKioskAccountBody', { u: me.username, role: pick(ROLE_NAME[me.role]) })}</p>
        <button type="button" className="btn btn-primary" onClick={() => void logout()} data-testid="sign-out" data-autofocus="">
          {t('signOut')}
        </button>
        <div className="login-foot">
          <LanguageSwitch />
        </div>
      </div>
    </div>
  );
}
