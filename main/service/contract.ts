// The one contract every screen and API call goes through: each operation's name, the least
// role that may call it, and the schema its input must pass before anything is touched. The
// service implements it (service.ts), the transports carry it (HTTP, IPC, CLI), and the
// renderer imports its types only. Times cross as ISO 8601 strings; input times without an
// offset are read in the gym's time zone.
import { z } from 'zod';
import type { StepCounts } from '../batch/model.ts';
import { DATE_TIME_TEXT } from '../batch/parameters.ts';
import { BATCH_STATUSES, type BatchStatus } from '../batch/status.ts';
import { FIRST_YEAR, hasControlOrFormat, isRealOffset, isTimeZoneName, LAST_YEAR } from '../batch/text.ts';
import { normalizePhone } from '../pass/phone.ts';
import type { Message, ServiceErrorBody } from './errors.ts';

export type { Message, ServiceErrorBody };

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
const DATE_TIME = DATE_TIME_TEXT;
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
const seq = z.int().min(1);
/** Ids are typed or scanned: an invisible character (NUL, a zero-width space, a direction mark) in one is refused, not stored. */
const visibleId = (text: string) => !hasControlOrFormat(text);
const idMessage = { message: 'may not hold control or invisible characters (NUL, zero-width space, ...)' };
const userId = z.string().trim().min(1).max(20).refine(visibleId, idMessage);
const userGroupId = z.string().trim().min(1).max(20).refine(visibleId, idMessage);
/** An id the desk gives a new member: the rule above, and only letters, digits, '.', '_' and '-' (it goes into paths and files). */
const newUserId = userId.refine((text) => /^[\p{L}\p{N}._-]+$/u.test(text), { message: 'may hold letters, digits, ".", "_" and "-" only' });
/** A member's name as the desk types it: no control or invisible characters either (they would hide from the search). */
const memberName = z.string().trim().min(1).max(50).refine(visibleId, { message: 'may not hold control or invisible characters' });
/**
 * A phone number in any spelling a desk types (010-1234-5678, 01012345678, +82 10 1234 5678),
 * stored in one (main/pass/phone.ts: the seed's digits, 01012345678).
 */
const phoneNumber = z
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
const memo = z
  .string()
  .max(1000)
  // eslint-disable-next-line no-control-regex -- the control characters are what it refuses
  .refine((text) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text), { message: 'may not hold control characters other than line breaks and tabs' })
  .transform((text) => (text.trim() === '' ? null : text.trim()));
const page = z.int().min(1).max(100_000);
const pageSize = z.int().min(1).max(200);
/** One spelling per name (main/service/signIn.ts): NFC, trimmed, lower case, then [a-z0-9._-]. */
const username = z
  .string()
  .max(100)
  .transform((name) => name.normalize('NFC').trim().toLowerCase())
  .pipe(z.string().min(3).max(50).regex(/^[a-z0-9._-]+$/, { message: 'may hold letters a-z, digits, ".", "_" and "-" only' }));
/** The service checks the minimum rules (10+ characters, not the username, not a common one) and says which failed. */
const password = z.string().min(1).max(200);
/** an opaque keyset cursor a list handed out as `next` */
const cursor = z.string().min(1).max(200);
const role = z.enum(ROLES);
const batchStatus = z.enum(BATCH_STATUSES);
const jobName = z.string().min(1).max(100);
const parameterValue = z.union([z.string().max(2000), z.number(), z.boolean()]);
const none = z.strictObject({});
/** What a member types at the kiosk: the last four digits of their phone. */
const phoneLast4 = z.string().regex(/^\d{4}$/, { message: 'must be the last four digits of a phone number' });
/** A member as the kiosk names them (KioskMatch.member). */
const kioskHandle = z.string().regex(/^[0-9a-f]{24}$/, { message: 'must be a member handle the kiosk was given' });
/** A member file uploaded to the imports folder, by the name imports.upload gave it (no folders). */
const importFileName = z
  .string()
  .min(1)
  .max(120)
  .refine((text) => !/[\\/\0]/.test(text) && !text.startsWith('.') && /\.(csv|xlsx)$/.test(text), { message: 'must be the name imports.upload gave a .csv or .xlsx file' });
/** The largest member file an upload takes: 20 MB, as base64 (4 characters per 3 bytes). */
const IMPORT_UPLOAD_BASE64 = Math.ceil((20 * 1024 * 1024) / 3) * 4;

const timeZoneName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isTimeZoneName, { message: 'must be a time zone name like Asia/Seoul or UTC' });

function isWebhookUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '';
}
const webhookUrl = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .refine(isWebhookUrl, { message: 'must be an http:// or https:// address (without a user name or password in it)' });
const logFilePath = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .refine((text) => !text.includes('\0') && (text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\\\')) && /\.(log|jsonl|txt)$/i.test(text), {
    message: 'must be a full path to a .log, .jsonl or .txt file, like /var/log/pass/notifications.log or C:\\PassConsole\\notifications.log',
  });
/** A folder an admin allows report, backup and log files in: a full path. */
const folderPath = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .refine((text) => !text.includes('\0') && (text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text) || text.startsWith('\\\\')), {
    message: 'must be a full path to a folder, like /srv/pass/reports or D:\\PassConsole\\reports',
  });
const notifierConfig = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('webhook'), url: webhookUrl, timeoutMs: z.int().min(100).max(60_000).optional() }),
  z.strictObject({ kind: z.literal('logFile'), path: logFilePath.optional() }),
]);
/** A PASS_DB_URL-style address: mysql://user:pass@host:3306/db, mariadb://..., sqlite:/path/file.sqlite */
const databaseUrl = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .refine((text) => /^(mysql|mariadb):\/\/[^/]+\/[^/?#]+/.test(text) || /^sqlite:.+/.test(text), {
    message: 'must look like mysql://user:password@host:3306/database or sqlite:/path/to/file.sqlite',
  });

