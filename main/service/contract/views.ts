// The contract's views: what every operation answers (main/service/contract/operations.ts names
// each answer next to its input). Plain data: times are ISO 8601 strings, words come in Korean
// and English (Message).
import type { StepCounts } from '../../batch/model.ts';
import type { BatchStatus } from '../../batch/status.ts';
import type { Message } from '../errors.ts';
import type { Role } from './inputs.ts';

// ---- what comes back -------------------------------------------------------------------------

export type IsoTime = string;
/** CANCELLED: cancelled at the desk (passes.cancel), whatever its end or uses */
export type PassStatus = 'READY' | 'PROGRESSED' | 'EXPIRED' | 'CANCELLED';
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
  /** the database already holds members, packages or passes: the first run can't add the demo gym */
  hasGymData: boolean;
}

/**
 * How far a gym that started empty has come (setup.firstSteps), read from the gym itself: the
 * home screen of a manager or admin lists what is left while packages or members are missing
 * (`listNeeded`). Once the list is not needed, the three counts below are not made: each is 1
 * when there is any, 0 when there is none (a full count of a big gym's members on every home
 * visit bought nothing then).
 */
export interface FirstStepsView {
  /** the gym has no package on sale or no active member yet: the home screen lists the steps */
  listNeeded: boolean;
  /** packages on sale (what the desk can sell, grant and book with); not counted past 1 unless `listNeeded` */
  packagesOnSale: number;
  /** active members; not counted past 1 unless `listNeeded` */
  members: number;
  /** classes not cancelled that have not ended yet; not counted past 1 unless `listNeeded` */
  upcomingClasses: number;
  /** enabled accounts that work the desk or manage (front desk, manager) */
  staffAccounts: number;
  /** enabled check-in kiosk accounts */
  kioskAccounts: number;
  /** messages to members go out through a relay (webhook), not only into the notifications log file */
  membersHearFromGym: boolean;
}

