// The cron scheduler's public surface: schedules stored in the database, fired once across desks.
export { Scheduler, type SchedulerOptions, type SchedulerLogger, type FireDecision } from './Scheduler.ts';
export { ScheduleStore, SCHEDULE_TABLE, FIRE_TABLE } from './ScheduleStore.ts';
export { describeCron, validateCron, normalizeCron, nextFires, firesBetween, CronError, type Language } from './cron.ts';
export {
  MISFIRE_POLICIES,
  ScheduleError,
  type MisfirePolicy,
  type Schedule,
  type ScheduleChange,
  type ScheduleDefault,
  type ScheduleErrorCode,
  type ScheduleFire,
  type ScheduleParamValue,
  type ScheduleView,
  type FireOutcome,
  type FireReport,
} from './model.ts';
