// The contract's inputs: who may call (the roles) and the building blocks of every operation's
// input schema (main/service/contract/operations.ts puts them together). Each refuses what it
// can't take with a message that says why, in the words a person can act on.
import { z } from 'zod';
import { DATE_TIME_TEXT } from '../../batch/parameters.ts';
import { BATCH_STATUSES } from '../../batch/status.ts';
import { FIRST_YEAR, hasControlOrFormat, isRealOffset, isTimeZoneName, LAST_YEAR } from '../../batch/text.ts';
import { isNewMemberId } from '../../pass/memberIds.ts';
import { normalizePhone } from '../../pass/phone.ts';
import { PaymentMethod } from '../../pass/schema.ts';

/** The staff's roles, each holding the ones before it: ADMIN ⊃ MANAGER ⊃ FRONT_DESK. */
export const STAFF_ROLES = ['FRONT_DESK', 'MANAGER', 'ADMIN'] as const;
/**
 * Every account's role: the staff's, and KIOSK, the check-in kiosk's account (issue 18), which
 * may call the kiosk's operations and nothing else, and no staff role may call those.
 */
export const ROLES = [...STAFF_ROLES, 'KIOSK'] as const;
export type Role = (typeof ROLES)[number];

/** Whether `role` may do what `least` may: the staff's ranks, KIOSK only itself, SIGNED_IN every account. */
export function roleAtLeast(role: Role, least: Role | 'SIGNED_IN'): boolean {
  if (least === 'SIGNED_IN') return true;
  if (role === 'KIOSK' || least === 'KIOSK') return role === least;
  return STAFF_ROLES.indexOf(role) >= STAFF_ROLES.indexOf(least);
}

/**
 * A staff username: how long, which characters (a regular-expression class body that holds with
 * and without the v flag, so an <input pattern> takes it too) and those characters in words. The
 * `username` schema below checks it; the Staff screen shows it as the field's hint from its own
 * copy (renderer/src/lib/usernameRule.ts), typed `UsernameRule`, so the build fails if they differ.
 */
export const USERNAME_RULE = {
  min: 3,
  max: 50,
  chars: 'a-z0-9._\\-',
  words: { ko: '영문 소문자 a-z, 숫자, ".", "_", "-"', en: 'letters a-z, digits, ".", "_" and "-"' },
} as const;
export type UsernameRule = typeof USERNAME_RULE;

/**
 * A new staff password's length (main/service/passwords.ts also refuses the username itself and
 * common passwords). The Staff screen shows it under the field from its own copy
 * (renderer/src/lib/usernameRule.ts), typed `PasswordRule`, so the build fails if they differ.
 */
export const PASSWORD_RULE = { min: 10, max: 200 } as const;
export type PasswordRule = typeof PASSWORD_RULE;

/**
 * A schedule's cron fields: each one's name and the numbers it takes, in order (a seconds field,
 * when there is one, comes first). main/service/schedules.ts refuses a number outside its field's
 * range with these words; the Schedules screen checks the same as it is typed, from its own copy
 * (renderer/src/lib/cron.ts), typed `CronFields`, so the build fails if they differ.
 */
export const CRON_FIELDS = [
  { ko: '초', topic: '는', en: 'second', min: 0, max: 59 },
  { ko: '분', topic: '은', en: 'minute', min: 0, max: 59 },
  { ko: '시', topic: '는', en: 'hour', min: 0, max: 23 },
  { ko: '일', topic: '은', en: 'day of the month', min: 1, max: 31 },
  { ko: '월', topic: '은', en: 'month', min: 1, max: 12 },
  { ko: '요일', topic: '은', en: 'weekday', min: 0, max: 7 },
] as const;
export type CronFields = typeof CRON_FIELDS;

// ---- what the schemas say when they refuse ------------------------------------------------------

/**
 * Every message a schema gives, in both languages: the schemas carry the English (zod's issue
 * message), and the service's errors find the Korean here by it (errors.ts fromZodError).
 */
