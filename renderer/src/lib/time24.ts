// Times as a Korean gym reads them: typed in 24-hour form (14:30, 9:30 read as 09:30), never with
// AM or PM, and days as 2026-12-01 (YYYY-MM-DD) whatever the browser's locale. The forms that take
// a time or a day (a job's run form, a bulk grant, a class, a pass's start, the date filters) read
// what was typed here, so each says the same about a time or a day that is not one.
import { DateTime } from 'luxon';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `text` is a day of the calendar in the form 2026-12-01 (2026-02-30 and 12/01/2026 are not). */
export function isDay(text: string): boolean {
  if (!DAY.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * What is wrong with a range of days typed as 2026-12-01, each one or '' for none: `badDate` (one
 * is not a day), `reversed` (the last before the first), or null when it can be asked for.
 */
export function dayRangeProblem(from: string, to: string): 'badDate' | 'reversed' | null {
  if ((from !== '' && !isDay(from)) || (to !== '' && !isDay(to))) return 'badDate';
  return from !== '' && to !== '' && to < from ? 'reversed' : null;
}

const TIME_OF_DAY = /^(\d{1,2}):(\d{2})$/;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/;

/** A typed time of day as HH:mm (9:30 is 09:30), or null when it is not one from 00:00 to 23:59 (24:00, 6:30 PM, 1830). */
export function timeOfDay(text: string): string | null {
  const m = TIME_OF_DAY.exec(text.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return `${m[1]!.padStart(2, '0')}:${m[2]}`;
}

/**
 * A date and time as an <input type="datetime-local"> spells it (2026-12-01T14:30, seconds
 * allowed), with a time typed as 9:30 read as 09:30; a date alone (2026-12-01) is kept as it is,
 * the start of that day. Null when it is not one (a time of 24:00 or more, 6:30 PM, no date, a
 * day not of the calendar: 2026-02-30).
 */
export function localDateTime(text: string): string | null {
  const typed = text.trim().replace(/T(\d):/, 'T0$1:');
  if (!LOCAL_DATE_TIME.test(typed) || !isDay(typed.slice(0, 10))) return null;
  const m = /T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(typed);
  if (m && (Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59)) return null;
  return typed;
}

/**
 * A class's start and end from its day and two typed times. An end earlier than the start is on
 * the next day (23:30 to 00:30 ends at 00:30 the day after), and `nextDay` says so; an end equal
 * to the start is left on the same day, for the service to refuse as not after the start. So a
 * class lasts less than 24 hours here, as the service requires of every class (classes.ts,
 * refuseDayLong): every class it takes reads back in this form as itself. Else the field to fix:
 * `day` (no date, or not one: 2026-02-30), `start` or `end` (not a 24-hour time).
 */
export function classTimes(day: string, start: string, end: string): { startedAt: string; endedAt: string; nextDay: boolean } | { problem: 'day' | 'start' | 'end' } {
  if (!isDay(day.trim())) return { problem: 'day' };
  const date = DateTime.fromISO(day.trim());
  const from = timeOfDay(start);
  if (from === null) return { problem: 'start' };
  const to = timeOfDay(end);
  if (to === null) return { problem: 'end' };
  const nextDay = to < from;
  const endDay = nextDay ? date.plus({ days: 1 }).toFormat('yyyy-MM-dd') : day.trim();
  return { startedAt: `${day.trim()}T${from}`, endedAt: `${endDay}T${to}`, nextDay };
}
