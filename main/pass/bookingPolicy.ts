// The booking policy a gym sets on the Settings screen (issue 18, slice 3): until how many minutes
// before a class a booking is cancelled free, and whether a later (late) cancellation takes one
// use of its pass, as a class attended would; and (slice 4) whether a booking whose member did
// not come (a no-show) takes a use when its class ends, as the seed deducts every completed
// booking, or only attended classes do. Kept as the 'bookingPolicy' setting
// (db/migrations/005_settings.ts); read at every cancellation, so a change applies at once.
import type { Kysely } from 'kysely';

export interface BookingPolicy {
  /** a cancellation this many minutes or more before the class is free (default 180: 3 hours) */
  cancelCutoffMinutes: number;
  /** a later cancellation takes one use of its pass (default true) */
  lateCancelCountsAsUse: boolean;
  /** a booking not marked attended takes a use of its pass all the same when its class ends (default true, as the seed) */
  deductNoShows: boolean;
}

export const DEFAULT_BOOKING_POLICY: BookingPolicy = { cancelCutoffMinutes: 180, lateCancelCountsAsUse: true, deductNoShows: true };

export const BOOKING_POLICY_KEY = 'bookingPolicy';

/** The saved policy, each part that is missing or not sensible taken from the default. */
export async function bookingPolicy(db: Kysely<any>): Promise<BookingPolicy> {
  const row = (await db.selectFrom('settings').select('value').where('setting_key', '=', BOOKING_POLICY_KEY).executeTakeFirst()) as { value: string } | undefined;
  let saved: Partial<BookingPolicy> = {};
  try {
    saved = row ? (JSON.parse(row.value) as Partial<BookingPolicy>) : {};
  } catch {
    saved = {};
  }
  return completePolicy(saved);
}

/** A saved policy with each part that is missing (saved before the part existed) or not sensible taken from the default. */
export function completePolicy(saved: Partial<BookingPolicy> | null | undefined): BookingPolicy {
  if (!saved || typeof saved !== 'object') return DEFAULT_BOOKING_POLICY;
  const minutes = saved.cancelCutoffMinutes;
  return {
    cancelCutoffMinutes: Number.isInteger(minutes) && minutes! >= 0 && minutes! <= 10_080 ? minutes! : DEFAULT_BOOKING_POLICY.cancelCutoffMinutes,
    lateCancelCountsAsUse: typeof saved.lateCancelCountsAsUse === 'boolean' ? saved.lateCancelCountsAsUse : DEFAULT_BOOKING_POLICY.lateCancelCountsAsUse,
    deductNoShows: typeof saved.deductNoShows === 'boolean' ? saved.deductNoShows : DEFAULT_BOOKING_POLICY.deductNoShows,
  };
}
