// 수업 예약: the week's classes on a calendar (Monday to Sunday, the gym's time zone); schedule a
// class (repeated weekly for N weeks); open one to see its bookings and waitlist, book a member
// with one of their passes (a full class puts them on the waitlist), or cancel a booking after a
// confirmation that says whether it is late and takes a use. At the desk, today's classes on one
// list; in a class, each member's attendance is a toggle, and the whole class can be marked at once
// (no confirmation: a mark is taken back per member), from an hour before the class (before, the
// toggles are shown disabled with the time it opens). Before a class starts it can be edited, or
// cancelled after a confirmation naming how many members will be told; a cancelled class stays on
// the calendar, marked cancelled. Before it starts a waiting member can be taken off the list
// (after a confirmation naming them); under the waitlist, everyone taken off it and why (at the
// desk, or because they could not take a place that opened: booked elsewhere then, or their pass
// no longer pays).
import { DateTime } from 'luxon';
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ClassDetail, ClassView, MemberSummary, PassView } from '../../../main/service/contract.ts';
import { bridge } from '../bridge/index.ts';
import { confirmAction, Dialog, Empty, Field, FormActions, Loaded, PageHeader } from '../components/common.tsx';
import { DateInput } from '../components/DateInput.tsx';
import { Time24Input } from '../components/DateTime24Input.tsx';
import { both, useT } from '../i18n/i18n.ts';
import { focusSoon } from '../lib/focus.ts';
import { formatDate, formatDateTime, formatPhone } from '../lib/format.ts';
import { classTimes } from '../lib/time24.ts';
import type { Words } from '../i18n/words.ts';
import { daysOf, useClasses, type Outcome } from '../stores/classes.ts';
import { messageOf } from '../stores/errors.ts';
import { useMembers } from '../stores/members.ts';
import { useUi } from '../stores/ui.ts';
import './classes.css';

const hhmm = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toFormat('HH:mm');
/** Attendance opens this long before a class starts (the service's rule, main/service/attendance.ts). */
const ATTEND_FROM_MS = 60 * 60_000;
/**
 * Where the focus goes in a class's dialog when the button just used is gone (a booking cancelled,
 * a member taken off the waitlist): its member search while bookings are taken, else its Close.
 */
const AFTER_CHANGE_IN_CLASS = '[data-testid=class-dialog] [data-testid=book-query], [data-testid=class-dialog-close]';

/** The time now, renewed every half minute, so what opens or closes with the clock does so on screen. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function ClassesScreen() {
  const { t } = useT();
  const { day, load, moveWeek, showToday, classSeq, open } = useClasses();
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="page">
      <PageHeader title={t('navClasses')}>
        <button type="button" className="btn" onClick={() => void moveWeek(-1)} data-testid="week-prev">
          ◀ {t('prevWeek')}
        </button>
        <button type="button" className="btn" onClick={() => void moveWeek('today')} data-testid="week-today">
          {t('thisWeek')}
        </button>
        <button type="button" className="btn" onClick={() => void moveWeek(1)} data-testid="week-next">
          {t('nextWeek')} ▶
        </button>
        <button type="button" className={`btn${day ? ' btn-active' : ''}`} onClick={() => void showToday()} aria-pressed={day !== null} data-testid="classes-today">
          {t('classesToday')}
        </button>
        <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="class-new">
          {t('classNew')}
        </button>
      </PageHeader>
      {day ? <TodayList day={day} /> : <WeekGrid />}
      {creating && <ClassFormDialog onClose={() => setCreating(false)} />}
      {classSeq !== null && <ClassDialog onClose={() => void open(null)} />}
    </div>
  );
}

/** The week, Monday to Sunday, each class on its day. */
function WeekGrid() {
  const { t, lang } = useT();
  const zone = useUi((s) => s.timeZone);
  const { week, classes, load, open } = useClasses();
  const days = daysOf(week);
  return (
    <>
      <p className="muted" data-testid="week-range">
        {formatDate(`${days[0]}T12:00:00Z`, lang, 'UTC')} – {formatDate(`${days[6]}T12:00:00Z`, lang, 'UTC')}
      </p>
      <Loaded load={classes} onRetry={() => void load()}>
        {(list) => (
          <div className="week-grid" data-testid="week-grid">
            {days.map((day) => {
              const ofDay = list.filter((c) => DateTime.fromISO(c.startedAt, { zone }).toFormat('yyyy-MM-dd') === day);
              return (
                <section key={day} className="week-day card" aria-label={formatDate(`${day}T12:00:00Z`, lang, 'UTC')} data-day={day}>
                  <h2 className="week-day-head">{DateTime.fromISO(day).setLocale(lang).toFormat(lang === 'ko' ? 'M/d (ccc)' : 'ccc M/d')}</h2>
                  {ofDay.length === 0 ? (
                    <span className="muted">–</span>
                  ) : (
                    ofDay.map((c) => <ClassCard key={c.classSeq} c={c} onOpen={() => void open(c.classSeq)} />)
                  )}
                </section>
              );
            })}
          </div>
        )}
      </Loaded>
      {classes.state === 'ready' && classes.data.length === 0 && <Empty>{t('noClasses')}</Empty>}
    </>
  );
}

