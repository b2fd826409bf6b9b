// 예약 실행 through the service. The scheduler (main/batch/scheduler/) is wired in by the
// composition root as a ScheduleAdmin; without one, the operations answer UNAVAILABLE.
import type { ScheduleChange, ScheduleView } from '../batch/scheduler/model.ts';
import { iso, type HandlerContext } from './context.ts';
import type { ParsedInputOf, ScheduleEntry } from './contract.ts';
import { ServiceError } from './errors.ts';

/** What the service needs of the scheduler. */
export interface ScheduleAdmin {
  list(): Promise<ScheduleView[]>;
  /** validates the change (cron, zone, policy, params) and throws ScheduleError when refused */
  update(jobName: string, change: ScheduleChange, modifiedBy: string): Promise<ScheduleView>;
}

/** The ScheduleAdmin of a Scheduler (main/batch/scheduler): what a composition root passes to createService. */
export function schedulerAdmin(scheduler: {
  list(): Promise<ScheduleView[]>;
  update(jobName: string, change: ScheduleChange, by: string): Promise<unknown>;
}): ScheduleAdmin {
  return {
    list: () => scheduler.list(),
    update: async (jobName, change, by) => {
      await scheduler.update(jobName, change, by);
      const view = (await scheduler.list()).find((s) => s.jobName === jobName);
      if (!view) throw new ServiceError('NOT_FOUND', { ko: `${jobName} 예약 실행을 찾을 수 없습니다.`, en: `The schedule of ${jobName} was not found.` });
      return view;
    },
  };
}

export function scheduleEntry(s: ScheduleView): ScheduleEntry {
  return {
    jobName: s.jobName,
    cron: s.cron,
    timeZone: s.timeZone,
    enabled: s.enabled,
    misfirePolicy: s.misfirePolicy,
    params: s.params,
    nextFires: s.nextFires.map((d) => d.toISOString()),
    lastFire: s.lastFire && {
      fireTime: s.lastFire.fireTime.toISOString(),
      outcome: s.lastFire.outcome,
      executionId: s.lastFire.executionId,
      message: s.lastFire.message,
    },
    modifiedAt: iso(s.modifiedAt)!,
    modifiedBy: s.modifiedBy,
    description: s.description ?? null,
  };
}

function need(admin: ScheduleAdmin | undefined): ScheduleAdmin {
  if (!admin) {
    throw new ServiceError('UNAVAILABLE', {
      ko: '이 실행 환경에는 예약 실행 기능이 켜져 있지 않습니다.',
      en: 'The scheduler is not running in this process.',
    });
  }
  return admin;
}

export async function listSchedules(ctx: HandlerContext, admin: ScheduleAdmin | undefined): Promise<ScheduleEntry[]> {
  return (await need(admin).list()).map(scheduleEntry);
}

export async function updateSchedule(ctx: HandlerContext, admin: ScheduleAdmin | undefined, input: ParsedInputOf<'schedules.update'>): Promise<ScheduleEntry> {
  const { job, ...change } = input;
  const updated = await need(admin).update(job, change, ctx.actor);
  await ctx.audit({ action: 'schedules.update', target: `schedule:${job}`, detail: input });
  return scheduleEntry(updated);
}