// ---- what comes back -------------------------------------------------------------------------

export type IsoTime = string;
export type PassStatus = 'READY' | 'PROGRESSED' | 'EXPIRED';
export type BulkPassStatus = 'READY' | 'COMPLETED' | 'CANCELLED';
export type { BatchStatus };

export interface SessionInfo {
  token: string;
  username: string;
  role: Role;
  expiresAt: IsoTime;
  /** the password was generated or set by an admin: the screens ask for a new one before anything else */
  mustChangePassword: boolean;
}

export interface Me {
  username: string;
  role: Role;
  mustChangePassword: boolean;
}

/** What the first-run screen asks before anyone can sign in. */
export interface SetupStatus {
  /** true while no staff account exists at all: setup.createAdmin will make `admin` */
  needsAdmin: boolean;
}

export interface MemberSummary {
  userId: string;
  userName: string;
  phone: string | null;
  status: 'ACTIVE' | 'INACTIVE';
  /** READY or PROGRESSED passes */
  livePasses: number;
}

/** One page of a member search, by key (user name, then member id). */
export interface MemberPage {
  members: MemberSummary[];
  /** how many members match in all */
  total: number;
  /** pass as `after` for the next page; null on the last */
  next: string | null;
}

/** A member as the member screen shows them: the summary, the desk's memo and when they joined. */
export interface MemberProfile extends MemberSummary {
  memo: string | null;
  createdAt: IsoTime;
}

/** A group the member is in. */
export interface MemberGroupView {
  userGroupId: string;
  userGroupName: string;
}

/** Not a refusal: what the desk should know about a change that was made. */
export interface MemberWarning {
  /** PHONE_IN_USE: other members have the same phone; GROUP_EMPTIED: the member was a group's last, so the group is gone from the lists */
  code: 'PHONE_IN_USE' | 'GROUP_EMPTIED';
  message: Message;
  /** PHONE_IN_USE: the members who have the phone too */
  members?: Array<{ userId: string; userName: string }>;
}

/** A member after a change: the member screen's detail, and the warnings the change raised. */
export interface MemberSaved {
  detail: MemberPasses;
  warnings: MemberWarning[];
}

/** 수업: a class on the calendar. */
export interface ClassView {
  classSeq: number;
  title: string;
  instructor: string | null;
  startedAt: IsoTime;
  endedAt: IsoTime;
  capacity: number;
  /** a weekly series: its first class */
  seriesSeq: number | null;
  /** the packages whose passes may book it */
  packageSeqs: number[];
  /** bookings not cancelled */
  booked: number;
  /** members on the waitlist */
  waiting: number;
}

export interface ClassBookingView {
  bookingSeq: number;
  userId: string;
  userName: string | null;
  passSeq: number;
  status: BookingView['status'];
  attended: boolean;
  /** when it was marked attended (at the desk or the kiosk) */
  attendedAt: IsoTime | null;
  /** its use was taken off its pass (after the class, or a late cancellation under the policy) */
  usedPass: boolean;
  cancelledAt: IsoTime | null;
}

export interface WaitlistEntryView {
  waitlistSeq: number;
  userId: string;
  userName: string | null;
  passSeq: number;
  createdAt: IsoTime;
}

/** A class with its bookings (oldest first) and its waitlist (in the order it moves in). */
export interface ClassDetail {
  class: ClassView;
  bookings: ClassBookingView[];
  waitlist: WaitlistEntryView[];
}

/** A member the kiosk found: an opaque handle (good until the console restarts) and the masked name (김*수), nothing else. */
export interface KioskMatch {
  member: string;
  maskedName: string;
}

/** What the kiosk shows a member who picked their name: their live passes and today's class bookings. */
export interface KioskMember extends KioskMatch {
  passes: Array<{ packageName: string; remainingCount: number | null; endedAt: IsoTime | null }>;
  bookings: Array<{ bookingSeq: number; classTitle: string; startedAt: IsoTime; endedAt: IsoTime; attended: boolean; canCheckIn: boolean }>;
}

export interface KioskCheckIn {
  bookingSeq: number;
  classTitle: string;
  member: KioskMember;
}

/** A member booked into a class, or put on its waitlist when it is full. */
export interface BookingOutcome {
  outcome: 'BOOKED' | 'WAITLISTED';
  bookingSeq: number | null;
  /** 1 for the first waiting; null when booked */
  waitlistPosition: number | null;
  detail: ClassDetail;
}

/** A cancelled booking: late or not, whether it took a use, and who moved in from the waitlist. */
export interface CancelOutcome {
  bookingSeq: number;
  /** after the cut-off (Settings: so many minutes before the class) */
  late: boolean;
  /** the late cancellation took one use of its pass (the policy) */
  countedAsUse: boolean;
  /** the first waiting member, booked now and notified through the outbox */
  promoted: { userId: string; bookingSeq: number } | null;
  detail: ClassDetail | null;
}

export interface PassView {
  passSeq: number;
  packageSeq: number;
  packageName: string;
  status: PassStatus;
  /** null: unlimited */
  remainingCount: number | null;
  startedAt: IsoTime;
  /** null: never ends */
  endedAt: IsoTime | null;
  expiredAt: IsoTime | null;
  bulkPassSeq: number | null;
}

export interface BookingView {
  bookingSeq: number;
  passSeq: number;
  status: 'READY' | 'PROGRESSED' | 'COMPLETED' | 'CANCELLED';
  attended: boolean;
  usedPass: boolean;
  startedAt: IsoTime;
  endedAt: IsoTime;
}