export interface MemberSummary {
  userId: string;
  userName: string;
  phone: string | null;
  status: 'ACTIVE' | 'INACTIVE';
  /** usable passes: READY or PROGRESSED and not due to expire (main/pass/passQueries.ts usablePass) */
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
  /**
   * members.deactivate: what it cancelled with the member (no use taken), the waiting members it
   * moved into the places freed, and how many notifications it wrote to tell the member (one per
   * booking and waitlist place, MEMBER_DEACTIVATED)
   */
  cancelled?: { bookings: number; waitlist: number; promoted: number; notified: number };
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
  /** when the desk cancelled it (it stays on the calendar, shown as cancelled); null: not cancelled */
  cancelledAt: IsoTime | null;
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

/**
 * A member taken off a class's waitlist, and why. DESK: at the desk (waitlist.remove). OVERLAP:
 * booked into another class at the same time, PASS: their pass no longer pays for this class (its
 * package taken off the class, the pass ended or used up...); both found when a place opened or the
 * class changed, and the member was told through the outbox (WAITLIST_REMOVED). INACTIVE: the
 * member was deactivated (members.deactivate), and told through the outbox (MEMBER_DEACTIVATED).
 */
export interface WaitlistRemovedView {
  userId: string;
  userName: string | null;
  passSeq: number;
  reason: 'DESK' | 'OVERLAP' | 'PASS' | 'INACTIVE';
  why: Message;
  waitedSince: IsoTime;
  removedAt: IsoTime;
  /**
   * Whether the member was sent word of it: a WAITLIST_REMOVED or MEMBER_DEACTIVATED message was
   * written with the removal. Never at the desk; not for members deactivated before deactivations
   * were told.
   */
  told: boolean;
}

/** A class with its bookings (oldest first), its waitlist (in the order it moves in) and the members taken off it (first taken first). */
export interface ClassDetail {
  class: ClassView;
  bookings: ClassBookingView[];
  waitlist: WaitlistEntryView[];
  removedFromWaitlist: WaitlistRemovedView[];
  /**
   * The cancellation rule in force (Settings, read now), so the desk's confirmation can say
   * whether cancelling a booking now is free or takes a use: free until `cutoffMinutes` before
   * the class, then a use when `lateCancelCountsAsUse`.
   */
  cancelPolicy: { cutoffMinutes: number; lateCancelCountsAsUse: boolean };
}

/** A member the kiosk found: an opaque handle (good until the console restarts) and the masked name (김*수), nothing else. */
export interface KioskMatch {
  member: string;
  maskedName: string;
}

/** What the kiosk shows a member who picked their name: their live passes and today's class bookings. */
export interface KioskMember extends KioskMatch {
  /** the gym's time zone, to show the times in */
  timeZone: string;
  /** the passes usable now or later (startedAt after now: not started yet, from then on) */
  passes: Array<{ packageName: string; remainingCount: number | null; startedAt: IsoTime; endedAt: IsoTime | null }>;
  bookings: Array<{ bookingSeq: number; classTitle: string; startedAt: IsoTime; endedAt: IsoTime; attended: boolean; canCheckIn: boolean }>;
  /**
   * With no usable pass, why: the member's own latest pass that can't be used any more, its end
   * come (endedAt) or its uses run out (usedUp); null with a usable pass, or none ever.
   */
  lastPass: { packageName: string; endedAt: IsoTime | null; usedUp: boolean } | null;
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

/** A class changed before it started; a new start or end is told to every member booked or waiting. */
export interface ClassUpdated extends ClassDetail {
  /** CLASS_MOVED notifications written to the outbox, one per booking and waitlist place; 0 when the times stayed */
  notified: number;
}

/** A class cancelled before it started: its bookings cancelled free, its waitlist emptied, everyone told. */
export interface ClassCancelled {
  /** bookings cancelled with it (no use taken) */
  bookingsCancelled: number;
  /** members taken off its waitlist */
  waitlistCleared: number;
  /** notifications written to the outbox, one per member booked or waiting */
  notified: number;
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
  /** EXPIRED as soon as the pass is due to expire (its end has come or its uses ran out), before expirePassesJob writes it */
  status: PassStatus;
  /** null: unlimited */
  remainingCount: number | null;
  startedAt: IsoTime;
  /** null: never ends */
  endedAt: IsoTime | null;
  expiredAt: IsoTime | null;
  bulkPassSeq: number | null;
  /** what the desk sold it for, in whole won (its package's price at the sale); null: not sold (granted in bulk, imported, a bonus, or sold before its package had a price) */
  price: number | null;
  /** when the desk cancelled it (status CANCELLED); null: not cancelled */
  cancelledAt: IsoTime | null;
  /** what was handed back at the cancellation, in whole won; null: not cancelled, or a pass not sold */
  refund: number | null;
  /** the desk's words on why it was cancelled; null: none given */
  cancelReason: string | null;
  /** how the desk was paid for it; null: not sold for more than 0원 (a grant, an import, a bonus, a package with no price or at 0원), or sold before methods were kept */
  paymentMethod: PaymentMethod | null;
}

/** How a sale at the desk was paid: 카드 / Card, 현금 / Cash, 계좌이체 / Bank transfer. */
export type PaymentMethod = 'CARD' | 'CASH' | 'TRANSFER';

/** passes.cancel: the member as the screen shows them now, and what went with the pass. */
export interface PassCancelled {
  detail: MemberPasses;
  /** the pass's bookings still to come cancelled (no use taken), its waitlist places given up, the waiting members moved into the places freed, and the messages written to tell the member (PASS_CANCELLED, one per booking and place) */
  cancelled: { bookings: number; waitlist: number; promoted: number; notified: number };
}

/** passes.extend: the member as the screen shows them now, and the pass as it was and is. */
export interface PassExtended {
  detail: MemberPasses;
  before: { endedAt: IsoTime | null; remainingCount: number | null };
  after: { endedAt: IsoTime | null; remainingCount: number | null };
}

export interface BookingView {
  bookingSeq: number;
  passSeq: number;
  status: 'READY' | 'PROGRESSED' | 'COMPLETED' | 'CANCELLED';
  attended: boolean;
  usedPass: boolean;
  startedAt: IsoTime;
  endedAt: IsoTime;
  /** the class it was made for on the Classes screen; null for a booking without one (the seed's) */
  classSeq: number | null;
  classTitle: string | null;
}

export interface MemberPasses {
  member: MemberProfile;
  /** the member groups they are in, by id */
  groups: MemberGroupView[];
  passes: PassView[];
  /** the latest 20 */
  bookings: BookingView[];
  /** bookings not cancelled whose class is still to come, and places on the waitlists of classes still to come: what deactivating the member cancels */
  upcoming: { bookings: number; waitlist: number };
}

export interface PackageView {
  packageSeq: number;
  packageName: string;
  /** uses a pass starts with; null: unlimited */
  count: number | null;
  /** days a pass lasts; null: never ends */
  period: number | null;
  /** when it was taken off sale: not offered for a new sale, bulk grant or class; null: on sale */
  retiredAt: IsoTime | null;
  /** what a pass of it sells for at the desk, in whole won; null: no price set */
  price: number | null;
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

/** What the gym took in over a range: the passes sold at the desk with a price (a pass without one was not sold), by day and by package. */
export interface SalesSummary {
  timeZone: string;
  /** every day of the range in the gym's time zone, in order, zeros too */
  days: SalesDay[];
  /** net: what the sales took in less what the refunds handed back, over the range */
  totals: SalesFigures & { net: number };
  /** the packages sold or refunded in the range, the largest total first */
  packages: Array<SalesFigures & { packageSeq: number; packageName: string }>;
  /**
   * What the till should hold, by how each sale was paid: for each method with a sale or a refund
   * in the range (card, cash, bank transfer in that order, then null), the passes sold for more
   * than 0원 with it and what they took in, and the refunds of passes paid with it (money goes back
   * the way it came), on the day of the cancellation. `paymentMethod` null: sold before the desk
   * recorded methods (a price but no method). A 0원 sale took no money and is in no method.
   */
  byMethod: Array<SalesFigures & { paymentMethod: PaymentMethod | null }>;
}

/**
 * A sale counts on the day it was made, a refund on the day its pass was cancelled (a pass sold on
 * Monday and refunded on Friday is in Monday's sales and Friday's refunds).
 */
export interface SalesFigures {
  /** passes sold with a price */
  count: number;
  /** their prices added up, in whole won */
  total: number;
  /** sold passes cancelled, with or without money handed back */
  refundCount: number;
  /** what was handed back, in whole won */
  refunded: number;
}

export interface SalesDay extends SalesFigures {
  /** yyyy-MM-dd, the gym's */
  day: string;
  /** when the day starts */
  at: IsoTime;
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
  /**
   * for a scheduled launch (`scheduler@<desk name>`): true when this console's schedule launched
   * it, false when another console's on the same database did; absent for other launches, or
   * when the service has no schedule to compare with
   */
  scheduledHere?: boolean;
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