export const SCHEMA_MESSAGES = {
  dateTime: { en: 'must be a date and time like 2026-12-01T09:00 or 2026-12-01T09:00:00+09:00', ko: '2026-12-01T09:00처럼 날짜와 시각을 쓰세요' },
  realDate: { en: `must be a real date between ${FIRST_YEAR} and ${LAST_YEAR}`, ko: `${FIRST_YEAR}년부터 ${LAST_YEAR}년 사이의 있는 날짜여야 합니다` },
  offset: { en: 'has a UTC offset that does not exist (from -12:00 to +14:00)', ko: '없는 시간대 차이입니다 (-12:00부터 +14:00까지)' },
  invisible: { en: 'may not hold control or invisible characters (NUL, zero-width space, ...)', ko: '보이지 않는 문자(NUL, 폭 없는 공백 등)는 쓸 수 없습니다' },
  invisibleShort: { en: 'may not hold control or invisible characters', ko: '보이지 않는 문자는 쓸 수 없습니다' },
  memberId: { en: 'may hold letters (Korean ones too), digits, ".", "_" and "-" only', ko: '글자(한글 포함), 숫자, ".", "_", "-"만 쓸 수 있습니다' },
  phone: { en: 'is not a phone number; type it like 010-1234-5678 or +82 10 1234 5678', ko: '전화번호가 아닙니다. 010-1234-5678이나 +82 10 1234 5678처럼 쓰세요' },
  memo: { en: 'may not hold control characters other than line breaks and tabs', ko: '줄바꿈과 탭 말고는 제어 문자를 쓸 수 없습니다' },
  username: { en: `may hold ${USERNAME_RULE.words.en} only`, ko: `${USERNAME_RULE.words.ko}만 쓸 수 있습니다` },
  phoneLast4: { en: 'must be the last four digits of a phone number', ko: '전화번호 뒷자리 네 숫자여야 합니다' },
  kioskHandle: { en: 'must be a member handle the kiosk was given', ko: '키오스크가 받은 회원 표시여야 합니다' },
  importFileName: { en: 'must be the name imports.upload gave a .csv or .xlsx file', ko: '올린 .csv나 .xlsx 파일의 이름이어야 합니다' },
  timeZone: { en: 'must be a time zone name like Asia/Seoul or UTC', ko: 'Asia/Seoul이나 UTC 같은 시간대 이름이어야 합니다' },
  webhookUrl: { en: 'must be an http:// or https:// address (without a user name or password in it)', ko: 'http:// 또는 https:// 주소여야 합니다 (사용자 이름이나 비밀번호 없이)' },
  logFile: {
    en: 'must be a full path to a .log, .jsonl or .txt file, like /var/log/pass/notifications.log or C:\\PassConsole\\notifications.log',
    ko: '/var/log/pass/notifications.log나 C:\\PassConsole\\notifications.log처럼 .log, .jsonl, .txt 파일의 전체 경로여야 합니다',
  },
  folder: { en: 'must be a full path to a folder, like /srv/pass/reports or D:\\PassConsole\\reports', ko: '/srv/pass/reports나 D:\\PassConsole\\reports처럼 폴더의 전체 경로여야 합니다' },
  databaseUrl: { en: 'must look like mysql://user:password@host:3306/database or sqlite:/path/to/file.sqlite', ko: 'mysql://user:password@host:3306/database나 sqlite:/path/to/file.sqlite 모양이어야 합니다' },
  base64: { en: 'must be base64', ko: '파일 내용이 올바르지 않습니다 (base64가 아닙니다)' },
  memberChange: { en: 'give at least one of userName, phone, memo', ko: '이름, 전화번호, 메모 가운데 하나는 바꿔야 합니다' },
  classChange: { en: 'give at least one of title, instructor, startedAt, endedAt, capacity, packageSeqs', ko: '수업 이름, 강사, 시작·끝 시각, 정원, 패키지 가운데 하나는 바꿔야 합니다' },
  packageChange: { en: 'give at least one of packageName, count, period, price', ko: '패키지 이름, 횟수, 기간, 가격 가운데 하나는 바꿔야 합니다' },
  passExtension: { en: 'give days, uses or both', ko: '늘릴 기간(일)이나 횟수 가운데 하나는 쓰세요' },
  paymentMethod: { en: 'must be CARD (card), CASH (cash) or TRANSFER (bank transfer)', ko: 'CARD(카드), CASH(현금), TRANSFER(계좌이체) 가운데 하나여야 합니다' },
  settingsChange: { en: 'give at least one of timeZone, language, notifier, allowedFolders, bookingPolicy', ko: '바꿀 설정을 하나 이상 고르세요' },
} as const;
export const says = (message: { en: string }) => ({ message: message.en });
const M = SCHEMA_MESSAGES;