export interface MemberPasses {
  member: MemberProfile;
  /** the member groups they are in, by id */
  groups: MemberGroupView[];
  passes: PassView[];
  /** the latest 20 */
  bookings: BookingView[];
}

export interface PackageView {
  packageSeq: number;
  packageName: string;
  count: number | null;
  period: number | null;
}

export interface GroupView {
  userGroupId: string;
  userGroupName: string;
  description: string;
  memberCount: number;
  activeMemberCount: number;
}

export interface BulkGrantView {
  bulkPassSeq: number;
  packageSeq: number;
  packageName: string | null;
  userGroupId: string;
  userGroupName: string | null;
  status: BulkPassStatus;
  count: number | null;
  /** the uses each pass of the grant gets: its own count, else the package's; null: unlimited */
  usesGranted: number | null;
  /** usesGranted is the package's count (the grant's own was left empty) */
  usesFromPackage: boolean;
  startedAt: IsoTime;
  endedAt: IsoTime | null;
  createdAt: IsoTime;
  passesCreated: number;
}

export interface StatisticsPoint {
  at: IsoTime;
  all: number;
  attended: number;
  cancelled: number;
  /** attended ÷ (all − cancelled), 0..1; null when no class was held */
  attendanceRate: number | null;
}

export interface StatisticsSeries {
  unit: 'hour' | 'day' | 'week';
  timeZone: string;
  points: StatisticsPoint[];
  totals: Omit<StatisticsPoint, 'at'>;
  /** for each point (same order): how many of its hours in the range have ended and how many of those were aggregated */
  coverage: StatisticsCoverage[];
  /** the days (yyyy-MM-dd, the gym's) of the range with an ended hour never aggregated: their 0 means "not aggregated yet", not "nothing happened" */
  daysNotAggregated: string[];
}

export interface StatisticsCoverage {
  at: IsoTime;
  hoursEnded: number;
  hoursAggregated: number;
}

export interface ParameterView {
  name: string;
  type: 'string' | 'number' | 'dateTime' | 'boolean';
  required: boolean;
  identifying: boolean;
  /** a fixed default, 'now', or 'computed' when it depends on the launch moment */
  default: string | number | boolean | null;
  integer: boolean;
  min: number | null;
  max: number | null;
  description: Message | null;
}

export interface JobView {
  name: string;
  title: Message | null;
  description: Message | null;
  restartable: boolean;
  parameters: ParameterView[];
  /** every step in the order the job runs them (a split's steps in place), with its title in words */
  steps: Array<{ name: string; title: Message | null }>;
}

export interface ExecutionSummary {
  id: number;
  jobName: string;
  status: BatchStatus;
  exitCode: string;
  exitMessage: string;
  createTime: IsoTime;
  startTime: IsoTime | null;
  endTime: IsoTime | null;
  parameters: Record<string, string | number | boolean>;
  launchedBy: string | null;
  /** another application's execution on this database (Spring Batch itself, on an adopted schema) */
  external: boolean;
  /**
   * read, write and skip (read + process + write skips) summed over the execution's steps; a
   * partitioned step counts through its partitions, not twice through its manager as well
   */
  totals: ExecutionTotals;
  /** the later execution of the same instance that took over from this one (a restart), if any */
  restartedAs?: ExecutionLink | null;
}

/** Another execution named from this one: its number and how it stands. */
export interface ExecutionLink {
  id: number;
  status: BatchStatus;
}

/** An execution's place in its instance (one job and parameters): a restart's before and after. */
export interface ExecutionLineage {
  instanceId: number;
  /** every execution of the instance, oldest first */
  executions: ExecutionLink[];
  /** the execution this one restarted (the one before it) */
  restartOf: ExecutionLink | null;
  /** the execution that restarted this one (the one after it) */
  restartedAs: ExecutionLink | null;
  /** whether this is the instance's latest execution: only that one may be restarted */
  latest: boolean;
}

/** Why an execution failed or stopped, in words, with what to do next (service/failures.ts). */
export interface FailureView {
  kind: string;
  message: Message;
  advice: Message;
  /** the engine's own text, for whoever fixes it */
  technical: string;
}

export interface ExecutionTotals {
  read: number;
  write: number;
  skip: number;
}

/** A step execution with the engine's counters (StepCounts: read, write, filter, commit, rollback and the three skips). */
export interface StepView extends StepCounts {
  id: number;
  stepName: string;
  status: BatchStatus;
  exitCode: string;
  exitMessage: string;
  startTime: IsoTime | null;
  endTime: IsoTime | null;
  executionContext: Record<string, unknown>;
}

export interface ExecutionDetail extends ExecutionSummary {
  steps: StepView[];
  executionContext: Record<string, unknown>;
  lineage?: ExecutionLineage;
  /** null when it did not fail or stop */
  failure?: FailureView | null;
}

export interface Paged<T> {
  total: number;
  page: number;
  pageSize: number;
  items: T[];
}

export interface ReportView {
  reportSeq: number;
  kind: 'DAILY' | 'WEEKLY';
  format: 'CSV' | 'XLSX';
  periodFrom: IsoTime;
  periodTo: IsoTime;
  fileName: string;
  rowCount: number;
  sizeBytes: number;
  createdAt: IsoTime;
}

export interface ReportFile {
  reportSeq: number;
  /** where it is on the server: ADMIN only (null for others) */
  path: string | null;
  fileName: string;
  sizeBytes: number;
  /** false when the file was moved or deleted since */
  exists: boolean;
}

export interface AuditEntry {
  auditSeq: number;
  at: IsoTime;
  actor: string;
  action: string;
  target: string | null;
  detail: unknown;
}