/** Today's classes in time order, each opening its bookings (where the desk marks attendance). */
function TodayList({ day }: { day: string }) {
  const { t, lang } = useT();
  const { classes, load, open } = useClasses();
  return (
    <section aria-labelledby="classes-today-title" data-testid="today-list" data-day={day}>
      <h2 id="classes-today-title" className="week-day-head">
        {t('todayClasses', { date: formatDate(`${day}T12:00:00Z`, lang, 'UTC') })}
      </h2>
      <Loaded load={classes} onRetry={() => void load()}>
        {(list) =>
          list.length === 0 ? (
            <Empty>{t('noClassesToday')}</Empty>
          ) : (
            <div className="today-list">
              {[...list]
                .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
                .map((c) => (
                  <ClassCard key={c.classSeq} c={c} onOpen={() => void open(c.classSeq)} />
                ))}
            </div>
          )
        }
      </Loaded>
    </section>
  );
}

function ClassCard({ c, onOpen }: { c: ClassView; onOpen: () => void }) {
  const { t } = useT();
  const zone = useUi((s) => s.timeZone);
  const full = c.booked >= c.capacity;
  const cancelled = Boolean(c.cancelledAt);
  return (
    <button
      type="button"
      className={`class-card${full && !cancelled ? ' class-full' : ''}${cancelled ? ' class-cancelled' : ''}`}
      onClick={onOpen}
      data-testid="class-card"
      data-class={c.classSeq}
      data-cancelled={cancelled}
    >
      <span className="mono">
        {hhmm(c.startedAt, zone)}–{hhmm(c.endedAt, zone)}
      </span>
      {/* a long title wraps within the day's column (at most three lines, the whole on hover) */}
      <strong className="class-card-title" title={c.title}>
        {c.title}
      </strong>
      {c.instructor && <span className="muted class-card-title">{c.instructor}</span>}
      {cancelled ? (
        <span className="badge badge-mute" data-testid="class-cancelled">
          {t('cancelled')}
        </span>
      ) : (
        <span className="pill" data-testid="class-count">
          {t('bookedOf', { booked: c.booked, capacity: c.capacity })}
          {c.waiting > 0 ? ` · ${t('waitingN', { n: c.waiting })}` : ''}
        </span>
      )}
    </button>
  );
}

