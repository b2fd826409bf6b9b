// 수업 예약: the week on the calendar (Monday to Sunday in the gym's time zone) or today's classes,
// the open class with its bookings and waitlist, and the desk's changes: schedule classes, book a
// member, cancel, mark attendance (one member, or the whole class), edit or cancel the open class.
import { DateTime } from 'luxon';
import { create } from 'zustand';
import type { BookingOutcome, CancelOutcome, ClassCancelled, ClassDetail, ClassUpdated, ClassView, InputOf } from '../../../main/service/contract.ts';
import { BridgeError } from '../bridge/Bridge.ts';
import { bridge } from '../bridge/index.ts';
import type { Words } from '../i18n/words.ts';
import { idle, load, messageOf, type Load } from './errors.ts';
import { useUi } from './ui.ts';

export type Outcome<T> = { ok: true; data: T } | { ok: false; error: Words; field: string | null };

interface ClassesState {
  /** the Monday (yyyy-MM-dd, the gym's) of the week shown */
  week: string;
  /** today (yyyy-MM-dd, the gym's) when today's classes are shown instead of the week */
  day: string | null;
  classes: Load<ClassView[]>;
  classSeq: number | null;
  detail: Load<ClassDetail>;
  /** show the week `offset` weeks from the one shown (0: this week) */
  moveWeek(offset: number | 'today'): Promise<void>;
  /** show today's classes (the desk's attendance) */
  showToday(): Promise<void>;
  load(): Promise<void>;
  open(classSeq: number | null): Promise<void>;
  createClasses(input: InputOf<'classes.create'>): Promise<Outcome<ClassView[]>>;
  /** changes the open class (before it starts); a new time is told to the members booked or waiting */
  updateClass(input: InputOf<'classes.update'>): Promise<Outcome<ClassUpdated>>;
  /** cancels the open class: its bookings free, its waitlist emptied, each member told */
  cancelClass(): Promise<Outcome<ClassCancelled>>;
  book(input: Omit<InputOf<'bookings.create'>, 'classSeq'>): Promise<Outcome<BookingOutcome>>;
  cancel(bookingSeq: number): Promise<Outcome<CancelOutcome>>;
  /** marks one booking of the open class attended, or takes the mark back */
  markAttended(bookingSeq: number, attended: boolean): Promise<Outcome<ClassDetail>>;
  /** marks every booking of the open class attended */
  markAllAttended(): Promise<Outcome<ClassDetail>>;
  /** takes one member off the open class's waitlist (no one moves in, no one is told) */
  removeWaiting(waitlistSeq: number): Promise<Outcome<ClassDetail>>;
}

/** The Monday of the week `at` falls in, in `zone`. */
export function mondayOf(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).startOf('week').toFormat('yyyy-MM-dd');
}

/** The seven days of the week starting `monday`, each as yyyy-MM-dd. */
export function daysOf(monday: string): string[] {
  const start = DateTime.fromISO(monday);
  return Array.from({ length: 7 }, (_, i) => start.plus({ days: i }).toFormat('yyyy-MM-dd'));
}

const zone = () => useUi.getState().timeZone;

async function attempt<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, data: await run() };
  } catch (error) {
    return { ok: false, error: messageOf(error), field: error instanceof BridgeError ? (error.field ?? null) : null };
  }
}

export const useClasses = create<ClassesState>((set, get) => ({
  week: mondayOf(new Date(), zone()),
  day: null,
  classes: idle,
  classSeq: null,
  detail: idle,
  async moveWeek(offset) {
    const week = offset === 'today' ? mondayOf(new Date(), zone()) : DateTime.fromISO(get().week).plus({ weeks: offset }).toFormat('yyyy-MM-dd');
    set({ week, day: null, classes: idle });
    await get().load();
  },
  async showToday() {
    const now = new Date();
    set({ week: mondayOf(now, zone()), day: DateTime.fromJSDate(now, { zone: zone() }).toFormat('yyyy-MM-dd'), classes: idle });
    await get().load();
  },
  async load() {
    const { week, day } = get();
    const from = day ?? week;
    const to = DateTime.fromISO(from).plus(day ? { days: 1 } : { weeks: 1 }).toFormat('yyyy-MM-dd');
    // local dates: the service reads them in the gym's time zone
    await load(
      (classes) => {
        if (get().week === week && get().day === day) set({ classes });
      },
      get().classes,
      () => bridge().call('classes.list', { from, to }),
    );
  },
  async open(classSeq) {
    set({ classSeq, detail: classSeq === get().classSeq ? get().detail : idle });
    if (classSeq === null) return;
    await load(
      (detail) => {
        if (get().classSeq === classSeq) set({ detail });
      },
      get().detail,
      () => bridge().call('classes.get', { classSeq }),
    );
  },
  async createClasses(input) {
    const outcome = await attempt(() => bridge().call('classes.create', input));
    if (outcome.ok) void get().load();
    return outcome;
  },
  async updateClass(input) {
    const outcome = await attempt(() => bridge().call('classes.update', input));
    if (outcome.ok) {
      if (get().classSeq === outcome.data.class.classSeq) set({ detail: { state: 'ready', data: outcome.data } });
      void get().load();
    }
    return outcome;
  },
  async cancelClass() {
    const classSeq = get().classSeq;
    if (classSeq === null) return { ok: false, error: { ko: '수업을 고르세요.', en: 'Pick a class.' }, field: null };
    const outcome = await attempt(() => bridge().call('classes.cancel', { classSeq }));
    if (outcome.ok) {
      if (get().classSeq === classSeq) set({ detail: { state: 'ready', data: outcome.data.detail } });
      void get().load();
    }
    return outcome;
  },
  async book(input) {
    const classSeq = get().classSeq;
    if (classSeq === null) return { ok: false, error: { ko: '수업을 고르세요.', en: 'Pick a class.' }, field: null };
    const outcome = await attempt(() => bridge().call('bookings.create', { classSeq, ...input }));
    if (outcome.ok) {
      set({ detail: { state: 'ready', data: outcome.data.detail } });
      void get().load();
    }
    return outcome;
  },
  async markAttended(bookingSeq, attended) {
    const outcome = await attempt(() => bridge().call('bookings.markAttended', { bookingSeq, attended }));
    if (outcome.ok && get().classSeq === outcome.data.class.classSeq) set({ detail: { state: 'ready', data: outcome.data } });
    return outcome;
  },
  async markAllAttended() {
    const classSeq = get().classSeq;
    if (classSeq === null) return { ok: false, error: { ko: '수업을 고르세요.', en: 'Pick a class.' }, field: null };
    const outcome = await attempt(() => bridge().call('classes.markAllAttended', { classSeq }));
    if (outcome.ok && get().classSeq === classSeq) set({ detail: { state: 'ready', data: outcome.data } });
    return outcome;
  },
  async cancel(bookingSeq) {
    const outcome = await attempt(() => bridge().call('bookings.cancel', { bookingSeq }));
    if (outcome.ok && outcome.data.detail) {
      set({ detail: { state: 'ready', data: outcome.data.detail } });
      void get().load();
    }
    return outcome;
  },
  async removeWaiting(waitlistSeq) {
    const classSeq = get().classSeq;
    if (classSeq === null) return { ok: false, error: { ko: '수업을 고르세요.', en: 'Pick a class.' }, field: null };
    const outcome = await attempt(() => bridge().call('waitlist.remove', { classSeq, waitlistSeq }));
    if (outcome.ok) {
      if (get().classSeq === classSeq) set({ detail: { state: 'ready', data: outcome.data } });
      void get().load();
    }
    return outcome;
  },
}));
