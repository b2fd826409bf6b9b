// What text from people may hold, checked once at each door (the service's contract, the job
// parameter parser): well-formed Unicode only, and no invisible characters in identifiers. A
// lone surrogate half ("\ud800") is not a character: MySQL's utf8mb4 and a JSON column's
// json_valid() refuse it, so it must be refused before anything is written, never halfway.
// Dates are kept to years a gym's records can hold and offsets that exist on Earth.

const LONE_SURROGATE = /\p{Cs}/u;
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/u;

/** Well-formed Unicode (String.prototype.isWellFormed): no lone surrogate half. */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** A control or format character (NUL, tab, zero-width space, a direction mark, BOM): never part of an id. */
export function hasControlOrFormat(text: string): boolean {
  return CONTROL_OR_FORMAT.test(text);
}

/**
 * Where in `value` (objects, arrays; keys and values alike) the first string that is not
 * well-formed Unicode sits, as a dotted path ('params.reportDir'; '' for `value` itself), or
 * undefined when every string is well-formed.
 */
export function malformedTextAt(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return isWellFormedText(value) ? undefined : path;
  if (value === null || typeof value !== 'object' || value instanceof Date) return undefined;
  const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  for (const [key, item] of entries) {
    const at = path ? `${path}.${key}` : key;
    if (!isWellFormedText(key)) return at;
    const found = malformedTextAt(item, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The years a date typed in may fall in: a gym's passes, bookings and reports, not typos. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

/** A UTC offset as written ('Z', '+09:00', '-0330'), or none: whether it is one that exists (-12:00 to +14:00, minutes under 60). */
export function isRealOffset(offset: string | undefined): boolean {
  if (!offset || offset === 'Z') return true;
  const m = /^[+-](\d{2}):?(\d{2})$/.exec(offset);
  if (!m) return false;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (minutes > 59) return false;
  const total = hours * 60 + minutes;
  return offset.startsWith('-') ? total <= 12 * 60 : total <= 14 * 60;
}

/** The instant falls in FIRST_YEAR..LAST_YEAR on some clock on Earth (a day's slack either side of UTC's). */
export function isSaneYear(date: Date): boolean {
  const t = date.getTime();
  return Number.isFinite(t) && t >= Date.UTC(FIRST_YEAR - 1, 11, 31) && t < Date.UTC(LAST_YEAR + 1, 0, 2);
}

/**
 * An IANA time zone name (Asia/Seoul, UTC) that this runtime knows; offsets and abbreviations
 * are refused. The one check of main/ (the renderer, which may import no value from main/, keeps
 * its own copy for the settings form).
 */
export function isTimeZoneName(text: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(text)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: text });
    return true;
  } catch {
    return false;
  }
}
