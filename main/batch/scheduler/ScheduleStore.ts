// BATCH_SCHEDULE and BATCH_SCHEDULE_FIRE, read and written. The claim of a fire is a plain
// INSERT against the UNIQUE (JOB_NAME, FIRE_TIME) key: atomic on MySQL and SQLite alike, and
// whoever gets a duplicate-key error knows another desk has that fire.
import type { Kysely } from 'kysely';
import type { Database } from '../database/connection.ts';
import { fromDbTime, insertIgnore, isDuplicateKeyError, toDbTime } from '../database/dialect.ts';
import type { FireOutcome, MisfirePolicy, Schedule, ScheduleFire, ScheduleParamValue } from './model.ts';

export const SCHEDULE_TABLE = 'BATCH_SCHEDULE';
export const FIRE_TABLE = 'BATCH_SCHEDULE_FIRE';

const MESSAGE_MAX = 2500;
const clip = (text: string | null | undefined) =>
  text == null ? null : text.length > MESSAGE_MAX ? text.slice(0, MESSAGE_MAX - 1) + '…' : text;

interface ScheduleRow {
  JOB_NAME: string;
  CRON: string;
  TIME_ZONE: string;
  ENABLED: number | boolean | string;
  MISFIRE_POLICY: string;
  PARAMS: string | null;
  ACTIVE_SINCE: string;
  LAST_FIRE_AT: string | null;
  CREATED_AT: string;
  MODIFIED_AT: string;
  MODIFIED_BY: string | null;
}

interface FireRow {
  FIRE_ID: number | string;
  JOB_NAME: string;
  FIRE_TIME: string;
  CLAIMED_BY: string;
  CLAIMED_AT: string;
  CLAIM_EXPIRES_AT: string;
  JOB_EXECUTION_ID: number | string | null;
  OUTCOME: string;
  MESSAGE: string | null;
  ENDED_AT: string | null;
}

