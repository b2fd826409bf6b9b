// Numbers, times and durations as staff read them: thousands separators, the gym's time zone,
// "3분 12초" / "3 min 12 s".
import { DateTime } from 'luxon';
import type { Lang } from '../i18n/words.ts';

export const DEFAULT_TIME_ZONE = 'Asia/Seoul';
const LOCALE: Record<Lang, string> = { ko: 'ko-KR', en: 'en-US' };

export function formatNumber(value: number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 1 }).format(value);
}

/** An amount of whole won as the gym's staff read it: '120,000원' / '₩120,000'; '–' for no price. */
export function formatWon(value: number | null | undefined, lang: Lang): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const digits = new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 0 }).format(value);
  return lang === 'ko' ? `${digits}원` : `₩${digits}`;
}

/** The most a price or a refund may be, in won (the service refuses more). */
export const MAX_WON = 100_000_000;

/** An amount of won as typed: blank is none (null), digits (commas between thousands allowed) an amount in [0, MAX_WON], anything else 'bad'. */
export function wonTyped(text: string): number | null | 'bad' {
  const digits = text.trim();
  if (digits === '') return null;
  if (!/^\d{1,3}(,\d{3})+$|^\d+$/.test(digits)) return 'bad';
  const n = Number(digits.replaceAll(',', ''));
  return n <= MAX_WON ? n : 'bad';
}

/** A whole number as typed: blank is none (null), digits in [min, max] the number, anything else 'bad'. */
export function wholeTyped(text: string, min: number, max: number): number | null | 'bad' {
  if (text.trim() === '') return null;
  if (!/^\s*\d+\s*$/.test(text)) return 'bad';
  const n = Number(text);
  return n >= min && n <= max ? n : 'bad';
}

export function formatPercent(rate: number | null | undefined, lang: Lang): string {
  if (rate === null || rate === undefined) return '–';
  return new Intl.NumberFormat(LOCALE[lang], { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);

/** '2026. 12. 1. 09:00' / 'Dec 1, 2026, 09:00', in the gym's zone. */
export function formatDateTime(iso: string | null | undefined, lang: Lang, zone = DEFAULT_TIME_ZONE): string {
  if (!iso) return '–';
  const t = at(iso, zone);
  if (!t.isValid) return iso;
  return lang === 'ko' ? t.toFormat('yyyy. M. d. HH:mm') : t.setLocale('en-US').toFormat('MMM d, yyyy, HH:mm');
}

/** With seconds, for the executions' start times. */
export function formatDateTimeSeconds(iso: string | null | undefined, lang: Lang, zone = DEFAULT_TIME_ZONE): string {
  if (!iso) return '–';
  const t = at(iso, zone);
  if (!t.isValid) return iso;
  return lang === 'ko' ? t.toFormat('yyyy. M. d. HH:mm:ss') : t.setLocale('en-US').toFormat('MMM d, yyyy, HH:mm:ss');
}

export function formatDate(iso: string | null | undefined, lang: Lang, zone = DEFAULT_TIME_ZONE): string {
  if (!iso) return '–';
  const t = at(iso, zone);
  if (!t.isValid) return iso;
  return lang === 'ko' ? t.toFormat('yyyy. M. d.') : t.setLocale('en-US').toFormat('MMM d, yyyy');
}

/**
 * A report's period [from, to) as its two ends, the second null when it is one day: whole days by
 * their dates (the last day it covers, not the midnight after it), any other window by its times.
 */
export function formatPeriod(fromIso: string, toIso: string, lang: Lang, zone = DEFAULT_TIME_ZONE): [string, string | null] {
  const from = at(fromIso, zone);
  const to = at(toIso, zone);
  if (!from.isValid || !to.isValid) return [fromIso, toIso];
  if (+from !== +from.startOf('day') || +to !== +to.startOf('day')) return [formatDateTime(fromIso, lang, zone), formatDateTime(toIso, lang, zone)];
  const last = to.minus({ days: 1 });
  return [formatDate(fromIso, lang, zone), last > from ? formatDate(last.toUTC().toISO(), lang, zone) : null];
}

/**
 * A pass's start or end: the date alone at midnight, else the date and the time, since a pass
 * that started at 09:00 ends at 09:00 of its last day and a class after that can't use it.
 */
export function formatMoment(iso: string | null | undefined, lang: Lang, zone = DEFAULT_TIME_ZONE): string {
  if (!iso) return '–';
  const t = at(iso, zone);
  if (!t.isValid) return iso;
  return t.hour === 0 && t.minute === 0 ? formatDate(iso, lang, zone) : formatDateTime(iso, lang, zone);
}

/**
 * A pass's end as the last moment it can be used: an end at midnight is the day before's date
 * (a pass ending at 00:00 on 8 February is used up to 7 February, and "2. 8.까지" would promise
 * the 8th, when the kiosk and the desk refuse it), any other end its date and time. The desk and
 * the kiosk both show it so: a pass ending at 02:12 on 5 February ("2. 5. 02:12까지") is not good
 * all of the 5th, and passes sold or imported by the day end at midnight and read as a day.
 */
export function formatPassEnd(iso: string | null | undefined, lang: Lang, zone = DEFAULT_TIME_ZONE): string {
  if (!iso) return '–';
  const t = at(iso, zone);
  if (!t.isValid) return iso;
  if (t.hour !== 0 || t.minute !== 0 || t.second !== 0 || t.millisecond !== 0) return formatDateTime(iso, lang, zone);
  const lastDay = t.minus({ days: 1 });
  return lang === 'ko' ? lastDay.toFormat('yyyy. M. d.') : lastDay.setLocale('en-US').toFormat('MMM d, yyyy');
}

/** '2026년 12월 1일 09:00' / 'Dec 1, 2026, 09:00': the bulk grant's preview (with the year, so a date typed a year off shows). */
export function formatYearMonthDayTime(local: DateTime, lang: Lang): string {
  return lang === 'ko' ? `${local.year}년 ${local.month}월 ${local.day}일 ${local.toFormat('HH:mm')}` : local.setLocale('en-US').toFormat('MMM d, yyyy, HH:mm');
}

/** Milliseconds as '1시간 2분', '3분 12초', '0.4초' / '1 h 2 min', '3 min 12 s', '0.4 s'. */
export function formatDuration(ms: number | null | undefined, lang: Lang): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  const u = lang === 'ko' ? { h: '시간', m: '분', s: '초', sep: ' ' } : { h: ' h', m: ' min', s: ' s', sep: ' ' };
  if (ms < 10_000) return `${Math.round(ms / 100) / 10}${u.s}`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}${u.h}${u.sep}${m}${u.m}`;
  if (m > 0) return `${m}${u.m}${u.sep}${s}${u.s}`;
  return `${s}${u.s}`;
}

export function durationBetween(start: string | null, end: string | null, now = Date.now()): number | null {
  if (!start) return null;
  const from = Date.parse(start);
  const to = end ? Date.parse(end) : now;
  return Number.isFinite(from) && Number.isFinite(to) ? Math.max(0, to - from) : null;
}

export function formatBytes(bytes: number, lang: Lang): string {
  if (bytes < 1024) return `${formatNumber(bytes, lang)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(Math.round(bytes / 102.4) / 10, lang)} KB`;
  return `${formatNumber(Math.round(bytes / (1024 * 102.4)) / 10, lang)} MB`;
}

/** The live progress of a running step: fraction done, items per second, ms left. */
export function progressOf(done: number, expected: number | null, itemsPerSecond: number): { fraction: number | null; etaMs: number | null } {
  if (expected === null || expected <= 0) return { fraction: null, etaMs: null };
  const fraction = Math.min(1, done / expected);
  const left = Math.max(0, expected - done);
  return { fraction, etaMs: itemsPerSecond > 0 ? (left / itemsPerSecond) * 1000 : null };
}

/** A parameter that names a record (bulkPassSeq, userId): its number is an id, written without separators. */
const isIdName = (name: string | undefined) => name !== undefined && /(Seq|Id)$/.test(name);

/**
 * A parameter value as text: ISO times in the gym's zone, and a wall-clock time as the run form
 * sends it (`2026-11-16T00:00`, which the service reads in the gym's zone) likewise; numbers with
 * separators (ids without), an empty text as "the default" (the job then uses its own).
 */
export function formatParameter(value: string | number | boolean, lang: Lang, zone = DEFAULT_TIME_ZONE, name?: string): string {
  if (name === 'language' && (value === 'ko' || value === 'en')) return LANGUAGE_NAME[value][lang];
  if (typeof value === 'number') return isIdName(name) && Number.isInteger(value) ? String(value) : formatNumber(value, lang);
  if (typeof value === 'boolean') return value ? (lang === 'ko' ? '예' : 'yes') : lang === 'ko' ? '아니요' : 'no';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return formatDateTime(value, lang, zone);
  if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/.test(value)) {
    const wallClock = DateTime.fromISO(value, { zone });
    if (wallClock.isValid) return formatDateTime(wallClock.toUTC().toISO()!, lang, zone);
  }
  return value === '' ? (lang === 'ko' ? '기본값' : 'default') : value;
}

/** A language parameter's value (importMembersJob's language of the reasons) by its name. */
const LANGUAGE_NAME = { ko: { ko: '한국어', en: 'Korean' }, en: { ko: '영어', en: 'English' } } as const;

/** The code names with their values, as the command line spells them. */
export function formatParameters(params: Record<string, string | number | boolean>, lang: Lang, zone = DEFAULT_TIME_ZONE): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${formatParameter(value, lang, zone, name)}`)
    .join(', ');
}