export interface StaffView {
  username: string;
  role: Role;
  active: boolean;
  createdAt: IsoTime;
  lastLoginAt: IsoTime | null;
  /** set when the password was generated or set by an admin, until the person chooses their own */
  mustChangePassword: boolean;
  /** until when sign-in is refused after too many failed guesses (an admin may unlock it); null when it is not */
  lockedUntil: IsoTime | null;
}

/** SENT: delivered; PENDING: not tried yet; FAILED: tried and not delivered (last_error says why). */
export type NotificationStatus = 'SENT' | 'PENDING' | 'FAILED';

/** One row of the notification outbox. */
export interface NotificationView {
  notificationSeq: number;
  event: string;
  userId: string;
  userName: string | null;
  text: string;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  createdAt: IsoTime;
  sentAt: IsoTime | null;
  /** what every send of it carries (`<event>:<target_key>`), so a receiver drops repeats */
  idempotencyKey: string;
}

export interface NotificationPage {
  items: NotificationView[];
  /** pass as `after` for the next (older) page; null on the last */
  next: string | null;
}

export interface NotificationResend {
  notification: NotificationView;
  sent: boolean;
  /** why it was not delivered again, in plain words */
  error: Message | null;
}

export interface ScheduleEntry {
  jobName: string;
  cron: string;
  timeZone: string;
  enabled: boolean;
  misfirePolicy: 'RUN_ONCE' | 'SKIP';
  params: Record<string, string | number | boolean>;
  nextFires: IsoTime[];
  lastFire: { fireTime: IsoTime; outcome: string; executionId: number | null; message: string | null } | null;
  modifiedAt: IsoTime;
  modifiedBy: string | null;
  description: Message | null;
}

export type NotifierConfig =
  /** POST each notification as JSON to a relay (KakaoTalk, SMS...) */
  | { kind: 'webhook'; url: string; timeoutMs?: number }
  /** one JSON line per notification in a file (path omitted: <data dir>/notifications.log) */
  | { kind: 'logFile'; path?: string };

export interface SettingsView {
  /** until how many minutes before a class a cancellation is free, and whether a later one takes one use of its pass */
  bookingPolicy: { cancelCutoffMinutes: number; lateCancelCountsAsUse: boolean; deductNoShows: boolean };
  /** the gym's time zone as stored (this desk uses it from the next launch; other desks on the database from their next start) */
  timeZone: string;
  /** the time zone this process reads and shows times in now */
  activeTimeZone: string;
  language: 'ko' | 'en';
  notifier: NotifierConfig;
  /** the database this process uses (PASS_DB_URL), password removed */
  database: { url: string; dialect: 'mysql' | 'sqlite' };
  /** where report, backup and notification-log folders may always be (PASS_DATA_DIR, else the app-data folder) */
  dataFolder: string;
  /** the folders an admin added besides it, resolved and absolute */
  allowedFolders: string[];
  modifiedAt: IsoTime | null;
  modifiedBy: string | null;
}

/** The copies of the embedded database that backupDatabaseJob made (the Settings screen's Backups). */
export interface BackupsView {
  /** false on MySQL/MariaDB, whose server makes its own backups */
  supported: boolean;
  /** the SQLite file in use; null on MySQL */
  databaseFile: string | null;
  /** where the copies go (the nightly schedule's backupDir, else PASS_BACKUP_DIR, else beside the database); null on MySQL */
  folder: string | null;
  /** how many the nightly run keeps */
  keep: number | null;
  /** newest first */
  backups: BackupFile[];
}

export interface BackupFile {
  fileName: string;
  path: string;
  /** the moment in its name: when the copy was taken */
  takenAt: IsoTime;
  sizeBytes: number;
}

/** The outcome of a connection or send test: it ran; ok says whether it worked. */
export interface ConnectionTest {
  ok: boolean;
  /** what was tried, without any password: a database URL, a webhook address or a file */
  target: string;
  /** on success: the server's name and version, or where the message went */
  detail: string | null;
  elapsedMs: number;
  /** on failure: what went wrong, in plain words */
  error: Message | null;
}

/** One message of the live execution stream (GET /api/events, or the IPC event channel). */
export type ExecutionEvent =
  | { type: 'job-started'; executionId: number; jobName: string }
  | { type: 'job-finished'; executionId: number; jobName: string; status: BatchStatus; exitMessage: string }
  | {
      type: 'step-progress';
      executionId: number;
      jobName: string;
      phase: 'started' | 'chunk' | 'finished';
      stepName: string;
      status: BatchStatus;
      readCount: number;
      writeCount: number;
      filterCount: number;
      skipCount: number;
      commitCount: number;
      rollbackCount: number;
      itemsPerSecond: number;
      expectedItems: number | null;
    };

/** A member file in the imports folder (imports.upload). */
export interface ImportUpload {
  /** its name there, which imports.preview and imports.start take */
  fileName: string;
  sizeBytes: number;
}

export type ImportField = 'id' | 'name' | 'phone' | 'group' | 'package' | 'remaining' | 'start' | 'end';

/** The first rows of a member file and how its columns were read, before anything is written. */
export interface ImportPreview {
  fileName: string;
  format: 'csv' | 'xlsx';
  /** how a CSV was decoded (a BOM or valid UTF-8, else CP949); null for .xlsx */
  encoding: 'utf-8' | 'utf-8-bom' | 'cp949' | null;
  header: string[];
  /** each field and the column (0-based) it is read from; null: the file has no such column */
  mapping: Array<{ field: ImportField; column: number | null; header: string | null }>;
  /** why the file can't be imported as it is (a column missing); null when it can */
  problem: Message | null;
  /** the first rows, each with what is wrong with it, if anything */
  rows: Array<{ row: number; cells: string[]; problem: Message | null }>;
  /** rows after the header, counted by lines (CSV); null for .xlsx */
  rowEstimate: number | null;
}

