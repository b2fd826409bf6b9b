// 출석 키오스크: a member types the last four digits of their phone, picks their masked name, sees
// their passes and today's bookings and checks in. The store holds one member at a time and only
// while they use the screen: start over (the button, the screen's idle timer, the end of a
// check-in) forgets the digits, the names found and the member. The store keeps the screen's one
// timer: back to the start KIOSK_DONE_MS after a check-in, and KIOSK_IDLE_MS after the last touch
// (touch(), which the screen calls on every tap and key) at any other step but the empty digits.
// Every call carries the digits
// again (the service answers only for a member those digits find), and an answer that arrives
// after the screen started over is dropped, so it can't bring a member back.
import { create } from 'zustand';
import type { KioskMatch, KioskMember } from '../../../main/service/contract.ts';
import { bridge } from '../bridge/index.ts';
import type { Words } from '../i18n/words.ts';
import { codeOf, messageOf } from './errors.ts';
import { useSession } from './session.ts';

/** Back to the digits after this long without a touch (any step but the digits themselves). */
export const KIOSK_IDLE_MS = 60_000;
/** How long the check-in confirmation stays before the screen starts over by itself. */
export const KIOSK_DONE_MS = 10_000;

export type KioskStep = 'digits' | 'names' | 'member' | 'done';

export interface KioskState {
  step: KioskStep;
  /** what the member has typed: 0–4 digits */
  digits: string;
  /** the names the digits found (step 'names'; empty: nobody) */
  matches: KioskMatch[];
  /** the member who picked their name (step 'member') */
  member: KioskMember | null;
  /** the confirmation (step 'done'): the masked name and the class, nothing else of the member */
  checkedIn: { maskedName: string; classTitle: string } | null;
  busy: boolean;
  /** the service's refusal, in both languages (the screen shows the one in use) */
  error: Words | null;
  /** a key of the keypad: a digit, or 'back' */
  press(key: string): void;
  /** the field as typed: only its digits are kept, four at most */
  setDigits(text: string): void;
  find(): Promise<void>;
  pick(member: string): Promise<void>;
  checkIn(bookingSeq: number): Promise<void>;
  /** forgets everything of the member and shows the digits again */
  startOver(): void;
  /** someone is using the screen: the idle timer starts again (the confirmation's does not) */
  touch(): void;
}

const START = { step: 'digits', digits: '', matches: [], member: null, checkedIn: null, busy: false, error: null } as const satisfies Partial<KioskState>;

/** Bumped by startOver: an answer to an older request is not shown. */
let generation = 0;
/** The screen's timer back to the start (none while the empty digits are shown). */
let timer: ReturnType<typeof setTimeout> | null = null;

/** (Re)starts the timer for what is on screen now: none for the empty digits. */
function restartTimer(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  const { step, digits, error } = useKiosk.getState();
  if (step === 'digits' && digits === '' && error === null) return;
  timer = setTimeout(
    () => {
      timer = null;
      useKiosk.getState().startOver();
    },
    step === 'done' ? KIOSK_DONE_MS : KIOSK_IDLE_MS,
  );
}

export const useKiosk = create<KioskState>((set, get) => {
  /** Runs a call for the current member; its answer is applied only if the screen has not started over meanwhile. */
  async function ask<T>(run: () => Promise<T>, apply: (value: T) => void): Promise<boolean> {
    const mine = ++generation;
    set({ busy: true, error: null });
    try {
      const value = await run();
      if (mine === generation) apply(value);
      return mine === generation;
    } catch (error) {
      if (mine !== generation) return false;
      // the kiosk's session ended (signed out elsewhere, the account disabled): back to the sign-in
      if (codeOf(error) === 'UNAUTHENTICATED') {
        get().startOver();
        useSession.getState().expired();
        return false;
      }
      set({ busy: false, error: messageOf(error) });
      return false;
    }
  }

  return {
    ...START,
    press(key) {
      const { step, digits } = get();
      if (step !== 'digits') return;
      if (key === 'back') set({ digits: digits.slice(0, -1), error: null });
      else if (/^\d$/.test(key) && digits.length < 4) set({ digits: digits + key, error: null });
    },
    setDigits(text) {
      if (get().step !== 'digits') return;
      set({ digits: text.replace(/\D/g, '').slice(0, 4), error: null });
    },
    async find() {
      const { digits, step, busy } = get();
      if (step !== 'digits' || digits.length !== 4 || busy) return;
      await ask(
        () => bridge().call('kiosk.find', { phoneLast4: digits }),
        (matches) => set({ step: 'names', matches, busy: false }),
      );
    },
    async pick(member) {
      const { digits, busy } = get();
      if (busy) return;
      await ask(
        () => bridge().call('kiosk.member', { phoneLast4: digits, member }),
        (shown) => set({ step: 'member', member: shown, matches: [], busy: false }),
      );
    },
    async checkIn(bookingSeq) {
      const { digits, member, busy } = get();
      if (!member || busy) return;
      const done = await ask(
        () => bridge().call('kiosk.checkIn', { phoneLast4: digits, member: member.member, bookingSeq }),
        // Checked in: the member's passes, bookings, handle and digits are forgotten at once; only the confirmation stays.
        (answer) => set({ ...START, step: 'done', checkedIn: { maskedName: answer.member.maskedName, classTitle: answer.classTitle } }),
      );
      if (done || get().step !== 'member' || get().member !== member) return;
      // Refused (checked in meanwhile, the class over): the bookings as they are now, the refusal still shown.
      const mine = generation;
      try {
        const now = await bridge().call('kiosk.member', { phoneLast4: digits, member: member.member });
        if (mine === generation && get().member === member) set({ member: now });
      } catch {
        // the refusal on screen says enough
      }
    },
    startOver() {
      generation++;
      set({ ...START });
    },
    touch() {
      if (get().step !== 'done') restartTimer();
    },
  };
});

// Whatever changes on screen starts its timer again (a new step, a digit, a refusal).
useKiosk.subscribe((now, before) => {
  if (now.step !== before.step || now.digits !== before.digits || now.error !== before.error) restartTimer();
});