/** 수업 만들기, or 수업 변경 of one class (`editing`): the same fields, but an edit has no weekly repeat. */
function ClassFormDialog({ onClose, editing }: { onClose: () => void; editing?: ClassView }) {
  const { t, pick, lang } = useT();
  const toast = useUi((s) => s.toast);
  const zone = useUi((s) => s.timeZone);
  const { week, createClasses, updateClass } = useClasses();
  const { packages, loadPackages } = useMembers();
  const local = (iso: string) => DateTime.fromISO(iso, { zone });
  const [title, setTitle] = useState(editing?.title ?? '');
  const [instructor, setInstructor] = useState(editing?.instructor ?? '');
  const [day, setDay] = useState(() => {
    if (editing) return local(editing.startedAt).toFormat('yyyy-MM-dd');
    const today = DateTime.now().setZone(zone).toFormat('yyyy-MM-dd');
    return daysOf(week).includes(today) ? today : week;
  });
  const [start, setStart] = useState(editing ? local(editing.startedAt).toFormat('HH:mm') : '19:00');
  const [end, setEnd] = useState(editing ? local(editing.endedAt).toFormat('HH:mm') : '20:00');
  const [capacity, setCapacity] = useState(String(editing?.capacity ?? 10));
  const [chosen, setChosen] = useState<number[]>(editing?.packageSeqs ?? []);
  const [weeks, setWeeks] = useState('1');
  const [problem, setProblem] = useState<{ field: string; text: string } | null>(null);
  const errorOf = (field: string) => (problem && (problem.field === field || problem.field.startsWith(`${field}.`)) ? problem.text : null);
  // the times typed in 24-hour form; an end earlier than the start is on the next day (23:30–00:30)
  const times = classTimes(day, start, end);
  const nextDay = 'nextDay' in times && times.nextDay ? times.endedAt : null;
  // the form's times are to the minute; a class made through the API may have seconds (10:00:30), so
  // an edit compares at the minute and sends a start or end only when the desk changed it: the
  // service compares exactly, and any save would otherwise count as a move and tell every member
  const minute = (iso: string) => local(iso).toFormat("yyyy-MM-dd'T'HH:mm");
  const startChanged = editing !== undefined && ('startedAt' in times ? times.startedAt : `${day}T${start}`) !== minute(editing.startedAt);
  const endChanged = editing !== undefined && ('endedAt' in times ? times.endedAt : `${day}T${end}`) !== minute(editing.endedAt);
  // a new time is told to every member booked or waiting: the desk sees how many before saving it
  const moved = startChanged || endChanged;

  useEffect(() => {
    void loadPackages();
  }, [loadPackages]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if ('problem' in times) {
      // a day that is not one (2026-02-30, 12/07/2026) or a time that is not a 24-hour time (25:00,
      // 7:00 PM) is said under its field; nothing is sent
      const text = times.problem === 'day' ? t('dayProblem') : t('time24Problem');
      setProblem({ field: times.problem === 'day' ? 'startedAt' : times.problem === 'start' ? 'startTime' : 'endedAt', text });
      toast('error', times.problem === 'day' ? both('dayProblem') : both('time24Problem'));
      return;
    }
    setProblem(null);
    const fields = {
      title,
      startedAt: times.startedAt,
      endedAt: times.endedAt,
      capacity: Number(capacity),
      packageSeqs: chosen,
    };
    const { startedAt, endedAt, ...kept } = fields;
    const outcome = editing
      ? await updateClass({
          classSeq: editing.classSeq,
          ...kept,
          ...(startChanged ? { startedAt } : {}),
          ...(endChanged ? { endedAt } : {}),
          instructor: instructor.trim() ? instructor : null,
        })
      : await createClasses({ ...fields, ...(instructor.trim() ? { instructor } : {}), repeatWeeks: Number(weeks) });
    if (!outcome.ok) {
      if (outcome.field) setProblem({ field: outcome.field, text: pick(outcome.error) });
      toast('error', outcome.error);
      return;
    }
    const told = Array.isArray(outcome.data) ? 0 : outcome.data.notified;
    toast('success', editing ? (told > 0 ? both('classUpdatedTold', { n: told }) : both('classUpdated')) : both('classCreated', { n: Array.isArray(outcome.data) ? outcome.data.length : 1 }));
    onClose();
  };

  return (
    <Dialog title={editing ? t('classEdit') : t('classNew')} onClose={onClose} testId="class-form" wide>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <div className="form-grid">
          <Field label={t('classTitle')} error={errorOf('title')}>
            <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={100} required data-autofocus="" data-testid="class-form-title" />
          </Field>
          <Field label={`${t('instructor')} (${t('optional')})`} error={errorOf('instructor')}>
            <input value={instructor} onChange={(e) => setInstructor(e.target.value)} maxLength={50} data-testid="class-form-instructor" />
          </Field>
          <Field label={t('classDay')} error={errorOf('startedAt')}>
            <DateInput value={day} onChange={setDay} asTyped required invalid={!!errorOf('startedAt')} testId="class-form-day" />
          </Field>
          <Field label={t('classStart')} hint={t('classTimeHint')} error={errorOf('startTime')}>
            <Time24Input value={start} onChange={setStart} required invalid={!!errorOf('startTime')} data-testid="class-form-start" />
          </Field>
          <Field label={t('classEnd')} hint={t('classEndHint')} error={errorOf('endedAt')}>
            <Time24Input value={end} onChange={setEnd} required invalid={!!errorOf('endedAt')} data-testid="class-form-end" />
          </Field>
          {nextDay && (
            <p className="field-hint class-form-next-day" role="status" data-testid="class-form-next-day">
              {t('classEndsNextDay', { date: formatDate(`${nextDay.slice(0, 10)}T12:00:00Z`, lang, 'UTC'), time: nextDay.slice(11, 16) })}
            </p>
          )}
          <Field label={t('capacity')} error={errorOf('capacity')} hint={editing && editing.booked > 0 ? t('capacityAtLeast', { n: editing.booked }) : undefined}>
            <input type="number" min={editing?.booked || 1} max={1000} value={capacity} onChange={(e) => setCapacity(e.target.value)} required data-testid="class-form-capacity" />
          </Field>
          {editing && moved && editing.booked + editing.waiting > 0 && (
            <p className="field-hint class-form-moved" role="status" data-testid="class-form-moved">
              {t('classMovedTells', { n: editing.booked + editing.waiting })}
            </p>
          )}
          {!editing && (
            <Field label={t('repeatWeeks')} error={errorOf('repeatWeeks')}>
              <input type="number" min={1} max={52} value={weeks} onChange={(e) => setWeeks(e.target.value)} required data-testid="class-form-weeks" />
            </Field>
          )}
        </div>
        <fieldset className="field" data-testid="class-form-packages">
          <legend className="field-label">{t('packagesAllowed')}</legend>
          {/* what is on sale, and a package off sale only where the class took it before */}
          {(packages.state === 'ready' ? packages.data : [])
            .filter((p) => p.retiredAt === null || editing?.packageSeqs.includes(p.packageSeq))
            .map((p) => (
              <label key={p.packageSeq} className="check">
                <input
                  type="checkbox"
                  checked={chosen.includes(p.packageSeq)}
                  onChange={(e) => setChosen((c) => (e.target.checked ? [...c, p.packageSeq] : c.filter((s) => s !== p.packageSeq)))}
                />
                {p.packageName}
                {p.retiredAt !== null && <span className="muted small"> ({t('packageOffSale')})</span>}
              </label>
            ))}
          {errorOf('packageSeqs') && <span className="field-error">{errorOf('packageSeqs')}</span>}
        </fieldset>
        <FormActions
          onCancel={onClose}
          submitLabel={editing ? t('save') : t('classNew')}
          disabled={title.trim() === '' || chosen.length === 0}
          why={[title.trim() === '' ? t('classNeedsTitle') : null, chosen.length === 0 ? t('classNeedsPackage') : null].filter(Boolean).join(' ')}
          testId="class-form-submit"
        />
      </form>
    </Dialog>
  );
}

