// Times as a Korean gym reads them: typed in 24-hour form (14:30, 9:30 read as 09:30), never with
// AM or PM. The forms that take a time (a job's run form, a bulk grant, a class) read what was
// typed here, so each says the same about a time that is not one.
import { DateTime } from 'luxon';

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
 * the start of that day. Null when it is not one (a time of 24:00 or more, 6:30 PM, no date).
 */
export function localDateTime(text: string): string | null {
  const typed = text.trim().replace(/T(\d):/, 'T0$1:');
  if (!LOCAL_DATE_TIME.test(typed)) return null;
  const m = /T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(typed);
  if (m && (Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59)) return null;
  return typed;
}

/**
 * A class's start and end from its day and two typed times. An end earlier than the start is on
 * the next day (23:30 to 00:30 ends at 00:30 the day after), and `nextDay` says so; an end equal
 * to the start is left on the same day, for the service to refuse as not after the start. Else
 * the field to fix: `day` (no date), `start` or `end` (not a 24-hour time).
 */
export function classTimes(day: string, start: string, end: string): { startedAt: string; endedAt: string; nextDay: boolean } | { problem: 'day' | 'start' | 'end' } {
  const date = DateTime.fromISO(day.trim());
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day.trim()) || !date.isValid) return { problem: 'day' };
  const from = timeOfDay(start);
  if (from === null) return { problem: 'start' };
  const to = timeOfDay(end);
  if (to === null) return { problem: 'end' };
  const nextDay = to < from;
  const endDay = nextDay ? date.plus({ days: 1 }).toFormat('yyyy-MM-dd') : day.trim();
  return { startedAt: `${day.trim()}T${from}`, endedAt: `${endDay}T${to}`, nextDay };
}
