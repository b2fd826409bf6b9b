// Cron expressions: checked and evaluated by croner in a schedule's own time zone, and put
// into words for the console. Five fields (minute hour day month weekday), or six with
// seconds first; the nicknames (@daily, ...) are stored as the five fields they stand for.
import { Cron } from 'croner';
import { IANAZone } from 'luxon';

export class CronError extends Error {
  override name = 'CronError';
}

const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** The expression as it is stored: trimmed, single spaces, nicknames spelled out. */
export function normalizeCron(cron: string): string {
  const text = String(cron ?? '').trim().replace(/\s+/g, ' ');
  return NICKNAMES[text.toLowerCase()] ?? text;
}

export function isValidTimeZone(timeZone: string): boolean {
  return typeof timeZone === 'string' && timeZone.length > 0 && IANAZone.isValidZone(timeZone);
}

/**
 * Checks a cron expression and time zone; returns the normalized expression or throws a
 * CronError a person can act on. An expression that never fires (30 February) is refused too.
 */
export function validateCron(cron: string, timeZone: string): string {
  const text = normalizeCron(cron);
  if (!isValidTimeZone(timeZone)) throw new CronError(`"${timeZone}" is not a time zone name; use one like Asia/Seoul or UTC`);
  const fields = text.split(' ');
  if (text === '' || (fields.length !== 5 && fields.length !== 6)) {
    throw new CronError(
      `"${cron}" is not a cron expression: it needs 5 fields (minute hour day month weekday, e.g. "5 0 * * *" for daily at 00:05), or 6 with seconds first`,
    );
  }
  let next: Date | null;
  try {
    next = new Cron(text, { timezone: timeZone }).nextRun();
  } catch (error) {
    const reason = String((error as Error).message ?? error).replace(/^CronPattern:\s*/, '');
    throw new CronError(`"${cron}" is not a valid cron expression: ${reason}`);
  }
  if (!next) throw new CronError(`"${cron}" never fires (no date matches it)`);
  return text;
}

function cronOf(cron: string, timeZone: string): Cron {
  return new Cron(cron, { timezone: timeZone });
}

/** Fire times t with after < t <= until, oldest first. */
function* fireTimes(cron: string, timeZone: string, after: Date, until: Date): Generator<Date> {
  const schedule = cronOf(cron, timeZone);
  for (let cursor = schedule.nextRun(after); cursor && cursor.getTime() <= until.getTime(); cursor = schedule.nextRun(cursor)) yield cursor;
}

/** Fire times t with after < t <= until, oldest first, at most `limit`. */
export function firesBetween(cron: string, timeZone: string, after: Date, until: Date, limit = 1000): Date[] {
  const fires: Date[] = [];
  if (limit <= 0) return fires;
  for (const fire of fireTimes(cron, timeZone, after, until)) {
    if (fires.push(fire) >= limit) break;
  }
  return fires;
}

/** Fires counted between two turns of the event loop in countFires. */
const FIRES_PER_TURN = 25;

/**
 * How many fire times t with after < t <= until, counting at most `limit`, giving the thread a
 * turn every FIRES_PER_TURN: croner works each one out through the time zone's wall clock
 * (0.3-1 ms a fire), so a night's every-minute fires counted at once held the thread that serves
 * people for about a second.
 */
