// When to start a class a test books now and checks in at the kiosk soon: bookings are taken only
// before a class starts (the service reads the real clock), attendance opens an hour before it,
// and the kiosk lists today's classes only, today in the gym's time zone. So the start is a little
// ahead of now and still today there; late in a day the test waits for the next.
import { DateTime } from 'luxon';

const MINUTE = 60_000;

export interface ClassTodayOptions {
  /** how far ahead of now the class starts, at most (default 30 minutes) */
  aheadMs?: number;
  /** the least time left before the start, for the test to book it and check in today (default 5 minutes) */
  roomMs?: number;
  /** the gym's time zone (default Asia/Seoul, as the harness and the browser tests run) */
  timeZone?: string;
  /** how long the class lasts when it must end today too (a class made on the Classes screen has one day); default 0 */
  lengthMs?: number;
}

/**
 * A class start on a whole minute, `aheadMs` from now or, late in the day, the last one that
 * still ends today (`lengthMs`) a minute before midnight; never less than `roomMs` ahead. When
 * the day has no such room left, it waits for the new day (longestWaitForToday at most).
 */
export async function classStartToday(options: ClassTodayOptions = {}): Promise<Date> {
  const { aheadMs = 30 * MINUTE, roomMs = 5 * MINUTE, timeZone = 'Asia/Seoul', lengthMs = 0 } = options;
  for (;;) {
    const now = DateTime.now().setZone(timeZone);
    const lastStart = now.endOf('day').minus({ minutes: 1, milliseconds: lengthMs }).startOf('minute');
    const wanted = now.plus({ milliseconds: aheadMs }).startOf('minute').plus({ minutes: 1 });
    const start = wanted < lastStart ? wanted : lastStart;
    if (start.toMillis() - now.toMillis() >= roomMs) return start.toJSDate();
    await new Promise((resolve) => setTimeout(resolve, Math.min(MINUTE, now.endOf('day').toMillis() - now.toMillis() + 1_000)));
  }
}

/** The longest classStartToday can wait for the new day with these options: a test's or hook's timeout adds it. */
export function longestWaitForToday(options: Pick<ClassTodayOptions, 'roomMs' | 'lengthMs'> = {}): number {
  return (options.roomMs ?? 5 * MINUTE) + (options.lengthMs ?? 0) + 2 * MINUTE;
}
