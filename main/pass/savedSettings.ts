// The settings staff saved from the console (db/migrations/005_settings.ts: one row per
// setting, its value as JSON), read as plainly as possible. It lives here, in the pass layer,
// because both sides need it and only this layer can be imported by both: the notification
// jobs read the saved notifier at the start of every send (main/pass may not import
// main/service), and the service reads and writes the same rows for the Settings screen
// (main/service/settings.ts) and the runtime reads the saved time zone at start. The batch
// engine stays out of it: it knows nothing of gyms or notifiers.
import type { Kysely } from 'kysely';
import { IANAZone } from 'luxon';
import { fromDbTime } from '../batch/index.ts';
import type { BookingPolicy } from './bookingPolicy.ts';
import type { DbTime } from './schema.ts';

/** db/migrations/005_settings.ts */
export interface SettingsTable {
  setting_key: string;
  /** the setting's value as JSON */
  value: string;
  modified_at: DbTime;
  modified_by: string | null;
}

/** The notifier a gym chose (main/service/contract.ts NotifierConfig has the same shape). */
export type SavedNotifier =
  | { kind: 'webhook'; url: string; timeoutMs?: number }
  /** path omitted: <data dir>/notifications.log */
  | { kind: 'logFile'; path?: string };

/** allowedFolders: the folders an admin added for reports, backups and the notification log (main/batch/folders.ts reads them). */
/** bookingPolicy: the booking cut-off and whether a late cancellation takes a use (main/pass/bookingPolicy.ts). */
export const SETTING_KEYS = ['timeZone', 'language', 'notifier', 'allowedFolders', 'bookingPolicy'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

/** Only what was saved: a setting nobody saved (or a row edited by hand into nonsense) is absent. */
export interface SavedSettings {
  timeZone?: string;
  language?: 'ko' | 'en';
  notifier?: SavedNotifier;
  /** resolved, absolute */
  allowedFolders?: string[];
  bookingPolicy?: BookingPolicy;
  /** the latest change among the settings read, and who made it */
  modifiedAt: Date | null;
  modifiedBy: string | null;
}

function valid(key: SettingKey, value: unknown): boolean {
  switch (key) {
    case 'timeZone':
      return typeof value === 'string' && IANAZone.isValidZone(value);
    case 'language':
      return value === 'ko' || value === 'en';
    case 'notifier': {
      const v = value as SavedNotifier | null;
      if (!v || typeof v !== 'object') return false;
      if (v.kind === 'webhook') return typeof v.url === 'string' && (v.timeoutMs === undefined || typeof v.timeoutMs === 'number');
      return v.kind === 'logFile' && (v.path === undefined || typeof v.path === 'string');
    }
    case 'allowedFolders':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'bookingPolicy': {
      const v = value as BookingPolicy | null;
      return !!v && typeof v === 'object' && Number.isInteger(v.cancelCutoffMinutes) && v.cancelCutoffMinutes >= 0 && v.cancelCutoffMinutes <= 10_080 && typeof v.lateCancelCountsAsUse === 'boolean' && (v.deductNoShows === undefined || typeof v.deductNoShows === 'boolean');
    }
  }
}

/** A database migrated before 005_settings (or a bare test schema) has nothing saved. */
function isMissingTable(error: unknown): boolean {
  const e = error as { code?: unknown; errno?: unknown; message?: unknown } | null;
  return e?.code === 'ER_NO_SUCH_TABLE' || e?.errno === 1146 || /no such table/i.test(String(e?.message ?? ''));
}

/**
 * The saved settings. A bad row is skipped rather than refused, so that a value edited by hand
 * can never stop the console from starting or a job from sending: the default then holds.
 */
export async function readSavedSettings(db: Kysely<any>): Promise<SavedSettings> {
  let rows: SettingsTable[];
  try {
    rows = (await (db as Kysely<{ settings: SettingsTable }>).selectFrom('settings').selectAll().execute()) as SettingsTable[];
  } catch (error) {
    if (isMissingTable(error)) return { modifiedAt: null, modifiedBy: null };
    throw error;
  }
  const saved: SavedSettings = { modifiedAt: null, modifiedBy: null };
  for (const row of rows) {
    if (!(SETTING_KEYS as readonly string[]).includes(row.setting_key)) continue;
    let value: unknown;
    try {
      value = JSON.parse(String(row.value));
    } catch {
      continue;
    }
    const key = row.setting_key as SettingKey;
    if (!valid(key, value)) continue;
    (saved as unknown as Record<SettingKey, unknown>)[key] = value;
    const at = fromDbTime(row.modified_at);
    if (!saved.modifiedAt || at > saved.modifiedAt) {
      saved.modifiedAt = at;
      saved.modifiedBy = row.modified_by;
    }
  }
  return saved;
}