/** An import's execution as the desk sees it: counts, what was made, the first problems, the rejects file. */
export interface ImportStatus {
  execution: ExecutionSummary;
  fileName: string;
  dryRun: boolean;
  failure: FailureView | null;
  step: { status: BatchStatus; read: number; written: number; skipped: number; blank: number; commits: number } | null;
  /** members made (a dry run: would be made), members already there, passes and group memberships added */
  created: number;
  matched: number;
  passesAdded: number;
  groupsAdded: number;
  /** the first rows refused, with why (at most 20) */
  problems: Array<{ row: number; message: Message }>;
  /** rows in the rejects file */
  rejectedRows: number;
  /** its name, once the import has completed with rows refused; null otherwise (and for a dry run) */
  rejectsFile: string | null;
}

/** A rejects file's contents: the refused rows as they were, with a reason column, to fix and import again. */
export interface ImportRejects {
  fileName: string;
  rows: number;
  /** CSV, UTF-8 */
  text: string;
}

// ---- the operations --------------------------------------------------------------------------

type Least = Role | 'PUBLIC' | 'SIGNED_IN';

interface OperationSpec<I extends z.ZodType> {
  /** the least role that may call it (KIOSK: that role alone); PUBLIC: no session needed; SIGNED_IN: any account */
  role: Least;
  input: I;
  /** writes something: the call is recorded in the activity log */
  audited: boolean;
  summary: Message;
}

const op = <I extends z.ZodType>(role: Least, input: I, summary: Message, audited = false): OperationSpec<I> => ({ role, input, audited, summary });