/** In words, for dialogs and the detail: "집계 시작 2026. 12. 1. 00:00 · 보고서 폴더 기본값". */
export function describeParameters(params: Record<string, string | number | boolean>, lang: Lang, zone: string, label: (name: string) => string): string {
  return Object.entries(params)
    .map(([name, value]) => `${label(name)} ${formatParameter(value, lang, zone, name)}`)
    .join(' · ');
}

/** An ISO time as the value of an <input type="datetime-local"> in the gym's zone. */
export function toLocalInput(iso: string | Date, zone = DEFAULT_TIME_ZONE): string {
  const t = typeof iso === 'string' ? DateTime.fromISO(iso, { zone: 'utc' }) : DateTime.fromJSDate(iso);
  return t.setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** '01012345678' → '010-1234-5678'; anything else as it is. */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) return '–';
  const digits = phone.replace(/\D/g, '');
  if (/^01\d{8,9}$/.test(digits)) return `${digits.slice(0, 3)}-${digits.slice(3, digits.length - 4)}-${digits.slice(-4)}`;
  return phone;
}

/** A code location as an exit message carries it: "at fn (file.ts:62:11)" or "at file.ts:62:11". */
const FRAME = /^\s*at \S.*:\d+(:\d+)?\)?$/;

/**
 * An exit message split for the screen: what went wrong, in the words it was written in, and the
 * code locations after it (for whoever fixes the code; folded away). `frames` is '' when none.
 */
export function splitExitMessage(text: string): { summary: string; frames: string } {
  const lines = text.split('\n');
  return {
    summary: lines.filter((line) => !FRAME.test(line)).join('\n'),
    frames: lines.filter((line) => FRAME.test(line)).map((line) => line.trim()).join('\n'),
  };
}