function parseParams(text: string | null): Record<string, ScheduleParamValue> {
  if (!text) return {};
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

function toSchedule(row: ScheduleRow): Schedule {
  return {
    jobName: row.JOB_NAME,
    cron: row.CRON,
    timeZone: row.TIME_ZONE,
    enabled: Boolean(Number(row.ENABLED)),
    misfirePolicy: row.MISFIRE_POLICY as MisfirePolicy,
    params: parseParams(row.PARAMS),
    activeSince: fromDbTime(row.ACTIVE_SINCE),
    lastFireAt: fromDbTime(row.LAST_FIRE_AT),
    createdAt: fromDbTime(row.CREATED_AT),
    modifiedAt: fromDbTime(row.MODIFIED_AT),
    modifiedBy: row.MODIFIED_BY,
  };
}

function toFire(row: FireRow): ScheduleFire {
  return {
    id: Number(row.FIRE_ID),
    jobName: row.JOB_NAME,
    fireTime: fromDbTime(row.FIRE_TIME),
    claimedBy: row.CLAIMED_BY,
    claimedAt: fromDbTime(row.CLAIMED_AT),
    executionId: row.JOB_EXECUTION_ID === null ? null : Number(row.JOB_EXECUTION_ID),
    outcome: row.OUTCOME as FireOutcome,
    message: row.MESSAGE,
    endedAt: fromDbTime(row.ENDED_AT),
  };
}

/** The result of trying to claim a fire. */
export type Claim =
  | { kind: 'ours'; fireId: number }
  /** another desk has it and has launched it (or settled it): handled */
  | { kind: 'taken'; fire: ScheduleFire }
  /** another desk claimed it moments ago and is launching it: look again next tick */
  | { kind: 'pending'; fire: ScheduleFire };

export class ScheduleStore {
  private readonly db: Kysely<any>;

  constructor(private readonly database: Database) {
    this.db = database.kysely;
  }

  async all(): Promise<Schedule[]> {
    const rows = (await this.db.selectFrom(SCHEDULE_TABLE).selectAll().orderBy('JOB_NAME').execute()) as ScheduleRow[];
    return rows.map(toSchedule);
  }

  async get(jobName: string): Promise<Schedule | undefined> {
    const row = (await this.db.selectFrom(SCHEDULE_TABLE).selectAll().where('JOB_NAME', '=', jobName).executeTakeFirst()) as ScheduleRow | undefined;
    return row && toSchedule(row);
  }

  /** Inserts the schedule unless one for the job exists; true when this call inserted it. */
  async insertIfMissing(schedule: Omit<Schedule, 'lastFireAt'>): Promise<boolean> {
    const result = await insertIgnore(this.database.dialect, this.db, SCHEDULE_TABLE)
      .values({
        JOB_NAME: schedule.jobName,
        CRON: schedule.cron,
        TIME_ZONE: schedule.timeZone,
        ENABLED: schedule.enabled ? 1 : 0,
        MISFIRE_POLICY: schedule.misfirePolicy,
        PARAMS: JSON.stringify(schedule.params),
        ACTIVE_SINCE: toDbTime(schedule.activeSince),
        LAST_FIRE_AT: null,
        CREATED_AT: toDbTime(schedule.createdAt),
        MODIFIED_AT: toDbTime(schedule.modifiedAt),
        MODIFIED_BY: schedule.modifiedBy,
      })
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async update(jobName: string, values: Partial<Omit<Schedule, 'jobName' | 'createdAt' | 'lastFireAt'>>): Promise<void> {
    const set: Record<string, unknown> = {};
    if (values.cron !== undefined) set.CRON = values.cron;
    if (values.timeZone !== undefined) set.TIME_ZONE = values.timeZone;
    if (values.enabled !== undefined) set.ENABLED = values.enabled ? 1 : 0;
    if (values.misfirePolicy !== undefined) set.MISFIRE_POLICY = values.misfirePolicy;
    if (values.params !== undefined) set.PARAMS = JSON.stringify(values.params);
    if (values.activeSince !== undefined) set.ACTIVE_SINCE = toDbTime(values.activeSince);
    if (values.modifiedAt !== undefined) set.MODIFIED_AT = toDbTime(values.modifiedAt);
    if (values.modifiedBy !== undefined) set.MODIFIED_BY = values.modifiedBy;
    await this.db.updateTable(SCHEDULE_TABLE).set(set).where('JOB_NAME', '=', jobName).execute();
  }

  /** Moves LAST_FIRE_AT forward to `fireTime`, never back: desks may report fires out of order. */
  async advance(jobName: string, fireTime: Date): Promise<void> {
    const at = toDbTime(fireTime);
    await this.db
      .updateTable(SCHEDULE_TABLE)
      .set({ LAST_FIRE_AT: at })
      .where('JOB_NAME', '=', jobName)
      .where((eb) => eb.or([eb('LAST_FIRE_AT', 'is', null), eb('LAST_FIRE_AT', '<', at)]))
      .execute();
  }

  /**
   * Claims a fire for `owner` by inserting its row. A duplicate means another desk has it; a
   * claim left CLAIMED past its expiry (the desk died before launching) is taken over by a
   * conditional UPDATE that only one desk can win, as ShedLock does.
   */
  async claim(jobName: string, fireTime: Date, owner: string, now: Date, ttlMs: number, outcome: 'CLAIMED' | 'SKIPPED_MISFIRE', message: string | null): Promise<Claim> {
    const expires = toDbTime(new Date(now.getTime() + ttlMs));
    try {
      const result = await this.db
        .insertInto(FIRE_TABLE)
        .values({
          JOB_NAME: jobName,
          FIRE_TIME: toDbTime(fireTime),
          CLAIMED_BY: owner,
          CLAIMED_AT: toDbTime(now),
          CLAIM_EXPIRES_AT: expires,
          JOB_EXECUTION_ID: null,
          OUTCOME: outcome,
          MESSAGE: clip(message),
          ENDED_AT: outcome === 'CLAIMED' ? null : toDbTime(now),
        })
        .executeTakeFirst();
      return { kind: 'ours', fireId: Number(result.insertId) };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const row = await this.fireRow(jobName, fireTime);
    if (!row) return this.claim(jobName, fireTime, owner, now, ttlMs, outcome, message); // purged meanwhile: try again
    const existing = toFire(row);
    if (existing.outcome !== 'CLAIMED') return { kind: 'taken', fire: existing };
    if (fromDbTime(row.CLAIM_EXPIRES_AT).getTime() >= now.getTime()) return { kind: 'pending', fire: existing };
    const takeover = await this.db
      .updateTable(FIRE_TABLE)
      .set({
        CLAIMED_BY: owner,
        CLAIMED_AT: toDbTime(now),
        CLAIM_EXPIRES_AT: expires,
        OUTCOME: outcome,
        MESSAGE: clip(`Taken over from ${existing.claimedBy}, whose claim expired before it launched the job.${message ? ' ' + message : ''}`),
      })
      .where('FIRE_ID', '=', existing.id)
      .where('OUTCOME', '=', 'CLAIMED')
      .where('CLAIMED_BY', '=', existing.claimedBy)
      .where('CLAIM_EXPIRES_AT', '=', row.CLAIM_EXPIRES_AT)
      .executeTakeFirst();
    if (Number(takeover.numUpdatedRows) === 1) return { kind: 'ours', fireId: existing.id };
    return { kind: 'pending', fire: existing };
  }

  async fire(jobName: string, fireTime: Date): Promise<ScheduleFire | undefined> {
    const row = await this.fireRow(jobName, fireTime);
    return row && toFire(row);
  }

  private async fireRow(jobName: string, fireTime: Date): Promise<FireRow | undefined> {
    return (await this.db
      .selectFrom(FIRE_TABLE)
      .selectAll()
      .where('JOB_NAME', '=', jobName)
      .where('FIRE_TIME', '=', toDbTime(fireTime))
      .executeTakeFirst()) as FireRow | undefined;
  }

  async recordFire(
    fireId: number,
    values: { outcome: FireOutcome; executionId?: number | null; message?: string | null; endedAt?: Date | null },
  ): Promise<void> {
    const set: Record<string, unknown> = { OUTCOME: values.outcome };
    if (values.executionId !== undefined) set.JOB_EXECUTION_ID = values.executionId;
    if (values.message !== undefined) set.MESSAGE = clip(values.message);
    if (values.endedAt !== undefined) set.ENDED_AT = values.endedAt && toDbTime(values.endedAt);
    await this.db.updateTable(FIRE_TABLE).set(set).where('FIRE_ID', '=', fireId).execute();
  }

  /** A job's fires, newest first. */
  async history(jobName: string | undefined, limit: number): Promise<ScheduleFire[]> {
    let query = this.db.selectFrom(FIRE_TABLE).selectAll();
    if (jobName) query = query.where('JOB_NAME', '=', jobName);
    const rows = (await query.orderBy('FIRE_TIME', 'desc').orderBy('FIRE_ID', 'desc').limit(limit).execute()) as FireRow[];
    return rows.map(toFire);
  }

  /** Forgets settled fires older than `before`, so the history does not grow without end. */
  async purge(before: Date): Promise<number> {
    const result = await this.db
      .deleteFrom(FIRE_TABLE)
      .where('FIRE_TIME', '<', toDbTime(before))
      .where('OUTCOME', 'not in', ['CLAIMED', 'STARTED'])
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