export const operations = {
  'session.login': op('PUBLIC', z.strictObject({ username: z.string().min(1).max(50), password: z.string().min(1).max(200) }), { ko: '로그인', en: 'Sign in' }),
  'session.logout': op('SIGNED_IN', none, { ko: '로그아웃', en: 'Sign out' }),
  'session.me': op('SIGNED_IN', none, { ko: '로그인한 직원', en: 'The signed-in staff member' }),
  'session.changePassword': op(
    'SIGNED_IN',
    z.strictObject({ current: z.string().min(1).max(200), next: password }),
    { ko: '내 비밀번호 변경', en: 'Change my password' },
    true,
  ),

  // First run on the desktop: no account exists yet, and the person at the desk chooses the
  // admin's password. Once any account exists createAdmin is refused (CONFLICT), so it can
  // never take over a console that already has staff (as `serve` always has).
  'setup.status': op('PUBLIC', none, { ko: '첫 실행 설정: 관리자 계정이 필요한지', en: 'First-run setup: whether an admin account is needed' }),
  'setup.createAdmin': op(
    'PUBLIC',
    z.strictObject({ password }),
    { ko: '첫 실행: 관리자 계정(admin) 만들고 로그인', en: 'First run: create the admin account and sign in' },
    true,
  ),

  'members.search': op(
    'FRONT_DESK',
    z.strictObject({ query: z.string().trim().min(1).max(100), limit: z.int().min(1).max(100).optional(), after: cursor.optional() }),
    { ko: '회원 검색 (이름, 전화번호, 전화번호 뒷자리 4개, 회원 ID; 전체 건수와 다음 쪽)', en: "Find members by name, phone, the phone's last four digits or member id (with the total and the next page)" },
  ),
  'members.passes': op('FRONT_DESK', z.strictObject({ userId }), { ko: '회원의 그룹, 이용권과 수업 예약', en: "A member's groups, passes and class bookings" }),
  // Members at the desk (issue 18, slice 1). A phone already someone else's is a warning, not a refusal.
  'members.create': op(
    'FRONT_DESK',
    z.strictObject({
      /** omitted: the next id in the seed's style (M1000001, M1000002, ...) */
      userId: newUserId.optional(),
      userName: memberName,
      phone: phoneNumber.optional(),
      memo: memo.optional(),
      /** groups to put the new member in */
      groups: z.array(userGroupId).max(20).optional(),
    }),
    { ko: '회원 등록 (이름, 전화번호, 메모, 그룹)', en: 'Create a member (name, phone, memo, groups)' },
    true,
  ),
  'members.update': op(
    'FRONT_DESK',
    z
      .strictObject({ userId, userName: memberName.optional(), phone: phoneNumber.nullable().optional(), memo: memo.nullable().optional() })
      .refine((input) => input.userName !== undefined || input.phone !== undefined || input.memo !== undefined, { message: 'give at least one of userName, phone, memo' }),
    { ko: '회원 정보 수정 (이름, 전화번호, 메모; null은 지움)', en: "Edit a member's name, phone or memo (null clears it)" },
    true,
  ),
  'members.deactivate': op('FRONT_DESK', z.strictObject({ userId }), { ko: '회원 휴면 처리 (일괄 지급에서 빠짐)', en: 'Deactivate a member (left out of bulk grants)' }, true),
  'members.reactivate': op('FRONT_DESK', z.strictObject({ userId }), { ko: '휴면 회원 다시 활동', en: 'Reactivate a member' }, true),
  'members.addToGroup': op('FRONT_DESK', z.strictObject({ userId, userGroupId }), { ko: '회원을 그룹에 넣기', en: 'Add a member to a group' }, true),
  'members.removeFromGroup': op('FRONT_DESK', z.strictObject({ userId, userGroupId }), { ko: '회원을 그룹에서 빼기', en: 'Remove a member from a group' }, true),
  'passes.register': op(
    'FRONT_DESK',
    z.strictObject({ userId, packageSeq: seq, startedAt: dateTime, bonusPackageSeq: seq.optional() }),
    { ko: '이용권 등록 (보너스 이용권 포함)', en: 'Register a pass, with an optional bonus pass' },
    true,
  ),
  'packages.list': op('FRONT_DESK', none, { ko: '패키지 목록', en: 'Packages' }),

  // Classes and bookings (issue 18, slice 3).
  'classes.list': op(
    'FRONT_DESK',
    z.strictObject({ from: dateTime, to: dateTime }),
    { ko: '기간의 수업 (주간 달력)', en: 'The classes of a period (the weekly calendar)' },
  ),
  'classes.get': op('FRONT_DESK', z.strictObject({ classSeq: seq }), { ko: '수업과 예약, 대기 명단', en: 'A class with its bookings and waitlist' }),
  'classes.create': op(
    'FRONT_DESK',
    z.strictObject({
      title: z.string().trim().min(1).max(100).refine(visibleId, { message: 'may not hold control or invisible characters' }),
      /** a staff member's name or free text */
      instructor: z.string().trim().max(50).refine(visibleId, { message: 'may not hold control or invisible characters' }).optional(),
      startedAt: dateTime,
      endedAt: dateTime,
      capacity: z.int().min(1).max(1000),
      packageSeqs: z.array(seq).min(1).max(50),
      /** 1: this class only; N: the same weekday and time for N weeks */
      repeatWeeks: z.int().min(1).max(52).optional(),
    }),
    { ko: '수업 만들기 (매주 N주 반복)', en: 'Schedule a class (repeated weekly for N weeks)' },
    true,
  ),
  'bookings.create': op(
    'FRONT_DESK',
    z.strictObject({ classSeq: seq, userId, passSeq: seq }),
    { ko: '수업 예약 (정원이 차면 대기)', en: 'Book a member into a class with a pass (the waitlist when it is full)' },
    true,
  ),
  'bookings.cancel': op(
    'FRONT_DESK',
    z.strictObject({ bookingSeq: seq }),
    { ko: '수업 예약 취소 (대기 첫 회원이 예약됨)', en: 'Cancel a booking (the first waiting member moves in)' },
    true,
  ),
  // Attendance at the desk (issue 18, slice 4): from an hour before the class until its use is deducted.
  'bookings.markAttended': op(
    'FRONT_DESK',
    z.strictObject({ bookingSeq: seq, attended: z.boolean() }),
    { ko: '출석 표시 (또는 취소)', en: 'Mark a booking attended (or not)' },
    true,
  ),
  'classes.markAllAttended': op('FRONT_DESK', z.strictObject({ classSeq: seq }), { ko: '수업 전원 출석', en: 'Mark the whole class attended' }, true),

  // The check-in kiosk (KIOSK accounts only): a member finds themself by the last four digits of
  // their phone, picks their masked name and checks in to today's class. A member is named by an
  // opaque handle, never by id, and nothing of another member can be reached.
  'kiosk.find': op('KIOSK', z.strictObject({ phoneLast4 }), { ko: '키오스크: 전화번호 뒷자리로 회원 찾기 (가린 이름)', en: "Kiosk: find members by their phone's last four digits (masked names)" }),
  'kiosk.member': op('KIOSK', z.strictObject({ phoneLast4, member: kioskHandle }), { ko: '키오스크: 회원의 이용권과 오늘 예약', en: "Kiosk: a member's passes and today's bookings" }),
  'kiosk.checkIn': op(
    'KIOSK',
    z.strictObject({ phoneLast4, member: kioskHandle, bookingSeq: seq }),
    { ko: '키오스크: 오늘 수업 출석 체크', en: "Kiosk: check in to today's class" },
    true,
  ),
  'groups.list': op('FRONT_DESK', none, { ko: '회원 그룹 목록', en: 'Member groups' }),

  'bulkGrants.list': op(
    'FRONT_DESK',
    z.strictObject({ status: z.enum(['READY', 'COMPLETED', 'CANCELLED']).optional() }),
    { ko: '이용권 일괄 지급 목록', en: 'Bulk grants' },
  ),
  'bulkGrants.create': op(
    'FRONT_DESK',
    z.strictObject({
      packageSeq: seq,
      userGroupId,
      count: z.int().min(1).max(10_000).optional(),
      startedAt: dateTime,
      endedAt: dateTime.optional(),
    }),
    { ko: '이용권 일괄 지급 등록', en: 'Register a bulk grant' },
    true,
  ),
  'bulkGrants.cancel': op('FRONT_DESK', z.strictObject({ bulkPassSeq: seq }), { ko: '지급 예정인 일괄 지급 취소', en: 'Cancel a scheduled bulk grant' }, true),
  'bulkGrants.grantNow': op('FRONT_DESK', z.strictObject({ bulkPassSeq: seq }), { ko: '지금 지급 (이용권 일괄 지급 작업 실행)', en: 'Grant now (runs addPassesJob for it)' }, true),

  // 회원 가져오기: the old program's member file, uploaded, previewed, checked (dry run), then imported.
  'imports.upload': op(
    'FRONT_DESK',
    z.strictObject({ fileName: z.string().trim().min(1).max(200), contentBase64: z.string().min(1).max(IMPORT_UPLOAD_BASE64).regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'must be base64' }) }),
    { ko: '회원 파일 올리기 (.csv, .xlsx, 20MB까지)', en: 'Upload a member file (.csv or .xlsx, up to 20 MB)' },
    true,
  ),
  'imports.preview': op('FRONT_DESK', z.strictObject({ fileName: importFileName }), { ko: '회원 파일 미리 보기 (첫 행과 열 연결)', en: 'Preview a member file (its first rows and column mapping)' }),
  'imports.start': op(
    'FRONT_DESK',
    z.strictObject({ fileName: importFileName, dryRun: z.boolean(), language: z.enum(['ko', 'en']).optional() }),
    { ko: '회원 가져오기 실행 (미리 확인 또는 실제 가져오기)', en: 'Run the member import (a dry run or the real one)' },
    true,
  ),
  'imports.status': op('FRONT_DESK', z.strictObject({ id: seq }), { ko: '회원 가져오기 진행과 결과', en: "A member import's progress and outcome" }),
  'imports.rejects': op('FRONT_DESK', z.strictObject({ id: seq }), { ko: '회원 가져오기의 거부 파일', en: "A member import's rejects file" }),

  'statistics.series': op(
    'MANAGER',
    z.strictObject({ from: dateTime, to: dateTime, unit: z.enum(['hour', 'day', 'week']) }),
    { ko: '통계 (시간별, 일별, 주별)', en: 'Statistics by hour, day or week' },
  ),
  'statistics.build': op(
    'MANAGER',
    z.strictObject({ from: dateTime, to: dateTime }),
    { ko: '통계 만들기 (통계 데이터 생성 작업을 기간의 끝난 시간에 실행)', en: 'Build statistics (runs makeStatisticsJob over the ended hours of the range)' },
    true,
  ),

  'jobs.list': op('MANAGER', none, { ko: '배치 작업과 실행 조건', en: 'Batch jobs and their parameters' }),
  'jobs.namesInHistory': op('MANAGER', none, { ko: '실행 기록에 있는 배치 작업 이름', en: 'Job names in the execution history' }),
  'executions.list': op(
    'MANAGER',
    z.strictObject({
      job: jobName.optional(),
      status: batchStatus.optional(),
      /** created at or after (inclusive) */
      from: dateTime.optional(),
      /** created before (exclusive) */
      to: dateTime.optional(),
      page: page.optional(),
      pageSize: pageSize.optional(),
      /** leave out completed runs whose steps all read 0 and wrote 0 */
      hideEmpty: z.boolean().optional(),
    }),
    { ko: '작업 실행 목록 (작업, 상태, 기간으로 거르기)', en: 'Executions, filtered by job, status and time range' },
  ),
  'executions.get': op('MANAGER', z.strictObject({ id: seq }), { ko: '작업 실행 상세', en: 'An execution with its steps' }),
  'executions.launch': op(
    'ADMIN',
    z.strictObject({ job: jobName, params: z.record(z.string().max(100), parameterValue).default({}) }),
    { ko: '배치 작업 실행', en: 'Run a job' },
    true,
  ),
  'executions.restart': op('ADMIN', z.strictObject({ id: seq }), { ko: '재시작', en: 'Restart' }, true),
  'executions.stop': op('ADMIN', z.strictObject({ id: seq }), { ko: '중지', en: 'Stop' }, true),
  'executions.abandon': op('ADMIN', z.strictObject({ id: seq }), { ko: '포기', en: 'Abandon' }, true),
  'executions.markFailed': op('ADMIN', z.strictObject({ id: seq }), { ko: '실패로 표시', en: 'Mark as failed' }, true),

  'reports.list': op('MANAGER', z.strictObject({ kind: z.enum(['DAILY', 'WEEKLY']).optional() }), { ko: '보고서 목록', en: 'Reports' }),
  'reports.file': op('MANAGER', z.strictObject({ id: seq }), { ko: '보고서 파일', en: 'A report file' }),

  'schedules.list': op('ADMIN', none, { ko: '예약 실행 목록', en: 'Schedules' }),
  'schedules.update': op(
    'ADMIN',
    z.strictObject({
      job: jobName,
      cron: z.string().min(1).max(100).optional(),
      enabled: z.boolean().optional(),
      misfirePolicy: z.enum(['RUN_ONCE', 'SKIP']).optional(),
      timeZone: z.string().min(1).max(64).optional(),
      params: z.record(z.string().max(100), parameterValue).optional(),
    }),
    { ko: '예약 실행 변경', en: 'Change a schedule' },
    true,
  ),

  'settings.get': op('ADMIN', none, { ko: '설정', en: 'Settings' }),
  'settings.update': op(
    'ADMIN',
    z
      .strictObject({
        timeZone: timeZoneName.optional(),
        language: z.enum(['ko', 'en']).optional(),
        notifier: notifierConfig.optional(),
        /** the whole list of folders allowed besides the data folder (the screen adds or removes one) */
        allowedFolders: z.array(folderPath).max(20).optional(),
        /** until how many minutes before a class a cancellation is free, and whether a later one takes a use */
        bookingPolicy: z.strictObject({ cancelCutoffMinutes: z.int().min(0).max(10_080), lateCancelCountsAsUse: z.boolean(), deductNoShows: z.boolean().optional() }).optional(),
      })
      .refine((input) => Object.values(input).some((value) => value !== undefined), { message: 'give at least one of timeZone, language, notifier, allowedFolders, bookingPolicy' }),
    { ko: '설정 변경 (시간대, 언어, 알림, 허용 폴더, 예약 취소 규칙)', en: 'Change settings (time zone, language, notifier, allowed folders, the booking cancellation policy)' },
    true,
  ),
  'settings.testDatabase': op('ADMIN', z.strictObject({ url: databaseUrl }), { ko: '데이터베이스 연결 시험', en: 'Test a database connection' }, true),
  'settings.testNotifier': op('ADMIN', none, { ko: '알림 시험 발송', en: 'Send a test notification' }, true),
  'backups.list': op('ADMIN', none, { ko: '데이터베이스 백업 목록', en: 'Database backups' }),
  'backups.run': op('ADMIN', none, { ko: '지금 백업 (데이터베이스 백업 작업 실행)', en: 'Back up now (runs backupDatabaseJob)' }, true),

  // MANAGER for both: managers answer members who say a message never came. A resend carries the
  // row's own idempotency key and text, so it can neither make a new message nor send one twice
  // to a receiver that drops repeats; the notifier's address stays the admin's (settings).
  'notifications.list': op(
    'MANAGER',
    z.strictObject({
      userId: userId.optional(),
      status: z.enum(['SENT', 'PENDING', 'FAILED']).optional(),
      /** created at or after (inclusive) */
      from: dateTime.optional(),
      /** created before (exclusive) */
      to: dateTime.optional(),
      after: cursor.optional(),
      pageSize: pageSize.optional(),
    }),
    { ko: '알림 발송 목록 (회원, 기간, 상태로 거르기)', en: 'The notification outbox, filtered by member, dates and status' },
  ),
  'notifications.resend': op('MANAGER', z.strictObject({ notificationSeq: seq }), { ko: '실패한 알림 다시 보내기', en: 'Resend a failed notification' }, true),

  'audit.list': op(
    'ADMIN',
    z.strictObject({ actor: z.string().max(50).optional(), action: z.string().max(50).optional(), page: page.optional(), pageSize: pageSize.optional() }),
    { ko: '작업 기록', en: 'Activity log' },
  ),

  'staff.list': op('ADMIN', none, { ko: '직원 계정 목록', en: 'Staff accounts' }),
  'staff.create': op('ADMIN', z.strictObject({ username, password, role }), { ko: '직원 계정 만들기', en: 'Create a staff account' }, true),
  'staff.setPassword': op('ADMIN', z.strictObject({ username, password }), { ko: '비밀번호 변경', en: 'Set a password' }, true),
  'staff.setRole': op('ADMIN', z.strictObject({ username, role }), { ko: '권한 변경', en: 'Change a role' }, true),
  'staff.disable': op('ADMIN', z.strictObject({ username }), { ko: '직원 계정 사용 중지', en: 'Disable a staff account' }, true),
  'staff.enable': op('ADMIN', z.strictObject({ username }), { ko: '직원 계정 다시 사용', en: 'Enable a staff account' }, true),
  'staff.unlock': op('ADMIN', z.strictObject({ username }), { ko: '로그인 잠금 해제', en: 'Unlock sign-in for a staff account' }, true),
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type InputOf<N extends OperationName> = z.input<Operations[N]['input']>;
/** The input after its schema: defaults applied, strings trimmed. */
export type ParsedInputOf<N extends OperationName> = z.output<Operations[N]['input']>;