// ---- building blocks -------------------------------------------------------------------------

/** the engine's own date-time pattern (main/batch/parameters.ts), so the contract and a job parameter take the same texts */
export const DATE_TIME = DATE_TIME_TEXT;
/** '2026-12-01', '2026-12-01T09:00' (the gym's time) or '2026-12-01T00:00:00Z'. */
export const dateTime = z
  .string()
  .max(40)
  .regex(DATE_TIME, says(M.dateTime))
  .refine((text) => {
    const [y, m, d] = text.slice(0, 10).split('-').map(Number);
    return y! >= FIRST_YEAR && y! <= LAST_YEAR && m! >= 1 && m! <= 12 && d! >= 1 && d! <= 31;
  }, says(M.realDate))
  .refine((text) => isRealOffset(DATE_TIME.exec(text)?.[4]), says(M.offset));
export const seq = z.int().min(1);
/** Ids are typed or scanned: an invisible character (NUL, a zero-width space, a direction mark) in one is refused, not stored. */
export const visibleId = (text: string) => !hasControlOrFormat(text);
export const idMessage = says(M.invisible);
export const userId = z.string().trim().min(1).max(20).refine(visibleId, idMessage);
export const userGroupId = z.string().trim().min(1).max(20).refine(visibleId, idMessage);
/** An id the desk gives a new member: the rule above, and only letters, digits, '.', '_' and '-' (it goes into paths and files). */
export const newUserId = userId.refine(isNewMemberId, says(M.memberId));
/** A member's name as the desk types it: no control or invisible characters either (they would hide from the search). */
export const memberName = z.string().trim().min(1).max(50).refine(visibleId, says(M.invisibleShort));
/** what the gym sells, as the desk and the members read it: "PT 10회 / 60일" */
export const packageName = z.string().trim().min(1).max(50).refine(visibleId, says(M.invisibleShort));
/** the uses a pass of a package starts with; null: unlimited */
export const packageCount = z.int().min(1).max(9999).nullable();
/** the days a pass of a package lasts; null: it never ends */
export const packagePeriod = z.int().min(1).max(3650).nullable();
/** what a pass of a package sells for, in whole won (0: given free, sold at no charge); null: no price set */
export const packagePrice = z.int().min(0).max(100_000_000).nullable();
/** How a sale at the desk was paid: CARD 카드, CASH 현금, TRANSFER 계좌이체 (the service asks it of a sale for more than 0원). */
export const paymentMethod = z.enum(PaymentMethod.all, says(M.paymentMethod));
/** What a cancelled pass hands back, in whole won (at most what it was sold for: the service checks). */
export const refundAmount = z.int().min(0).max(100_000_000);
/** Days added to a pass's end, uses added to its count (passes.extend). */
export const extendDays = z.int().min(1).max(365);
export const extendUses = z.int().min(1).max(999);
/** Why a pass is extended: one line, required (a pass given more is the gym's decision, recorded). */
export const extendReason = z
  .string()
  .max(200)
  .refine((text) => !hasControlOrFormat(text), says(M.invisibleShort))
  .transform((text) => text.trim())
  .pipe(z.string().min(1));
/** The desk's words on why a pass is cancelled, one line; blank is none. */
export const cancelReason = z
  .string()
  .max(200)
  .refine((text) => !hasControlOrFormat(text), says(M.invisibleShort))
  .transform((text) => (text.trim() === '' ? null : text.trim()));