export async function countFires(cron: string, timeZone: string, after: Date, until: Date, limit: number): Promise<number> {
  let count = 0;
  if (limit <= 0) return count;
  for (const _fire of fireTimes(cron, timeZone, after, until)) {
    if (++count >= limit) break;
    if (count % FIRES_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return count;
}

/** The next `count` fire times strictly after `from`. */
export function nextFires(cron: string, timeZone: string, from: Date, count = 3): Date[] {
  return cronOf(cron, timeZone).nextRuns(count, from);
}

/**
 * The latest fire time t with after < t <= until, or null. Looks back through growing windows,
 * so a schedule closed for a month costs a few steps, not a walk over every missed second.
 */
export function latestFireBetween(cron: string, timeZone: string, after: Date, until: Date): Date | null {
  if (until.getTime() <= after.getTime()) return null;
  const windows = [60e3, 3600e3, 86_400e3, 7 * 86_400e3, 32 * 86_400e3, 367 * 86_400e3, 5 * 367 * 86_400e3];
  for (const width of windows) {
    const start = new Date(Math.max(after.getTime(), until.getTime() - width));
    const fires = firesBetween(cron, timeZone, start, until, 1_000_000);
    if (fires.length) return fires[fires.length - 1]!;
    if (start.getTime() === after.getTime()) return null;
  }
  const fires = firesBetween(cron, timeZone, after, until, 1_000_000);
  return fires.length ? fires[fires.length - 1]! : null;
}

// ---- in words ---------------------------------------------------------------------------------

export type Language = 'ko' | 'en';

const DAY_NAMES = {
  ko: ['일', '월', '화', '수', '목', '금', '토'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};
const DAY_ALIASES: Record<string, string> = { sun: '0', mon: '1', tue: '2', wed: '3', thu: '4', fri: '5', sat: '6' };

const isNumber = (field: string) => /^\d+$/.test(field);
const isNumberList = (field: string) => /^\d+(,\d+)*$/.test(field);
const stepOfStar = (field: string) => {
  const match = /^\*\/(\d+)$/.exec(field);
  return match ? Number(match[1]) : null;
};
const isAny = (field: string) => field === '*' || field === '?';
const pad = (n: number) => String(n).padStart(2, '0');

/** Weekday field → sorted day numbers 0-6, or null when it is more than a plain list or range. */
function weekdays(field: string): number[] | null {
  const text = field.toLowerCase().replace(/[a-z]{3}/g, (name) => DAY_ALIASES[name] ?? name);
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const range = /^(\d)-(\d)$/.exec(part);
    if (range) {
      for (let d = Number(range[1]); d <= Number(range[2]); d++) days.add(d % 7);
    } else if (/^\d$/.test(part)) {
      days.add(Number(part) % 7);
    } else {
      return null;
    }
  }
  return [...days].sort((a, b) => a - b);
}

function joinWords(items: string[], lang: Language): string {
  if (lang === 'ko' || items.length < 2) return items.join(', ');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * A cron expression in plain words: "매일 00:05" / "Daily at 00:05", "매분" / "Every minute",
 * "10분마다" / "Every 10 minutes". Shapes it cannot put simply come back as the expression.
 */
export function describeCron(cron: string, lang: Language = 'ko'): string {
  const text = normalizeCron(cron);
  const fields = text.split(' ');
  const custom = lang === 'ko' ? `사용자 지정 (${text})` : `Custom (${text})`;
  if (fields.length !== 5 && fields.length !== 6) return custom;
  const [second, minute, hour, day, month, weekday] = (fields.length === 6 ? fields : ['0', ...fields]) as [string, string, string, string, string, string];
  const restAny = (...rest: string[]) => rest.every(isAny);

  // Every N seconds: only when nothing else narrows it.
  if (second !== '0' && !isNumber(second)) {
    if (!restAny(minute, hour, day, month, weekday)) return custom;
    if (second === '*') return lang === 'ko' ? '매초' : 'Every second';
    const n = stepOfStar(second);
    if (n === null) return custom;
    return lang === 'ko' ? `${n}초마다` : `Every ${n} seconds`;
  }
  const seconds = Number(second);
  const time = (h: number, m: number) => `${pad(h)}:${pad(m)}${seconds ? `:${pad(seconds)}` : ''}`;

  if (restAny(hour, day, month, weekday)) {
    if (minute === '*' && !seconds) return lang === 'ko' ? '매분' : 'Every minute';
    const n = stepOfStar(minute);
    if (n !== null && !seconds) return lang === 'ko' ? `${n}분마다` : `Every ${n} minutes`;
    if (isNumber(minute)) {
      return lang === 'ko' ? `매시 ${Number(minute)}분${seconds ? ` ${seconds}초` : ''}` : `Hourly at :${pad(Number(minute))}${seconds ? `:${pad(seconds)}` : ''}`;
    }
    return custom;
  }
  if (!isNumber(minute)) return custom;
  const m = Number(minute);

  const everyHours = stepOfStar(hour);
  if (everyHours !== null && restAny(day, month, weekday)) {
    if (lang === 'ko') return `${everyHours}시간마다${m || seconds ? ` (${m}분${seconds ? ` ${seconds}초` : ''})` : ''}`;
    return `Every ${everyHours} hours${m || seconds ? ` at :${pad(m)}${seconds ? `:${pad(seconds)}` : ''}` : ''}`;
  }
  if (!isNumberList(hour) || !isAny(month)) return custom;
  const times = joinWords(hour.split(',').map((h) => time(Number(h), m)), lang);

  if (isAny(day) && isAny(weekday)) return lang === 'ko' ? `매일 ${times}` : `Daily at ${times}`;
  if (isAny(day)) {
    const days = weekdays(weekday);
    if (!days) return custom;
    if (days.join() === '1,2,3,4,5') return lang === 'ko' ? `평일 ${times}` : `Weekdays at ${times}`;
    if (days.join() === '0,6') return lang === 'ko' ? `주말 ${times}` : `Weekends at ${times}`;
    if (lang === 'ko') return `매주 ${days.map((d) => DAY_NAMES.ko[d]).join('·')}요일 ${times}`;
    return `Every ${joinWords(days.map((d) => DAY_NAMES.en[d]!), lang)} at ${times}`;
  }
  if (isAny(weekday) && isNumberList(day)) {
    const dates = day.split(',').map(Number);
    if (lang === 'ko') return `매월 ${dates.map((d) => `${d}일`).join(', ')} ${times}`;
    return `Monthly on day ${joinWords(dates.map(String), lang)} at ${times}`;
  }
  return custom;
}