export interface Outputs {
  'session.login': SessionInfo;
  'session.logout': { ok: true };
  'session.me': Me;
  'session.changePassword': { ok: true };
  'setup.status': SetupStatus;
  'setup.createAdmin': SessionInfo;
  'members.search': MemberPage;
  'members.passes': MemberPasses;
  'members.create': MemberSaved;
  'members.update': MemberSaved;
  'members.deactivate': MemberSaved;
  'members.reactivate': MemberSaved;
  'members.addToGroup': MemberSaved;
  'members.removeFromGroup': MemberSaved;
  'passes.register': { passes: PassView[] };
  'packages.list': PackageView[];
  'classes.list': ClassView[];
  'classes.get': ClassDetail;
  'classes.create': ClassView[];
  'bookings.create': BookingOutcome;
  'bookings.cancel': CancelOutcome;
  'bookings.markAttended': ClassDetail;
  'classes.markAllAttended': ClassDetail;
  'kiosk.find': KioskMatch[];
  'kiosk.member': KioskMember;
  'kiosk.checkIn': KioskCheckIn;
  'groups.list': GroupView[];
  'bulkGrants.list': BulkGrantView[];
  'bulkGrants.create': BulkGrantView;
  'bulkGrants.cancel': BulkGrantView;
  'bulkGrants.grantNow': { bulkGrant: BulkGrantView; execution: ExecutionSummary };
  'imports.upload': ImportUpload;
  'imports.preview': ImportPreview;
  'imports.start': ExecutionSummary;
  'imports.status': ImportStatus;
  'imports.rejects': ImportRejects;
  'statistics.series': StatisticsSeries;
  'statistics.build': ExecutionSummary;
  'jobs.list': JobView[];
  /** every job name in the history, those of another application on the same database too */
  'jobs.namesInHistory': string[];
  'executions.list': Paged<ExecutionSummary>;
  'executions.get': ExecutionDetail;
  'executions.launch': ExecutionSummary;
  'executions.restart': ExecutionSummary;
  'executions.stop': ExecutionSummary;
  'executions.abandon': ExecutionSummary;
  'executions.markFailed': ExecutionSummary;
  'reports.list': ReportView[];
  'reports.file': ReportFile;
  'schedules.list': ScheduleEntry[];
  'schedules.update': ScheduleEntry;
  'settings.get': SettingsView;
  'settings.update': SettingsView;
  'settings.testDatabase': ConnectionTest;
  'settings.testNotifier': ConnectionTest;
  'backups.list': BackupsView;
  'backups.run': ExecutionSummary;
  'notifications.list': NotificationPage;
  'notifications.resend': NotificationResend;
  'audit.list': Paged<AuditEntry>;
  'staff.list': StaffView[];
  'staff.create': StaffView;
  'staff.setPassword': StaffView;
  'staff.setRole': StaffView;
  'staff.disable': StaffView;
  'staff.enable': StaffView;
  'staff.unlock': StaffView;
}

export type OutputOf<N extends OperationName> = Outputs[N];

/** What a transport's client looks like to the renderer: one typed call, however it travels. */
export interface ServiceClient {
  call<N extends OperationName>(name: N, input: InputOf<N>): Promise<OutputOf<N>>;
}

export const OPERATION_NAMES = Object.keys(operations) as OperationName[];

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(operations, name);
}