function ClassDialog({ onClose }: { onClose: () => void }) {
  const { t, lang, pick } = useT();
  const zone = useUi((s) => s.timeZone);
  const toast = useUi((s) => s.toast);
  const { detail, classSeq, open, cancel, markAttended, markAllAttended, cancelClass, removeWaiting } = useClasses();
  const [attendError, setAttendError] = useState<Words | null>(null);
  const [marking, setMarking] = useState(false);
  const [editing, setEditing] = useState(false);
  const now = useNow();
  const attendHintId = useId();

  const attend = async <T,>(run: () => Promise<Outcome<T>>): Promise<Outcome<T>> => {
    setMarking(true);
    const outcome = await run();
    setMarking(false);
    setAttendError(outcome.ok ? null : outcome.error);
    return outcome;
  };
  const markAll = async () => {
    const before = detail.state === 'ready' ? detail.data.bookings.filter((b) => b.attended).length : 0;
    const outcome = await attend(markAllAttended);
    if (outcome.ok) {
      const after = outcome.data.bookings.filter((b) => b.attended).length;
      toast('success', both('attendAllDone', { n: after - before }));
      // "전원 출석" is disabled now that everyone is marked: the focus goes to the first member's mark
      focusSoon('[data-testid=class-dialog] .attend-toggle');
    }
  };

  const cancelOne = async (bookingSeq: number, name: string) => {
    if (detail.state !== 'ready') return;
    const ok = await confirmAction({
      title: t('cancelBooking'),
      body: cancelWords(name, detail.data),
      confirmLabel: t('cancelBooking'),
      danger: true,
    });
    if (!ok) return;
    const takenOffBefore = detail.state === 'ready' ? (detail.data.removedFromWaitlist ?? []).length : 0;
    const outcome = await cancel(bookingSeq);
    if (!outcome.ok) {
      toast('error', outcome.error);
      return;
    }
    toast('success', both(outcome.data.countedAsUse ? 'cancelledLate' : 'cancelledFree'));
    // the booking's cancel button is gone with it
    focusSoon(AFTER_CHANGE_IN_CLASS);
    const promoted = outcome.data.promoted;
    if (promoted) {
      // named as staff know them: the member's name from the class's bookings, their id only when it has none
      const name = outcome.data.detail?.bookings.find((b) => b.bookingSeq === promoted.bookingSeq)?.userName ?? promoted.userId;
      toast('success', both('promotedFromWaitlist', { name }));
    }
    // waiting members who could not take the place (booked elsewhere then, or their pass no longer pays)
    const takenOff = (outcome.data.detail?.removedFromWaitlist ?? []).length - takenOffBefore;
    if (takenOff > 0) toast('success', both('waitlistTakenOff', { n: takenOff }));
  };

  /**
   * What cancelling a booking does now, in words: free, or one use taken, by the class's start and
   * the booking policy the detail carries (the service decides the same way at the cancellation).
   * Only asked with the detail shown: a booking's cancel button is in it.
   */
  const cancelWords = (name: string, { class: c, waitlist, cancelPolicy }: ClassDetail): string => {
    const until = new Date(Date.parse(c.startedAt) - cancelPolicy.cutoffMinutes * 60_000).toISOString();
    const late = Date.now() > Date.parse(until);
    const key = !late ? 'cancelBookingConfirmFree' : cancelPolicy.lateCancelCountsAsUse ? 'cancelBookingConfirmLate' : 'cancelBookingConfirmLateFree';
    const body = t(key, { name, until: formatDateTime(until, lang, zone) });
    return waitlist.length > 0 ? `${body} ${t('cancelBookingWaitlistNote')}` : body;
  };

  /** One member off the waitlist, after a confirmation naming them. */
  const removeOne = async (waitlistSeq: number, name: string, userId: string) => {
    const ok = await confirmAction({
      title: t('waitlistRemoveTitle'),
      body: t('waitlistRemoveConfirm', { name, id: userId }),
      confirmLabel: t('waitlistRemove'),
      danger: true,
    });
    if (!ok) return;
    const outcome = await removeWaiting(waitlistSeq);
    if (!outcome.ok) {
      toast('error', outcome.error);
      return;
    }
    toast('success', both('waitlistRemoved', { name }));
    focusSoon(AFTER_CHANGE_IN_CLASS);
  };

  /** The whole class, after a confirmation naming how many members will be told. */
  const cancelWhole = async (title: string, booked: number, waiting: number) => {
    const ok = await confirmAction({
      title: t('classCancel'),
      body: t('classCancelConfirm', { title, booked, waiting, n: booked + waiting }),
      confirmLabel: t('classCancel'),
      danger: true,
    });
    if (!ok) return;
    const outcome = await cancelClass();
    if (!outcome.ok) {
      toast('error', outcome.error);
      return;
    }
    toast('success', both('classCancelledDone', { n: outcome.data.notified }));
    // a cancelled class takes no booking or change: Close is what is left
    focusSoon('[data-testid=class-dialog-close]');
  };

  return (
    <Dialog title={detail.state === 'ready' ? detail.data.class.title : t('navClasses')} onClose={onClose} testId="class-dialog" wide>
      <Loaded load={detail} onRetry={() => classSeq !== null && void open(classSeq)}>
        {/* removedFromWaitlist defaults to none for a detail without it (the screen tests' older fixtures) */}
        {({ class: c, bookings, waitlist, removedFromWaitlist = [] }) => {
          const holding = bookings.filter((b) => b.status !== 'CANCELLED');
          const attendedN = holding.filter((b) => b.attended).length;
          const cancelled = Boolean(c.cancelledAt);
          const ahead = Date.parse(c.startedAt) > now && !cancelled;
          const attendFrom = Date.parse(c.startedAt) - ATTEND_FROM_MS;
          const attendOpen = now >= attendFrom;
          return (
            <div className="modal-body class-detail" data-testid="class-detail" data-class={c.classSeq} data-cancelled={cancelled}>
              <p className="muted">
                {formatDate(c.startedAt, lang, zone)} {hhmm(c.startedAt, zone)}–{hhmm(c.endedAt, zone)}
                {c.instructor ? ` · ${c.instructor}` : ''} · {t('bookedOf', { booked: c.booked, capacity: c.capacity })}
              </p>
              {cancelled && (
                <p className="class-cancelled-note" role="status" data-testid="class-cancelled">
                  <span className="badge badge-mute">{t('cancelled')}</span> {t('classCancelledAt', { date: formatDate(c.cancelledAt!, lang, zone), time: hhmm(c.cancelledAt!, zone) })}
                </p>
              )}
              <div className="attend-head">
                <h3>{t('allBookings')}</h3>
                {holding.length > 0 && (
                  <>
                    <span className="pill" data-testid="attended-count">
                      {t('attendedCount', { n: attendedN, total: holding.length })}
                    </span>
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => {
                        if (!marking) void markAll();
                      }}
                      // busy is aria-disabled, not disabled: a disabled button loses the keyboard focus to the page
                      disabled={!attendOpen || attendedN === holding.length}
                      aria-disabled={marking || undefined}
                      aria-describedby={attendOpen ? undefined : attendHintId}
                      data-testid="attend-all"
                    >
                      {t('attendAll')}
                    </button>
                  </>
                )}
              </div>
              {holding.length > 0 &&
                (attendOpen ? (
                  <p className="muted attend-hint">{t('attendHint')}</p>
                ) : (
                  <p className="muted attend-hint" id={attendHintId} data-testid="attend-not-yet">
                    {t('attendOpensAt', { date: formatDate(new Date(attendFrom).toISOString(), lang, zone), time: hhmm(new Date(attendFrom).toISOString(), zone) })}
                  </p>
                ))}
              {attendError && (
                <p className="field-error" role="alert" data-testid="attend-error">
                  {pick(attendError)}
                </p>
              )}
              {bookings.length === 0 ? (
                <Empty>{t('noBookings')}</Empty>
              ) : (
                <ul className="class-bookings">
                  {bookings.map((b) => (
                    <li key={b.bookingSeq} data-testid="class-booking" data-user={b.userId} data-status={b.status} data-attended={b.attended}>
                      <span>
                        <strong>{b.userName ?? b.userId}</strong> <span className="muted mono">{b.userId}</span>{' '}
                        {b.status === 'CANCELLED' ? <span className="pill">{t('cancelled')}{b.usedPass ? ` · ${t('usedPass')}` : ''}</span> : null}
                        {b.attended && b.attendedAt && (
                          <span className="badge badge-ok" data-testid="attended-at">
                            {t('attendedAt', { time: hhmm(b.attendedAt, zone) })}
                          </span>
                        )}
                      </span>
                      <span className="class-booking-actions">
                        {b.status !== 'CANCELLED' && (
                          <button
                            type="button"
                            className={`btn btn-small attend-toggle${b.attended ? ' attend-on' : ''}`}
                            aria-pressed={b.attended}
                            aria-label={t('attendToggle', { name: b.userName ?? b.userId })}
                            onClick={() => {
                              if (!marking) void attend(() => markAttended(b.bookingSeq, !b.attended));
                            }}
                            // while the mark is saved the button keeps the focus (aria-disabled, not disabled)
                            disabled={!attendOpen}
                            aria-disabled={marking || undefined}
                            aria-describedby={attendOpen ? undefined : attendHintId}
                            data-testid={`attend-${b.bookingSeq}`}
                          >
                            {b.attended ? '✓ ' : ''}
                            {t('attended')}
                          </button>
                        )}
                        {b.status === 'READY' && ahead && (
                          <button type="button" className="btn btn-small btn-danger-outline" onClick={() => void cancelOne(b.bookingSeq, b.userName ?? b.userId)} data-testid="booking-cancel">
                            {t('cancelBooking')}
                          </button>
                        )}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              <h3>{t('waitlist')}</h3>
              {waitlist.length === 0 ? (
                // a cancelled class's waitlist was emptied on purpose, not left empty
                cancelled ? (
                  <div className="state state-empty" data-testid="waitlist-cleared">
                    {t('waitlistClearedByCancel')}
                  </div>
                ) : (
                  <Empty>{t('noWaitlist')}</Empty>
                )
              ) : (
                <ol data-testid="class-waitlist">
                  {waitlist.map((w) => (
                    <li key={w.waitlistSeq} data-user={w.userId} className="class-waitlist-entry">
                      <span>
                        {w.userName ?? w.userId} <span className="muted mono">{w.userId}</span>
                      </span>
                      {ahead && (
                        <button
                          type="button"
                          className="btn btn-small btn-danger-outline"
                          onClick={() => void removeOne(w.waitlistSeq, w.userName ?? w.userId, w.userId)}
                          aria-label={t('waitlistRemoveOne', { name: w.userName ?? w.userId })}
                          data-testid="waitlist-remove"
                        >
                          {t('waitlistRemove')}
                        </button>
                      )}
                    </li>
                  ))}
                </ol>
              )}
              {removedFromWaitlist.length > 0 && (
                <>
                  <h4 className="class-waitlist-removed-head">{t('removedFromWaitlist')}</h4>
                  <ul className="class-waitlist-removed" data-testid="waitlist-removed">
                    {removedFromWaitlist.map((r) => (
                      <li key={`${r.userId}-${r.removedAt}`} data-user={r.userId} data-reason={r.reason}>
                        <strong>{r.userName ?? r.userId}</strong> <span className="muted mono">{r.userId}</span>{' '}
                        <span className="muted small">
                          {formatDate(r.removedAt, lang, zone)} {hhmm(r.removedAt, zone)}
                        </span>
                        <div className="small" data-testid="waitlist-removed-why">
                          {pick(r.why)}
                          {/* told through the outbox when the service took them off or they were deactivated; not at the desk */}
                          {r.told && <span className="badge badge-mute">{t('removedMemberTold')}</span>}
                        </div>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {ahead && <BookForm classPackages={c.packageSeqs} />}
              <div className="modal-actions">
                {ahead && (
                  <>
                    <button type="button" className="btn" onClick={() => setEditing(true)} data-testid="class-edit">
                      {t('classEdit')}
                    </button>
                    <button type="button" className="btn btn-danger-outline" onClick={() => void cancelWhole(c.title, holding.length, waitlist.length)} data-testid="class-cancel">
                      {t('classCancel')}
                    </button>
                  </>
                )}
                <button type="button" className="btn" onClick={onClose} data-testid="class-dialog-close">
                  {t('close')}
                </button>
              </div>
              {editing && <ClassFormDialog editing={c} onClose={() => setEditing(false)} />}
            </div>
          );
        }}
      </Loaded>
    </Dialog>
  );
}

/** Find a member (name, phone, last four digits), pick one of their live passes, book. */
function BookForm({ classPackages }: { classPackages: number[] }) {
  const { t } = useT();
  const toast = useUi((s) => s.toast);
  const book = useClasses((s) => s.book);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<MemberSummary[] | null>(null);
  const [member, setMember] = useState<MemberSummary | null>(null);
  const [passes, setPasses] = useState<PassView[]>([]);
  const [passSeq, setPassSeq] = useState('');

  const search = async () => {
    if (!query.trim()) return;
    try {
      setFound((await bridge().call('members.search', { query: query.trim(), limit: 10 })).members);
    } catch (error) {
      toast('error', messageOf(error));
    }
  };
  const choose = async (m: MemberSummary) => {
    setMember(m);
    setFound(null);
    try {
      const live = (await bridge().call('members.passes', { userId: m.userId })).passes.filter((p) => p.status !== 'EXPIRED' && p.status !== 'CANCELLED');
      setPasses(live);
      const fits = live.filter((p) => classPackages.includes(p.packageSeq));
      setPassSeq(fits.length ? String(fits[0]!.passSeq) : '');
    } catch (error) {
      toast('error', messageOf(error));
    }
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!member || !passSeq) return;
    const outcome = await book({ userId: member.userId, passSeq: Number(passSeq) });
    if (!outcome.ok) {
      toast('error', outcome.error);
      return;
    }
    toast('success', outcome.data.outcome === 'BOOKED' ? both('bookedIn', { name: member.userName }) : both('waitlistedAt', { name: member.userName, n: outcome.data.waitlistPosition ?? 0 }));
    setMember(null);
    setPasses([]);
    setQuery('');
    focusSoon('[data-testid=book-query]');
  };

  return (
    <section className="card inset" aria-label={t('bookMember')} data-testid="book-form">
      <h3>{t('bookMember')}</h3>
      <div className="search-bar">
        <input
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void search();
            }
          }}
          placeholder={t('memberSearch')}
          aria-label={t('memberSearch')}
          data-testid="book-query"
        />
        <button type="button" className="btn" onClick={() => void search()} data-testid="book-search">
          {t('search')}
        </button>
      </div>
      {found && (found.length === 0 ? <Empty>{t('noMembers')}</Empty> : (
        <ul className="pick-list">
          {found.map((m) => (
            <li key={m.userId}>
              <button type="button" onClick={() => void choose(m)} data-testid="book-member" data-user={m.userId}>
                <strong>{m.userName}</strong> <span className="muted mono">{m.userId}</span> <span className="muted">{formatPhone(m.phone)}</span>
              </button>
            </li>
          ))}
        </ul>
      ))}
      {member && (
        <form className="search-bar" onSubmit={(e) => void submit(e)}>
          <span>
            <strong>{member.userName}</strong> <span className="muted mono">{member.userId}</span>
          </span>
          <select value={passSeq} onChange={(e) => setPassSeq(e.target.value)} aria-label={t('pickPass')} data-testid="book-pass" required>
            <option value="">{t('pickPass')}</option>
            {passes.map((p) => (
              <option key={p.passSeq} value={p.passSeq}>
                {p.packageName}
                {p.remainingCount !== null ? ` · ${t('countUnit', { n: p.remainingCount })}` : ''}
                {classPackages.includes(p.packageSeq) ? '' : ` (${t('notForClass')})`}
              </option>
            ))}
          </select>
          <button type="submit" className="btn btn-primary" disabled={!passSeq} data-testid="book-submit">
            {t('bookSubmit')}
          </button>
        </form>
      )}
    </section>
  );
}
