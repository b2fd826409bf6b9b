// What the scheduler stores and shows: a schedule per job, and a fire per (job, fire time).
import type { BatchStatus } from '../status.ts';

/** What to do with fires missed while no scheduler was running (the app was closed). */
export type MisfirePolicy = 'RUN_ONCE' | 'SKIP';
export const MISFIRE_POLICIES: readonly MisfirePolicy[] = ['RUN_ONCE', 'SKIP'];

export type ScheduleParamValue = string | number | boolean;

/** A schedule as an application ships it; ensureDefaults inserts the ones not yet stored. */
export interface ScheduleDefault {
  jobName: string;
  /** 5 fields (minute hour day month weekday), or 6 with seconds first */
  cron: string;
  /** IANA name the cron is read in (default: the operator's time zone) */
  timeZone?: string;
  enabled?: boolean;
  misfirePolicy?: MisfirePolicy;
  /** extra launch parameters besides `now` */
  params?: Record<string, ScheduleParamValue>;
}

export interface Schedule {
  jobName: string;
  cron: string;
  timeZone: string;
  enabled: boolean;
  misfirePolicy: MisfirePolicy;
  params: Record<string, ScheduleParamValue>;
  /** fires count from here (creation, the last cron or zone change, or re-enabling) */
  activeSince: Date;
  /** the latest fire time handled, run or skipped */
  lastFireAt: Date | null;
  createdAt: Date;
  modifiedAt: Date;
  modifiedBy: string | null;
}

/** An edit from the console; only the given fields change. */
export interface ScheduleChange {
  cron?: string;
  enabled?: boolean;
  misfirePolicy?: MisfirePolicy;
  timeZone?: string;
  params?: Record<string, ScheduleParamValue>;
}

/**
 * What became of a fire. CLAIMED: a desk has it and is launching; STARTED: the execution is
 * running; then the execution's own end status. SKIPPED_*: nothing was launched, and why.
 */
export type FireOutcome =
  | 'CLAIMED'
  | 'STARTED'
  | Exclude<BatchStatus, 'STARTING' | 'STARTED' | 'STOPPING'>
  | 'SKIPPED_RUNNING'
  | 'SKIPPED_COMPLETE'
  | 'SKIPPED_MISFIRE'
  /** the job's hasWork found nothing to do: no execution was made */
  | 'SKIPPED_NO_WORK'
  | 'REFUSED'
  | 'ERROR';

export interface ScheduleFire {
  id: number;
  jobName: string;
  fireTime: Date;
  claimedBy: string;
  claimedAt: Date;
  executionId: number | null;
  outcome: FireOutcome;
  message: string | null;
  endedAt: Date | null;
}

/** A schedule as the console lists it. */
export interface ScheduleView extends Schedule {
  description: { ko: string; en: string };
  /** the next three fire times (none while disabled) */
  nextFires: Date[];
  /** the latest fire and what became of it (a running fire whose execution has ended shows that end) */
  lastFire: ScheduleFire | null;
  /** false when this app has no job of that name: the schedule is kept but never fires here */
  jobKnown: boolean;
}

/** One fire this desk handled in a tick. */
export interface FireReport {
  jobName: string;
  fireTime: Date;
  outcome: FireOutcome;
  executionId: number | null;
  message: string | null;
}

export type ScheduleErrorCode = 'INVALID_CRON' | 'INVALID_TIME_ZONE' | 'INVALID_MISFIRE_POLICY' | 'INVALID_PARAMETER' | 'NO_SUCH_SCHEDULE';

/** A refused schedule edit; nothing was written. */
export class ScheduleError extends Error {
  override name = 'ScheduleError';
  constructor(
    readonly code: ScheduleErrorCode,
    message: string,
  ) {
    super(message);
  }
}
