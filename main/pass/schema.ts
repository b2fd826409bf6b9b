// The pass domain's tables as Kysely sees them (db/migrations/002_pass_domain.ts makes them).
// Values are what both drivers return: times are UTC strings, booleans are 0/1.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** UTC time as both databases store it: 'YYYY-MM-DD HH:MM:SS.mmm' (toDbTime / fromDbTime). */
export type DbTime = string;
/** TINYINT(1) on MySQL, INTEGER on SQLite: 0 or 1 both ways (better-sqlite3 cannot bind `true`). */
export type DbBool = 0 | 1;

/** Has a database default, so inserts may leave it out. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
type CreatedAt = Defaulted<DbTime>;

function values<const T extends Record<string, string>>(o: T): T & { readonly all: readonly T[keyof T][] } {
  return Object.freeze({ ...o, all: Object.freeze(Object.values(o)) as readonly T[keyof T][] });
}

/** CANCELLED: cancelled at the desk (migration 017), never used again; no job changes it. */
export const PassStatus = values({ READY: 'READY', PROGRESSED: 'PROGRESSED', EXPIRED: 'EXPIRED', CANCELLED: 'CANCELLED' });
export type PassStatus = (typeof PassStatus.all)[number];

export const BulkPassStatus = values({ READY: 'READY', COMPLETED: 'COMPLETED', CANCELLED: 'CANCELLED' });
export type BulkPassStatus = (typeof BulkPassStatus.all)[number];

export const BookingStatus = values({ READY: 'READY', PROGRESSED: 'PROGRESSED', COMPLETED: 'COMPLETED', CANCELLED: 'CANCELLED' });
export type BookingStatus = (typeof BookingStatus.all)[number];
/** The statuses of a booking that holds its place in a class: every one but CANCELLED. */
export const LIVE_BOOKING: BookingStatus[] = [BookingStatus.READY, BookingStatus.PROGRESSED, BookingStatus.COMPLETED];

/** How a sale at the desk was paid (migration 018): 카드 / Card, 현금 / Cash, 계좌이체 / Bank transfer. */
export const PaymentMethod = values({ CARD: 'CARD', CASH: 'CASH', TRANSFER: 'TRANSFER' });
export type PaymentMethod = (typeof PaymentMethod.all)[number];

export const UserStatus = values({ ACTIVE: 'ACTIVE', INACTIVE: 'INACTIVE' });
export type UserStatus = (typeof UserStatus.all)[number];

/**
 * WAITLIST_BOOKED: a cancellation moved a waiting member into the class (issue 18);
 * CLASS_CANCELLED: the desk cancelled a class the member was booked into or waiting for;
 * CLASS_MOVED: the desk changed the start or end of such a class (one row per move);
 * WAITLIST_REMOVED: the member was taken off a class's waitlist because they could no longer move in;
 * MEMBER_DEACTIVATED: the member was deactivated, and with it a booking of theirs still to come was
 * cancelled or a waitlist place of theirs given up (one row per booking or waitlist place);
 * PASS_CANCELLED: the desk cancelled a pass, and with it a booking still to come made with it or a
 * waitlist place held with it (one row per booking or waitlist place).
 */
export const NotificationEvent = values({ BEFORE_CLASS: 'BEFORE_CLASS', EXPIRY_REMINDER: 'EXPIRY_REMINDER', WAITLIST_BOOKED: 'WAITLIST_BOOKED', CLASS_CANCELLED: 'CLASS_CANCELLED', CLASS_MOVED: 'CLASS_MOVED', WAITLIST_REMOVED: 'WAITLIST_REMOVED', MEMBER_DEACTIVATED: 'MEMBER_DEACTIVATED', PASS_CANCELLED: 'PASS_CANCELLED' });
export type NotificationEvent = (typeof NotificationEvent.all)[number];

export const ReportKind = values({ DAILY: 'DAILY', WEEKLY: 'WEEKLY' });
export type ReportKind = (typeof ReportKind.all)[number];

export const ReportFormat = values({ CSV: 'CSV', XLSX: 'XLSX' });
export type ReportFormat = (typeof ReportFormat.all)[number];