/**
 * A phone number in any spelling a desk types (010-1234-5678, 01012345678, +82 10 1234 5678),
 * stored in one (main/pass/phone.ts: the seed's digits, 01012345678).
 */
export const phoneNumber = z
  .string()
  .max(40)
  .transform((text, ctx) => {
    const phone = normalizePhone(text);
    if (phone === null) {
      ctx.addIssue({ code: 'custom', ...says(M.phone) });
      return z.NEVER;
    }
    return phone;
  });
/** The desk's note on a member; blank is none. Line breaks and tabs are kept, other control characters (NUL...) refused. */
export const memo = z
  .string()
  .max(1000)
  // eslint-disable-next-line no-control-regex -- the control characters are what it refuses
  .refine((text) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text), says(M.memo))
  .transform((text) => (text.trim() === '' ? null : text.trim()));
export const page = z.int().min(1).max(100_000);
export const pageSize = z.int().min(1).max(200);
/** One spelling per name (main/service/signIn.ts): NFC, trimmed, lower case, then [a-z0-9._-]. */
export const username = z
  .string()
  .max(100)
  .transform((name) => name.normalize('NFC').trim().toLowerCase())
  .pipe(z.string().min(USERNAME_RULE.min).max(USERNAME_RULE.max).regex(new RegExp(`^[${USERNAME_RULE.chars}]+$`), says(M.username)));
/** The service checks the minimum rules (10+ characters, not the username, not a common one) and says which failed. */
export const password = z.string().min(1).max(PASSWORD_RULE.max);
/** an opaque keyset cursor a list handed out as `next` */
export const cursor = z.string().min(1).max(200);
export const role = z.enum(ROLES);
export const batchStatus = z.enum(BATCH_STATUSES);
export const jobName = z.string().min(1).max(100);
export const parameterValue = z.union([z.string().max(2000), z.number(), z.boolean()]);
export const none = z.strictObject({});
/** What a member types at the kiosk: the last four digits of their phone. */
export const phoneLast4 = z.string().regex(/^\d{4}$/, says(M.phoneLast4));
/** A member as the kiosk names them (KioskMatch.member). */
export const kioskHandle = z.string().regex(/^[0-9a-f]{24}$/, says(M.kioskHandle));
/** A member file uploaded to the imports folder, by the name imports.upload gave it (no folders). */
export const importFileName = z
  .string()
  .min(1)
  .max(120)
  .refine((text) => !/[\\/\0]/.test(text) && !text.startsWith('.') && /\.(csv|xlsx)$/.test(text), says(M.importFileName));
/** The largest member file an upload takes: 20 MB, as base64 (4 characters per 3 bytes). */
export const IMPORT_UPLOAD_BASE64 = Math.ceil((20 * 1024 * 1024) / 3) * 4;

export const timeZoneName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isTimeZoneName, says(M.timeZone));

export function isWebhookUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '';
}
export const webhookUrl = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .refine(isWebhookUrl, says(M.webhookUrl));
export const logFilePath = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .refine((text) => !text.includes('\0') && (text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\\\')) && /\.(log|jsonl|txt)$/i.test(text), says(M.logFile));
/** A folder an admin allows report, backup and log files in: a full path. */
export const folderPath = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .refine((text) => !text.includes('\0') && (text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\\\')), says(M.folder));
export const notifierConfig = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('webhook'), url: webhookUrl, timeoutMs: z.int().min(100).max(60_000).optional() }),
  z.strictObject({ kind: z.literal('logFile'), path: logFilePath.optional() }),
]);
/** A PASS_DB_URL-style address: mysql://user:pass@host:3306/db, mariadb://..., sqlite:/path/file.sqlite */
export const databaseUrl = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .refine((text) => /^(mysql|mariadb):\/\/[^/]+\/[^/?#]+/.test(text) || /^sqlite:.+/.test(text), says(M.databaseUrl));
