// The tables the service reads and writes, typed for Kysely: the pass domain's, and the staff
// tables of db/migrations/004_staff.ts and the settings of 005_settings.ts. Batch metadata is reached through the JobRepository.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../batch/index.ts';
import type { SettingsTable } from '../pass/savedSettings.ts';
import type { DbBool, DbTime, PassTables } from '../pass/schema.ts';
import type { Role } from './contract.ts';

export interface StaffAccountTable {
  username: string;
  password_hash: string;
  role: Role;
  active: DbBool;
  created_at: DbTime;
  created_by: string | null;
  modified_at: DbTime | null;
  last_login_at: DbTime | null;
  /** db/migrations/008_people.ts: 1 until the person chooses their own password (a generated or admin-set one) */
  must_change_password: import('kysely').ColumnType<DbBool, DbBool | undefined, DbBool>;
}

export interface StaffSessionTable {
  token_hash: string;
  username: string;
  created_at: DbTime;
  expires_at: DbTime;
}

export interface AuditLogTable {
  audit_seq: import('kysely').Generated<number>;
  at: DbTime;
  actor: string;
  action: string;
  target: string | null;
  detail: string | null;
}

/** db/migrations/005_settings.ts: one row per setting, its value as JSON (read by the jobs too, hence in main/pass). */
export type { SettingsTable };

export interface ServiceTables extends PassTables {
  staff_account: StaffAccountTable;
  staff_session: StaffSessionTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
}

export type ServiceDb = Kysely<ServiceTables>;
export type ServiceTx = Transaction<ServiceTables>;
export type Executor = ServiceDb | ServiceTx;

export const serviceDb = (db: Database): ServiceDb => db.kysely as ServiceDb;

/** Both drivers may return counts and BIGINT keys as strings. */
export const num = (value: unknown): number => Number(value ?? 0);