export interface PackageTable {
  package_seq: Generated<number>;
  package_name: string;
  /** uses a pass starts with; NULL: unlimited */
  count: number | null;
  /** days a pass lasts; NULL: never ends */
  period: number | null;
  created_at: CreatedAt;
  modified_at: DbTime | null;
  /** when it was taken off sale (migration 015): no new sale, bulk grant or class; NULL: on sale */
  retired_at: ColumnType<DbTime | null, DbTime | null | undefined, DbTime | null>;
  /** what a pass of it sells for, in whole won (migration 016); NULL: no price set */
  price: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface PassTable {
  pass_seq: Generated<number>;
  package_seq: number;
  user_id: string;
  status: PassStatus;
  /** NULL: unlimited */
  remaining_count: number | null;
  started_at: DbTime;
  /** NULL: never ends */
  ended_at: DbTime | null;
  expired_at: DbTime | null;
  /** the bulk grant that created it; unique with user_id, so a grant never gives a member two */
  bulk_pass_seq: number | null;
  created_at: CreatedAt;
  modified_at: DbTime | null;
  /** what the desk sold it for, in whole won, its package's price at the sale (migration 016); NULL: not sold (granted in bulk, imported, a bonus, or sold before prices existed) */
  price: ColumnType<number | null, number | null | undefined, number | null>;
  /** when the desk cancelled it (migration 017, status CANCELLED); NULL: not cancelled */
  cancelled_at: ColumnType<DbTime | null, DbTime | null | undefined, DbTime | null>;
  /** what was handed back at the cancellation, in whole won; NULL: not cancelled, or not sold */
  refund: ColumnType<number | null, number | null | undefined, number | null>;
  /** the desk's words on why (at most 200 characters); NULL: none given */
  cancel_reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** how the desk was paid for it (migration 018); NULL: not sold for more than 0원, or sold before methods were kept */
  payment_method: ColumnType<PaymentMethod | null, PaymentMethod | null | undefined, PaymentMethod | null>;
}

export interface BulkPassTable {
  bulk_pass_seq: Generated<number>;
  package_seq: number;
  user_group_id: string;
  status: BulkPassStatus;
  /** uses each granted pass starts with; NULL: the package's count */
  count: number | null;
  /** when the grant is due (addPassesJob picks READY grants whose started_at <= now) */
  started_at: DbTime;
  /** when the granted passes end; NULL: started_at + the package's period, if it has one */
  ended_at: DbTime | null;
  created_at: CreatedAt;
  modified_at: DbTime | null;
}

export interface BookingTable {
  booking_seq: Generated<number>;
  pass_seq: number;
  user_id: string;
  status: BookingStatus;
  /** 1 once usePassesJob has deducted this class from its pass */
  used_pass: Defaulted<DbBool>;
  attended: Defaulted<DbBool>;
  started_at: DbTime;
  ended_at: DbTime;
  cancelled_at: DbTime | null;
  created_at: CreatedAt;
  modified_at: DbTime | null;
  /** the class it is for (db/migrations/011_classes.ts); NULL for the seed's bookings */
  class_seq: ColumnType<number | null, number | null | undefined, number | null>;
  /** when the member was marked attended, at the desk or the kiosk (db/migrations/012_attendance.ts) */
  attended_at: ColumnType<DbTime | null, DbTime | null | undefined, DbTime | null>;
  /** 1: completed as a no-show under the "only attended classes are deducted" policy, so no use is taken */
  no_show_free: Defaulted<DbBool>;
}

/** 수업 (db/migrations/011_classes.ts). */
export interface GymClassTable {
  class_seq: Generated<number>;
  title: string;
  /** a staff member's name or free text */
  instructor: string | null;
  started_at: DbTime;
  ended_at: DbTime;
  capacity: number;
  /** a weekly series: its first class's seq */
  series_seq: number | null;
  created_at: DbTime;
  modified_at: DbTime | null;
  /** when the desk cancelled it (db/migrations/013_class_cancel.ts); NULL: not cancelled */
  cancelled_at: ColumnType<DbTime | null, DbTime | null | undefined, DbTime | null>;
}

/** The packages whose passes may book a class. */
export interface GymClassPackageTable {
  class_seq: number;
  package_seq: number;
  created_at: DbTime;
}

/** A member waiting for a place in a full class, with the pass they will use; first come, first in. */
export interface ClassWaitlistTable {
  waitlist_seq: Generated<number>;
  class_seq: number;
  user_id: string;
  pass_seq: number;
  created_at: DbTime;
}

/**
 * A member taken off a class's waitlist (db/migrations/014_waitlist_removed.ts): DESK at the desk;
 * OVERLAP booked into another class at the same time, PASS their pass no longer pays for the class
 * (both found when a place opened or the class changed, and told through the outbox); INACTIVE the
 * member was deactivated (members.deactivate takes them off every waitlist still to come).
 */
export interface ClassWaitlistRemovedTable {
  removed_seq: Generated<number>;
  class_seq: number;
  user_id: string;
  pass_seq: number;
  waited_since: DbTime;
  reason: 'DESK' | 'OVERLAP' | 'PASS' | 'INACTIVE';
  reason_ko: string;
  reason_en: string;
  /** when they were taken off */
  created_at: DbTime;
}

export interface UserTable {
  user_id: string;
  user_name: string;
  status: UserStatus;
  phone: string | null;
  /**
   * JSON text, e.g. '{"uuid":"<KakaoTalk uuid>"}'. MariaDB and SQLite return it as text;
   * MySQL 8's JSON type comes back already parsed unless mysql2 has `jsonStrings: true`.
   */
  meta: ColumnType<string | null, string | null | undefined, string | null>;
  /** the desk's note on the member (db/migrations/010_member_memo.ts); NULL: none */
  memo: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  modified_at: DbTime | null;
}

export interface UserGroupMappingTable {
  user_group_id: string;
  user_id: string;
  user_group_name: string;
  description: string;
  created_at: CreatedAt;
  modified_at: DbTime | null;
}

export interface NotificationTable {
  notification_seq: Generated<number>;
  /** the recipient's messenger (KakaoTalk) uuid, as in the seed; NULL when the member has none */
  uuid: string | null;
  event: NotificationEvent;
  text: string;
  sent: Defaulted<DbBool>;
  sent_at: DbTime | null;
  user_id: string;
  booking_seq: number | null;
  pass_seq: number | null;
  /**
   * What the notification is about, unique with `event`: one row per event and target however
   * often the writer runs, e.g. 'booking:42', or 'pass:7:ENDING' / 'pass:7:LAST_USE' for one
   * reminder per pass and reason. `${event}:${target_key}` is a stable idempotency key.
   */
  target_key: string;
  /** sends tried so far; the sender gives up after its last attempt and keeps last_error */
  attempts: Defaulted<number>;
  last_error: string | null;
  created_at: CreatedAt;
  modified_at: DbTime | null;
}

export interface StatisticsTable {
  statistics_seq: Generated<number>;
  /** the start of an hour bucket, unique: rebuilding a window upserts instead of doubling */
  statistics_at: DbTime;
  all_count: Defaulted<number>;
  attended_count: Defaulted<number>;
  cancelled_count: Defaulted<number>;
  created_at: CreatedAt;
  modified_at: DbTime | null;
}

export interface ReportTable {
  report_seq: Generated<number>;
  kind: ReportKind;
  /** [period_from, period_to), unique with kind and format */
  period_from: DbTime;
  period_to: DbTime;
  file_path: string;
  format: ReportFormat;
  row_count: number;
  size_bytes: number;
  created_at: CreatedAt;
  modified_at: DbTime | null;
}

/** `Kysely<PassTables>` (or merge it into a wider database interface) for typed queries. */
export interface PassTables {
  package: PackageTable;
  pass: PassTable;
  bulk_pass: BulkPassTable;
  booking: BookingTable;
  user: UserTable;
  user_group_mapping: UserGroupMappingTable;
  notification: NotificationTable;
  statistics: StatisticsTable;
  report: ReportTable;
  gym_class: GymClassTable;
  gym_class_package: GymClassPackageTable;
  class_waitlist: ClassWaitlistTable;
  class_waitlist_removed: ClassWaitlistRemovedTable;
}

export type PackageRow = Selectable<PackageTable>;
export type PassRow = Selectable<PassTable>;
export type NewPass = Insertable<PassTable>;
export type PassUpdate = Updateable<PassTable>;
export type BulkPassRow = Selectable<BulkPassTable>;
export type BookingRow = Selectable<BookingTable>;
export type NewBooking = Insertable<BookingTable>;
export type UserRow = Selectable<UserTable>;
export type UserGroupMappingRow = Selectable<UserGroupMappingTable>;
export type NotificationRow = Selectable<NotificationTable>;
export type NewNotification = Insertable<NotificationTable>;
export type StatisticsRow = Selectable<StatisticsTable>;
export type ReportRow = Selectable<ReportTable>;
