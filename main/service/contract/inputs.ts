// The contract's inputs: who may call (the roles) and the building blocks of every operation's
// input schema (main/service/contract/operations.ts puts them together). Each refuses what it
// can't take with a message that says why, in the words a person can act on.
import { z } from 'zod';
import { DATE_TIME_TEXT } from '../../batch/parameters.ts';
import { BATCH_STATUSES } from '../../batch/status.ts';
import { FIRST_YEAR, hasControlOrFormat, isRealOffset, isTimeZoneName, LAST_YEAR } from '../../batch/text.ts';
import { isNewMemberId } from '../../pass/memberIds.ts';
import { normalizePhone } from '../../pass/phone.ts';

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

// ---- building blocks -------------------------------------------------------------------------

/** the engine's own date-time pattern (main/batch/parameters.ts), so the contract and a job parameter take the same texts */
export const DATE_TIME = DATE_TIME_TEXT;
/** '2026-12-01', '2026-12-01T09:00' (the gym's time) or '2026-12-01T00:00:00Z'. */
export const dateTime = z
  .string()
  .max(40)
  .regex(DATE_TIME, { message: 'must be a date and time like 2026-12-01T09:00 or 2026-12-01T09:00:00+09:00' })
  .refine((text) => {
    const [y, m, d] = text.slice(0, 10).split('-').map(Number);
    return y! >= FIRST_YEAR && y! <= LAST_YEAR && m! >= 1 && m! <= 12 && d! >= 1 && d! <= 31;
  }, { message: `must be a real date between ${FIRST_YEAR} and ${LAST_YEAR}` })
  .refine((text) => isRealOffset(DATE_TIME.exec(text)?.[4]), { message: 'has a UTC offset that does not exist (from -12:00 to +14:00)' });
export const seq = z.int().min(1);
/** Ids are typed or scanned: an invisible character (NUL, a zero-width space, a direction mark) in one is refused, not stored. */
export const visibleId = (text: string) => !hasControlOrFormat(text);
export const idMessage = { message: 'may not hold control or invisible characters (NUL, zero-width space, ...)' };
export const userId = z.string().trim().min(1).max(20).refine(visibleId, idMessage);
export const userGroupId = z.string().trim().min(1).max(20).refine(visibleId, idMessage);
/** An id the desk gives a new member: the rule above, and only letters, digits, '.', '_' and '-' (it goes into paths and files). */
export const newUserId = userId.refine(isNewMemberId, { message: 'may hold letters, digits, ".", "_" and "-" only' });
/** A member's name as the desk types it: no control or invisible characters either (they would hide from the search). */
export const memberName = z.string().trim().min(1).max(50).refine(visibleId, { message: 'may not hold control or invisible characters' });
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
      ctx.addIssue({ code: 'custom', message: 'is not a phone number; type it like 010-1234-5678 or +82 10 1234 5678' });
      return z.NEVER;
    }
    return phone;
  });
/** The desk's note on a member; blank is none. Line breaks and tabs are kept, other control characters (NUL...) refused. */
export const memo = z
  .string()
  .max(1000)
  // eslint-disable-next-line no-control-regex -- the control characters are what it refuses
  .refine((text) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text), { message: 'may not hold control characters other than line breaks and tabs' })
  .transform((text) => (text.trim() === '' ? null : text.trim()));
export const page = z.int().min(1).max(100_000);
export const pageSize = z.int().min(1).max(200);
/** One spelling per name (main/service/signIn.ts): NFC, trimmed, lower case, then [a-z0-9._-]. */
export const username = z
  .string()
  .max(100)
  .transform((name) => name.normalize('NFC').trim().toLowerCase())
  .pipe(z.string().min(3).max(50).regex(/^[a-z0-9._-]+$/, { message: 'may hold letters a-z, digits, ".", "_" and "-" only' }));
/** The service checks the minimum rules (10+ characters, not the username, not a common one) and says which failed. */
export const password = z.string().min(1).max(200);
/** an opaque keyset cursor a list handed out as `next` */
export const cursor = z.string().min(1).max(200);
export const role = z.enum(ROLES);
export const batchStatus = z.enum(BATCH_STATUSES);
export const jobName = z.string().min(1).max(100);
export const parameterValue = z.union([z.string().max(2000), z.number(), z.boolean()]);
export const none = z.strictObject({});
/** What a member types at the kiosk: the last four digits of their phone. */
export const phoneLast4 = z.string().regex(/^\d{4}$/, { message: 'must be the last four digits of a phone number' });
/** A member as the kiosk names them (KioskMatch.member). */
export const kioskHandle = z.string().regex(/^[0-9a-f]{24}$/, { message: 'must be a member handle the kiosk was given' });
/** A member file uploaded to the imports folder, by the name imports.upload gave it (no folders). */
export const importFileName = z
  .string()
  .min(1)
  .max(120)
  .refine((text) => !/[\\/\0]/.test(text) && !text.startsWith('.') && /\.(csv|xlsx)$/.test(text), { message: 'must be the name imports.upload gave a .csv or .xlsx file' });
/** The largest member file an upload takes: 20 MB, as base64 (4 characters per 3 bytes). */
export const IMPORT_UPLOAD_BASE64 = Math.ceil((20 * 1024 * 1024) / 3) * 4;

export const timeZoneName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isTimeZoneName, { message: 'must be a time zone name like Asia/Seoul or UTC' });

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
  .refine(isWebhookUrl, { message: 'must be an http:// or https:// address (without a user name or password in it)' });
export const logFilePath = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .refine((text) => !text.includes('\0') && (text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\\\')) && /\.(log|jsonl|txt)$/i.test(text), {
    message: 'must be a full path to a .log, .jsonl or .txt file, like /var/log/pass/notifications.log or C:\\PassConsole\\notifications.log',
  });
/** A folder an admin allows report, backup and log files in: a full path. */
export const folderPath = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .refine((text) => !text.includes('\0') && (text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\\\')), {
    message: 'must be a full path to a folder, like /srv/pass/reports or D:\\PassConsole\\reports',
  });
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
  .refine((text) => /^(mysql|mariadb):\/\/[^/]+\/[^/?#]+/.test(text) || /^sqlite:.+/.test(text), {
    message: 'must look like mysql://user:password@host:3306/database or sqlite:/path/to/file.sqlite',
  });
